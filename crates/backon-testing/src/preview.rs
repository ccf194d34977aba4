//! The schedule preview: what a policy would do if every attempt failed.

use crate::VirtualTime;
use crate::schedule::Schedule;
use backon_core::{AsPolicy, BlockingSleeper, Engine, Policy, Progress, Step, Stop, Verdict};
use core::time::Duration;

/// Returns the delays and the stop reason `policy` would produce if every
/// attempt failed, with jitter seeded by `seed`, without running anything.
///
/// It is [`Preview::new(seed).run(policy)`](Preview::run); see [`Preview`]
/// for what it drives, what it leaves out, and the settings.
///
/// # Examples
///
/// ```
/// use backon::prelude::*;
/// use backon::testing::preview;
/// use std::time::Duration;
///
/// let policy = Policy::new(
///     Exponential::new(Duration::from_secs(1)).max(Duration::from_secs(5)),
///     after_attempts(5)? | time_limit(Duration::from_secs(10))?,
/// );
///
/// let schedule = preview(&policy, 0);
///
/// assert_eq!(schedule.delays(), [1, 2, 4, 3].map(Duration::from_secs));
/// assert_eq!(
///     schedule.to_string(),
///     "\
/// attempt  starts at  then
///       1         0s  sleeps 1s
///       2         1s  sleeps 2s
///       3         3s  sleeps 4s
///       4         7s  sleeps 3s
///       5        10s  gives up: attempt limit reached
/// "
/// );
/// # Ok::<(), backon::stop::StopError>(())
/// ```
pub fn preview<P: AsPolicy + ?Sized>(policy: &P, seed: u64) -> Schedule {
    Preview::new(seed).run(policy)
}

/// Settings for a schedule preview: the seed, how long each attempt takes,
/// and how many attempts to show at most.
///
/// [`run`](Preview::run) drives the real engine with the policy's real wait
/// strategy and stop condition on a [`VirtualTime::with_seed`], failing
/// every attempt. So the delays are exactly those of the first call run on
/// `VirtualTime::with_seed(seed)` whose attempts all fail, each taking
/// [`attempt_takes`](Preview::attempt_takes). Nothing else runs: the
/// policy's listeners hear nothing, and its retry condition is left out,
/// since it judges errors that a preview does not have. The preview shows
/// what happens when every error is retried and none carries a hint.
///
/// A retry budget the policy draws on is left untouched and taken to have
/// retries to spare, and a guard (a circuit breaker) is left out: both are
/// shared, live state that a preview must neither read as fixed nor spend.
///
/// A policy that never stops (`never()`) would retry forever; the preview
/// ends after [`max_attempts`](Preview::max_attempts) and says it was
/// truncated.
///
/// # Defaults
///
/// | setting | default |
/// |---|---|
/// | `attempt_takes` | zero |
/// | `max_attempts` | 1,000 |
///
/// # Examples
///
/// ```
/// use backon::prelude::*;
/// use backon::testing::Preview;
/// use std::time::Duration;
///
/// let policy = Policy::new(Duration::from_secs(1), never());
/// let schedule = Preview::new(0)
///     .attempt_takes(Duration::from_secs(2))
///     .max_attempts(3)
///     .run(&policy);
///
/// assert!(schedule.truncated());
/// assert_eq!(schedule.stop_reason(), None);
/// assert_eq!(schedule.starts(), [0, 3, 6].map(Duration::from_secs));
/// assert_eq!(
///     schedule.to_string(),
///     "\
/// attempt  starts at  then
///       1         0s  sleeps 1s
///       2         3s  sleeps 1s
///       3         6s  sleeps 1s
/// (preview truncated after 3 attempts: the policy had not stopped)
/// "
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Preview {
    seed: u64,
    attempt_takes: Duration,
    max_attempts: u32,
}

/// The error every previewed attempt fails with.
#[derive(Debug)]
struct Failed;

impl Preview {
    /// The default for [`max_attempts`](Preview::max_attempts).
    pub const DEFAULT_MAX_ATTEMPTS: u32 = 1_000;

