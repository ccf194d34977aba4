//! Bounds and jitter around another strategy.

use core::cmp;
use core::time::Duration;

use backon_core::Wait;
use rand::rngs::SmallRng;

use crate::WaitError;
use crate::nanos::{derive_seed, rng, sample};

/// How [`Bounded`] randomizes the delay of the strategy it wraps.
///
/// Given the inner delay `d`, already clamped to `[floor, cap]`:
///
/// | variant | delay                                |
/// |---------|--------------------------------------|
/// | `None`  | `d`                                  |
/// | `Full`  | uniform in `[floor, d]`              |
/// | `Equal` | uniform in `[max(floor, d / 2), d]`  |
///
/// Jitter spreads out the retries of many clients that failed at the same
/// moment, so they do not all come back at once.
///
/// # Examples
///
/// ```
/// use backon_core::Wait;
/// use backon_wait::{Constant, Jitter, WaitExt};
/// use std::time::Duration;
///
/// let second = Duration::from_secs(1);
/// let wait = Constant::new(second).jitter(Jitter::Full);
/// let mut state = wait.start(7);
///
/// assert!(wait.next(&mut state, 1) <= second);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Jitter {
    /// Keeps the delay as it is.
    #[default]
    None,

    /// Draws the delay uniformly between the floor and the delay.
    Full,

    /// Keeps at least half the delay and draws the rest.
    Equal,
}

/// Clamps the delays of another strategy to `[floor, cap]` and optionally
/// jitters them.
///
/// Built by [`WaitExt::max`](crate::WaitExt::max),
/// [`min`](crate::WaitExt::min) and [`jitter`](crate::WaitExt::jitter). On a
/// `Bounded` value the inherent [`max`](Bounded::max) and
/// [`min`](Bounded::min) change this same layer rather than wrapping it
/// again, and check that the floor stays at or below the cap.
///
/// Each delay is the inner delay clamped to `[floor, cap]`, then jittered as
/// [`Jitter`] describes; it always lies in `[floor, cap]`.
///
/// # Defaults
///
/// - `floor`: zero.
/// - `cap`: `Duration::MAX`.
/// - `jitter`: [`Jitter::None`].
///
/// # Examples
///
/// ```
/// use backon_core::Wait;
/// use backon_wait::{Exponential, Jitter, WaitExt};
/// use std::time::Duration;
///
/// let wait = Exponential::new(Duration::from_millis(100))
///     .max(Duration::from_secs(30))
///     .jitter(Jitter::Full);
/// let mut state = wait.start(42);
///
/// assert!(wait.next(&mut state, 1) <= Duration::from_millis(100));
/// assert!(wait.next(&mut state, 100) <= Duration::from_secs(30));
/// assert_eq!(wait.cap(), Duration::from_secs(30));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Bounded<W> {
    inner: W,
    floor: Duration,
    cap: Duration,
    jitter: Jitter,
}

/// Per-call state of [`Bounded`]: the inner strategy's state and the random
/// number generator of the jitter.
#[derive(Clone, Debug)]
pub struct BoundedState<S> {
    inner: S,
    rng: SmallRng,
}

impl<W> Bounded<W> {
    /// Wraps `inner` with the given bounds and no jitter; `floor` must not be
    /// above `cap`.
    pub(crate) fn new(inner: W, floor: Duration, cap: Duration) -> Self {
        debug_assert!(floor <= cap, "floor {floor:?} above cap {cap:?}");

        Self {
            inner,
            floor,
            cap,
            jitter: Jitter::None,
        }
    }

    /// Replaces the cap of this layer.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon_core::Wait;
    /// use backon_wait::{Exponential, WaitExt};
    /// use std::time::Duration;
    ///
    /// let wait = Exponential::new(Duration::from_millis(100))
    ///     .min(Duration::from_millis(50))
    ///     .max(Duration::from_secs(30))?;
    ///
    /// assert_eq!(wait.cap(), Duration::from_secs(30));
    /// # Ok::<(), backon_wait::WaitError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Returns [`WaitError::FloorAboveCap`] if the floor of this layer is
    /// above `cap`.
    pub fn max(self, cap: Duration) -> Result<Self, WaitError> {
        if self.floor > cap {
            return Err(WaitError::FloorAboveCap {
                floor: self.floor,
                cap,
            });
        }

        Ok(Self { cap, ..self })
    }

