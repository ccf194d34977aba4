//! The stop condition trait and the reasons a call gives up.

use core::fmt;
use core::time::Duration;

/// Where a call stands after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Attempts made so far, counting the one that just failed.
    pub attempts: u32,
    /// Time since the first attempt started, read after the last attempt
    /// ended; zero unless some part of the policy asked for the clock.
    pub elapsed: Duration,
}

impl Progress {
    /// Creates a progress value, for testing stop conditions.
    pub const fn new(attempts: u32, elapsed: Duration) -> Self {
        Self { attempts, elapsed }
    }
}

/// What a stop condition says after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Retry. With a deadline, the next attempt must start no later than
    /// that elapsed time, so the engine shortens the sleep to reach it.
    Continue {
        /// The latest elapsed time at which the next attempt may start.
        deadline: Option<Duration>,
    },
    /// Give up for this reason.
    Stop(StopReason),
}

impl Verdict {
    /// Retry with no deadline.
    pub const CONTINUE: Self = Verdict::Continue { deadline: None };
}

/// Decides when a call gives up.
///
/// The conditions themselves live in `backon-stop`.
pub trait Stop {
    /// Returns whether to retry after a failed attempt.
    fn check(&self, progress: &Progress) -> Verdict;

    /// Returns whether [`check`](Stop::check) reads
    /// [`Progress::elapsed`]; when nothing does, the engine never reads the
    /// clock.
    fn uses_clock(&self) -> bool {
        false
    }

    /// Returns the latest elapsed time at which an attempt may start, when
    /// this condition has one: a time limit's.
    ///
    /// The engine waits out a guard's refusal only up to it. Unlike
    /// [`check`](Stop::check), which may spend a budget, it must change
    /// nothing.
    fn deadline(&self) -> Option<Duration> {
        None
    }

    /// Like [`check`](Stop::check), but changes nothing: a condition that
    /// spends something (a retry budget) answers as if it had enough.
    ///
    /// Previews and dry runs use it, so that looking at a policy never
    /// takes retries away from real calls.
    fn check_dry(&self, progress: &Progress) -> Verdict {
        self.check(progress)
    }
}

impl<S: Stop + ?Sized> Stop for &S {
    fn check(&self, progress: &Progress) -> Verdict {
        (**self).check(progress)
    }

    fn uses_clock(&self) -> bool {
        (**self).uses_clock()
    }

    fn deadline(&self) -> Option<Duration> {
        (**self).deadline()
    }

    fn check_dry(&self, progress: &Progress) -> Verdict {
        (**self).check_dry(progress)
    }
}

/// Why a call stopped retrying.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StopReason {
    /// The attempt limit was reached.
    Attempts,
    /// The time limit was reached.
    TimeLimit,
    /// The retry condition said the outcome is not worth retrying.
    NotRetryable,
    /// The policy's guard, a circuit breaker, refused the next attempt and
    /// would not admit one before the time limit.
    BreakerOpen,
    /// The retry budget the policy draws on has nothing left; see
    /// [`Policy::budget`](crate::Policy::budget).
    BudgetExhausted,
}

impl StopReason {
    /// A short, stable, lowercase name, fit for a metric label.
    pub const fn as_str(self) -> &'static str {
        match self {
            StopReason::Attempts => "attempts",
            StopReason::TimeLimit => "time_limit",
            StopReason::NotRetryable => "not_retryable",
            StopReason::BreakerOpen => "breaker_open",
            StopReason::BudgetExhausted => "budget_exhausted",
        }
    }
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            StopReason::Attempts => "attempt limit reached",
            StopReason::TimeLimit => "time limit reached",
            StopReason::NotRetryable => "outcome not retryable",
            StopReason::BreakerOpen => "circuit breaker open",
            StopReason::BudgetExhausted => "retry budget exhausted",
        };
        f.write_str(text)
    }
}
