//! One run of the program: spawn it, wait for it within the time limits,
//! forward signals to it, and stop it when time is up.

use crate::deadline::Deadline;
use crate::duration::Exact;
use crate::signals::{Hub, Note};
use nix::sys::signal::{self, Signal};
use nix::unistd::Pid;
use std::fmt;
use std::io;
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, Command, ExitStatus};
use std::time::{Duration, Instant};

/// How a run that did not succeed ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    /// It exited with this non-zero code.
    Code(u8),
    /// A signal killed it.
    Signal(i32),
}

impl Status {
    /// Returns `None` for success, else the status.
    fn of(status: ExitStatus) -> Option<Status> {
        match (status.code(), status.signal()) {
            (Some(0), _) => None,
            (Some(code), _) => Some(Status::Code(code as u8)),
            (None, Some(signal)) => Some(Status::Signal(signal)),
            (None, None) => Some(Status::Code(1)),
        }
    }

    /// The status as a shell reports it: the exit code, or 128+N for
    /// signal N.
    pub(crate) fn code(self) -> u8 {
        match self {
            Status::Code(code) => code,
            Status::Signal(signal) => 128u8.saturating_add(signal.clamp(0, 127) as u8),
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Status::Code(code) => write!(f, "exit status {code}"),
            Status::Signal(signal) => write!(f, "killed by {}", SignalName(signal)),
        }
    }
}

/// A signal number with its name, as in `signal 15 (SIGTERM)`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SignalName(pub(crate) i32);

impl fmt::Display for SignalName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match Signal::try_from(self.0) {
            Ok(signal) => write!(f, "signal {} ({})", self.0, signal.as_str()),
            Err(_) => write!(f, "signal {}", self.0),
        }
    }
}

/// Why an attempt failed, or why there was none.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The run ended with a status other than success.
    Exit(Status),
    /// The run lasted longer than `--attempt-timeout` and was killed.
    AttemptTimeout(Duration),
    /// `--timeout` expired: the run was killed, or none could start.
    TimedOut,
    /// SIGINT or SIGTERM reached backon; the run, if one was going, got it
    /// too and ended with `status`.
    Stopped {
        /// The signal backon received.
        signal: i32,
        /// How the run ended after it got the signal.
        status: Option<Status>,
    },
    /// The program could not be started.
    Spawn(io::Error),
    /// Waiting for or killing the child failed.
    Wait(io::Error),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Exit(status) => status.fmt(f),
            Failure::AttemptTimeout(limit) => write!(f, "timed out after {}", Exact(*limit)),
            Failure::TimedOut => f.write_str("--timeout expired"),
            Failure::Stopped { signal, .. } => write!(f, "got {}", SignalName(*signal)),
            Failure::Spawn(err) => write!(f, "cannot run: {err}"),
            Failure::Wait(err) => write!(f, "cannot wait for the program: {err}"),
        }
    }
}

/// How long a program killed at a time limit has, after SIGTERM, to exit
/// before it gets SIGKILL.
const GRACE: Duration = Duration::from_millis(100);

/// The time limits of one run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits<'a> {
    /// `--attempt-timeout`.
    pub(crate) attempt: Option<Duration>,
    /// `--timeout`.
    pub(crate) deadline: &'a Deadline,
}

/// How the wait for a child ended, with its status.
enum End {
    Exited(ExitStatus),
    AttemptTimeout(ExitStatus),
    TimedOut,
}

