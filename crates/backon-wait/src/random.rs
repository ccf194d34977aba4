//! The random strategies: uniform and decorrelated jitter.

use core::cmp;
use core::time::Duration;

use backon_core::Wait;
use rand::rngs::SmallRng;

use crate::WaitError;
use crate::nanos::{rng, sample};

/// Waits a random delay drawn uniformly from a fixed range.
///
/// Each delay is drawn from `[min, max]`, both ends included, with the
/// random number generator that [`start`](Wait::start) seeds: the same seed
/// gives the same delays.
///
/// # Examples
///
/// ```
/// use backon_core::Wait;
/// use backon_wait::Uniform;
/// use std::time::Duration;
///
/// let (min, max) = (Duration::from_millis(100), Duration::from_millis(300));
/// let wait = Uniform::new(min, max)?;
/// let mut state = wait.start(42);
///
/// let delay = wait.next(&mut state, 1);
/// assert!(min <= delay && delay <= max);
/// # Ok::<(), backon_wait::WaitError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Uniform {
    min: Duration,
    max: Duration,
}

/// Per-call state of [`Uniform`]: its random number generator.
#[derive(Clone, Debug)]
pub struct UniformState {
    rng: SmallRng,
}

impl Uniform {
    /// Creates a strategy that waits a random delay in `[min, max]`.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon_core::Wait;
    /// use backon_wait::Uniform;
    /// use std::time::Duration;
    ///
    /// let max = Duration::from_millis(300);
    /// let wait = Uniform::new(Duration::from_millis(100), max)?;
    ///
    /// assert_eq!(wait.cap(), max);
    /// # Ok::<(), backon_wait::WaitError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Returns [`WaitError::MinAboveMax`] if `min` is above `max`.
    pub fn new(min: Duration, max: Duration) -> Result<Self, WaitError> {
        if min > max {
            return Err(WaitError::MinAboveMax { min, max });
        }

        Ok(Self { min, max })
    }
}

impl Wait for Uniform {
    type State = UniformState;

    fn start(&self, seed: u64) -> UniformState {
        UniformState { rng: rng(seed) }
    }

    fn next(&self, state: &mut UniformState, _attempt: u32) -> Duration {
        sample(&mut state.rng, self.min, self.max)
    }

    fn cap(&self) -> Duration {
        self.max
    }
}

/// Waits a random delay that grows from the previous one: the AWS
/// "decorrelated jitter".
///
/// The first delay is `base`. Each later one is drawn uniformly from
/// `[base, previous × 3]` and then capped at `cap`, so delays spread out
/// while they grow, and stay in `[base, cap]`. The attempt number is not
/// used: the previous delay, kept in the call's state, drives the growth.
///
/// # Examples
///
/// ```
/// use backon_core::Wait;
/// use backon_wait::Decorrelated;
/// use std::time::Duration;
///
/// let (base, cap) = (Duration::from_millis(100), Duration::from_secs(10));
/// let wait = Decorrelated::new(base, cap)?;
/// let mut state = wait.start(42);
///
/// assert_eq!(wait.next(&mut state, 1), base);
/// let second = wait.next(&mut state, 2);
/// assert!(base <= second && second <= base * 3);
/// # Ok::<(), backon_wait::WaitError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Decorrelated {
    base: Duration,
    cap: Duration,
}

/// Per-call state of [`Decorrelated`]: the previous delay and the random
/// number generator.
#[derive(Clone, Debug)]
pub struct DecorrelatedState {
    previous: Option<Duration>,
    rng: SmallRng,
}

impl Decorrelated {
    /// Creates a decorrelated strategy that starts at `base` and never waits
    /// longer than `cap`.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon_core::Wait;
    /// use backon_wait::Decorrelated;
    /// use std::time::Duration;
    ///
    /// let cap = Duration::from_secs(30);
    /// let wait = Decorrelated::new(Duration::from_millis(100), cap)?;
    ///
    /// assert_eq!(wait.cap(), cap);
    /// # Ok::<(), backon_wait::WaitError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Returns [`WaitError::ZeroBase`] if `base` is zero, and
    /// [`WaitError::BaseAboveCap`] if it is above `cap`.
    pub fn new(base: Duration, cap: Duration) -> Result<Self, WaitError> {
        if base.is_zero() {
            return Err(WaitError::ZeroBase);
        }
        if base > cap {
            return Err(WaitError::BaseAboveCap { base, cap });
        }

        Ok(Self { base, cap })
    }
}

impl Wait for Decorrelated {
    type State = DecorrelatedState;

    fn start(&self, seed: u64) -> DecorrelatedState {
        DecorrelatedState {
            previous: None,
            rng: rng(seed),
        }
    }

