//! Signals to backon, and the runtime whose sleeps they cut short.

use crate::deadline::Deadline;
use backon_core::{BlockingSleeper, Clock, Entropy, std_seed};
use signal_hook::consts::{SIGCHLD, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;
use std::cell::Cell;
use std::io;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

/// How often to look at a child should the signal thread ever be gone.
const POLL: Duration = Duration::from_millis(10);

/// Something that happened to backon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Note {
    /// A child changed state: time to ask whether it exited.
    Child,
    /// SIGINT or SIGTERM.
    Stop(i32),
}

/// Where signals arrive, one at a time, on the thread that runs the
/// children.
///
/// A thread of its own receives the signals and passes them on through a
/// channel, so waiting for a child, a timeout or a signal is one blocking
/// receive with a time limit, and a child is only ever signalled and reaped
/// by the one thread that owns it: its PID cannot be reused in between.
#[derive(Debug)]
pub(crate) struct Hub {
    notes: Receiver<Note>,
    stopped_by: Cell<Option<i32>>,
}

impl Hub {
    /// Starts listening for SIGINT, SIGTERM and SIGCHLD.
    ///
    /// # Errors
    ///
    /// Returns the error of registering the signal handlers.
    pub(crate) fn listen() -> io::Result<Hub> {
        let mut signals = Signals::new([SIGINT, SIGTERM, SIGCHLD])?;
        let (sender, notes) = mpsc::channel();

        thread::Builder::new()
            .name("signals".into())
            .spawn(move || {
                for signal in signals.forever() {
                    let note = if signal == SIGCHLD {
                        Note::Child
                    } else {
                        Note::Stop(signal)
                    };
                    if sender.send(note).is_err() {
                        break;
                    }
                }
            })?;

        Ok(Hub {
            notes,
            stopped_by: Cell::new(None),
        })
    }

    /// The first SIGINT or SIGTERM received, if any: no run starts after it.
    pub(crate) fn stopped_by(&self) -> Option<i32> {
        self.stopped_by.get()
    }

    /// Waits for the next note until `until`; `None` when the time is up.
    pub(crate) fn next(&self, until: Option<Instant>) -> Option<Note> {
        let left = until.map(|until| until.saturating_duration_since(Instant::now()));
        let received = match left {
            None => self
                .notes
                .recv()
                .map_err(|_| RecvTimeoutError::Disconnected),
            Some(left) => self.notes.recv_timeout(left),
        };

        match received {
            Ok(note) => {
                if let Note::Stop(signal) = note {
                    self.stopped_by.set(self.stopped_by.get().or(Some(signal)));
                }
                Some(note)
            }
            Err(RecvTimeoutError::Timeout) => None,
            // The listening thread never ends on its own; were it gone,
            // polling the child is the best left to do.
            Err(RecvTimeoutError::Disconnected) => match left {
                Some(left) if left.is_zero() => None,
                _ => {
                    thread::sleep(left.unwrap_or(POLL).min(POLL));
                    Some(Note::Child)
                }
            },
        }
    }

    /// Sleeps until `until`, or less when SIGINT or SIGTERM arrives.
    fn sleep_until(&self, until: Option<Instant>) {
        while self.stopped_by().is_none() {
            if self.next(until).is_none() {
                return;
            }
        }
    }
}

/// The runtime of the retry: the standard clock, seeds from the standard
/// library, and sleeps that end early at a signal or at `--timeout`, and
/// at once when the deadline refused the retry.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Runtime<'a> {
    pub(crate) hub: &'a Hub,
    pub(crate) deadline: &'a Deadline,
}

impl Clock for Runtime<'_> {
    type Instant = Instant;

    fn now(&self) -> Instant {
        Instant::now()
    }

    fn elapsed(&self, earlier: Instant) -> Duration {
        earlier.elapsed()
    }
}

impl Entropy for Runtime<'_> {
    fn seed(&self) -> u64 {
        std_seed()
    }
}

impl BlockingSleeper for Runtime<'_> {
    fn sleep(&self, delay: Duration) {
        if self.deadline.refused() {
            return;
        }

        let until = Instant::now().checked_add(delay);
        let until = match (until, self.deadline.at()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.hub.sleep_until(until);
    }
}
