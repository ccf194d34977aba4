//! Fault injection: make any operation fail, deterministically, and slow.

use crate::VirtualTime;
use crate::future::Faulty;
use crate::rng::SplitMix64;
use core::fmt;
use core::future::Future;
use core::time::Duration;
use std::sync::{Arc, Mutex, MutexGuard};

/// Fault injection: wraps any operation, blocking or async, so that some
/// calls fail with an error of your making and every call takes virtual
/// time.
///
/// A call fails when it is one of the first [`fail_first`] calls, or else
/// with the probability [`fail_rate`], drawn from a generator seeded with
/// [`seed`]: the same seed fails the same calls, run after run. A failed
/// call returns the error that [`fail_with`]'s closure makes and does not
/// call the operation. With [`latency`] and [`time`], every call, failed
/// or not, first advances that [`VirtualTime`].
///
/// Clones share the generator and the counts, and so do all operations
/// wrapped by one `Faults`: calls are numbered across all of them, in the
/// order they happen.
///
/// [`fail_first`]: Faults::fail_first
/// [`fail_rate`]: Faults::fail_rate
/// [`seed`]: Faults::seed
/// [`fail_with`]: Faults::fail_with
/// [`latency`]: Faults::latency
/// [`time`]: Faults::time
///
/// # Defaults
///
/// | setting | default |
/// |---|---|
/// | `fail_first` | 0: no call fails for being early |
/// | `fail_rate` | 0: no call fails by chance |
/// | `seed` | 0 |
/// | `latency` | zero: calls take no time |
///
/// # Examples
///
/// ```
/// use backon::prelude::*;
/// use backon::testing::{Faults, Recorder, VirtualTime};
/// use std::time::Duration;
///
/// #[derive(Debug, PartialEq)]
/// enum FetchError { Injected }
///
/// fn fetch() -> Result<&'static str, FetchError> {
///     Ok("body")
/// }
///
/// let time = VirtualTime::new();
/// let faults = Faults::fail_with(|| FetchError::Injected)
///     .fail_first(2)
///     .latency(Duration::from_millis(100))
///     .time(&time);
/// let recorder = Recorder::new();
/// let policy = Policy::new(Duration::from_secs(1), after_attempts(5)?).listen(recorder.clone());
///
/// let result = faults.wrap(fetch).retry(&policy).runtime(time.clone()).call();
///
/// assert_eq!(result, Ok("body"));
/// assert_eq!((faults.calls(), faults.injected()), (3, 2));
/// recorder.assert_attempts(3);
/// // Three attempts of 100 ms and two sleeps of 1 s.
/// assert_eq!(time.now(), Duration::from_millis(2300));
/// # Ok::<(), backon::stop::StopError>(())
/// ```
pub struct Faults<F> {
    make_error: Arc<F>,
    settings: Settings,
    shared: Arc<Mutex<Shared>>,
}

#[derive(Debug, Clone)]
struct Settings {
    first: u32,
    rate: f64,
    latency: Duration,
    time: Option<VirtualTime>,
}

#[derive(Debug)]
struct Shared {
    rng: SplitMix64,
    calls: u32,
    injected: u32,
}

impl<F> Faults<F> {
    /// Creates fault injection whose failures return the error `make_error`
    /// makes, and that fails nothing until told when to.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::testing::Faults;
    ///
    /// let faults = Faults::fail_with(|| "injected").fail_first(1);
    /// let mut op = faults.wrap(|| Ok::<_, &str>(1));
    ///
    /// assert_eq!(op(), Err("injected"));
    /// assert_eq!(op(), Ok(1));
    /// ```
    pub fn fail_with<E>(make_error: F) -> Self
    where
        F: Fn() -> E,
    {
        Faults {
            make_error: Arc::new(make_error),
            settings: Settings {
                first: 0,
                rate: 0.0,
                latency: Duration::ZERO,
                time: None,
            },
            shared: Arc::new(Mutex::new(Shared {
                rng: SplitMix64::new(0),
                calls: 0,
                injected: 0,
            })),
        }
    }

    /// Fails the first `k` calls.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::testing::Faults;
    ///
    /// let faults = Faults::fail_with(|| "injected").fail_first(2);
    /// let mut op = faults.wrap(|| Ok::<_, &str>(()));
    ///
    /// let outcomes: Vec<_> = (0..3).map(|_| op().is_ok()).collect();
    /// assert_eq!(outcomes, [false, false, true]);
    /// ```
    pub fn fail_first(mut self, k: u32) -> Self {
        self.settings.first = k;
        self
    }