    fn next(&self, state: &mut DecorrelatedState, _attempt: u32) -> Duration {
        // The previous delay is at least `base`, so the range is never empty.
        let delay = match state.previous {
            None => self.base,
            Some(previous) => {
                let drawn = sample(&mut state.rng, self.base, previous.saturating_mul(3));
                cmp::min(drawn, self.cap)
            }
        };

        state.previous = Some(delay);
        delay
    }

    fn cap(&self) -> Duration {
        self.cap
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(millis: u64) -> Duration {
        Duration::from_millis(millis)
    }

    fn delays<W: Wait>(wait: &W, seed: u64, count: u32) -> Vec<Duration> {
        let mut state = wait.start(seed);

        (1..=count).map(|n| wait.next(&mut state, n)).collect()
    }

    #[test]
    fn uniform_stays_in_range() {
        let wait = Uniform::new(ms(100), ms(300)).unwrap();

        for delay in delays(&wait, 1, 1000) {
            assert!(ms(100) <= delay && delay <= ms(300), "{delay:?}");
        }
        assert_eq!(wait.cap(), ms(300));
    }

    #[test]
    fn uniform_reaches_both_ends() {
        let wait = Uniform::new(Duration::from_nanos(10), Duration::from_nanos(12)).unwrap();

        let drawn = delays(&wait, 1, 200);
        for nanos in 10..=12 {
            assert!(
                drawn.contains(&Duration::from_nanos(nanos)),
                "never drew {nanos} ns"
            );
        }
    }

    #[test]
    fn uniform_repeats_for_the_same_seed() {
        let wait = Uniform::new(ms(0), ms(1000)).unwrap();

        assert_eq!(delays(&wait, 7, 20), delays(&wait, 7, 20));
        assert_ne!(delays(&wait, 7, 20), delays(&wait, 8, 20));
    }

    #[test]
    fn uniform_with_equal_ends_is_constant() {
        let wait = Uniform::new(ms(5), ms(5)).unwrap();

        assert_eq!(delays(&wait, 3, 4), [ms(5); 4]);
    }

    #[test]
    fn uniform_refuses_min_above_max() {
        let err = Uniform::new(ms(2), ms(1)).unwrap_err();

        assert_eq!(
            err,
            WaitError::MinAboveMax {
                min: ms(2),
                max: ms(1)
            }
        );
    }

    #[test]
    fn uniform_handles_the_widest_range() {
        let wait = Uniform::new(Duration::ZERO, Duration::MAX).unwrap();

        assert_eq!(delays(&wait, 1, 100).len(), 100);
    }

    #[test]
    fn decorrelated_starts_at_base_and_grows_at_most_threefold() {
        let wait = Decorrelated::new(ms(10), Duration::from_secs(3600)).unwrap();

        let drawn = delays(&wait, 5, 50);
        assert_eq!(drawn[0], ms(10));
        for pair in drawn.windows(2) {
            assert!(ms(10) <= pair[1] && pair[1] <= pair[0] * 3, "{pair:?}");
        }
    }

    #[test]
    fn decorrelated_stays_under_cap() {
        let wait = Decorrelated::new(ms(10), ms(100)).unwrap();

        let drawn = delays(&wait, 5, 200);
        assert!(
            drawn.iter().all(|d| ms(10) <= *d && *d <= ms(100)),
            "{drawn:?}"
        );
        assert!(drawn.contains(&ms(100)), "long runs reach the cap");
        assert_eq!(wait.cap(), ms(100));
    }

    #[test]
    fn decorrelated_repeats_for_the_same_seed() {
        let wait = Decorrelated::new(ms(10), Duration::from_secs(60)).unwrap();

        assert_eq!(delays(&wait, 7, 20), delays(&wait, 7, 20));
        assert_ne!(delays(&wait, 7, 20), delays(&wait, 8, 20));
    }

    #[test]
    fn decorrelated_refuses_base_above_cap() {
        let err = Decorrelated::new(ms(2), ms(1)).unwrap_err();

        assert_eq!(
            err,
            WaitError::BaseAboveCap {
                base: ms(2),
                cap: ms(1)
            }
        );
    }

    #[test]
    fn decorrelated_refuses_a_zero_base() {
        let err = Decorrelated::new(Duration::ZERO, Duration::ZERO).unwrap_err();

        assert_eq!(err, WaitError::ZeroBase);
    }

    #[test]
    fn decorrelated_saturates_near_the_largest_duration() {
        let wait = Decorrelated::new(Duration::MAX / 2, Duration::MAX).unwrap();

        let drawn = delays(&wait, 1, 20);
        assert!(drawn.iter().all(|d| *d >= Duration::MAX / 2));
    }
}
