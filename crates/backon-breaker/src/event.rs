//! Events: what a breaker tells its listeners.

use crate::state::State;
use core::fmt;
use core::time::Duration;

/// One thing a breaker did.
///
/// Transitions come with their reason. "Opened" fires once per opening: a
/// failure that ends after the breaker opened belongs to the earlier state
/// and is dropped without an event.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum BreakerEvent {
    /// The breaker moved from one state to another.
    Transition {
        /// The state it left.
        from: State,
        /// The state it entered.
        to: State,
        /// Why.
        why: Why,
    },
    /// A call was rejected without running.
    Rejected {
        /// The state that rejected it.
        state: State,
        /// How long until a probe is admitted, when that is a matter of
        /// time.
        retry_in: Option<Duration>,
    },
    /// A half-open probe ended.
    Probe(ProbeOutcome),
}

/// Why a breaker changed state.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Why {
    /// This many failures in a row.
    ConsecutiveFailures {
        /// The failures counted.
        count: u32,
    },
    /// The failure ratio over a window reached its threshold.
    FailureRatio {
        /// Failures in the window.
        failures: u64,
        /// Calls in the window.
        calls: u64,
    },
    /// The slow-call ratio over a window reached its threshold.
    SlowCallRatio {
        /// Slow calls in the window.
        slow: u64,
        /// Calls in the window.
        calls: u64,
    },
    /// The open duration passed; the breaker admits probes.
    OpenElapsed,
    /// Enough probes succeeded.
    ProbesSucceeded {
        /// The successes counted.
        successes: u32,
    },
    /// A probe failed.
    ProbeFailed,
    /// A hand-made change: isolate, disable or reset.
    Manual,
}

/// How a half-open probe ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProbeOutcome {
    /// It succeeded.
    Success,
    /// It failed.
    Failure,
    /// The classifier ignored its outcome; its permit went back.
    Ignored,
    /// It was dropped, cancelled or panicked before its outcome was
    /// recorded; its permit went back and it counts neither way.
    Released,
}

/// Receives every [`BreakerEvent`] of a breaker.
///
/// Closures `Fn(&BreakerEvent)` are listeners. A listener runs on the
/// thread whose call caused the event, after the breaker's own update, and
/// never on the closed-state success path, which emits nothing.
///
/// # Examples
///
/// ```
/// use backon_breaker::{Breaker, BreakerEvent, State};
/// use std::sync::{Arc, Mutex};
///
/// let opened = Arc::new(Mutex::new(0));
/// let count = opened.clone();
/// let breaker = Breaker::builder()
///     .consecutive_failures(2)
///     .listen(move |event: &BreakerEvent| {
///         if let BreakerEvent::Transition { to: State::Open, .. } = event {
///             *count.lock().unwrap() += 1;
///         }
///     })
///     .build()?;
///
/// for _ in 0..2 {
///     let _ = breaker.call(|| Err::<(), _>(std::io::Error::other("down")));
/// }
/// assert_eq!(*opened.lock().unwrap(), 1);
/// # Ok::<(), backon_breaker::BuildError>(())
/// ```
pub trait BreakerListener: Send + Sync {
    /// Handles one event.
    fn on_event(&self, event: &BreakerEvent);
}

impl<F: Fn(&BreakerEvent) + Send + Sync> BreakerListener for F {
    fn on_event(&self, event: &BreakerEvent) {
        self(event)
    }
}

impl fmt::Display for ProbeOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            ProbeOutcome::Success => "success",
            ProbeOutcome::Failure => "failure",
            ProbeOutcome::Ignored => "ignored",
            ProbeOutcome::Released => "released",
        };
        f.write_str(text)
    }
}
