//! An owned, comparable copy of a retry event.

use crate::text::{Time, attempts as plural};
use backon_core::{Event, StopReason};
use core::fmt;
use core::time::Duration;

/// An owned copy of one [`Event`], as a [`Recorder`](crate::Recorder) keeps
/// it: comparable, printable, and free of the borrowed error.
///
/// Every event of a retry has its variant, a guard's
/// [`Refused`](RecordedEvent::Refused) included, and so has every event of a
/// hedged group; [`Other`](RecordedEvent::Other) keeps an event added to
/// `Event` after this version of the kit.
///
/// The error becomes its `Debug` text, so any error type can be recorded
/// and compared. `Display` gives one line of a log, the form the recorder's
/// assertion messages print.
///
/// # Examples
///
/// ```
/// use backon::{Event, StopReason};
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
///
/// let refused: Event<'_, ()> = Event::Refused {
///     attempt: 3,
///     reason: StopReason::BreakerOpen,
///     wait: Some(Duration::from_secs(4)),
/// };
/// assert_eq!(
///     RecordedEvent::from(&refused).to_string(),
///     "attempt 3 refused: circuit breaker open, ask again in 4s",
/// );
///
/// let hedge = RecordedEvent::HedgeLaunched { index: 1, delay: Duration::from_millis(20) };
/// assert_eq!(hedge.to_string(), "hedged attempt 1 launched after 20ms");
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
    /// See [`Event::Refused`].
    Refused {
        /// The number the attempt would have had.
        attempt: u32,
        /// The reason the call gives up with if it does not wait.
        reason: StopReason,
        /// How long the call waits before asking the guard again; `None`
        /// when it gives up instead.
        wait: Option<Duration>,
    },
    /// See [`Event::AttemptEnded`]; it comes only when another listener
    /// [uses the clock](backon_core::Listener::uses_clock).
    AttemptEnded {
        /// The attempt's number.
        attempt: u32,
        /// How long the attempt ran.
        duration: Duration,
        /// Whether the outcome was accepted.
        accepted: bool,
    },
    /// See [`Event::HedgeLaunched`].
    HedgeLaunched {
        /// The attempt's index in its hedged group: 0 for the primary.
        index: u32,
        /// The hedge delay that ran out before this attempt started.
        delay: Duration,
    },
    /// See [`Event::HedgeFailed`].
    HedgeFailed {
        /// The attempt's index.
        index: u32,
        /// The error's `Debug` text, or `None` when an `Ok` value was
        /// rejected.
        error: Option<String>,
    },
    /// See [`Event::HedgeSkipped`].
    HedgeSkipped {
        /// The index the next attempt would have had.
        index: u32,
        /// Why no further attempt starts.
        reason: StopReason,
    },
    /// See [`Event::HedgeWon`].
    HedgeWon {
        /// The winning attempt's index.
        index: u32,
    },
    /// See [`Event::HedgesCancelled`].
    HedgesCancelled {
        /// How many running attempts were dropped.
        count: u32,
    },
    /// An event newer than this version of the kit, as its `Debug` text.
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
            Event::Refused {
                attempt,
                reason,
                wait,
            } => RecordedEvent::Refused {
                attempt,
                reason,
                wait,
            },
            Event::AttemptEnded {
                attempt,
                duration,
                accepted,
            } => RecordedEvent::AttemptEnded {
                attempt,
                duration,
                accepted,
            },
            Event::HedgeLaunched { index, delay } => RecordedEvent::HedgeLaunched { index, delay },
            Event::HedgeFailed { index, error } => RecordedEvent::HedgeFailed {
                index,
                error: error.map(|e| format!("{e:?}")),
            },
            Event::HedgeSkipped { index, reason } => RecordedEvent::HedgeSkipped { index, reason },
            Event::HedgeWon { index } => RecordedEvent::HedgeWon { index },
            Event::HedgesCancelled { count } => RecordedEvent::HedgesCancelled { count },
            // `Event` is `#[non_exhaustive]`: an event added after this
            // version still gets recorded, as text.
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
            RecordedEvent::Refused {
                attempt,
                reason,
                wait,
            } => {
                write!(f, "attempt {attempt} refused: {reason}")?;
                match wait {
                    Some(wait) => write!(f, ", ask again in {}", Time(*wait)),
                    None => Ok(()),
                }
            }
            RecordedEvent::AttemptEnded {
                attempt,
                duration,
                accepted,
            } => {
                let verdict = if *accepted {
                    "accepted"
                } else {
                    "not accepted"
                };
                write!(f, "attempt {attempt} ran {}, {verdict}", Time(*duration))
            }
            RecordedEvent::HedgeLaunched { index, delay } => {
                write!(f, "hedged attempt {index} launched")?;
                if !delay.is_zero() {
                    write!(f, " after {}", Time(*delay))?;
                }
                Ok(())
            }
            RecordedEvent::HedgeFailed { index, error } => match error {
                Some(error) => write!(f, "hedged attempt {index} failed: {error}"),
                None => write!(f, "hedged attempt {index} failed: Ok value rejected"),
            },
            RecordedEvent::HedgeSkipped { index, reason } => {
                write!(f, "hedged attempt {index} skipped: {reason}")
            }
            RecordedEvent::HedgeWon { index } => write!(f, "hedged attempt {index} won"),
            RecordedEvent::HedgesCancelled { count } => {
                write!(f, "cancelled {} still running", plural(*count))
            }
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
    fn guard_and_duration_events_have_a_line() {
        assert_eq!(
            line::<()>(Event::Refused {
                attempt: 3,
                reason: StopReason::BreakerOpen,
                wait: Some(Duration::from_secs(4)),
            }),
            "attempt 3 refused: circuit breaker open, ask again in 4s"
        );
        assert_eq!(
            line::<()>(Event::Refused {
                attempt: 1,
                reason: StopReason::BreakerOpen,
                wait: None,
            }),
            "attempt 1 refused: circuit breaker open"
        );
        assert_eq!(
            line::<()>(Event::AttemptEnded {
                attempt: 2,
                duration: Duration::from_millis(30),
                accepted: true,
            }),
            "attempt 2 ran 30ms, accepted"
        );
        assert_eq!(
            line::<()>(Event::AttemptEnded {
                attempt: 1,
                duration: Duration::ZERO,
                accepted: false,
            }),
            "attempt 1 ran 0s, not accepted"
        );
    }

    #[test]
    fn hedge_events_have_a_line() {
        let ms = Duration::from_millis;
        assert_eq!(
            line::<()>(Event::HedgeLaunched {
                index: 0,
                delay: Duration::ZERO,
            }),
            "hedged attempt 0 launched"
        );
        assert_eq!(
            line::<()>(Event::HedgeLaunched {
                index: 1,
                delay: ms(20),
            }),
            "hedged attempt 1 launched after 20ms"
        );
        assert_eq!(
            line(Event::HedgeFailed {
                index: 1,
                error: Some(&"reset"),
            }),
            r#"hedged attempt 1 failed: "reset""#
        );
        assert_eq!(
            line::<()>(Event::HedgeFailed {
                index: 0,
                error: None,
            }),
            "hedged attempt 0 failed: Ok value rejected"
        );
        assert_eq!(
            line::<()>(Event::HedgeSkipped {
                index: 2,
                reason: StopReason::BudgetExhausted,
            }),
            "hedged attempt 2 skipped: retry budget exhausted"
        );
        assert_eq!(
            line::<()>(Event::HedgeWon { index: 1 }),
            "hedged attempt 1 won"
        );
        assert_eq!(
            line::<()>(Event::HedgesCancelled { count: 1 }),
            "cancelled 1 attempt still running"
        );
        assert_eq!(
            line::<()>(Event::HedgesCancelled { count: 2 }),
            "cancelled 2 attempts still running"
        );
    }

    #[test]
    fn hedge_errors_keep_their_debug_text() {
        let event = RecordedEvent::from(&Event::HedgeFailed {
            index: 1,
            error: Some(&7),
        });
        assert_eq!(
            event,
            RecordedEvent::HedgeFailed {
                index: 1,
                error: Some("7".into()),
            }
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
