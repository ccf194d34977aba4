//! The lines backon writes to stderr about failed runs.

use crate::child::{Failure, SignalName};
use crate::deadline::Deadline;
use crate::duration::{Exact, Rounded};
use backon_core::{Event, Listener, StopReason};
use std::cell::RefCell;
use std::io::Write;
use std::time::Duration;

/// What the last failure was, as far as the report needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Last {
    /// The run failed; how, in words.
    Run(String),
    /// `--timeout` expired.
    TimedOut,
    /// Backon got SIGINT or SIGTERM.
    Stopped(i32),
    /// Backon itself failed; the caller reports that, quiet or not.
    Broken,
    /// The line on giving up is written; what follows is the engine
    /// winding down.
    Over,
}

/// A listener that writes one line per failed run and one on giving up.
///
/// It comes after the [`Deadline`] among the listeners, so it knows
/// whether a retry just scheduled was refused for want of time.
#[derive(Debug)]
pub(crate) struct Reporter<'a, W> {
    out: RefCell<W>,
    quiet: bool,
    attempts: Option<u32>,
    deadline: &'a Deadline,
    last: RefCell<Option<Last>>,
}

impl<'a, W: Write> Reporter<'a, W> {
    /// Creates a reporter for a run of at most `attempts` (`None`: no
    /// limit) within `deadline`.
    pub(crate) fn new(out: W, quiet: bool, attempts: Option<u32>, deadline: &'a Deadline) -> Self {
        Reporter {
            out: RefCell::new(out),
            quiet,
            attempts,
            deadline,
            last: RefCell::new(None),
        }
    }

    fn failed(&self, failure: &Failure) {
        if *self.last.borrow() == Some(Last::Over) {
            return;
        }

        let last = match failure {
            Failure::Exit(_) | Failure::AttemptTimeout(_) => Last::Run(failure.to_string()),
            Failure::TimedOut => Last::TimedOut,
            Failure::Stopped { signal, .. } => Last::Stopped(*signal),
            Failure::Spawn(_) | Failure::Wait(_) => Last::Broken,
        };
        *self.last.borrow_mut() = Some(last);
    }

    fn retrying(&self, attempt: u32, delay: Duration) {
        let what = match self.last.borrow().as_ref() {
            Some(Last::Run(what)) => what.clone(),
            _ => "failed".to_owned(),
        };

        if self.deadline.refused() {
            *self.last.borrow_mut() = Some(Last::Over);
            return self.line(format_args!(
                "giving up after {attempt} {}: --timeout {} leaves no time for another ({what})",
                runs(attempt),
                self.timeout()
            ));
        }

        let of = self.attempts.map(|n| format!("/{n}")).unwrap_or_default();
        self.line(format_args!(
            "attempt {attempt}{of} failed ({what}); retrying in {}",
            Rounded(delay)
        ));
    }

    fn gave_up(&self, attempts: u32, reason: StopReason) {
        let Some(last) = self.last.borrow_mut().take() else {
            return;
        };
        let runs = runs(attempts);
        let timeout = self.timeout();

        match (last, reason) {
            (Last::Run(what), StopReason::NotRetryable) => self.line(format_args!(
                "giving up after {attempts} {runs}: {what} is not retried"
            )),
            (Last::Run(what), StopReason::TimeLimit) => self.line(format_args!(
                "giving up after {attempts} {runs}: --timeout {timeout} reached ({what})"
            )),
            (Last::Run(what), _) => {
                self.line(format_args!("giving up after {attempts} {runs} ({what})"))
            }
            (Last::TimedOut, _) => {
                self.line(format_args!("--timeout {timeout} expired; giving up"))
            }
            (Last::Stopped(signal), _) => {
                self.line(format_args!("got {}; not retrying", SignalName(signal)))
            }
            (Last::Broken | Last::Over, _) => {}
        }
    }

    fn timeout(&self) -> Exact {
        Exact(self.deadline.limit().unwrap_or_default())
    }

    fn line(&self, text: std::fmt::Arguments<'_>) {
        if self.quiet {
            return;
        }

        // A closed stderr is no reason to stop retrying.
        let mut out = self.out.borrow_mut();
        let _ = writeln!(out, "backon: {text}");
        let _ = out.flush();
    }
}

fn runs(attempts: u32) -> &'static str {
    if attempts == 1 { "attempt" } else { "attempts" }
}

