//! Retrying real programs: run counts, exit statuses, code lists, output.

mod common;

use common::{Sandbox, code, run, stderr, stdout};
use std::io::Write;
use std::process::Stdio;

#[test]
fn retries_until_the_program_succeeds() {
    let sandbox = Sandbox::new();
    let script = sandbox.flaky(2, 1);

    let out = run(
        sandbox.path(),
        &["-n", "5", "-d", "1ms", "--", "sh", &script],
    );

    assert_eq!(code(out.status), 0, "{}", stderr(&out));
    assert_eq!(sandbox.runs(), 3);
    let err = stderr(&out);
    assert!(
        err.contains("backon: attempt 1/5 failed (exit status 1); retrying in "),
        "{err}"
    );
    assert!(
        err.contains("backon: attempt 2/5 failed (exit status 1); retrying in "),
        "{err}"
    );
    assert_eq!(err.lines().count(), 2, "{err}");
}

#[test]
fn gives_up_with_the_last_status() {
    let sandbox = Sandbox::new();
    let script = sandbox.flaky(100, 3);

    let out = run(
        sandbox.path(),
        &["-n", "3", "-d", "1ms", "--", "sh", &script],
    );

    assert_eq!(code(out.status), 3);
    assert_eq!(sandbox.runs(), 3);
    let err = stderr(&out);
    assert!(
        err.ends_with("backon: giving up after 3 attempts (exit status 3)\n"),
        "{err}"
    );
}

#[test]
fn a_success_runs_once_and_says_nothing() {
    let sandbox = Sandbox::new();
    let script = sandbox.flaky(0, 1);

    let out = run(sandbox.path(), &["sh", &script]);

    assert_eq!(code(out.status), 0);
    assert_eq!(sandbox.runs(), 1);
    assert_eq!(stderr(&out), "");
}

#[test]
fn one_attempt_means_no_retry() {
    let sandbox = Sandbox::new();
    let script = sandbox.flaky(5, 4);

    let out = run(sandbox.path(), &["-n", "1", "--", "sh", &script]);

    assert_eq!(code(out.status), 4);
    assert_eq!(sandbox.runs(), 1);
    assert_eq!(
        stderr(&out),
        "backon: giving up after 1 attempt (exit status 4)\n"
    );
}

#[test]
fn forever_retries_until_success() {
    let sandbox = Sandbox::new();
    let script = sandbox.flaky(7, 1);

    let out = run(
        sandbox.path(),
        &["--forever", "-d", "0s", "-q", "sh", &script],
    );

    assert_eq!(code(out.status), 0);
    assert_eq!(sandbox.runs(), 8);
}

#[test]
fn stop_on_codes_are_not_retried() {
    let sandbox = Sandbox::new();
    let script = sandbox.flaky(100, 3);

    let out = run(
        sandbox.path(),
        &["-d", "1ms", "--stop-on", "2-3,9", "sh", &script],
    );

    assert_eq!(code(out.status), 3);
    assert_eq!(sandbox.runs(), 1);
    let err = stderr(&out);
    assert!(
        err.contains("giving up after 1 attempt: exit status 3 is not retried"),
        "{err}"
    );
}

#[test]
fn other_codes_are_retried_despite_stop_on() {
    let sandbox = Sandbox::new();
    let script = sandbox.flaky(100, 1);

    let out = run(
        sandbox.path(),
        &["-n", "3", "-d", "1ms", "--stop-on", "2", "sh", &script],
    );

    assert_eq!(code(out.status), 1);
    assert_eq!(sandbox.runs(), 3);
}

#[test]
fn retry_on_retries_only_its_codes() {
    let sandbox = Sandbox::new();
    let script = sandbox.flaky(100, 75);
    let out = run(
        sandbox.path(),
        &["-n", "4", "-d", "1ms", "--retry-on", "1,75", "sh", &script],
    );
    assert_eq!(code(out.status), 75);
    assert_eq!(sandbox.runs(), 4);

    let sandbox = Sandbox::new();
    let script = sandbox.flaky(100, 1);
    let out = run(
        sandbox.path(),
        &["-n", "4", "-d", "1ms", "--retry-on", "75", "sh", &script],
    );
    assert_eq!(code(out.status), 1);
    assert_eq!(sandbox.runs(), 1);
}

