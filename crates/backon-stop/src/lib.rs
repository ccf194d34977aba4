#![doc = include_str!("../README.md")]
#![doc(test(attr(deny(warnings))))]

mod attempts;
mod error;
mod never;
mod time_limit;

pub use attempts::AfterAttempts;
pub use backon_core::{And, Or};
pub use error::StopError;
pub use never::Never;
pub use time_limit::TimeLimit;

use core::time::Duration;

/// Stops after `n` attempts in all, the first one included.
///
/// `after_attempts(1)` makes exactly one call and never retries.
///
/// # Errors
///
/// Returns [`StopError::ZeroAttempts`] when `n` is zero.
///
/// # Examples
///
/// ```
/// let stop = backon_stop::after_attempts(3)?;
/// assert_eq!(stop.attempts(), 3);
/// assert!(backon_stop::after_attempts(0).is_err());
/// # Ok::<(), backon_stop::StopError>(())
/// ```
pub fn after_attempts(n: u32) -> Result<AfterAttempts, StopError> {
    AfterAttempts::new(n)
}

/// Stops once `limit` has passed since the first attempt started.
///
/// # Errors
///
/// Returns [`StopError::ZeroTimeLimit`] when `limit` is zero.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
///
/// let stop = backon_stop::time_limit(Duration::from_secs(10))?;
/// assert_eq!(stop.limit(), Duration::from_secs(10));
/// # Ok::<(), backon_stop::StopError>(())
/// ```
pub fn time_limit(limit: Duration) -> Result<TimeLimit, StopError> {
    TimeLimit::new(limit)
}

/// Never stops: retries until the retry condition accepts an outcome.
pub const fn never() -> Never {
    Never
}
