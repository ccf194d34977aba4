//! Usage errors exit with 2 and name the flag at fault.

mod common;

use common::{code, run, stderr, stdout};

/// Runs backon with `args` and checks that it refuses them with exit
/// status 2 and a message holding each of `names`.
fn refused(args: &[&str], names: &[&str]) {
    let dir = std::env::temp_dir();
    let out = run(&dir, args);

    let err = stderr(&out);
    assert_eq!(code(out.status), 2, "{args:?}: {err}");
    for name in names {
        assert!(err.contains(name), "{args:?}: {name} is not in: {err}");
    }
}

#[test]
fn attempts() {
    refused(&["-n", "0", "true"], &["--attempts", "at least once"]);
    refused(&["--attempts", "-3", "true"], &["--attempts"]);
    refused(&["-n", "lots", "true"], &["--attempts"]);
    refused(
        &["-n", "3", "--forever", "true"],
        &["--attempts", "--forever"],
    );
}

#[test]
fn durations() {
    refused(&["-d", "100", "true"], &["--delay", "ns, us, ms, s, m, h"]);
    refused(&["-d", "1fortnight", "true"], &["--delay", "unknown unit"]);
    refused(
        &["--max-delay", "0s", "true"],
        &["--max-delay", "longer than zero"],
    );
    refused(&["-t", "0s", "true"], &["--timeout", "longer than zero"]);
    refused(
        &["--attempt-timeout", "0ms", "true"],
        &["--attempt-timeout"],
    );
    refused(
        &["-d", "2s", "--max-delay", "1s", "true"],
        &["--delay 2s", "--max-delay 1s"],
    );
}

#[test]
fn backoff_and_factor() {
    refused(&["-b", "quadratic", "true"], &["--backoff", "exponential"]);
    refused(&["--factor", "0.9", "true"], &["--factor", "at least 1"]);
    refused(&["--factor", "-2", "true"], &["--factor"]);
    refused(
        &["-b", "constant", "--factor", "3", "true"],
        &["--factor", "constant"],
    );
    refused(&["-j", "half", "true"], &["--jitter"]);
}

#[test]
fn code_lists() {
    refused(
        &["--retry-on", "0", "true"],
        &["--retry-on", "0 is success"],
    );
    refused(&["--retry-on", "1,x", "true"], &["--retry-on", "`x`"]);
    refused(
        &["--stop-on", "300", "true"],
        &["--stop-on", "out of range"],
    );
    refused(&["--stop-on", "5-2", "true"], &["--stop-on", "5-2"]);
    refused(
        &["--retry-on", "1-10", "--stop-on", "3,20", "true"],
        &["--retry-on", "--stop-on"],
    );
}

#[test]
fn program() {
    refused(&[], &["<PROGRAM>"]);
    refused(&["-n", "2", "--"], &["<PROGRAM>"]);
    refused(&["--no-such-flag", "true"], &["--no-such-flag"]);
}

#[test]
fn help_lists_every_flag() {
    let out = run(&std::env::temp_dir(), &["--help"]);

    assert_eq!(code(out.status), 0);
    let help = stdout(&out);
    for flag in [
        "--attempts",
        "--forever",
        "--delay",
        "--max-delay",
        "--backoff",
        "--factor",
        "--jitter",
        "--timeout",
        "--attempt-timeout",
        "--retry-on",
        "--stop-on",
        "--quiet",
    ] {
        assert!(help.contains(flag), "{flag} is not in --help");
    }
}
