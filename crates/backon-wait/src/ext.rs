//! The extension trait that adds bounds, jitter and hand-over to every
//! strategy.

use core::time::Duration;

use backon_core::Wait;

use crate::{Bounded, Jitter, ThenAfter};

/// Adds bounds, jitter and hand-over to the strategies of this crate.
///
/// `max`, `min` and `jitter` wrap a strategy in one [`Bounded`] layer and
/// cannot fail. Called again on that layer, the inherent
/// [`Bounded::max`] and [`Bounded::min`] change the same layer and return a
/// `Result`, because only then can a floor end up above a cap.
///
/// It is implemented for each strategy type here, not for every [`Wait`]:
/// a plain [`Duration`] is a strategy too, and there `max` and `min` would
/// clash with [`Ord::max`] and [`Ord::min`]. Use
/// [`Constant`](crate::Constant) for a constant delay with modifiers.
///
/// # Examples
///
/// ```
/// use backon_core::Wait;
/// use backon_wait::{Exponential, Jitter, WaitExt};
/// use std::time::Duration;
///
/// // No `?`: a single modifier cannot conflict with anything.
/// let capped = Exponential::new(Duration::from_millis(100))
///     .max(Duration::from_secs(30))
///     .jitter(Jitter::Full);
///
/// // A floor and a cap together are checked.
/// let bounded = Exponential::new(Duration::from_millis(100))
///     .min(Duration::from_millis(50))
///     .max(Duration::from_secs(30))?;
///
/// assert_eq!(capped.cap(), Duration::from_secs(30));
/// assert_eq!(bounded.cap(), Duration::from_secs(30));
/// # Ok::<(), backon_wait::WaitError>(())
/// ```
pub trait WaitExt: Wait + Sized {
    /// Caps every delay at `cap`.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon_core::Wait;
    /// use backon_wait::{Exponential, WaitExt};
    /// use std::time::Duration;
    ///
    /// let cap = Duration::from_secs(5);
    /// let wait = Exponential::new(Duration::from_secs(1)).max(cap);
    /// let mut state = wait.start(0);
    ///
    /// assert_eq!(wait.next(&mut state, 10), cap);
    /// ```
    #[must_use]
    fn max(self, cap: Duration) -> Bounded<Self> {
        Bounded::new(self, Duration::ZERO, cap)
    }

    /// Raises every delay to at least `floor`.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon_core::Wait;
    /// use backon_wait::{Linear, WaitExt};
    /// use std::time::Duration;
    ///
    /// let (floor, step) = (Duration::from_millis(500), Duration::from_secs(1));
    /// let wait = Linear::new(Duration::ZERO, step).min(floor);
    /// let mut state = wait.start(0);
    ///
    /// assert_eq!(wait.next(&mut state, 1), floor);
    /// assert_eq!(wait.next(&mut state, 2), step);
    /// ```
    #[must_use]
    fn min(self, floor: Duration) -> Bounded<Self> {
        Bounded::new(self, floor, Duration::MAX)
    }

    /// Randomizes every delay as `jitter` describes.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon_core::Wait;
    /// use backon_wait::{Constant, Jitter, WaitExt};
    /// use std::time::Duration;
    ///
    /// let wait = Constant::new(Duration::from_secs(1)).jitter(Jitter::Equal);
    /// let mut state = wait.start(42);
    ///
    /// let delay = wait.next(&mut state, 1);
    /// assert!(Duration::from_millis(500) <= delay);
    /// assert!(delay <= Duration::from_secs(1));
    /// ```
    #[must_use]
    fn jitter(self, jitter: Jitter) -> Bounded<Self> {
        Bounded::new(self, Duration::ZERO, Duration::MAX).jitter(jitter)
    }

    /// Waits as `self` for the first `attempts` attempts, then as `next`.
    ///
    /// `next` counts its attempts from 1 again, and an `attempts` of zero
    /// uses `next` from the start; see [`ThenAfter`].
    ///
    /// # Examples
    ///
    /// ```
    /// use backon_core::Wait;
    /// use backon_wait::{Constant, Linear, WaitExt};
    /// use std::time::Duration;
    ///
    /// let second = Duration::from_secs(1);
    /// let wait = Constant::new(Duration::ZERO).then_after(1, Linear::new(second, second));
    /// let mut state = wait.start(0);
    ///
    /// let delays: Vec<_> = (1..=3).map(|n| wait.next(&mut state, n)).collect();
    /// assert_eq!(delays, [0, 1, 2].map(Duration::from_secs));
    /// ```
    #[must_use]
    fn then_after<B: Wait>(self, attempts: u32, next: B) -> ThenAfter<Self, B> {
        ThenAfter::new(self, attempts, next)
    }
}

impl WaitExt for crate::Constant {}
impl WaitExt for crate::Linear {}
impl WaitExt for crate::Exponential {}
impl WaitExt for crate::Fibonacci {}
impl WaitExt for crate::Uniform {}
impl WaitExt for crate::Decorrelated {}
impl<W: Wait> WaitExt for Bounded<W> {}
impl<A: Wait, B: Wait> WaitExt for crate::Sum<A, B> {}
impl<A: Wait, B: Wait> WaitExt for ThenAfter<A, B> {}