    /// Creates the settings for a preview whose jitter is seeded by `seed`.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::prelude::*;
    /// use backon::testing::{Preview, preview};
    /// use std::time::Duration;
    ///
    /// let policy = Policy::new(Duration::from_secs(1), after_attempts(3)?);
    /// assert_eq!(Preview::new(9).run(&policy), preview(&policy, 9));
    /// # Ok::<(), backon::stop::StopError>(())
    /// ```
    pub const fn new(seed: u64) -> Self {
        Preview {
            seed,
            attempt_takes: Duration::ZERO,
            max_attempts: Self::DEFAULT_MAX_ATTEMPTS,
        }
    }

    /// Makes each attempt take `duration` before it fails, which matters to
    /// time limits.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::prelude::*;
    /// use backon::StopReason;
    /// use backon::testing::Preview;
    /// use std::time::Duration;
    ///
    /// let policy = Policy::new(Duration::from_secs(1), time_limit(Duration::from_secs(10))?);
    /// let schedule = Preview::new(0).attempt_takes(Duration::from_secs(4)).run(&policy);
    ///
    /// // 0-4 s, sleep 1 s, 5-9 s, sleep 1 s, 10-14 s: past the limit.
    /// assert_eq!(schedule.attempts(), 3);
    /// assert_eq!(schedule.stop_reason(), Some(StopReason::TimeLimit));
    /// assert_eq!(schedule.total_time(), Duration::from_secs(14));
    /// # Ok::<(), backon::stop::StopError>(())
    /// ```
    pub const fn attempt_takes(mut self, duration: Duration) -> Self {
        self.attempt_takes = duration;
        self
    }

    /// Ends the preview after `n` attempts if the policy has not stopped
    /// by then.
    ///
    /// # Panics
    ///
    /// Panics when `n` is zero.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::prelude::*;
    /// use backon::testing::Preview;
    /// use std::time::Duration;
    ///
    /// let policy = Policy::new(Duration::from_millis(10), after_attempts(50)?);
    /// let schedule = Preview::new(0).max_attempts(10).run(&policy);
    ///
    /// assert!(schedule.truncated());
    /// assert_eq!(schedule.attempts(), 10);
    /// # Ok::<(), backon::stop::StopError>(())
    /// ```
    #[track_caller]
    pub const fn max_attempts(mut self, n: u32) -> Self {
        assert!(n > 0, "a preview needs at least one attempt");
        self.max_attempts = n;
        self
    }

    /// Previews `policy`: runs its engine against failing attempts on
    /// virtual time and returns the schedule it produced.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::prelude::*;
    /// use backon::StopReason;
    /// use backon::testing::Preview;
    /// use std::time::Duration;
    ///
    /// let policy = Policy::new(Exponential::new(Duration::from_millis(100)), after_attempts(4)?);
    /// let schedule = Preview::new(0).run(&policy);
    ///
    /// assert_eq!(schedule.delays(), [100, 200, 400].map(Duration::from_millis));
    /// assert_eq!(schedule.stop_reason(), Some(StopReason::Attempts));
    /// # Ok::<(), backon::stop::StopError>(())
    /// ```
    pub fn run<P: AsPolicy + ?Sized>(&self, policy: &P) -> Schedule {
        let policy = policy.as_policy();
        let plain = Policy::new(policy.wait(), Dry(policy.stop()));
        let time = VirtualTime::with_seed(self.seed);
        let failed: Result<(), Failed> = Err(Failed);
        let mut engine = Engine::new();
        let mut starts = Vec::new();
        let mut delays = Vec::new();

        loop {
            starts.push(time.now());
            engine.start_attempt(&plain, &time);
            time.advance(self.attempt_takes);

            let delay = match engine.finish_attempt(&plain, &time, &failed) {
                Step::Return(reason) => return Schedule::new(starts, delays, time.now(), reason),
                Step::Retry(delay) => delay,
            };
            delays.push(delay);

            // The policy would go on; the preview stops here.
            if engine.attempts() >= self.max_attempts {
                return Schedule::new(starts, delays, time.now(), None);
            }

            // As every call style does, a zero delay is no sleep at all.
            if !delay.is_zero() {
                BlockingSleeper::sleep(&time, delay);
            }
        }
    }
}

