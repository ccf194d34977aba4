//! An owned, comparable copy of a retry event.

use crate::text::{Time, attempts as plural};
use backon_core::{Event, StopReason};
use core::fmt;
use core::time::Duration;

/// An owned copy of one [`Event`], as a [`Recorder`](crate::Recorder) keeps
/// it: comparable, printable, and free of the borrowed error.
///
/// The error becomes its `Debug` text, so any error type can be recorded
/// and compared. `Display` gives one line of a log, the form the recorder's
/// assertion messages print.
///
/// # Examples
///
/// ```
/// use backon::Event;
/// use backon::testing::RecordedEvent;
/// use std::time::Duration;
///
/// let event = RecordedEvent::from(&Event::AttemptFailed {
///     attempt: 1,
///     error: Some(&"down"),
///     elapsed: None,
/// });
///
/// assert_eq!(
///     event,
///     RecordedEvent::AttemptFailed { attempt: 1, error: Some(r#""down""#.into()), elapsed: None },
/// );
/// assert_eq!(event.to_string(), r#"attempt 1 failed: "down""#);
///
/// let retry = RecordedEvent::RetryScheduled { attempt: 1, delay: Duration::from_millis(250) };
/// assert_eq!(retry.to_string(), "sleep 250ms, then attempt 2");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RecordedEvent {
    /// See [`Event::AttemptStarted`].
    AttemptStarted {
        /// The attempt's number, from 1.
        attempt: u32,
    },
    /// See [`Event::AttemptFailed`].
    AttemptFailed {
        /// The attempt's number.
        attempt: u32,
        /// The error's `Debug` text, or `None` when an `Ok` value was
        /// rejected.
        error: Option<String>,
        /// Time since the call started, when the policy reads the clock.
        elapsed: Option<Duration>,
    },
    /// See [`Event::RetryScheduled`].
    RetryScheduled {
        /// The number of the attempt that failed.
        attempt: u32,
        /// How long the call sleeps before the next attempt.
        delay: Duration,
    },
    /// See [`Event::GaveUp`].
    GaveUp {
        /// Attempts made.
        attempts: u32,
        /// Why it stopped.
        reason: StopReason,
    },
    /// See [`Event::Succeeded`].
    Succeeded {
        /// Attempts made, this one included.
        attempts: u32,
    },
    /// An event this version of the kit has no variant for, as its `Debug`
    /// text.
    Other(String),
}

impl<E: fmt::Debug> From<&Event<'_, E>> for RecordedEvent {
    fn from(event: &Event<'_, E>) -> Self {
        match *event {
            Event::AttemptStarted { attempt } => RecordedEvent::AttemptStarted { attempt },
            Event::AttemptFailed {
                attempt,
                error,
                elapsed,
            } => RecordedEvent::AttemptFailed {
                attempt,
                error: error.map(|e| format!("{e:?}")),
                elapsed,
            },
            Event::RetryScheduled { attempt, delay } => {
                RecordedEvent::RetryScheduled { attempt, delay }
            }
            Event::GaveUp { attempts, reason } => RecordedEvent::GaveUp { attempts, reason },
            Event::Succeeded { attempts } => RecordedEvent::Succeeded { attempts },
            ref other => RecordedEvent::Other(format!("{other:?}")),
        }
    }
}

impl fmt::Display for RecordedEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordedEvent::AttemptStarted { attempt } => write!(f, "attempt {attempt} started"),
            RecordedEvent::AttemptFailed {
                attempt,
                error,
                elapsed,
            } => {
                write!(f, "attempt {attempt} failed")?;
                if let Some(elapsed) = elapsed {
                    write!(f, " at {}", Time(*elapsed))?;
                }
                match error {
                    Some(error) => write!(f, ": {error}"),
                    None => f.write_str(": Ok value rejected"),
                }
            }
            RecordedEvent::RetryScheduled { attempt, delay } => {
                let next = attempt.saturating_add(1);
                write!(f, "sleep {}, then attempt {next}", Time(*delay))
            }
            RecordedEvent::GaveUp { attempts, reason } => {
                write!(f, "gave up after {}: {reason}", plural(*attempts))
            }
            RecordedEvent::Succeeded { attempts } => write!(f, "succeeded on attempt {attempts}"),
            RecordedEvent::Other(text) => write!(f, "other event: {text}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line<E: fmt::Debug>(event: Event<'_, E>) -> String {
        RecordedEvent::from(&event).to_string()
    }

    #[test]
    fn every_event_has_a_line() {
        let secs = Duration::from_secs;
        assert_eq!(
            line::<()>(Event::AttemptStarted { attempt: 2 }),
            "attempt 2 started"
        );
        assert_eq!(
            line(Event::AttemptFailed {
                attempt: 2,
                error: Some(&7),
                elapsed: Some(secs(3)),
            }),
            "attempt 2 failed at 3s: 7"
        );
        assert_eq!(
            line::<()>(Event::AttemptFailed {
                attempt: 1,
                error: None,
                elapsed: None,
            }),
            "attempt 1 failed: Ok value rejected"
        );
        assert_eq!(
            line::<()>(Event::RetryScheduled {
                attempt: 1,
                delay: Duration::ZERO,
            }),
            "sleep 0s, then attempt 2"
        );
        assert_eq!(
            line::<()>(Event::GaveUp {
                attempts: 1,
                reason: StopReason::NotRetryable,
            }),
            "gave up after 1 attempt: outcome not retryable"
        );
        assert_eq!(
            line::<()>(Event::GaveUp {
                attempts: 4,
                reason: StopReason::TimeLimit,
            }),
            "gave up after 4 attempts: time limit reached"
        );
        assert_eq!(
            line::<()>(Event::Succeeded { attempts: 1 }),
            "succeeded on attempt 1"
        );
    }

    #[test]
    fn errors_keep_their_debug_text() {
        #[derive(Debug)]
        struct Timeout {
            #[allow(dead_code)]
            after_ms: u32,
        }

        let event = RecordedEvent::from(&Event::AttemptFailed {
            attempt: 1,
            error: Some(&Timeout { after_ms: 500 }),
            elapsed: None,
        });
        assert_eq!(
            event,
            RecordedEvent::AttemptFailed {
                attempt: 1,
                error: Some("Timeout { after_ms: 500 }".into()),
                elapsed: None,
            }
        );
    }
}