    /// Replaces the floor of this layer.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon_core::Wait;
    /// use backon_wait::{Exponential, WaitExt};
    /// use std::time::Duration;
    ///
    /// let floor = Duration::from_millis(50);
    /// let wait = Exponential::new(Duration::from_millis(10))
    ///     .max(Duration::from_secs(30))
    ///     .min(floor)?;
    /// let mut state = wait.start(0);
    ///
    /// assert_eq!(wait.next(&mut state, 1), floor);
    /// # Ok::<(), backon_wait::WaitError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Returns [`WaitError::FloorAboveCap`] if `floor` is above the cap of
    /// this layer.
    pub fn min(self, floor: Duration) -> Result<Self, WaitError> {
        if floor > self.cap {
            return Err(WaitError::FloorAboveCap {
                floor,
                cap: self.cap,
            });
        }

        Ok(Self { floor, ..self })
    }

    /// Replaces the jitter of this layer.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon_core::Wait;
    /// use backon_wait::{Exponential, Jitter, WaitExt};
    /// use std::time::Duration;
    ///
    /// let wait = Exponential::new(Duration::from_millis(100))
    ///     .max(Duration::from_secs(30))
    ///     .jitter(Jitter::Equal);
    /// let mut state = wait.start(7);
    ///
    /// // Equal jitter keeps at least half of the 100 ms.
    /// assert!(wait.next(&mut state, 1) >= Duration::from_millis(50));
    /// ```
    pub fn jitter(self, jitter: Jitter) -> Self {
        Self { jitter, ..self }
    }
}

impl<W: Wait> Wait for Bounded<W> {
    type State = BoundedState<W::State>;

    fn uses_seed(&self) -> bool {
        self.jitter != Jitter::None || self.inner.uses_seed()
    }

    fn start(&self, seed: u64) -> Self::State {
        BoundedState {
            inner: self.inner.start(derive_seed(seed, 0)),
            rng: rng(derive_seed(seed, 1)),
        }
    }

    fn next(&self, state: &mut Self::State, attempt: u32) -> Duration {
        // Written as max then min rather than `clamp`, which would panic if
        // the floor were ever above the cap.
        let inner = self.inner.next(&mut state.inner, attempt);
        let delay = cmp::min(cmp::max(inner, self.floor), self.cap);

        match self.jitter {
            Jitter::None => delay,
            Jitter::Full => sample(&mut state.rng, self.floor, delay),
            Jitter::Equal => sample(&mut state.rng, cmp::max(self.floor, delay / 2), delay),
        }
    }

