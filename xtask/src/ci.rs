//! `cargo xtask ci` and `cargo xtask test`.

use crate::cmd::Cargo;
use crate::manifest;
use std::fmt;
use std::path::Path;
use std::time::Instant;

/// The facade, whose feature combinations are checked one by one.
const FACADE_MANIFEST: &str = "crates/backon/Cargo.toml";

/// The README, whose test command CI runs as it is written there.
const README: &str = "README.md";

/// The comment line that comes just before the README's test command.
const TEST_COMMAND_MARK: &str = "# The whole test suite.";

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
    let step = test_command(root)?;
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
            cargo: test_command(root)?,
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

/// The README's test command, read from the README itself so that what a
/// new user runs and what CI runs cannot drift apart.
fn test_command(root: &Path) -> Result<Cargo, String> {
    let path = root.join(README);
    let text = std::fs::read_to_string(&path)
        .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
    let args = readme_test_command(&text).map_err(|err| format!("{}: {err}", path.display()))?;
    Ok(Cargo::new(&args))
}

/// The arguments of the `cargo` command on the line after
/// [`TEST_COMMAND_MARK`].
fn readme_test_command(readme: &str) -> Result<Vec<&str>, String> {
    let mut lines = readme.lines().map(str::trim);
    lines
        .find(|line| *line == TEST_COMMAND_MARK)
        .ok_or_else(|| format!("no line `{TEST_COMMAND_MARK}` before the test command"))?;
    let command = lines.next().unwrap_or_default();
    match command.split_whitespace().collect::<Vec<_>>().split_first() {
        Some((&"cargo", args)) if !args.is_empty() => Ok(args.to_vec()),
        _ => Err(format!(
            "the line after `{TEST_COMMAND_MARK}` is `{command}`, not a cargo command"
        )),
    }
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
    use super::{Tally, readme_test_command};

    #[test]
    fn the_test_command_is_the_line_after_its_comment() {
        let readme = "```sh\n# The main job.\ncargo run -p x\n\n# The whole test suite.\ncargo test --workspace --all-features\n```\n";
        assert_eq!(
            readme_test_command(readme),
            Ok(vec!["test", "--workspace", "--all-features"])
        );
        assert!(readme_test_command("# The whole test suite.\nmake test\n").is_err());
        assert!(readme_test_command("cargo test\n").is_err());
    }

    #[test]
    fn the_real_readme_has_a_test_command() {
        let readme = include_str!("../../README.md");
        let args = readme_test_command(readme).unwrap();
        assert_eq!(args.first(), Some(&"test"));
    }

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
