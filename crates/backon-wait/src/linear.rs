//! The linear strategy.

use core::time::Duration;

use backon_core::Wait;

/// Waits a delay that grows by a fixed step after each failed attempt.
///
/// The delay after attempt `n` is `start + step × (n − 1)`, saturating at
/// `Duration::MAX`.
///
/// # Examples
///
/// ```
/// use backon_core::Wait;
/// use backon_wait::Linear;
/// use std::time::Duration;
///
/// let wait = Linear::new(Duration::from_millis(100), Duration::from_millis(50));
/// let mut state = wait.start(0);
///
/// let delays: Vec<_> = (1..=3).map(|n| wait.next(&mut state, n)).collect();
/// assert_eq!(delays, [100, 150, 200].map(Duration::from_millis));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Linear {
    start: Duration,
    step: Duration,
}

impl Linear {
    /// Creates a strategy that waits `start` after the first failed attempt
    /// and `step` more after each one that follows.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon_core::Wait;
    /// use backon_wait::Linear;
    /// use std::time::Duration;
    ///
    /// let second = Duration::from_secs(1);
    /// let wait = Linear::new(second, second);
    /// let mut state = wait.start(0);
    ///
    /// assert_eq!(wait.next(&mut state, 3), second * 3);
    /// ```
    pub const fn new(start: Duration, step: Duration) -> Self {
        Self { start, step }
    }

    fn delay(&self, attempt: u32) -> Duration {
        let steps = attempt.saturating_sub(1);

        self.start.saturating_add(self.step.saturating_mul(steps))
    }
}

impl Wait for Linear {
    type State = ();

    fn start(&self, _seed: u64) {}

    fn uses_seed(&self) -> bool {
        false
    }

    fn next(&self, _state: &mut (), attempt: u32) -> Duration {
        self.delay(attempt)
    }

    /// Returns the delay after attempt `u32::MAX`, the largest there is.
    fn cap(&self) -> Duration {
        self.delay(u32::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{delays, ms};

    #[test]
    fn grows_by_step() {
        let wait = Linear::new(ms(10), ms(5));

        assert_eq!(delays(&wait, 0, 1..=5), [10, 15, 20, 25, 30].map(ms));
    }

    #[test]
    fn attempt_zero_counts_as_the_first() {
        assert_eq!(Linear::new(ms(10), ms(5)).next(&mut (), 0), ms(10));
    }

    #[test]
    fn zero_step_is_constant() {
        let wait = Linear::new(ms(10), Duration::ZERO);

        assert_eq!(delays(&wait, 0, [1, 2, 10_000, u32::MAX]), [ms(10); 4]);
        assert_eq!(wait.cap(), ms(10));
    }

    #[test]
    fn large_attempts_do_not_overflow() {
        let wait = Linear::new(ms(100), ms(100));

        assert_eq!(wait.next(&mut (), 10_000), Duration::from_secs(1000));
        assert_eq!(wait.next(&mut (), u32::MAX), ms(100) * u32::MAX);
        assert_eq!(wait.cap(), ms(100) * u32::MAX);
    }

    #[test]
    fn saturates_at_the_largest_duration() {
        let wait = Linear::new(Duration::MAX - ms(1), Duration::from_secs(1));

        assert_eq!(wait.next(&mut (), 1), Duration::MAX - ms(1));
        assert_eq!(wait.next(&mut (), 2), Duration::MAX);
        assert_eq!(wait.next(&mut (), u32::MAX), Duration::MAX);
        assert_eq!(wait.cap(), Duration::MAX);
    }
}
