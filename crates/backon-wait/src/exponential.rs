//! The exponential strategy.

use core::cmp;
use core::time::Duration;

use backon_core::Wait;

use crate::WaitError;
use crate::nanos::{from_nanos, from_nanos_f64};

/// Waits a delay that is multiplied by a constant factor after each failed
/// attempt.
///
/// The delay after attempt `n` is `base × factor^(n − 1)`, saturating at
/// `Duration::MAX`. Bound it with [`max`](crate::WaitExt::max).
///
/// # Defaults
///
/// - `factor`: 2, so a base of 50 ms gives 50, 100, 200, 400 ms and so on.
///
/// # Examples
///
/// ```
/// use backon_core::Wait;
/// use backon_wait::Exponential;
/// use std::time::Duration;
///
/// let wait = Exponential::new(Duration::from_millis(50));
/// let mut state = wait.start(0);
///
/// let delays: Vec<_> = (1..=4).map(|n| wait.next(&mut state, n)).collect();
/// assert_eq!(delays, [50, 100, 200, 400].map(Duration::from_millis));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Exponential {
    base: Duration,
    factor: f64,
}

impl Exponential {
    /// Creates a strategy that starts at `base` and doubles after each failed
    /// attempt.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon_core::Wait;
    /// use backon_wait::{Exponential, WaitExt};
    /// use std::time::Duration;
    ///
    /// let cap = Duration::from_secs(30);
    /// let wait = Exponential::new(Duration::from_millis(100)).max(cap);
    /// let mut state = wait.start(0);
    ///
    /// assert_eq!(wait.next(&mut state, 20), cap);
    /// ```
    pub const fn new(base: Duration) -> Self {
        Self { base, factor: 2.0 }
    }

    /// Creates a strategy that starts at `base` and is multiplied by `factor`
    /// after each failed attempt.
    ///
    /// A factor of 1 waits `base` every time. Whole factors are computed
    /// exactly in integers; fractional ones in floating point, which rounds
    /// delays past about 104 days (2^53 nanoseconds) to the nearest
    /// representable value.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon_core::Wait;
    /// use backon_wait::Exponential;
    /// use std::time::Duration;
    ///
    /// let wait = Exponential::with_factor(Duration::from_millis(100), 1.5)?;
    /// let mut state = wait.start(0);
    ///
    /// let delays: Vec<_> = (1..=3).map(|n| wait.next(&mut state, n)).collect();
    /// assert_eq!(delays, [100, 150, 225].map(Duration::from_millis));
    /// # Ok::<(), backon_wait::WaitError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Returns [`WaitError::InvalidFactor`] if `factor` is below 1, NaN or
    /// infinite.
    pub fn with_factor(base: Duration, factor: f64) -> Result<Self, WaitError> {
        if !(factor.is_finite() && factor >= 1.0) {
            return Err(WaitError::InvalidFactor { factor });
        }

        Ok(Self { base, factor })
    }

    fn delay(&self, attempt: u32) -> Duration {
        let exponent = attempt.saturating_sub(1);
        if exponent == 0 || self.base.is_zero() || self.factor == 1.0 {
            return self.base;
        }

        // A whole factor up to 2^64 fits in u128, where checked arithmetic is
        // exact and `checked_pow` stops at the first overflow.
        if self.factor.fract() == 0.0 && self.factor <= u64::MAX as f64 {
            let multiplier = (self.factor as u128).checked_pow(exponent);
            let nanos = multiplier.and_then(|m| m.checked_mul(self.base.as_nanos()));
            return nanos.map_or(Duration::MAX, from_nanos);
        }

        // `powf` goes to infinity rather than wrapping, and the conversion
        // saturates it. A base past 2^53 ns can round down on its way through
        // f64, so the result is held at or above the base: delays never shrink.
        let multiplier = self.factor.powf(f64::from(exponent));
        let scaled = from_nanos_f64(self.base.as_nanos() as f64 * multiplier);
        cmp::max(scaled, self.base)
    }
}

