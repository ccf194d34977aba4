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
fn negative_durations_are_refused_by_name() {
    for flag in ["-d", "--max-delay", "-t", "--attempt-timeout"] {
        let dir = std::env::temp_dir();
        let out = run(&dir, &[flag, "-1s", "true"]);

        let err = stderr(&out);
        assert_eq!(code(out.status), 2, "{flag}: {err}");
        assert!(err.contains("`-1s` is negative"), "{flag}: {err}");
        assert!(!err.contains("-- -1"), "{flag}: {err}");
    }
    refused(&["--delay", "-1s", "true"], &["--delay <DUR>"]);
}

#[test]
fn durations_with_repeated_or_misordered_units_are_refused() {
    refused(&["-d", "1s1s", "true"], &["--delay", "`s` given twice"]);
    refused(
        &["-t", "1ms1s", "true"],
        &["--timeout", "larger units first"],
    );
    refused(
        &["--attempt-timeout", "0.1ns", "true"],
        &["--attempt-timeout", "finer than a nanosecond"],
    );
}

#[test]
fn a_long_delay_raises_the_default_cap() {
    let out = run(&std::env::temp_dir(), &["-d", "1m", "true"]);

    assert_eq!(code(out.status), 0, "{}", stderr(&out));
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
        &["--retry-on", ",", "true"],
        &["--retry-on", "the list has an empty item"],
    );
    refused(
        &["--stop-on", "1,,2", "true"],
        &["--stop-on", "the list has an empty item"],
    );
    refused(&["--retry-on", "-1", "true"], &["--retry-on", "`-1`"]);
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

#[test]
fn help_shows_every_default_alike() {
    for flag in ["-h", "--help"] {
        let out = run(&std::env::temp_dir(), &[flag]);
        let help = stdout(&out);

        // Clap puts `[default: …]` at the end of a line in the summary and
        // on a line of its own in the long help; text written by hand
        // would be the odd one out.
        let defaults = help.matches("[default: ").count();
        assert_eq!(defaults, 7, "{flag}: {help}");
        for line in help.lines().filter(|line| line.contains("[default: ")) {
            let at_end = line.trim_end().ends_with(']');
            let alone = line.trim_start().starts_with("[default: ");
            assert!(at_end, "{flag}: {line}");
            assert!(flag == "-h" || alone, "{flag}: {line}");
        }
    }
}
