//! The retry itself: the library's engine runs the program through the
//! policy, and the outcome becomes backon's exit status.

use crate::args::Settings;
use crate::child::{self, Failure, Limits, Status};
use crate::policy::{self, UsePolicy};
use crate::report::Reporter;
use crate::signals::{Hub, Runtime};
use backon_core::{BlockingRetry, Policy, Report, Stop, StopReason, Wait};
use nix::errno::Errno;
use std::io::{self, ErrorKind};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// Exit status when a time limit ended the last run, as `timeout(1)` has it.
const TIMED_OUT: u8 = 124;
/// Exit status when backon itself fails.
const BROKEN: u8 = 125;
/// Exit status when the program exists but cannot be executed.
const CANNOT_EXECUTE: u8 = 126;
/// Exit status when the program does not exist.
const NOT_FOUND: u8 = 127;

/// Runs the program as the settings say and returns backon's exit status.
pub(crate) fn run(settings: &Settings) -> u8 {
    // Signals must be caught before the first child starts: a SIGCHLD or
    // SIGTERM missed then would be lost.
    let hub = match Hub::listen() {
        Ok(hub) => hub,
        Err(err) => {
            eprintln!("backon: cannot catch signals: {err}");
            return BROKEN;
        }
    };

    let mut command = Command::new(&settings.program);
    command.args(&settings.args);
    let retry = Retry {
        settings,
        hub: &hub,
        deadline: settings
            .timeout
            .and_then(|limit| Instant::now().checked_add(limit)),
        command,
    };

    match policy::build(settings, retry) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("backon: {err}");
            BROKEN
        }
    }
}

/// Everything a retry needs besides the policy.
struct Retry<'a> {
    settings: &'a Settings,
    hub: &'a Hub,
    deadline: Option<Instant>,
    command: Command,
}

impl UsePolicy for Retry<'_> {
    type Output = u8;

    fn use_policy<W: Wait, S: Stop>(mut self, policy: Policy<W, S>) -> u8 {
        let settings = self.settings;
        let reporter = Reporter::new(
            io::stderr(),
            settings.quiet,
            settings.attempts,
            settings.timeout,
        );
        let policy = policy.retry_when(settings.codes).listen(reporter);

        let runtime = Runtime {
            hub: self.hub,
            deadline: self.deadline,
        };
        let limits = Limits {
            attempt: settings.attempt_timeout,
            deadline: self.deadline,
        };
        let report = BlockingRetry::new(
            || child::run(&mut self.command, self.hub, limits),
            &policy,
            runtime,
        )
        .call_with_report();

        exit_status(&report, &settings.program)
    }
}

/// Turns the outcome into an exit status, and reports a failure of backon
/// itself, which `--quiet` does not hide.
fn exit_status(report: &Report<(), Failure>, program: &std::ffi::OsStr) -> u8 {
    if report.gave_up == Some(StopReason::TimeLimit) {
        return TIMED_OUT;
    }

    let program = Path::new(program).display();
    match &report.result {
        Ok(()) => 0,
        Err(Failure::Exit(status)) => status.code(),
        Err(Failure::AttemptTimeout(_) | Failure::TimedOut) => TIMED_OUT,
        Err(Failure::Stopped { signal, status }) => {
            status.unwrap_or(Status::Signal(*signal)).code()
        }
        Err(Failure::Spawn(err)) => {
            let (why, code) = match err.kind() {
                ErrorKind::NotFound => ("not found".to_owned(), NOT_FOUND),
                ErrorKind::PermissionDenied => ("permission denied".to_owned(), CANNOT_EXECUTE),
                _ if err.raw_os_error().map(Errno::from_raw) == Some(Errno::ENOEXEC) => {
                    ("not in an executable format".to_owned(), CANNOT_EXECUTE)
                }
                _ => (err.to_string(), BROKEN),
            };
            eprintln!("backon: cannot run {program}: {why}");
            code
        }
        Err(Failure::Wait(err)) => {
            eprintln!("backon: lost track of {program}: {err}");
            BROKEN
        }
    }
}