    /// Fails each later call with probability `p`, from 0 (never) to 1
    /// (always), drawn from the [`seed`](Faults::seed)ed generator.
    ///
    /// # Panics
    ///
    /// Panics when `p` is not within `0.0..=1.0` (NaN included).
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::testing::Faults;
    ///
    /// let run = |seed| {
    ///     let faults = Faults::fail_with(|| "injected").fail_rate(0.5).seed(seed);
    ///     let mut op = faults.wrap(|| Ok::<_, &str>(()));
    ///     (0..20).map(|_| op().is_ok()).collect::<Vec<_>>()
    /// };
    ///
    /// assert_eq!(run(7), run(7));
    /// assert_ne!(run(7), run(8));
    /// ```
    #[track_caller]
    pub fn fail_rate(mut self, p: f64) -> Self {
        assert!(
            (0.0..=1.0).contains(&p),
            "fail_rate must be a probability from 0.0 to 1.0, not {p}"
        );
        self.settings.rate = p;
        self
    }

    /// Seeds the generator behind [`fail_rate`](Faults::fail_rate) and
    /// starts it over.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::testing::Faults;
    ///
    /// let faults = Faults::fail_with(|| "injected").fail_rate(0.3).seed(42);
    /// let mut op = faults.wrap(|| Ok::<_, &str>(()));
    /// for _ in 0..100 {
    ///     let _ = op();
    /// }
    ///
    /// // Seed 42 fails the same calls every run.
    /// let again = Faults::fail_with(|| "injected").fail_rate(0.3).seed(42);
    /// let mut op = again.wrap(|| Ok::<_, &str>(()));
    /// for _ in 0..100 {
    ///     let _ = op();
    /// }
    /// assert_eq!(faults.injected(), again.injected());
    /// ```
    pub fn seed(self, seed: u64) -> Self {
        self.lock().rng = SplitMix64::new(seed);
        self
    }

    /// Makes every call take `latency` of virtual time, advancing the
    /// [`time`](Faults::time) before the call runs or fails.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::testing::{Faults, VirtualTime};
    /// use std::time::Duration;
    ///
    /// let time = VirtualTime::new();
    /// let faults = Faults::fail_with(|| "injected").latency(Duration::from_millis(40)).time(&time);
    /// let mut op = faults.wrap(|| Ok::<_, &str>(()));
    ///
    /// let _ = op();
    /// let _ = op();
    /// assert_eq!(time.now(), Duration::from_millis(80));
    /// ```
    pub fn latency(mut self, latency: Duration) -> Self {
        self.settings.latency = latency;
        self
    }

    /// Sets the virtual time that [`latency`](Faults::latency) advances.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::testing::{Faults, VirtualTime};
    /// use std::time::Duration;
    ///
    /// let time = VirtualTime::new();
    /// let faults = Faults::fail_with(|| "injected").time(&time).latency(Duration::from_secs(1));
    /// let _ = faults.wrap(|| Ok::<_, &str>(()))();
    /// assert_eq!(time.now(), Duration::from_secs(1));
    /// ```
    pub fn time(mut self, time: &VirtualTime) -> Self {
        self.settings.time = Some(time.clone());
        self
    }

    /// Wraps a blocking operation.
    ///
    /// # Panics
    ///
    /// The wrapped operation panics when a latency is set but no
    /// [`time`](Faults::time).
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::prelude::*;
    /// use backon::testing::{Faults, VirtualTime};
    /// use std::time::Duration;
    ///
    /// let faults = Faults::fail_with(|| std::io::Error::other("injected")).fail_first(1);
    /// let policy = Policy::new(Duration::from_secs(1), after_attempts(3)?);
    ///
    /// let read = faults.wrap(|| std::fs::read_to_string("Cargo.toml"));
    /// let contents = read.retry(&policy).runtime(VirtualTime::new()).call();
    ///
    /// assert!(contents.is_ok());
    /// assert_eq!(faults.injected(), 1);
    /// # Ok::<(), backon::stop::StopError>(())
    /// ```
    pub fn wrap<Op, T, E>(&self, mut op: Op) -> impl FnMut() -> Result<T, E> + use<F, Op, T, E>
    where
        F: Fn() -> E,
        Op: FnMut() -> Result<T, E>,
    {
        let faults = self.clone();
        move || {
            faults.take_time();
            if faults.fails() {
                Err((faults.make_error)())
            } else {
                op()
            }
        }
    }

