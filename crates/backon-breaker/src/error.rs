//! The rejection error and the errors of invalid settings.

use crate::builder::Window;
use crate::state::State;
use core::fmt;
use core::time::Duration;

/// A call the breaker rejected without running it.
///
/// It says which state rejected it and when the breaker will admit a probe.
/// A call's own error type opts into carrying it with
/// `impl From<BreakerOpen> for MyError`; `Box<dyn Error>` and
/// [`std::io::Error`] already do.
///
/// # Examples
///
/// ```
/// use backon_breaker::{Breaker, State};
///
/// let breaker = Breaker::builder().consecutive_failures(1).build()?;
/// let _ = breaker.call(|| Err::<(), _>(std::io::Error::other("down")));
///
/// let err = breaker.permit().unwrap_err();
/// assert_eq!(err.state(), State::Open);
/// assert!(err.retry_in().is_some());
/// assert!(err.to_string().starts_with("circuit breaker open; a probe is admitted in"));
/// # Ok::<(), backon_breaker::BuildError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BreakerOpen {
    state: State,
    retry_in: Option<Duration>,
}

impl BreakerOpen {
    pub(crate) const fn new(state: State, retry_in: Option<Duration>) -> Self {
        BreakerOpen { state, retry_in }
    }

    /// The state that rejected the call: [`State::Open`],
    /// [`State::HalfOpen`] (every probe is in flight) or
    /// [`State::Isolated`].
    pub const fn state(&self) -> State {
        self.state
    }

    /// How long until the breaker admits a probe; `None` when that is not
    /// a matter of time: while half-open, a probe is admitted as soon as
    /// one in flight finishes, and an isolated breaker waits for a reset.
    pub const fn retry_in(&self) -> Option<Duration> {
        self.retry_in
    }
}

impl fmt::Display for BreakerOpen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.state, self.retry_in) {
            (State::HalfOpen, _) => {
                f.write_str("circuit breaker half-open; every probe is in flight")
            }
            (State::Isolated, _) => f.write_str("circuit breaker isolated until reset"),
            (_, Some(wait)) => {
                write!(f, "circuit breaker open; a probe is admitted in {wait:?}")
            }
            (_, None) => f.write_str("circuit breaker open"),
        }
    }
}

impl std::error::Error for BreakerOpen {}

impl From<BreakerOpen> for std::io::Error {
    fn from(open: BreakerOpen) -> Self {
        std::io::Error::other(open)
    }
}

/// A breaker setting that cannot work, refused when the breaker is built.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum BuildError {
    /// A rule's ratio is not in `(0, 1]`: zero would trip with no failure
    /// at all, and more than one can never be reached.
    InvalidRatio {
        /// The rule, as its builder method is named: `"failure_ratio"` or
        /// `"slow_call_ratio"`.
        setting: &'static str,
        /// The ratio given.
        ratio: f64,
    },
    /// A rule's window of zero calls or of zero time.
    ZeroWindow {
        /// The rule, as its builder method is named: `"failure_ratio"` or
        /// `"slow_call_ratio"`.
        setting: &'static str,
    },
    /// A rule's time window that its buckets do not fit: zero buckets,
    /// buckets shorter than a nanosecond, or more than
    /// [`Window::MAX_BUCKETS`] of them.
    InvalidBuckets {
        /// The rule, as its builder method is named: `"failure_ratio"` or
        /// `"slow_call_ratio"`.
        setting: &'static str,
        /// The window's length.
        length: Duration,
        /// The number of buckets.
        buckets: u32,
        /// Whether the number is the default of [`Window::time`] rather
        /// than one given to [`Window::time_in_buckets`].
        default: bool,
    },
    /// A minimum number of calls larger than the count window it applies
    /// to: the ratio could never be evaluated.
    MinimumAboveWindow {
        /// The rule whose count window is too small: `"failure_ratio"` or
        /// `"slow_call_ratio"`.
        setting: &'static str,
        /// The minimum number of calls.
        minimum: u32,
        /// The window's size in calls.
        window: u32,
    },
    /// Zero consecutive failures: the breaker would trip on nothing.
    ZeroConsecutiveFailures,
    /// Zero half-open probes: the breaker could never close again.
    ZeroProbes,
    /// Zero successes to close: a probe would close the breaker before it
    /// ends.
    ZeroSuccesses,
    /// More probes, or successes to close, than the breaker counts, or a
    /// count window larger than it keeps.
    TooLarge {
        /// The setting.
        setting: &'static str,
        /// The largest value it takes.
        max: u32,
    },
    /// A keyed set bounded to zero keys.
    ZeroKeys,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::InvalidRatio { setting, ratio } => {
                write!(f, "{setting}: ratio {ratio} is not in (0, 1]")
            }
            BuildError::ZeroWindow { setting } => write!(
                f,
                "{setting}: a window of zero calls or zero time holds no outcome; use at least one call or a nonzero length"
            ),
            BuildError::InvalidBuckets {
                setting,
                length,
                buckets,
                default,
            } => buckets_message(f, setting, *length, *buckets, *default),
            BuildError::MinimumAboveWindow {
                setting,
                minimum,
                window,
            } => write!(
                f,
                "minimum_calls({minimum}) exceeds the {window} calls of {setting}'s window, so its ratio could never be evaluated"
            ),
            BuildError::ZeroConsecutiveFailures => f.write_str("zero consecutive failures"),
            BuildError::ZeroProbes => f.write_str("zero half-open probes"),
            BuildError::ZeroSuccesses => f.write_str("zero successes to close"),
            BuildError::TooLarge { setting, max } => {
                write!(f, "{setting} above the largest supported value, {max}")
            }
            BuildError::ZeroKeys => f.write_str("keyed breakers bounded to zero keys"),
        }
    }
}

/// Says why a time window's buckets do not fit it, and how to fix it.
fn buckets_message(
    f: &mut fmt::Formatter<'_>,
    setting: &str,
    length: Duration,
    buckets: u32,
    default: bool,
) -> fmt::Result {
    let max = Window::MAX_BUCKETS;
    let needed = Duration::from_nanos(u64::from(buckets));

    if default {
        return write!(
            f,
            "{setting}: Window::time({length:?}) is split into {buckets} buckets by \
             default, and a bucket lasts at least 1ns; use a window of at least \
             {needed:?}, or fewer buckets with Window::time_in_buckets"
        );
    }

    write!(
        f,
        "{setting}: Window::time_in_buckets({length:?}, {buckets}) "
    )?;
    if buckets == 0 {
        f.write_str("has no bucket; use at least 1")
    } else if buckets > max {
        write!(f, "has more than {max} buckets; use at most {max}")
    } else {
        let fewer = match length.as_nanos() {
            1 => "1 bucket".to_owned(),
            n => format!("at most {n} buckets"),
        };
        write!(
            f,
            "makes buckets shorter than 1ns; use a window of at least {needed:?}, \
             or {fewer}"
        )
    }
}

impl std::error::Error for BuildError {}
