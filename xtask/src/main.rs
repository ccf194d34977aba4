//! Project automation, run as `cargo xtask <task>` from anywhere in the
//! workspace.
//!
//! - `ci`: every gate CI runs, in order, stopping at the first failure.
//! - `test`: the test command of the README.
//! - `bench [ARGS]`: the benchmarks, then their table in `docs/benchmarks.md`.

mod bench;
mod ci;
mod cmd;
mod manifest;
mod report;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  ci            fmt, clippy, tests, docs, the no_std build and the facade's
                feature combinations, stopping at the first failure
  test          the README's test command (the line after
                `# The whole test suite.`)
  bench [ARGS]  cargo bench -p backon-benches [ARGS], then write the results
                table to docs/benchmarks.md";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let task = args.next();
    let rest: Vec<String> = args.collect();

    let result = match task.as_deref() {
        Some("ci") if rest.is_empty() => ci::run(&root()),
        Some("test") if rest.is_empty() => ci::test(&root()),
        Some("bench") => bench::run(&root(), &rest),
        Some("help" | "-h" | "--help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown task or arguments\n\n{USAGE}")),
    };

    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: the parent of this crate's directory.
fn root() -> PathBuf {
    let xtask = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask.parent().unwrap_or(xtask).to_path_buf()
}
