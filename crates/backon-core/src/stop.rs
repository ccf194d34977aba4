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
}

impl<S: Stop + ?Sized> Stop for &S {
    fn check(&self, progress: &Progress) -> Verdict {
        (**self).check(progress)
    }

    fn uses_clock(&self) -> bool {
        (**self).uses_clock()
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
            StopReason::BudgetExhausted => "retry budget exhausted",
        };
        f.write_str(text)
    }
}
