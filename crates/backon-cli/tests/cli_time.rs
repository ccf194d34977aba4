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
fn a_retry_that_cannot_start_before_timeout_is_not_scheduled() {
    let sandbox = Sandbox::new();
    let script = sandbox.flaky(100, 1);
    let start = Instant::now();

    // The default cap rises to meet the 20s delay, which the 10s limit
    // cannot fit: backon gives up at once instead of sleeping to the limit
    // and starting a run only to kill it.
    let args = ["-t", "10s", "-d", "20s", "-j", "none", "sh", &script];
    let out = run(sandbox.path(), &args);

    assert!(start.elapsed() < PATIENCE);
    assert_eq!(code(out.status), 124);
    assert_eq!(sandbox.runs(), 1);
    assert_eq!(
        stderr(&out),
        "backon: giving up after 1 attempt: --timeout 10s leaves no time for another \
         (exit status 1)\n"
    );
}

#[test]
fn a_refused_retry_is_quiet_with_q() {
    let sandbox = Sandbox::new();

    let out = run(
        sandbox.path(),
        &["-q", "-t", "10s", "-d", "10s", "-j", "none", "false"],
    );

    assert_eq!(code(out.status), 124);
    assert_eq!(stderr(&out), "");
}

/// Runs `script` under `--attempt-timeout` until it reports, by writing
/// the file `ready`, that its traps were set before backon's signal came;
/// on a loaded machine a short limit may strike first, so it grows.
fn until_ready(sandbox: &Sandbox, script: &str) -> std::process::Output {
    for limit in ["50ms", "200ms", "1s", "5s"] {
        for file in ["ready", "marker"] {
            let _ = std::fs::remove_file(sandbox.file(file));
        }
        let out = run(
            sandbox.path(),
            &["-n", "1", "--attempt-timeout", limit, "sh", script],
        );
        if !sandbox.read("ready").is_empty() {
            return out;
        }
    }
    panic!("the script never got to set its traps");
}

#[test]
fn a_run_past_its_time_gets_sigterm_first() {
    let sandbox = Sandbox::new();
    // The trap also ends the sleep, so that nothing is left behind.
    let body = "trap 'echo term >> marker; kill $p; exit 3' TERM\n\
                sleep 30 & p=$!\n\
                echo ready > ready\n\
                wait $p";
    let script = sandbox.script("trap.sh", body);

    let out = until_ready(&sandbox, &script);

    assert_eq!(code(out.status), 124, "{}", stderr(&out));
    assert_eq!(sandbox.read("marker"), "term\n");
    assert!(
        stderr(&out).starts_with("backon: giving up after 1 attempt (timed out after "),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_run_that_ignores_sigterm_gets_sigkill() {
    let sandbox = Sandbox::new();
    // An ignored signal stays ignored across exec, so `sleep` ignores it.
    let body = "trap '' TERM\necho $$ >> pids\necho ready > ready\nexec sleep 30";
    let script = sandbox.script("deaf.sh", body);
    let start = Instant::now();

    let out = until_ready(&sandbox, &script);

    assert_eq!(code(out.status), 124, "{}", stderr(&out));
    let pids = sandbox.pids("pids");
    assert!(
        pids.iter().all(|&pid| !sleeping(pid)),
        "a child outlived backon: {pids:?}"
    );
    // At least the limit and the grace period passed: a lower bound, which
    // a slow machine only exceeds further.
    assert!(start.elapsed() >= std::time::Duration::from_millis(150));
}

#[test]
fn a_success_within_timeout_is_a_success() {
    let sandbox = Sandbox::new();
    let script = sandbox.flaky(2, 1);

    let out = run(sandbox.path(), &["-t", "1m", "-d", "1ms", "sh", &script]);

    assert_eq!(code(out.status), 0);
    assert_eq!(sandbox.runs(), 3);
}
