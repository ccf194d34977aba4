//! `cargo xtask ci` and `cargo xtask test`.

use crate::cmd::Cargo;
use crate::manifest;
use std::fmt;
use std::path::Path;
use std::time::Instant;

/// The facade, whose feature combinations are checked one by one.
const FACADE_MANIFEST: &str = "crates/backon/Cargo.toml";

/// Runs every gate in order and stops at the first failure.
pub(crate) fn run(root: &Path) -> Result<(), String> {
    let steps = steps(root)?;
    let start = Instant::now();
    let mut tally = Tally::default();

    for (i, step) in steps.iter().enumerate() {
        println!("\n==> [{}/{}] {step}", i + 1, steps.len());

        let result = if step.is_test {
            step.cargo.run_reading(root, |line| tally.read(line))
        } else {
            step.cargo.run(root)
        };
        if let Err(err) = result {
            println!("\nci: failed at step {}/{}: {step}", i + 1, steps.len());
            if step.is_test {
                tally.print();
            }
            return Err(err);
        }
    }

    println!(
        "\nci: all {} steps passed in {:.0} s",
        steps.len(),
        start.elapsed().as_secs_f64()
    );
    tally.print();
    Ok(())
}

/// Runs the tests the way the README says.
pub(crate) fn test(root: &Path) -> Result<(), String> {
    let step = test_command();
    let mut tally = Tally::default();

    println!("==> {step}");
    step.run_reading(root, |line| tally.read(line))?;
    tally.print();
    Ok(())
}

/// One gate: a cargo command, and whether it runs the tests, whose result
/// lines are then counted.
#[derive(Debug)]
struct Step {
    cargo: Cargo,
    is_test: bool,
}

impl From<Cargo> for Step {
    fn from(cargo: Cargo) -> Self {
        Step {
            cargo,
            is_test: false,
        }
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.cargo.fmt(f)
    }
}

/// The gates, in the order they run: the quick ones first.
fn steps(root: &Path) -> Result<Vec<Step>, String> {
    let mut steps: Vec<Step> = vec![
        Cargo::new(&["fmt", "--all", "--check"]).into(),
        Cargo::new(&["clippy", "--workspace", "--all-targets", "--all-features"])
            .args(&["--", "-D", "warnings"])
            .into(),
        Step {
            cargo: test_command(),
            is_test: true,
        },
        Cargo::new(&["doc", "--workspace", "--no-deps", "--all-features"])
            .env("RUSTDOCFLAGS", "-D warnings")
            .into(),
        // What a user's `cargo doc` shows: the facade with its defaults, so
        // links to feature-gated items are caught.
        Cargo::new(&["doc", "-p", "backon", "--no-deps"])
            .env("RUSTDOCFLAGS", "-D warnings")
            .into(),
        Cargo::new(&["build", "-p", "backon-core", "--no-default-features"]).into(),
        Cargo::new(&["check", "-p", "backon", "--no-default-features"]).into(),
    ];

    for feature in facade_features(root)? {
        let check = Cargo::new(&["check", "-p", "backon", "--no-default-features"]);
        steps.push(check.args(&["--features", feature.as_str()]).into());
    }
    Ok(steps)
}

/// The README's test command.
fn test_command() -> Cargo {
    Cargo::new(&["test", "--workspace", "--all-features"])
}

/// The facade's features but `default`, which the plain check covers.
fn facade_features(root: &Path) -> Result<Vec<String>, String> {
    let path = root.join(FACADE_MANIFEST);
    let text = std::fs::read_to_string(&path)
        .map_err(|err| format!("cannot read {}: {err}", path.display()))?;

    Ok(manifest::features(&text)
        .into_iter()
        .filter(|name| name != "default")
        .collect())
}

/// Tests counted from the `test result:` lines of `cargo test`.
#[derive(Debug, Default)]
struct Tally {
    passed: u64,
    failed: u64,
    ignored: u64,
}

impl Tally {
    /// Adds the counts of a line such as
    /// `test result: ok. 5 passed; 0 failed; 1 ignored; 0 measured; ...`.
    fn read(&mut self, line: &str) {
        let Some(rest) = line.trim().strip_prefix("test result: ") else {
            return;
        };

        for part in rest.split(';') {
            let mut words = part.split_whitespace().rev();
            let (Some(label), Some(count)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(count) = count.parse::<u64>() else {
                continue;
            };
            match label {
                "passed" => self.passed += count,
                "failed" => self.failed += count,
                "ignored" => self.ignored += count,
                _ => {}
            }
        }
    }

    /// Prints the closing line, in the form test summaries take.
    fn print(&self) {
        println!(
            "tests: {} passed, {} failed, {} skipped",
            self.passed, self.failed, self.ignored
        );
    }
}

#[cfg(test)]
mod tests {
    use super::Tally;

    #[test]
    fn tally_adds_up_result_lines() {
        let mut tally = Tally::default();
        tally.read("test result: ok. 5 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.00s");
        tally.read("running 3 tests");
        tally
            .read("test result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out");
        assert_eq!((tally.passed, tally.failed, tally.ignored), (7, 1, 1));
    }
}
