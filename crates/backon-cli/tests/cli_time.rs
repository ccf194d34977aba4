//! Time limits: --attempt-timeout and --timeout kill the child, and only it.

mod common;

use common::{PATIENCE, Sandbox, code, run, sleeping, stderr};
use std::time::Instant;

/// A script that records its PID and then becomes `sleep 30`.
fn sleeper(sandbox: &Sandbox) -> String {
    sandbox.script("sleeper.sh", "echo $$ >> pids\nexec sleep 30")
}

#[test]
fn a_run_past_attempt_timeout_is_killed_and_retried() {
    let sandbox = Sandbox::new();
    let script = sleeper(&sandbox);
    let start = Instant::now();

    let out = run(
        sandbox.path(),
        &[
            "-n",
            "2",
            "-d",
            "1ms",
            "--attempt-timeout",
            "50ms",
            "sh",
            &script,
        ],
    );

    assert!(start.elapsed() < PATIENCE);
    assert_eq!(code(out.status), 124);
    assert_eq!(sandbox.runs(), 2);
    let pids = sandbox.pids("pids");
    assert_eq!(pids.len(), 2);
    assert!(
        pids.iter().all(|&pid| !sleeping(pid)),
        "a child outlived backon: {pids:?}"
    );

    let err = stderr(&out);
    assert!(
        err.contains("attempt 1/2 failed (timed out after 50ms); retrying in"),
        "{err}"
    );
    assert!(
        err.contains("giving up after 2 attempts (timed out after 50ms)"),
        "{err}"
    );
}

#[test]
fn a_run_within_attempt_timeout_is_left_alone() {
    let sandbox = Sandbox::new();
    let body = "if [ $(wc -l < runs) -eq 1 ]; then exec sleep 30; fi\nexit 0";
    let script = sandbox.script("slow-once.sh", body);

    let out = run(
        sandbox.path(),
        &["-d", "1ms", "--attempt-timeout", "50ms", "sh", &script],
    );

    assert_eq!(code(out.status), 0, "{}", stderr(&out));
    assert_eq!(sandbox.runs(), 2);
}

#[test]
fn attempt_timeout_is_retried_whatever_retry_on_says() {
    let sandbox = Sandbox::new();
    let script = sleeper(&sandbox);

    let args = [
        "-n",
        "3",
        "-d",
        "1ms",
        "--attempt-timeout",
        "20ms",
        "--retry-on",
        "75",
    ];
    let out = run(sandbox.path(), &[&args[..], &["sh", &script]].concat());

    assert_eq!(code(out.status), 124);
    assert_eq!(sandbox.runs(), 3);
}

#[test]
fn timeout_kills_the_running_child_and_exits_124() {
    let sandbox = Sandbox::new();
    let script = sleeper(&sandbox);
    let start = Instant::now();

    let out = run(sandbox.path(), &["-n", "100", "-t", "100ms", "sh", &script]);

    assert!(start.elapsed() < PATIENCE);
    assert_eq!(code(out.status), 124);
    assert_eq!(sandbox.runs(), 1);
    let pids = sandbox.pids("pids");
    assert!(!sleeping(pids[0]), "the child outlived backon");
    assert_eq!(stderr(&out), "backon: --timeout 100ms expired; giving up\n");
}

#[test]
fn timeout_ends_a_retry_loop_of_quick_failures() {
    let sandbox = Sandbox::new();
    let start = Instant::now();

    let args = [
        "--forever",
        "-t",
        "100ms",
        "-d",
        "5ms",
        "-b",
        "constant",
        "-q",
        "false",
    ];
    let out = run(sandbox.path(), &args);

    assert!(start.elapsed() < PATIENCE);
    assert_eq!(code(out.status), 124);
    assert_eq!(stderr(&out), "");
}

#[test]
fn timeout_ends_a_long_sleep() {
    let sandbox = Sandbox::new();
    let start = Instant::now();

    let out = run(
        sandbox.path(),
        &["-t", "100ms", "-d", "20s", "--max-delay", "1m", "false"],
    );

    assert!(start.elapsed() < PATIENCE);
    assert_eq!(code(out.status), 124);
}

#[test]
fn a_success_within_timeout_is_a_success() {
    let sandbox = Sandbox::new();
    let script = sandbox.flaky(2, 1);

    let out = run(sandbox.path(), &["-t", "1m", "-d", "1ms", "sh", &script]);

    assert_eq!(code(out.status), 0);
    assert_eq!(sandbox.runs(), 3);
}
