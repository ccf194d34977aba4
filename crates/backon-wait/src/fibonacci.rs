//! The Fibonacci strategy.

use core::time::Duration;

use backon_core::Wait;

use crate::nanos::from_nanos;

/// Waits a delay that follows the Fibonacci sequence.
///
/// The delay after attempt `n` is `base × F(n)`, where F runs 1, 1, 2, 3,
/// 5, 8 and so on, saturating at `Duration::MAX`. It grows more gently than
/// doubling: about 1.6 times per attempt.
///
/// # Examples
///
/// ```
/// use backon_core::Wait;
/// use backon_wait::Fibonacci;
/// use std::time::Duration;
///
/// let wait = Fibonacci::new(Duration::from_millis(10));
/// let mut state = wait.start(0);
///
/// let delays: Vec<_> = (1..=6).map(|n| wait.next(&mut state, n)).collect();
/// assert_eq!(delays, [10, 10, 20, 30, 50, 80].map(Duration::from_millis));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Fibonacci {
    base: Duration,
}

impl Fibonacci {
    /// Creates a strategy that waits `base` times the `n`-th Fibonacci number
    /// after attempt `n`.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon_core::Wait;
    /// use backon_wait::Fibonacci;
    /// use std::time::Duration;
    ///
    /// let wait = Fibonacci::new(Duration::from_millis(100));
    /// let mut state = wait.start(0);
    ///
    /// assert_eq!(wait.next(&mut state, 7), Duration::from_millis(1300));
    /// ```
    pub const fn new(base: Duration) -> Self {
        Self { base }
    }

    fn delay(&self, attempt: u32) -> Duration {
        if self.base.is_zero() {
            return Duration::ZERO;
        }

        let limit = Duration::MAX.as_nanos();
        let (mut previous, mut current) = (0_u128, 1_u128);
        for _ in 1..attempt {
            (previous, current) = (current, previous + current);

            // The base is at least a nanosecond, so from here on every delay
            // saturates; stopping keeps attempt u32::MAX to ~140 steps.
            if current > limit {
                return Duration::MAX;
            }
        }

        current
            .checked_mul(self.base.as_nanos())
            .map_or(Duration::MAX, from_nanos)
    }
}

impl Wait for Fibonacci {
    type State = ();

    fn start(&self, _seed: u64) {}

    fn uses_seed(&self) -> bool {
        false
    }

    fn next(&self, _state: &mut (), attempt: u32) -> Duration {
        self.delay(attempt)
    }

    /// Returns `Duration::MAX`, which every non-zero base reaches, or zero
    /// for a zero base.
    fn cap(&self) -> Duration {
        if self.base.is_zero() {
            return Duration::ZERO;
        }

        Duration::MAX
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::delays;

    #[test]
    fn follows_the_sequence() {
        let wait = Fibonacci::new(Duration::from_nanos(1));

        let expected = [1, 1, 2, 3, 5, 8, 13, 21, 34, 55].map(Duration::from_nanos);
        assert_eq!(delays(&wait, 0, 1..=10), expected);
        assert_eq!(wait.next(&mut (), 0), Duration::from_nanos(1));
    }

    #[test]
    fn scales_by_base() {
        let wait = Fibonacci::new(Duration::from_millis(100));

        assert_eq!(
            delays(&wait, 0, [7, 20]),
            [1300, 676_500].map(Duration::from_millis)
        );
    }

    #[test]
    fn reaches_the_largest_representable_multiplier() {
        // F(93) is the largest Fibonacci number below 2^64.
        let wait = Fibonacci::new(Duration::from_nanos(1));

        assert_eq!(
            wait.next(&mut (), 93),
            Duration::from_nanos(12_200_160_415_121_876_738)
        );
    }

    #[test]
    fn saturates_at_large_attempts() {
        for base in [
            Duration::from_nanos(1),
            Duration::from_millis(100),
            Duration::MAX,
        ] {
            let wait = Fibonacci::new(base);

            assert_eq!(
                delays(&wait, 0, [10_000, u32::MAX]),
                [Duration::MAX; 2],
                "{base:?}"
            );
            assert_eq!(wait.cap(), Duration::MAX);
        }
    }

    #[test]
    fn huge_base_saturates_on_the_third_attempt() {
        let wait = Fibonacci::new(Duration::MAX);

        assert_eq!(delays(&wait, 0, 1..=3), [Duration::MAX; 3]);
    }

    #[test]
    fn zero_base_stays_zero() {
        let wait = Fibonacci::new(Duration::ZERO);

        assert_eq!(delays(&wait, 0, [1, u32::MAX]), [Duration::ZERO; 2]);
        assert_eq!(wait.cap(), Duration::ZERO);
    }
}
