use backon_core::{BlockingSleeper, Clock, Entropy, Sleeper};
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};
use core::time::Duration;
use std::sync::{Arc, Mutex, MutexGuard};

/// A virtual clock with a sleeper that advances it at once and records every
/// delay, and a seeded source of jitter seeds.
///
/// It is a runtime for both blocking and async retries, on any executor.
/// Clones share one clock, so keep a clone to inspect after the retry.
/// Time starts at zero and moves only when something sleeps on it or calls
/// [`advance`](VirtualTime::advance).
///
/// # Examples
///
/// ```
/// use backon_core::{BlockingRetry, Policy};
/// use backon_stop::after_attempts;
/// use backon_testing::VirtualTime;
/// use std::time::Duration;
///
/// let time = VirtualTime::new();
/// let policy = Policy::new(Duration::from_secs(10), after_attempts(3)?);
///
/// let result = BlockingRetry::new(|| Err::<(), _>("down"), &policy, time.clone()).call();
///
/// assert_eq!(result, Err("down"));
/// assert_eq!(time.sleeps(), [Duration::from_secs(10); 2]);
/// assert_eq!(time.now(), Duration::from_secs(20));
/// # Ok::<(), backon_stop::StopError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct VirtualTime {
    inner: Arc<Mutex<Inner>>,
}

#[derive(Debug, Default)]
struct Inner {
    now: Duration,
    sleeps: Vec<Duration>,
    seed: u64,
    seeds_given: u64,
}

impl VirtualTime {
    /// Creates a clock at zero whose jitter seeds derive from seed 0.
    pub fn new() -> Self {
        Self::default()
    }

    /// Creates a clock at zero whose jitter seeds derive from `seed`: the
    /// same seed gives the same jittered delays.
    pub fn with_seed(seed: u64) -> Self {
        let time = Self::default();
        time.lock().seed = seed;
        time
    }

    /// Returns the virtual time since the clock was created.
    pub fn now(&self) -> Duration {
        self.lock().now
    }

    /// Moves the clock forward, as an attempt that takes `by` would.
    pub fn advance(&self, by: Duration) {
        let mut inner = self.lock();
        inner.now = inner.now.saturating_add(by);
    }

    /// Returns every delay slept so far, in order.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.lock().sleeps.clone()
    }

    /// Returns the sum of every delay slept so far.
    pub fn total_slept(&self) -> Duration {
        self.lock()
            .sleeps
            .iter()
            .fold(Duration::ZERO, |sum, d| sum.saturating_add(*d))
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A test that panicked while holding the lock left consistent data:
        // every update above is a single assignment.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn sleep_now(&self, delay: Duration) {
        let mut inner = self.lock();
        inner.sleeps.push(delay);
        inner.now = inner.now.saturating_add(delay);
    }
}

impl Clock for VirtualTime {
    type Instant = Duration;

    fn now(&self) -> Duration {
        VirtualTime::now(self)
    }

    fn elapsed(&self, earlier: Duration) -> Duration {
        VirtualTime::now(self).saturating_sub(earlier)
    }
}

impl BlockingSleeper for VirtualTime {
    fn sleep(&self, delay: Duration) {
        self.sleep_now(delay);
    }
}

impl Sleeper for VirtualTime {
    type Sleep = VirtualSleep;

    fn sleep(&self, delay: Duration) -> VirtualSleep {
        VirtualSleep {
            time: Some(self.clone()),
            delay,
        }
    }
}

impl Entropy for VirtualTime {
    fn seed(&self) -> u64 {
        let mut inner = self.lock();
        inner.seeds_given += 1;
        splitmix64(inner.seed.wrapping_add(inner.seeds_given))
    }
}

/// The future of [`VirtualTime`]'s async sleep.
///
/// It completes on its first poll, advancing the clock by its delay and
/// recording it then: a sleep dropped before it is polled leaves no trace.
///
/// # Cancel safety
///
/// Dropping it before its first poll neither advances the clock nor records
/// the delay.
#[derive(Debug)]
#[must_use = "futures do nothing unless polled"]
pub struct VirtualSleep {
    time: Option<VirtualTime>,
    delay: Duration,
}

impl Future for VirtualSleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        if let Some(time) = self.time.take() {
            time.sleep_now(self.delay);
        }
        Poll::Ready(())
    }
}

// A small, well-mixed step so that neighbouring seeds give unrelated
// sequences.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_the_clock() {
        let a = VirtualTime::new();
        let b = a.clone();
        a.advance(Duration::from_secs(1));
        BlockingSleeper::sleep(&b, Duration::from_secs(2));
        assert_eq!(a.now(), Duration::from_secs(3));
        assert_eq!(a.sleeps(), [Duration::from_secs(2)]);
        assert_eq!(a.total_slept(), Duration::from_secs(2));
    }

    #[test]
    fn seeds_repeat_for_the_same_seed() {
        let a = VirtualTime::with_seed(7);
        let b = VirtualTime::with_seed(7);
        let c = VirtualTime::with_seed(8);
        let first = a.seed();
        assert_eq!(first, b.seed());
        assert_ne!(first, c.seed());
        assert_ne!(first, a.seed());
    }

    #[test]
    fn an_unpolled_sleep_leaves_no_trace() {
        let time = VirtualTime::new();
        drop(Sleeper::sleep(&time, Duration::from_secs(5)));
        assert_eq!(time.now(), Duration::ZERO);
        assert!(time.sleeps().is_empty());
    }

    #[test]
    fn saturates_instead_of_overflowing() {
        let time = VirtualTime::new();
        time.advance(Duration::MAX);
        time.advance(Duration::from_secs(1));
        assert_eq!(time.now(), Duration::MAX);
    }
}
