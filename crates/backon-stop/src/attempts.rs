use crate::StopError;
use backon_core::{Progress, Stop, StopReason, Verdict, impl_combinators};
use core::num::NonZeroU32;

/// Stops after a number of attempts, the first one included; see
/// [`after_attempts`](crate::after_attempts).
///
/// # Examples
///
/// ```
/// use backon_core::{Progress, Stop, StopReason, Verdict};
/// use backon_stop::AfterAttempts;
/// use std::time::Duration;
///
/// let stop = AfterAttempts::new(2)?;
/// let after = |attempts| stop.check(&Progress::new(attempts, Duration::ZERO));
///
/// assert_eq!(after(1), Verdict::CONTINUE);
/// assert_eq!(after(2), Verdict::Stop(StopReason::Attempts));
/// # Ok::<(), backon_stop::StopError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AfterAttempts(NonZeroU32);

impl AfterAttempts {
    /// Creates the condition.
    ///
    /// # Errors
    ///
    /// Returns [`StopError::ZeroAttempts`] when `n` is zero.
    pub const fn new(n: u32) -> Result<Self, StopError> {
        match NonZeroU32::new(n) {
            Some(n) => Ok(AfterAttempts(n)),
            None => Err(StopError::ZeroAttempts),
        }
    }

    /// The number of attempts allowed.
    pub const fn attempts(&self) -> u32 {
        self.0.get()
    }
}

/// Five attempts: the first call and four retries.
impl Default for AfterAttempts {
    fn default() -> Self {
        AfterAttempts(NonZeroU32::new(5).expect("5 is not zero"))
    }
}

impl Stop for AfterAttempts {
    fn check(&self, progress: &Progress) -> Verdict {
        if progress.attempts >= self.0.get() {
            Verdict::Stop(StopReason::Attempts)
        } else {
            Verdict::CONTINUE
        }
    }
}

impl_combinators!(AfterAttempts);

#[cfg(test)]
mod tests {
    use super::*;
    use core::time::Duration;

    fn at(attempts: u32) -> Progress {
        Progress::new(attempts, Duration::ZERO)
    }

    #[test]
    fn counts_calls_not_retries() {
        let once = AfterAttempts::new(1).unwrap();
        assert_eq!(once.check(&at(1)), Verdict::Stop(StopReason::Attempts));

        let three = AfterAttempts::new(3).unwrap();
        assert_eq!(three.check(&at(2)), Verdict::CONTINUE);
        assert_eq!(three.check(&at(3)), Verdict::Stop(StopReason::Attempts));
    }

    #[test]
    fn zero_is_refused() {
        assert_eq!(AfterAttempts::new(0), Err(StopError::ZeroAttempts));
    }

    #[test]
    fn does_not_read_the_clock() {
        assert!(!AfterAttempts::default().uses_clock());
    }
}