#[test]
fn death_by_signal_is_128_plus_the_signal() {
    let sandbox = Sandbox::new();
    let script = sandbox.script("die.sh", "kill -9 $$");

    let out = run(sandbox.path(), &["-n", "2", "-d", "1ms", "sh", &script]);

    assert_eq!(code(out.status), 137);
    assert_eq!(sandbox.runs(), 2);
    let err = stderr(&out);
    assert!(err.contains("(killed by signal 9 (SIGKILL))"), "{err}");
}

#[test]
fn death_by_signal_matches_stop_on_as_128_plus_the_signal() {
    let sandbox = Sandbox::new();
    let script = sandbox.script("die.sh", "kill -9 $$");

    let out = run(
        sandbox.path(),
        &["-n", "3", "-d", "1ms", "--stop-on", "137", "sh", &script],
    );

    assert_eq!(code(out.status), 137);
    assert_eq!(sandbox.runs(), 1);
}

#[test]
fn stdout_passes_through() {
    let sandbox = Sandbox::new();
    let script = sandbox.script("hello.sh", "echo hello; [ $(wc -l < runs) -gt 1 ]");

    let out = run(sandbox.path(), &["-d", "1ms", "sh", &script]);

    assert_eq!(code(out.status), 0);
    assert_eq!(stdout(&out), "hello\nhello\n");
}

#[test]
fn stdin_passes_through() {
    let sandbox = Sandbox::new();
    let mut child = common::backon(sandbox.path(), &["cat"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();

    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"piped in\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();

    assert_eq!(code(out.status), 0);
    assert_eq!(stdout(&out), "piped in\n");
}

#[test]
fn arguments_are_not_seen_by_a_shell() {
    let sandbox = Sandbox::new();

    let out = run(sandbox.path(), &["--", "echo", "$HOME", "*", "a;b", "-n"]);

    assert_eq!(code(out.status), 0);
    assert_eq!(stdout(&out), "$HOME * a;b -n\n");
}

#[test]
fn quiet_prints_nothing() {
    let sandbox = Sandbox::new();
    let script = sandbox.flaky(100, 2);

    let out = run(
        sandbox.path(),
        &["-q", "-n", "3", "-d", "1ms", "sh", &script],
    );

    assert_eq!(code(out.status), 2);
    assert_eq!(sandbox.runs(), 3);
    assert_eq!(stderr(&out), "");
}

/// The delays each backoff reports, without jitter.
fn delays(backoff: &[&str]) -> Vec<String> {
    let sandbox = Sandbox::new();
    let mut args = vec!["-n", "5", "-d", "1ms", "--max-delay", "4ms", "-j", "none"];
    args.extend_from_slice(backoff);
    args.push("false");

    let out = run(sandbox.path(), &args);

    assert_eq!(code(out.status), 1);
    let err = stderr(&out);
    err.lines()
        .filter_map(|line| line.split("retrying in ").nth(1))
        .map(str::to_owned)
        .collect()
}

#[test]
fn each_backoff_grows_as_documented() {
    assert_eq!(delays(&[]), ["1ms", "2ms", "4ms", "4ms"]);
    assert_eq!(delays(&["--factor", "3"]), ["1ms", "3ms", "4ms", "4ms"]);
    assert_eq!(delays(&["-b", "constant"]), ["1ms", "1ms", "1ms", "1ms"]);
    assert_eq!(delays(&["-b", "linear"]), ["1ms", "2ms", "3ms", "4ms"]);
    assert_eq!(delays(&["-b", "fibonacci"]), ["1ms", "1ms", "2ms", "3ms"]);
}

#[test]
fn jitter_stays_under_the_computed_delay() {
    let sandbox = Sandbox::new();
    let args = [
        "-n", "6", "-d", "2ms", "-b", "constant", "-j", "equal", "false",
    ];

    let out = run(sandbox.path(), &args);

    let err = stderr(&out);
    for delay in err
        .lines()
        .filter_map(|line| line.split("retrying in ").nth(1))
    {
        // Shown to three significant digits, as in 1.53ms.
        let micros = match delay.strip_suffix("us") {
            Some(us) => us.parse::<f64>().unwrap(),
            None => delay.strip_suffix("ms").unwrap().parse::<f64>().unwrap() * 1000.0,
        };
        assert!((1000.0..=2000.0).contains(&micros), "{delay} in {err}");
    }
}