impl<W: Write> Listener<Failure> for Reporter<'_, W> {
    fn on_event(&self, event: &Event<'_, Failure>) {
        match *event {
            Event::AttemptFailed {
                error: Some(failure),
                ..
            } => self.failed(failure),
            Event::RetryScheduled { attempt, delay } => self.retrying(attempt, delay),
            Event::GaveUp { attempts, reason } => self.gave_up(attempts, reason),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::child::Status;
    use std::time::Instant;

    fn no_limit() -> Deadline {
        Deadline::new(None, Instant::now())
    }

    fn report(reporter: &Reporter<'_, Vec<u8>>, events: &[Event<'_, Failure>]) -> String {
        for event in events {
            reporter.on_event(event);
        }
        String::from_utf8(reporter.out.borrow().clone()).unwrap()
    }

    fn failed(attempt: u32, failure: &Failure) -> Event<'_, Failure> {
        Event::AttemptFailed {
            attempt,
            error: Some(failure),
            elapsed: None,
        }
    }

    #[test]
    fn one_line_per_retry_and_one_on_giving_up() {
        let deadline = no_limit();
        let reporter = Reporter::new(Vec::new(), false, Some(5), &deadline);
        let exit = Failure::Exit(Status::Code(1));
        let text = report(
            &reporter,
            &[
                failed(1, &exit),
                Event::RetryScheduled {
                    attempt: 1,
                    delay: Duration::from_millis(212),
                },
                failed(2, &exit),
                Event::GaveUp {
                    attempts: 2,
                    reason: StopReason::Attempts,
                },
            ],
        );
        assert_eq!(
            text,
            "backon: attempt 1/5 failed (exit status 1); retrying in 212ms\n\
             backon: giving up after 2 attempts (exit status 1)\n"
        );
    }

    #[test]
    fn says_why_it_gave_up() {
        let deadline = Deadline::new(Some(Duration::from_secs(2)), Instant::now());
        let reporter = Reporter::new(Vec::new(), false, None, &deadline);
        let killed = Failure::Exit(Status::Signal(9));
        let slow = Failure::AttemptTimeout(Duration::from_millis(50));
        let text = report(
            &reporter,
            &[
                failed(1, &slow),
                Event::RetryScheduled {
                    attempt: 1,
                    delay: Duration::from_secs(1),
                },
                failed(2, &killed),
                Event::GaveUp {
                    attempts: 2,
                    reason: StopReason::NotRetryable,
                },
                failed(1, &Failure::TimedOut),
                Event::GaveUp {
                    attempts: 1,
                    reason: StopReason::NotRetryable,
                },
            ],
        );
        assert_eq!(
            text,
            "backon: attempt 1 failed (timed out after 50ms); retrying in 1s\n\
             backon: giving up after 2 attempts: killed by signal 9 (SIGKILL) is not retried\n\
             backon: --timeout 2s expired; giving up\n"
        );
    }

    #[test]
    fn rounds_delays_and_shows_limits_exactly() {
        let deadline = Deadline::new(Some(Duration::from_nanos(1500)), Instant::now());
        let reporter = Reporter::new(Vec::new(), false, Some(3), &deadline);
        let slow = Failure::AttemptTimeout(Duration::from_nanos(999));
        let text = report(
            &reporter,
            &[
                failed(1, &slow),
                Event::RetryScheduled {
                    attempt: 1,
                    delay: Duration::from_nanos(87_460_123),
                },
                failed(2, &Failure::TimedOut),
                Event::GaveUp {
                    attempts: 2,
                    reason: StopReason::NotRetryable,
                },
            ],
        );
        assert_eq!(
            text,
            "backon: attempt 1/3 failed (timed out after 999ns); retrying in 87.5ms\n\
             backon: --timeout 1.5us expired; giving up\n"
        );
    }

    #[test]
    fn a_retry_refused_for_time_gives_up_at_once_in_one_line() {
        let start = Instant::now();
        let ms = Duration::from_millis(1);
        let deadline = Deadline::new(Some(300 * ms), start);
        let reporter = Reporter::new(Vec::new(), false, Some(5), &deadline);
        let exit = Failure::Exit(Status::Code(1));

        let first = report(
            &reporter,
            &[
                failed(1, &exit),
                Event::RetryScheduled {
                    attempt: 1,
                    delay: 250 * ms,
                },
                failed(2, &exit),
            ],
        );
        // What the deadline, an earlier listener, decides on the next one.
        assert!(!deadline.admit(start + 254 * ms, 46 * ms));
        let text = report(
            &reporter,
            &[
                Event::RetryScheduled {
                    attempt: 2,
                    delay: 46 * ms,
                },
                Event::AttemptStarted { attempt: 3 },
                failed(3, &Failure::TimedOut),
                Event::GaveUp {
                    attempts: 3,
                    reason: StopReason::NotRetryable,
                },
            ],
        );

        assert_eq!(
            first,
            "backon: attempt 1/5 failed (exit status 1); retrying in 250ms\n"
        );
        assert_eq!(
            &text[first.len()..],
            "backon: giving up after 2 attempts: --timeout 300ms leaves no time for another \
             (exit status 1)\n"
        );
    }

    #[test]
    fn quiet_says_nothing() {
        let deadline = no_limit();
        let reporter = Reporter::new(Vec::new(), true, Some(2), &deadline);
        let exit = Failure::Exit(Status::Code(1));
        let done = Event::GaveUp {
            attempts: 1,
            reason: StopReason::Attempts,
        };
        assert_eq!(report(&reporter, &[failed(1, &exit), done]), "");
    }
}