    /// Wraps an async operation.
    ///
    /// A failed call resolves to the error at its first poll; the latency,
    /// too, passes at the first poll.
    ///
    /// # Panics
    ///
    /// The wrapped operation's future panics when a latency is set but no
    /// [`time`](Faults::time).
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::prelude::*;
    /// use backon::testing::{Faults, VirtualTime};
    /// use std::time::Duration;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), backon::stop::StopError> {
    /// let time = VirtualTime::new();
    /// let faults = Faults::fail_with(|| "injected")
    ///     .fail_first(1)
    ///     .latency(Duration::from_millis(250))
    ///     .time(&time);
    /// let policy = Policy::new(Duration::from_secs(1), after_attempts(3)?);
    ///
    /// let fetch = faults.wrap_async(|| async { Ok::<_, &str>("body") });
    /// let body = fetch.retry(&policy).runtime(time.clone()).await;
    ///
    /// assert_eq!(body, Ok("body"));
    /// assert_eq!(time.now(), Duration::from_millis(1500));
    /// # Ok(())
    /// # }
    /// ```
    pub fn wrap_async<Op, Fut, T, E>(
        &self,
        mut op: Op,
    ) -> impl FnMut() -> Faulty<Fut, E> + use<F, Op, Fut, T, E>
    where
        F: Fn() -> E,
        Op: FnMut() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let faults = self.clone();
        move || {
            let latency = (faults.settings.time.clone(), faults.settings.latency);
            if faults.fails() {
                Faulty::injected((faults.make_error)(), latency)
            } else {
                Faulty::running(op(), latency)
            }
        }
    }

    /// Returns the calls made so far, through every wrapped operation.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::testing::Faults;
    ///
    /// let faults = Faults::fail_with(|| "injected");
    /// let mut op = faults.wrap(|| Ok::<_, &str>(()));
    /// let _ = op();
    /// assert_eq!(faults.calls(), 1);
    /// ```
    pub fn calls(&self) -> u32 {
        self.lock().calls
    }

    /// Returns the calls failed on purpose so far.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::testing::Faults;
    ///
    /// let faults = Faults::fail_with(|| "injected").fail_rate(1.0);
    /// let mut op = faults.wrap(|| Ok::<_, &str>(()));
    /// let _ = op();
    /// let _ = op();
    /// assert_eq!(faults.injected(), 2);
    /// ```
    pub fn injected(&self) -> u32 {
        self.lock().injected
    }

    /// Counts a call and decides whether it fails.
    fn fails(&self) -> bool {
        let mut shared = self.lock();
        shared.calls = shared.calls.saturating_add(1);

        // Every call draws, so a call's chance depends on its number and
        // the seed only, whatever `fail_first` says.
        let draw = shared.rng.next_f64();
        let fails = shared.calls <= self.settings.first || draw < self.settings.rate;
        if fails {
            shared.injected = shared.injected.saturating_add(1);
        }
        fails
    }

    fn take_time(&self) {
        advance(self.settings.time.as_ref(), self.settings.latency);
    }

    fn lock(&self) -> MutexGuard<'_, Shared> {
        // Each update is a few plain assignments that cannot panic.
        self.shared
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Advances `time` by a latency, which needs a time unless it is zero.
pub(crate) fn advance(time: Option<&VirtualTime>, latency: Duration) {
    if latency.is_zero() {
        return;
    }
    match time {
        Some(time) => time.advance(latency),
        None => panic!(
            "faults add a latency of {latency:?}, but have no VirtualTime to advance: \
             add one with `.time(&time)`"
        ),
    }
}

