//! `cargo xtask bench`: runs the benchmarks and tabulates criterion's
//! results.

use crate::cmd::Cargo;
use crate::report;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Where the table goes, from the workspace root.
const OUTPUT: &str = "docs/benchmarks.md";

/// One benchmark's result: `<group>/<variant>/<contender>` in criterion's
/// terms, the variant being empty for a two-level name.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Measurement {
    pub(crate) group: String,
    pub(crate) variant: String,
    pub(crate) contender: String,
    /// The median time of one iteration, in nanoseconds.
    pub(crate) median_ns: f64,
}

/// Runs the benchmarks, prints their table and writes it to [`OUTPUT`].
pub(crate) fn run(root: &Path, extra_args: &[String]) -> Result<(), String> {
    let started = SystemTime::now();
    let bench = Cargo::new(&["bench", "-p", "backon-benches"]).args(extra_args);
    println!("==> {bench}");
    let mut tail = TailTable::default();
    bench.run_reading(root, |line| tail.read(line))?;

    let dir = criterion_dir(root);
    let results = collect(&dir, started)?;
    if results.is_empty() {
        return Err(format!("no fresh results under {}", dir.display()));
    }

    let tables = report::tables(&results);
    println!("\n{tables}");

    let path = root.join(OUTPUT);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .map_err(|err| format!("cannot create {}: {err}", parent.display()))?;
    }
    let page = report::page(&tables, &tail.rows);
    fs::write(&path, page).map_err(|err| format!("cannot write {}: {err}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}

/// The tail-latency table that the `hedge` benchmark prints between two
/// marker lines, its rows taken as they are.
#[derive(Debug, Default)]
struct TailTable {
    inside: bool,
    rows: String,
}

impl TailTable {
    const BEGIN: &str = "hedge-tail-table-begin";
    const END: &str = "hedge-tail-table-end";

    fn read(&mut self, line: &str) {
        match line.trim() {
            Self::BEGIN => {
                self.inside = true;
                self.rows.clear();
            }
            Self::END => self.inside = false,
            row if self.inside => {
                self.rows.push_str(row);
                self.rows.push('\n');
            }
            _ => {}
        }
    }
}

/// Criterion's output directory, found the way criterion finds it.
fn criterion_dir(root: &Path) -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return root.join(home);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root.join("target"), |dir| root.join(dir));
    target.join("criterion")
}

/// Reads every `<group>/.../new/estimates.json` written since `since`, in
/// the order they were written.
fn collect(dir: &Path, since: SystemTime) -> Result<Vec<Measurement>, String> {
    let mut files = Vec::new();
    find_estimates(dir, &mut files)?;

    // Only results written by this run: a renamed or filtered-out benchmark
    // leaves an old directory behind. Sorted by time, they keep the order
    // the benchmarks ran in.
    let mut fresh: Vec<(SystemTime, PathBuf)> = files
        .into_iter()
        .filter_map(|file| {
            let modified = fs::metadata(&file).and_then(|meta| meta.modified()).ok()?;
            (modified >= since).then_some((modified, file))
        })
        .collect();
    fresh.sort();

    let mut results = Vec::new();
    for (_, file) in fresh {
        let text = fs::read_to_string(&file)
            .map_err(|err| format!("cannot read {}: {err}", file.display()))?;
        let median_ns = median(&text)
            .ok_or_else(|| format!("no median point estimate in {}", file.display()))?;
        let name = bench_name(dir, &file);
        results.push(measurement(&name, median_ns));
    }
    Ok(results)
}

fn find_estimates(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries =
        fs::read_dir(dir).map_err(|err| format!("cannot read {}: {err}", dir.display()))?;

    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() && path.file_name().is_some_and(|name| name != "report") {
            find_estimates(&path, files)?;
        } else if path.ends_with("new/estimates.json") {
            files.push(path);
        }
    }
    Ok(())
}

/// The benchmark's name: its path under criterion's directory, without
/// `new/estimates.json`.
fn bench_name(dir: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(dir).unwrap_or(file);
    let parts: Vec<_> = relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts[..parts.len().saturating_sub(2)].join("/")
}

/// Splits `group/variant.../contender` into a measurement.
fn measurement(name: &str, median_ns: f64) -> Measurement {
    let (group, rest) = name.split_once('/').unwrap_or((name, ""));
    let (variant, contender) = rest.rsplit_once('/').unwrap_or(("", rest));
    Measurement {
        group: group.to_string(),
        variant: variant.to_string(),
        contender: contender.to_string(),
        median_ns,
    }
}

/// Extracts `"median":{"confidence_interval":{...},"point_estimate":X`
/// from criterion's `estimates.json`.
fn median(json: &str) -> Option<f64> {
    let start = json.find("\"median\":")?;
    let rest = &json[start..];
    let value = &rest[rest.find("\"point_estimate\":")? + "\"point_estimate\":".len()..];
    let end = value
        .find(|c: char| !(c.is_ascii_digit() || "+-.eE".contains(c)))
        .unwrap_or(value.len());
    value[..end].trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_median_not_the_mean() {
        let json = r#"{"mean":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.0,"upper_bound":3.0},"point_estimate":2.0,"standard_error":0.1},"median":{"confidence_interval":{"confidence_level":0.95,"lower_bound":7.9,"upper_bound":8.8},"point_estimate":8.18,"standard_error":0.2},"median_abs_dev":{"confidence_interval":{"confidence_level":0.95,"lower_bound":0.1,"upper_bound":0.9},"point_estimate":0.41,"standard_error":0.2}}"#;
        assert_eq!(median(json), Some(8.18));
        assert_eq!(
            median(r#"{"median":{"point_estimate":1.5e3}}"#),
            Some(1500.0)
        );
        assert_eq!(median(r#"{"mean":{"point_estimate":1.0}}"#), None);
    }

    #[test]
    fn splits_names() {
        let m = measurement("retry_success/async/backon", 1.0);
        assert_eq!(
            (m.group.as_str(), m.variant.as_str(), m.contender.as_str()),
            ("retry_success", "async", "backon")
        );
        let m = measurement("plain/bare", 1.0);
        assert_eq!((m.variant.as_str(), m.contender.as_str()), ("", "bare"));
    }

    #[test]
    fn the_tail_table_is_read_between_its_markers() {
        let mut tail = TailTable::default();
        for line in [
            "noise",
            "hedge-tail-table-begin",
            "| a |",
            "| b |",
            "hedge-tail-table-end",
            "| c |",
        ] {
            tail.read(line);
        }
        assert_eq!(tail.rows, "| a |\n| b |\n");
    }

    #[test]
    fn names_come_from_the_path() {
        let dir = Path::new("/t/criterion");
        let file = dir.join("retry_success/async/bare/new/estimates.json");
        assert_eq!(bench_name(dir, &file), "retry_success/async/bare");
    }
}
