use crate::rng::mix;
use backon_core::{BlockingSleeper, Clock, Entropy, Sleeper};
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};
use core::time::Duration;
use std::sync::{Arc, Mutex, MutexGuard};

/// Virtual time: a clock, a sleeper that advances it at once and records
/// every delay, and a seeded source of jitter seeds, in one value.
///
/// It is the one time bundle that backon takes. Every part of backon reads
/// time through the [`Clock`], [`Sleeper`], [`BlockingSleeper`] and
/// [`Entropy`] traits, and `VirtualTime` implements all four, for blocking
/// and async code alike, on any executor or none. A retry takes it with
/// `.runtime(time.clone())`, a circuit breaker `.clock(time.clone())`, and
/// a hedged call `Hedged::new(op, &policy, time.clone())`, so that one
/// clock drives a whole scenario.
///
/// Clones share one clock, so keep a clone to inspect after the retry.
/// Time starts at zero and moves only when something sleeps on it or calls
/// [`advance`](VirtualTime::advance). Its async sleep completes on its
/// first poll, so no executor ever waits on it.
///
/// # Examples
///
/// ```
/// use backon::prelude::*;
/// use backon::testing::VirtualTime;
/// use std::time::Duration;
///
/// let time = VirtualTime::new();
/// let policy = Policy::new(Duration::from_secs(10), after_attempts(3)?);
///
/// let result = (|| Err::<(), _>("down")).retry(&policy).runtime(time.clone()).call();
///
/// assert_eq!(result, Err("down"));
/// assert_eq!(time.sleeps(), [Duration::from_secs(10); 2]);
/// assert_eq!(time.now(), Duration::from_secs(20));
/// # Ok::<(), backon::stop::StopError>(())
/// ```
///
/// The same value runs an async retry, here on tokio's current-thread
/// runtime, though any executor, or a bare poll, does as well:
///
/// ```
/// use backon::prelude::*;
/// use backon::testing::VirtualTime;
/// use std::time::Duration;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), backon::stop::StopError> {
/// let time = VirtualTime::new();
/// let policy = Policy::new(Duration::from_secs(3600), after_attempts(2)?);
///
/// let result = (|| async { Err::<(), _>("down") })
///     .retry(&policy)
///     .runtime(time.clone())
///     .await;
///
/// assert_eq!(result, Err("down"));
/// assert_eq!(time.total_slept(), Duration::from_secs(3600));
/// # Ok(())
/// # }
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
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::testing::VirtualTime;
    /// use std::time::Duration;
    ///
    /// let time = VirtualTime::new();
    /// assert_eq!(time.now(), Duration::ZERO);
    /// assert!(time.sleeps().is_empty());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Creates a clock at zero whose jitter seeds derive from `seed`: the
    /// same seed gives the same jittered delays.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::prelude::*;
    /// use backon::testing::VirtualTime;
    /// use std::time::Duration;
    ///
    /// let wait = Exponential::new(Duration::from_secs(1)).jitter(Jitter::Full);
    /// let policy = Policy::new(wait, after_attempts(4)?);
    /// let delays = |seed| {
    ///     let time = VirtualTime::with_seed(seed);
    ///     let _ = (|| Err::<(), _>("down")).retry(&policy).runtime(time.clone()).call();
    ///     time.sleeps()
    /// };
    ///
    /// assert_eq!(delays(7), delays(7));
    /// assert_ne!(delays(7), delays(8));
    /// # Ok::<(), backon::stop::StopError>(())
    /// ```
    pub fn with_seed(seed: u64) -> Self {
        let time = Self::default();
        time.lock().seed = seed;
        time
    }

    /// Returns the virtual time since the clock was created.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::testing::VirtualTime;
    /// use std::time::Duration;
    ///
    /// let time = VirtualTime::new();
    /// time.advance(Duration::from_millis(1500));
    /// assert_eq!(time.now(), Duration::from_millis(1500));
    /// ```
    pub fn now(&self) -> Duration {
        self.lock().now
    }

    /// Moves the clock forward, as an attempt that takes `by` would.
    ///
    /// It saturates: the clock stops at [`Duration::MAX`]. Advancing is not
    /// a sleep, so it is not recorded in [`sleeps`](VirtualTime::sleeps).
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::prelude::*;
    /// use backon::testing::VirtualTime;
    /// use std::time::Duration;
    ///
    /// let time = VirtualTime::new();
    /// let policy = Policy::new(Duration::from_secs(1), time_limit(Duration::from_secs(5))?);
    ///
    /// // Each attempt takes 3 virtual seconds.
    /// let clock = time.clone();
    /// let report = (|| {
    ///     clock.advance(Duration::from_secs(3));
    ///     Err::<(), _>("slow")
    /// })
    /// .retry(&policy)
    /// .runtime(time.clone())
    /// .call_with_report();
    ///
    /// // 0-3 s, sleep 1 s, 4-7 s: past the limit.
    /// assert_eq!(report.attempts, 2);
    /// assert_eq!(time.now(), Duration::from_secs(7));
    /// # Ok::<(), backon::stop::StopError>(())
    /// ```
    pub fn advance(&self, by: Duration) {
        let mut inner = self.lock();
        inner.now = inner.now.saturating_add(by);
    }

    /// Returns every delay slept so far, in order.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::prelude::*;
    /// use backon::testing::VirtualTime;
    /// use std::time::Duration;
    ///
    /// let time = VirtualTime::new();
    /// let policy = Policy::new(Exponential::new(Duration::from_secs(1)), after_attempts(4)?);
    /// let _ = (|| Err::<(), _>("down")).retry(&policy).runtime(time.clone()).call();
    ///
    /// assert_eq!(time.sleeps(), [1, 2, 4].map(Duration::from_secs));
    /// # Ok::<(), backon::stop::StopError>(())
    /// ```
    pub fn sleeps(&self) -> Vec<Duration> {
        self.lock().sleeps.clone()
    }

    /// Returns the sum of every delay slept so far.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::prelude::*;
    /// use backon::testing::VirtualTime;
    /// use std::time::Duration;
    ///
    /// let time = VirtualTime::new();
    /// let policy = Policy::new(Duration::from_secs(2), after_attempts(3)?);
    /// let _ = (|| Err::<(), _>("down")).retry(&policy).runtime(time.clone()).call();
    ///
    /// assert_eq!(time.total_slept(), Duration::from_secs(4));
    /// # Ok::<(), backon::stop::StopError>(())
    /// ```
    pub fn total_slept(&self) -> Duration {
        self.lock()
            .sleeps
            .iter()
            .fold(Duration::ZERO, |sum, d| sum.saturating_add(*d))
    }

    /// Runs `f` with this virtual time in place of the standard runtime's
    /// clock, sleeper and jitter seeds, on the current thread only: the
    /// no-waiting mode for code that builds its own blocking retries.
    ///
    /// Code under test that calls `op.retry(&policy).call()` without a
    /// `.runtime(...)` retries on the standard runtime, which sleeps for
    /// real. Inside `f`, those sleeps land on this `VirtualTime` instead:
    /// they return at once, advance this clock and are recorded, time
    /// limits see virtual time, and jitter follows this seed.
    ///
    /// The switch is scoped, never process-wide:
    ///
    /// - it holds for the current thread while `f` runs, and is undone when
    ///   `f` returns or panics, so tests running in parallel (each on its
    ///   own thread, as `cargo test` runs them) cannot see each other's;
    /// - threads that `f` spawns keep real time: give them a runtime of
    ///   their own, or call `in_scope` inside them;
    /// - calls nest: an inner scope wins until it ends;
    /// - async retries are untouched: they sleep on their runtime's timer
    ///   (tokio's, by default). Pass `.runtime(time.clone())`, or test
    ///   under `#[tokio::test(start_paused = true)]`, which is likewise
    ///   scoped to that test's runtime.
    ///
    /// Where you can, prefer `.runtime(time.clone())` on the call itself,
    /// or let the code under test take its runtime as a parameter: that is
    /// visible in the code, and it works on any thread.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::prelude::*;
    /// use backon::testing::VirtualTime;
    /// use std::time::Duration;
    ///
    /// // Code under test: it builds its own retry on the standard runtime.
    /// fn load(read: impl FnMut() -> Result<String, &'static str>) -> Result<String, &'static str> {
    ///     let policy = Policy::new(Duration::from_secs(30), after_attempts(3).unwrap());
    ///     read.retry(&policy).call()
    /// }
    ///
    /// let time = VirtualTime::new();
    /// let result = time.in_scope(|| load(|| Err("unreachable")));
    ///
    /// // A minute of backoff, in no time at all.
    /// assert_eq!(result, Err("unreachable"));
    /// assert_eq!(time.sleeps(), [Duration::from_secs(30); 2]);
    /// ```
    pub fn in_scope<T>(&self, f: impl FnOnce() -> T) -> T {
        backon_core::with_std_time(self.clone(), f)
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
        mix(inner.seed.wrapping_add(inner.seeds_given))
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
