use crate::StopError;
use backon_core::{Progress, Stop, StopReason, Verdict, impl_combinators};
use core::time::Duration;

/// Stops once a time limit has passed since the first attempt started; see
/// [`time_limit`](crate::time_limit).
///
/// Elapsed time is read on the runtime's clock after each attempt ends, so
/// a slow attempt counts against the limit.
///
/// No sleep ever ends past the limit: when the next delay would cross it,
/// the sleep is shortened so that one last attempt starts exactly at the
/// limit. If that attempt fails too, the call gives up with
/// [`StopReason::TimeLimit`]. This spends the whole budget the caller
/// granted instead of giving up early with time left.
///
/// The limit does not interrupt an attempt that is running; bound each
/// attempt with a timeout of its own for that.
///
/// # Examples
///
/// ```
/// use backon_core::{Progress, Stop, StopReason, Verdict};
/// use backon_stop::TimeLimit;
/// use std::time::Duration;
///
/// let stop = TimeLimit::new(Duration::from_secs(10))?;
/// let at = |secs| stop.check(&Progress::new(1, Duration::from_secs(secs)));
///
/// // Before the limit: retry, but start no attempt after 10 s.
/// assert_eq!(at(3), Verdict::Continue { deadline: Some(Duration::from_secs(10)) });
/// assert_eq!(at(10), Verdict::Stop(StopReason::TimeLimit));
/// # Ok::<(), backon_stop::StopError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimeLimit(Duration);

impl TimeLimit {
    /// Creates the condition.
    ///
    /// # Errors
    ///
    /// Returns [`StopError::ZeroTimeLimit`] when `limit` is zero.
    pub const fn new(limit: Duration) -> Result<Self, StopError> {
        if limit.is_zero() {
            Err(StopError::ZeroTimeLimit)
        } else {
            Ok(TimeLimit(limit))
        }
    }

    /// The limit.
    pub const fn limit(&self) -> Duration {
        self.0
    }
}

impl Stop for TimeLimit {
    fn check(&self, progress: &Progress) -> Verdict {
        if progress.elapsed >= self.0 {
            Verdict::Stop(StopReason::TimeLimit)
        } else {
            Verdict::Continue {
                deadline: Some(self.0),
            }
        }
    }

    fn uses_clock(&self) -> bool {
        true
    }
}

impl_combinators!(TimeLimit);

#[cfg(test)]
mod tests {
    use super::*;

    fn after(ms: u64) -> Progress {
        Progress::new(1, Duration::from_millis(ms))
    }

    #[test]
    fn continues_with_its_deadline_before_the_limit() {
        let limit = TimeLimit::new(Duration::from_secs(1)).unwrap();
        assert_eq!(
            limit.check(&after(999)),
            Verdict::Continue {
                deadline: Some(Duration::from_secs(1))
            }
        );
    }

    #[test]
    fn stops_at_the_limit() {
        let limit = TimeLimit::new(Duration::from_secs(1)).unwrap();
        assert_eq!(
            limit.check(&after(1000)),
            Verdict::Stop(StopReason::TimeLimit)
        );
    }

    #[test]
    fn zero_is_refused() {
        assert_eq!(
            TimeLimit::new(Duration::ZERO),
            Err(StopError::ZeroTimeLimit)
        );
    }
}