impl<F> Clone for Faults<F> {
    fn clone(&self) -> Self {
        Faults {
            make_error: Arc::clone(&self.make_error),
            settings: self.settings.clone(),
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<F> fmt::Debug for Faults<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shared = self.lock();
        f.debug_struct("Faults")
            .field("fail_first", &self.settings.first)
            .field("fail_rate", &self.settings.rate)
            .field("latency", &self.settings.latency)
            .field("calls", &shared.calls)
            .field("injected", &shared.injected)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::poll_once;
    use backon_core::{BlockingRetry, Policy, Retry};
    use backon_stop::{after_attempts, never};

    fn pattern(faults: &Faults<impl Fn() -> &'static str>, n: usize) -> Vec<bool> {
        let mut op = faults.wrap(|| Ok::<_, &str>(()));
        (0..n).map(|_| op().is_err()).collect()
    }

    #[test]
    fn the_same_seed_fails_the_same_calls() {
        let make = |seed| Faults::fail_with(|| "x").fail_rate(0.4).seed(seed);
        let a = pattern(&make(11), 200);
        assert_eq!(a, pattern(&make(11), 200));
        assert_ne!(a, pattern(&make(12), 200));

        // Roughly the rate asked for.
        let failed = a.iter().filter(|f| **f).count();
        assert!((50..=110).contains(&failed), "{failed} of 200");
    }

    #[test]
    fn fail_first_does_not_shift_the_random_draws() {
        let plain = pattern(&Faults::fail_with(|| "x").fail_rate(0.5).seed(3), 50);
        let first = pattern(
            &Faults::fail_with(|| "x")
                .fail_rate(0.5)
                .seed(3)
                .fail_first(5),
            50,
        );
        assert!(first[..5].iter().all(|f| *f));
        assert_eq!(first[5..], plain[5..]);
    }

    #[test]
    fn rates_zero_and_one() {
        assert!(
            pattern(&Faults::fail_with(|| "x").fail_rate(0.0), 100)
                .iter()
                .all(|f| !f)
        );
        assert!(
            pattern(&Faults::fail_with(|| "x").fail_rate(1.0), 100)
                .iter()
                .all(|f| *f)
        );
    }

    #[test]
    #[should_panic(expected = "fail_rate must be a probability from 0.0 to 1.0, not NaN")]
    fn a_rate_must_be_a_probability() {
        let _ = Faults::fail_with(|| "x").fail_rate(f64::NAN);
    }

    #[test]
    #[should_panic(expected = "have no VirtualTime to advance")]
    fn latency_without_a_clock_panics() {
        let faults = Faults::fail_with(|| "x").latency(Duration::from_millis(1));
        let _ = faults.wrap(|| Ok::<_, &str>(()))();
    }

    #[test]
    fn an_injected_failure_does_not_call_the_operation() {
        let faults = Faults::fail_with(|| "injected").fail_first(2);
        let mut real = 0;
        let policy = Policy::new(Duration::from_secs(1), after_attempts(5).unwrap());

        let result = BlockingRetry::new(
            faults.wrap(|| {
                real += 1;
                Ok::<_, &str>(real)
            }),
            &policy,
            VirtualTime::new(),
        )
        .call();

        assert_eq!(result, Ok(1));
        assert_eq!((faults.calls(), faults.injected()), (3, 2));
    }

    #[test]
    fn async_wrapping_with_no_runtime() {
        let time = VirtualTime::with_seed(1);
        let faults = Faults::fail_with(|| "injected")
            .fail_rate(0.5)
            .seed(99)
            .latency(Duration::from_millis(10))
            .time(&time);
        let policy = Policy::new(Duration::from_millis(100), never());

        let result = poll_once(Retry::new(
            faults.wrap_async(|| async { Ok::<_, &str>("ok") }),
            &policy,
            time.clone(),
        ));

        assert_eq!(result, Ok("ok"));
        let calls = faults.calls();
        assert_eq!(faults.injected(), calls - 1);
        let ms = u64::from(calls) * 10 + u64::from(calls - 1) * 100;
        assert_eq!(time.now(), Duration::from_millis(ms));
    }

    #[test]
    fn an_unpolled_call_takes_no_time() {
        let time = VirtualTime::new();
        let faults = Faults::fail_with(|| "x")
            .fail_first(1)
            .latency(Duration::from_secs(1))
            .time(&time);
        let mut op = faults.wrap_async(|| async { Ok::<_, &str>(()) });
        drop(op());
        assert_eq!(time.now(), Duration::ZERO);
        assert_eq!(poll_once(op()), Ok(()));
        assert_eq!(time.now(), Duration::from_secs(1));
    }

    #[test]
    fn wrapped_operations_share_the_counts() {
        let faults = Faults::fail_with(|| "x").fail_first(1);
        let mut a = faults.wrap(|| Ok::<_, &str>(()));
        let mut b = faults.clone().wrap(|| Ok::<_, &str>(()));
        assert!(a().is_err());
        assert!(b().is_ok());
        assert_eq!(faults.calls(), 2);
        assert!(format!("{faults:?}").contains("calls: 2, injected: 1"));
    }
}