/// Runs the command once and waits for it.
///
/// SIGINT and SIGTERM that reach backon meanwhile are passed on to the
/// child. When a time limit passes, the child (and only the child) gets
/// SIGTERM, then SIGKILL if it is still there after [`GRACE`], and is
/// reaped, so it never outlives backon.
///
/// # Errors
///
/// Returns why the run failed, or why it could not start.
pub(crate) fn run(command: &mut Command, hub: &Hub, limits: Limits<'_>) -> Result<(), Failure> {
    // A refused retry was announced as a timeout already; a signal since
    // changes nothing.
    if limits.deadline.refused() {
        return Err(Failure::TimedOut);
    }
    if let Some(signal) = hub.stopped_by() {
        return Err(Failure::Stopped {
            signal,
            status: None,
        });
    }
    if limits.deadline.passed(Instant::now()) {
        return Err(Failure::TimedOut);
    }

    let mut child = command.spawn().map_err(Failure::Spawn)?;
    let attempt_end = limits
        .attempt
        .and_then(|limit| Instant::now().checked_add(limit));
    let end = wait(&mut child, hub, attempt_end, limits.deadline.at()).map_err(Failure::Wait)?;

    let status = match end {
        End::Exited(status) => Status::of(status),
        End::TimedOut => return Err(Failure::TimedOut),
        End::AttemptTimeout(status) => match hub.stopped_by() {
            Some(_) => Status::of(status),
            None => return Err(Failure::AttemptTimeout(limits.attempt.unwrap_or_default())),
        },
    };

    match (hub.stopped_by(), status) {
        (_, None) => Ok(()),
        (None, Some(status)) => Err(Failure::Exit(status)),
        (Some(signal), status) => Err(Failure::Stopped { signal, status }),
    }
}

fn wait(
    child: &mut Child,
    hub: &Hub,
    attempt_end: Option<Instant>,
    deadline: Option<Instant>,
) -> io::Result<End> {
    let (until, attempt_timeout) = match (attempt_end, deadline) {
        (Some(a), Some(b)) if a < b => (Some(a), true),
        (_, Some(b)) => (Some(b), false),
        (a, None) => (a, true),
    };

    if let Some(status) = wait_until(child, hub, until)? {
        return Ok(End::Exited(status));
    }

    let status = end(child, hub)?;
    Ok(if attempt_timeout {
        End::AttemptTimeout(status)
    } else {
        End::TimedOut
    })
}

/// Waits for the child until `until`, passing signals on; `None` when the
/// time is up first.
fn wait_until(
    child: &mut Child,
    hub: &Hub,
    until: Option<Instant>,
) -> io::Result<Option<ExitStatus>> {
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        match hub.next(until) {
            Some(Note::Child) => {}
            Some(Note::Stop(signal)) => forward(child, signal),
            None => break,
        }
    }

    // The child may have exited just as time ran out; then its status
    // stands, since nothing was cut short.
    child.try_wait()
}

/// Ends a child whose time is up: SIGTERM, so that it may clean up, then
/// SIGKILL after [`GRACE`]. Returns its status once reaped.
fn end(child: &mut Child, hub: &Hub) -> io::Result<ExitStatus> {
    send(child, Signal::SIGTERM);

    let grace_end = Instant::now().checked_add(GRACE);
    if let Some(status) = wait_until(child, hub, grace_end)? {
        return Ok(status);
    }

    child.kill()?;
    child.wait()
}

/// Passes a signal that backon received on to the child.
fn forward(child: &Child, signal: i32) {
    if let Ok(signal) = Signal::try_from(signal) {
        send(child, signal);
    }
}

/// Sends a signal to the child.
///
/// The child has not been reaped yet (only this thread reaps it), so its
/// PID still names it even if it has just exited.
fn send(child: &Child, signal: Signal) {
    let Ok(pid) = i32::try_from(child.id()) else {
        return;
    };

    // It fails only when the child is gone already, and then there is no
    // one left to tell.
    let _ = signal::kill(Pid::from_raw(pid), signal);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_as_in_a_shell() {
        assert_eq!(Status::of(ExitStatus::from_raw(0)), None);
        assert_eq!(
            Status::of(ExitStatus::from_raw(3 << 8)),
            Some(Status::Code(3))
        );
        assert_eq!(Status::of(ExitStatus::from_raw(9)), Some(Status::Signal(9)));
        assert_eq!(Status::Signal(15).code(), 143);
        assert_eq!(Status::Code(7).code(), 7);
    }

    #[test]
    fn the_grace_period_is_the_documented_one() {
        // --help and both READMEs give it.
        assert_eq!(crate::duration::Exact(GRACE).to_string(), "100ms");
    }

    #[test]
    fn statuses_show_their_cause() {
        assert_eq!(Status::Code(1).to_string(), "exit status 1");
        assert_eq!(
            Status::Signal(9).to_string(),
            "killed by signal 9 (SIGKILL)"
        );
        assert_eq!(SignalName(200).to_string(), "signal 200");
    }
}