impl Wait for Exponential {
    type State = ();

    fn start(&self, _seed: u64) {}

    fn uses_seed(&self) -> bool {
        false
    }

    fn next(&self, _state: &mut (), attempt: u32) -> Duration {
        self.delay(attempt)
    }

    /// Returns `base` when the delay never grows (a zero base or a factor of
    /// 1), and `Duration::MAX` otherwise.
    fn cap(&self) -> Duration {
        if self.base.is_zero() || self.factor == 1.0 {
            return self.base;
        }

        Duration::MAX
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{delays, ms};

    #[test]
    fn doubles_by_default() {
        let wait = Exponential::new(ms(50));

        assert_eq!(delays(&wait, 0, 1..=5), [50, 100, 200, 400, 800].map(ms));
        assert_eq!(wait.next(&mut (), 0), ms(50));
    }

    #[test]
    fn uses_a_whole_factor_exactly() {
        let wait = Exponential::with_factor(Duration::from_nanos(7), 3.0).unwrap();

        assert_eq!(
            delays(&wait, 0, 1..=4),
            [7, 21, 63, 189].map(Duration::from_nanos)
        );
    }

    #[test]
    fn uses_a_fractional_factor() {
        let wait = Exponential::with_factor(ms(100), 1.5).unwrap();

        let expected = [100_000, 150_000, 225_000, 337_500].map(Duration::from_micros);
        assert_eq!(delays(&wait, 0, 1..=4), expected);
    }

    #[test]
    fn factor_one_is_constant() {
        let wait = Exponential::with_factor(ms(100), 1.0).unwrap();

        assert_eq!(delays(&wait, 0, [1, 2, 10_000, u32::MAX]), [ms(100); 4]);
        assert_eq!(wait.cap(), ms(100));
    }

    #[test]
    fn zero_base_stays_zero() {
        let wait = Exponential::with_factor(Duration::ZERO, 1e9).unwrap();

        assert_eq!(delays(&wait, 0, [1, 2, u32::MAX]), [Duration::ZERO; 3]);
        assert_eq!(wait.cap(), Duration::ZERO);
    }

    #[test]
    fn refuses_invalid_factors() {
        for factor in [0.999, 0.0, -2.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let err = Exponential::with_factor(ms(1), factor).unwrap_err();
            assert!(
                matches!(err, WaitError::InvalidFactor { .. }),
                "{factor}: {err:?}"
            );
        }
    }

    #[test]
    fn saturates_at_large_attempts() {
        let wait = Exponential::new(ms(100));

        assert_eq!(wait.next(&mut (), 10_000), Duration::MAX);
        assert_eq!(wait.next(&mut (), u32::MAX), Duration::MAX);
        assert_eq!(wait.cap(), Duration::MAX);
    }

    #[test]
    fn saturates_with_huge_factors() {
        let whole = Exponential::with_factor(ms(100), 1e9).unwrap();
        let fractional = Exponential::with_factor(ms(100), 1e9 + 0.5).unwrap();
        let beyond_u64 = Exponential::with_factor(ms(100), 1e300).unwrap();

        // 100 ms × 1e9^3 is 1e26 s, past the largest duration of ~1.8e19 s.
        for wait in [whole, fractional, beyond_u64] {
            assert_eq!(
                delays(&wait, 0, [4, 10_000, u32::MAX]),
                [Duration::MAX; 3],
                "{wait:?}"
            );
        }
        let expected = [
            Duration::from_secs(100_000_000),
            Duration::from_secs(100_000_000_000_000_000),
        ];
        assert_eq!(delays(&whole, 0, 2..=3), expected);
        assert_eq!(delays(&beyond_u64, 0, [2]), [Duration::MAX]);
    }

    #[test]
    fn saturates_from_a_huge_base() {
        let wait = Exponential::with_factor(Duration::MAX, 1.1).unwrap();

        assert_eq!(delays(&wait, 0, [1, 2, u32::MAX]), [Duration::MAX; 3]);
    }
}
