//! The README's first command: `scripts/flaky.sh` under backon.

mod common;

use common::{Sandbox, code, stderr, stdout};
use std::fs;
use std::process::Output;

const FLAKY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/flaky.sh");

/// Runs backon on the script with its state files in the sandbox.
fn flaky(sandbox: &Sandbox, args: &[&str]) -> Output {
    let args = [args, &["--", "sh", FLAKY, "2"]].concat();
    common::backon(sandbox.path(), &args)
        .env("TMPDIR", sandbox.path())
        .output()
        .unwrap()
}

/// The script's state files left in the sandbox.
fn counts(sandbox: &Sandbox) -> Vec<String> {
    fs::read_dir(sandbox.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("backon-flaky."))
        .collect()
}

#[test]
fn the_demo_fails_twice_then_succeeds_and_leaves_nothing() {
    let sandbox = Sandbox::new();

    let out = flaky(&sandbox, &["--attempts", "5", "--delay", "1ms"]);

    assert_eq!(code(out.status), 0, "{}", stderr(&out));
    assert_eq!(stdout(&out), "flaky: run 3 succeeds\n");
    let err = stderr(&out);
    assert!(err.starts_with("flaky: run 1 fails\n"), "{err}");
    assert!(err.contains("flaky: run 2 fails\n"), "{err}");
    assert_eq!(counts(&sandbox), Vec::<String>::new());
}

#[test]
fn a_count_left_by_a_backon_that_gave_up_is_removed_later() {
    let sandbox = Sandbox::new();

    let out = flaky(&sandbox, &["--attempts", "2", "--delay", "1ms"]);
    assert_eq!(code(out.status), 1, "{}", stderr(&out));
    assert_eq!(counts(&sandbox).len(), 1);

    let out = flaky(&sandbox, &["--attempts", "5", "--delay", "1ms"]);
    assert_eq!(code(out.status), 0, "{}", stderr(&out));
    assert_eq!(counts(&sandbox), Vec::<String>::new());
}
