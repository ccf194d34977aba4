//! How long a hedged group waits before each further attempt.

use core::time::Duration;

/// Decides the hedge delay: how long a group waits for an acceptable
/// outcome before it starts another attempt.
///
/// A plain [`Duration`] is a fixed delay; [`Duration::ZERO`] starts every
/// attempt at once. [`Adaptive`](crate::Adaptive) follows a percentile of
/// recent latencies.
///
/// # Examples
///
/// A delay that doubles what it last saw, learning from each primary:
///
/// ```
/// use backon_hedge::HedgeDelay;
/// use std::sync::atomic::{AtomicU64, Ordering};
/// use std::time::Duration;
///
/// #[derive(Default)]
/// struct TwiceTheLast(AtomicU64);
///
/// impl HedgeDelay for TwiceTheLast {
///     fn delay(&self) -> Duration {
///         Duration::from_micros(self.0.load(Ordering::Relaxed)) * 2
///     }
///
///     fn uses_clock(&self) -> bool {
///         true
///     }
///
///     fn record(&self, latency: Duration) {
///         self.0.store(latency.as_micros() as u64, Ordering::Relaxed);
///     }
/// }
///
/// let d = TwiceTheLast::default();
/// d.record(Duration::from_millis(40));
/// assert_eq!(d.delay(), Duration::from_millis(80));
/// ```
pub trait HedgeDelay {
    /// Returns the delay for a group that needs it now.
    ///
    /// A group asks once, when its primary is not done at its first poll,
    /// and keeps the answer for all its attempts.
    fn delay(&self) -> Duration;

    /// Returns whether this delay learns from latencies. When it does not,
    /// a group never reads the clock and never calls
    /// [`record`](HedgeDelay::record).
    fn uses_clock(&self) -> bool {
        false
    }

    /// Records how long a primary attempt took until its outcome was
    /// accepted. A primary that fails is not recorded.
    fn record(&self, latency: Duration) {
        let _ = latency;
    }

    /// Records a primary that was cancelled after running for `ran`
    /// because a hedge won: all that is known is that it would have taken
    /// longer.
    fn record_cancelled(&self, ran: Duration) {
        let _ = ran;
    }
}

/// A fixed delay.
impl HedgeDelay for Duration {
    #[inline]
    fn delay(&self) -> Duration {
        *self
    }
}

impl<D: HedgeDelay + ?Sized> HedgeDelay for &D {
    fn delay(&self) -> Duration {
        (**self).delay()
    }

    fn uses_clock(&self) -> bool {
        (**self).uses_clock()
    }

    fn record(&self, latency: Duration) {
        (**self).record(latency);
    }

    fn record_cancelled(&self, ran: Duration) {
        (**self).record_cancelled(ran);
    }
}