impl Default for Preview {
    fn default() -> Self {
        Self::new(0)
    }
}

/// A stop condition asked only through [`Stop::check_dry`], so that a
/// preview spends nothing.
struct Dry<S>(S);

impl<S: Stop> Stop for Dry<S> {
    fn check(&self, progress: &Progress) -> Verdict {
        self.0.check_dry(progress)
    }

    fn uses_clock(&self) -> bool {
        self.0.uses_clock()
    }

    fn deadline(&self) -> Option<Duration> {
        self.0.deadline()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use backon_core::{BlockingRetry, StopReason};
    use backon_stop::{after_attempts, never, time_limit};

    fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    #[test]
    fn matches_a_real_failing_call() {
        let policy = Policy::new(
            secs(4),
            after_attempts(10).unwrap() | time_limit(secs(30)).unwrap(),
        );
        let schedule = Preview::new(5).attempt_takes(secs(3)).run(&policy);

        let time = VirtualTime::with_seed(5);
        let clock = time.clone();
        let report = BlockingRetry::new(
            || {
                clock.advance(secs(3));
                Err::<(), _>("down")
            },
            &policy,
            time.clone(),
        )
        .call_with_report();

        assert_eq!(schedule.delays(), time.sleeps());
        assert_eq!(schedule.attempts(), report.attempts);
        assert_eq!(schedule.stop_reason(), report.gave_up);
        assert_eq!(schedule.total_time(), time.now());
    }

    #[test]
    fn ignores_the_condition_and_the_listeners() {
        let heard = std::sync::atomic::AtomicU32::new(0);
        let policy = Policy::new(secs(1), after_attempts(3).unwrap())
            .retry_when(backon_core::condition::when_err(|_: &u8| false))
            .listen(|_: &backon_core::Event<'_, u8>| {
                heard.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            });

        let schedule = preview(&policy, 0);

        assert_eq!(schedule.attempts(), 3);
        assert_eq!(schedule.stop_reason(), Some(StopReason::Attempts));
        assert_eq!(heard.into_inner(), 0);
    }

    #[test]
    fn never_is_truncated() {
        let schedule = Preview::new(0)
            .max_attempts(1)
            .run(&Policy::new(secs(1), never()));
        assert!(schedule.truncated());
        assert_eq!(schedule.delays(), [secs(1)]);
        assert_eq!(schedule.starts(), [Duration::ZERO]);

        let long = preview(&Policy::new(Duration::ZERO, never()), 0);
        assert_eq!(long.attempts(), Preview::DEFAULT_MAX_ATTEMPTS);
        assert_eq!(long.total_time(), Duration::ZERO);
    }

    #[test]
    fn one_attempt_is_one_row() {
        let schedule = preview(&Policy::new(secs(1), after_attempts(1).unwrap()), 0);
        assert!(schedule.delays().is_empty());
        assert_eq!(
            schedule.to_string(),
            "attempt  starts at  then\n      1         0s  gives up: attempt limit reached\n"
        );
    }

    #[test]
    #[should_panic(expected = "a preview needs at least one attempt")]
    fn zero_attempts_is_refused() {
        let _ = Preview::new(0).max_attempts(0);
    }

    #[test]
    fn wide_numbers_widen_the_columns() {
        let policy = Policy::new(Duration::from_millis(1500), after_attempts(12).unwrap());
        let table = preview(&policy, 0).to_string();
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines[0], "attempt  starts at  then");
        assert_eq!(lines[1], "      1         0s  sleeps 1.5s");
        assert_eq!(
            lines[12],
            "     12      16.5s  gives up: attempt limit reached"
        );
    }
}