    /// Returns the cap of this layer, or the inner strategy's own cap (raised
    /// to the floor) when that is lower.
    fn cap(&self) -> Duration {
        // A cap the user set is the bound that server hints may reach, even
        // when the inner strategy never gets that far on its own.
        if self.cap != Duration::MAX {
            return self.cap;
        }

        cmp::max(self.inner.cap(), self.floor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{delays, ms};
    use crate::{Constant, Exponential, Linear, WaitExt};

    #[test]
    fn max_caps_the_delay() {
        let wait = Exponential::new(ms(100)).max(ms(500));

        assert_eq!(
            delays(&wait, 0, 1..=6),
            [100, 200, 400, 500, 500, 500].map(ms)
        );
        assert_eq!(delays(&wait, 0, [u32::MAX]), [ms(500)]);
        assert_eq!(wait.cap(), ms(500));
    }

    #[test]
    fn min_raises_the_delay() {
        let wait = Linear::new(Duration::ZERO, ms(10)).min(ms(25));

        assert_eq!(delays(&wait, 0, 1..=5), [25, 25, 25, 30, 40].map(ms));
    }

    #[test]
    fn min_then_max_bounds_both_ends() {
        let wait = Linear::new(Duration::ZERO, ms(10))
            .min(ms(15))
            .max(ms(30))
            .unwrap();

        assert_eq!(delays(&wait, 0, 1..=6), [15, 15, 20, 30, 30, 30].map(ms));
    }

    #[test]
    fn refuses_a_floor_above_the_cap() {
        let by_max = Constant::new(ms(1)).min(ms(50)).max(ms(10));
        let by_min = Constant::new(ms(1)).max(ms(10)).min(ms(50));

        let expected = WaitError::FloorAboveCap {
            floor: ms(50),
            cap: ms(10),
        };
        assert_eq!(by_max.unwrap_err(), expected);
        assert_eq!(by_min.unwrap_err(), expected);
    }

    #[test]
    fn accepts_a_floor_equal_to_the_cap() {
        let wait = Exponential::new(ms(1)).min(ms(20)).max(ms(20)).unwrap();

        assert_eq!(delays(&wait, 0, [1, 50, u32::MAX]), [ms(20); 3]);
    }

    #[test]
    fn modifiers_stay_in_one_layer() {
        let wait: Bounded<Exponential> = Exponential::new(ms(1))
            .jitter(Jitter::Equal)
            .max(ms(100))
            .and_then(|w| w.min(ms(10)))
            .unwrap();

        assert_eq!(wait.floor, ms(10));
        assert_eq!(wait.cap, ms(100));
        assert_eq!(wait.jitter, Jitter::Equal);
    }

    #[test]
    fn full_jitter_stays_between_floor_and_delay() {
        let wait = Constant::new(ms(100)).min(ms(20)).jitter(Jitter::Full);

        let drawn = delays(&wait, 3, 1..=500);
        assert!(
            drawn.iter().all(|d| ms(20) <= *d && *d <= ms(100)),
            "{drawn:?}"
        );
        assert!(
            drawn.iter().any(|d| *d < ms(40)),
            "full jitter reaches low values"
        );
    }

    #[test]
    fn equal_jitter_keeps_half() {
        let wait = Constant::new(ms(100)).jitter(Jitter::Equal);

        let drawn = delays(&wait, 3, 1..=500);
        assert!(
            drawn.iter().all(|d| ms(50) <= *d && *d <= ms(100)),
            "{drawn:?}"
        );
    }

    #[test]
    fn equal_jitter_respects_a_floor_above_half() {
        let wait = Constant::new(ms(100)).min(ms(80)).jitter(Jitter::Equal);

        let drawn = delays(&wait, 3, 1..=500);
        assert!(
            drawn.iter().all(|d| ms(80) <= *d && *d <= ms(100)),
            "{drawn:?}"
        );
    }

    #[test]
    fn jitter_applies_after_the_cap() {
        let wait = Exponential::new(ms(100)).max(ms(300)).jitter(Jitter::Full);

        let drawn = delays(&wait, 9, 1..=200);
        assert!(drawn.iter().all(|d| *d <= ms(300)), "{drawn:?}");
    }

    #[test]
    fn jitter_repeats_for_the_same_seed() {
        let wait = Exponential::new(ms(100))
            .max(ms(10_000))
            .jitter(Jitter::Full);

        assert_eq!(delays(&wait, 1, 1..=20), delays(&wait, 1, 1..=20));
        assert_ne!(delays(&wait, 1, 1..=20), delays(&wait, 2, 1..=20));
    }

    #[test]
    fn cap_is_the_one_set_or_else_the_inner_one() {
        assert_eq!(Constant::new(ms(5)).max(ms(100)).cap(), ms(100));
        assert_eq!(Constant::new(ms(5)).min(ms(20)).cap(), ms(20));
        assert_eq!(Exponential::new(ms(5)).min(ms(20)).cap(), Duration::MAX);
        assert_eq!(
            Exponential::new(ms(5)).jitter(Jitter::Full).cap(),
            Duration::MAX
        );
    }

    #[test]
    fn no_jitter_is_the_default() {
        assert_eq!(Jitter::default(), Jitter::None);
    }
}
