//! The retry itself: the library's engine runs the program through the
//! policy, and the outcome becomes backon's exit status.

use crate::args::Settings;
use crate::child::{self, Failure, Limits, Status};
use crate::deadline::Deadline;
use crate::policy::{self, UsePolicy};
use crate::report::Reporter;
use crate::signals::{Hub, Runtime};
use backon_core::{BlockingRetry, Policy, Report, Stop, StopReason, Wait};
use nix::errno::Errno;
use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, BufRead, BufReader, ErrorKind};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
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
    let deadline = Deadline::new(settings.timeout, Instant::now());
    let retry = Retry {
        settings,
        hub: &hub,
        deadline: &deadline,
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
    deadline: &'a Deadline,
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
            self.deadline,
        );
        // The deadline hears of each retry first, so the reporter knows
        // whether it was refused for want of time.
        let policy = policy
            .retry_when(settings.codes)
            .listen(self.deadline)
            .listen(reporter);

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
fn exit_status(report: &Report<(), Failure>, program: &OsStr) -> u8 {
    if report.gave_up == Some(StopReason::TimeLimit) {
        return TIMED_OUT;
    }

    match &report.result {
        Ok(()) => 0,
        Err(Failure::Exit(status)) => status.code(),
        Err(Failure::AttemptTimeout(_) | Failure::TimedOut) => TIMED_OUT,
        Err(Failure::Stopped { signal, status }) => {
            status.unwrap_or(Status::Signal(*signal)).code()
        }
        Err(Failure::Spawn(err)) => {
            let (why, code) = cannot_start(err, program);
            eprintln!("backon: cannot run {}: {why}", Path::new(program).display());
            code
        }
        Err(Failure::Wait(err)) => {
            let program = Path::new(program).display();
            eprintln!("backon: lost track of {program}: {err}");
            BROKEN
        }
    }
}

/// Says why the program could not start, and the exit status for that.
///
/// The system's error alone misleads: a script whose `#!` interpreter is
/// missing fails as if the script itself were, and a directory fails as if
/// permission were denied. So the file the program names is looked at too.
fn cannot_start(err: &io::Error, program: &OsStr) -> (String, u8) {
    let file = locate(program);
    match err.kind() {
        ErrorKind::NotFound => match file {
            Some(file) if file.is_file() => (missing_interpreter(&file), CANNOT_EXECUTE),
            _ => ("not found".to_owned(), NOT_FOUND),
        },
        ErrorKind::PermissionDenied if file.as_deref().is_some_and(Path::is_dir) => {
            ("it is a directory".to_owned(), CANNOT_EXECUTE)
        }
        ErrorKind::PermissionDenied => ("permission denied".to_owned(), CANNOT_EXECUTE),
        _ if err.raw_os_error().map(Errno::from_raw) == Some(Errno::ENOEXEC) => {
            ("not in an executable format".to_owned(), CANNOT_EXECUTE)
        }
        _ => (err.to_string(), BROKEN),
    }
}

/// Finds what `program` names: the path itself when it has a slash, else
/// the first entry of `PATH` that holds it, as the search for it goes.
fn locate(program: &OsStr) -> Option<PathBuf> {
    if program.as_bytes().contains(&b'/') {
        let path = Path::new(program);
        return path.exists().then(|| path.to_owned());
    }

    let dirs = std::env::var_os("PATH")?;
    std::env::split_paths(&dirs)
        .map(|dir| dir.join(program))
        .find(|path| path.exists())
}

/// Names the interpreter of a file that exists but fails to start as if it
/// did not: the one on its `#!` line, or its loader.
fn missing_interpreter(file: &Path) -> String {
    let mut first = Vec::new();
    let read = File::open(file).and_then(|f| BufReader::new(f).read_until(b'\n', &mut first));

    match first.strip_prefix(b"#!") {
        Some(line) if read.is_ok() => {
            let line = String::from_utf8_lossy(line);
            match line.split_whitespace().next() {
                Some(interpreter) => format!("its interpreter {interpreter} is missing"),
                None => "its #! line names no interpreter".to_owned(),
            }
        }
        _ => "it exists, but its interpreter or loader is missing".to_owned(),
    }
}
