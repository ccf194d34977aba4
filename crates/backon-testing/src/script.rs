//! Scripted operations: a fixed sequence of outcomes, one per call.

use crate::VirtualTime;
use crate::future::Scripted;
use core::fmt;
use core::time::Duration;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

/// An operation that plays back a sequence of outcomes, one per call, each
/// optionally taking virtual time.
///
/// Call [`call`](Script::call) from a blocking operation or
/// [`call_async`](Script::call_async) from an async one; each call takes
/// the next outcome and, with [`time`](Script::time) set, advances that
/// [`VirtualTime`] by the step's [`taking`](Script::taking) duration, as a
/// slow attempt would. Clones share the sequence and the count of calls,
/// so a clone can go into a `'static` operation while the test keeps one.
///
/// Running past the end is a bug in the test, not an outcome: the call
/// panics and says how many outcomes were scripted. A script never repeats
/// its last outcome; for an operation that always fails, write
/// `|| Err(e)`.
///
/// # Examples
///
/// ```
/// use backon::prelude::*;
/// use backon::testing::{Script, VirtualTime};
/// use std::time::Duration;
///
/// let time = VirtualTime::new();
/// let script = Script::new()
///     .time(&time)
///     .err("timeout")
///     .taking(Duration::from_secs(5))
///     .err("busy")
///     .ok("body");
/// let policy = Policy::new(Duration::from_secs(1), after_attempts(5)?);
///
/// let result = (|| script.call()).retry(&policy).runtime(time.clone()).call();
///
/// assert_eq!(result, Ok("body"));
/// assert_eq!(script.calls(), 3);
/// assert_eq!(script.remaining(), 0);
/// // 5 s in the first attempt, and two sleeps of 1 s.
/// assert_eq!(time.now(), Duration::from_secs(7));
/// # Ok::<(), backon::stop::StopError>(())
/// ```
///
/// The same script drives an async operation:
///
/// ```
/// use backon::prelude::*;
/// use backon::testing::{Script, VirtualTime};
/// use std::time::Duration;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), backon::stop::StopError> {
/// let script = Script::new().err("busy").ok(42);
/// let policy = Policy::new(Duration::from_secs(1), after_attempts(3)?);
///
/// let value = (|| script.call_async()).retry(&policy).runtime(VirtualTime::new()).await;
///
/// assert_eq!(value, Ok(42));
/// assert_eq!(script.calls(), 2);
/// # Ok(())
/// # }
/// ```
pub struct Script<T, E> {
    inner: Arc<Mutex<Inner<T, E>>>,
}

struct Inner<T, E> {
    steps: VecDeque<Step<T, E>>,
    scripted: usize,
    calls: u32,
    time: Option<VirtualTime>,
}

struct Step<T, E> {
    outcome: Result<T, E>,
    takes: Duration,
}

impl<T, E> Script<T, E> {
    /// Creates an empty script; add outcomes with [`ok`](Script::ok),
    /// [`err`](Script::err) or [`outcome`](Script::outcome).
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::testing::Script;
    ///
    /// let script = Script::<u32, &str>::new();
    /// assert_eq!(script.remaining(), 0);
    /// ```
    pub fn new() -> Self {
        Script {
            inner: Arc::new(Mutex::new(Inner {
                steps: VecDeque::new(),
                scripted: 0,
                calls: 0,
                time: None,
            })),
        }
    }

    /// Adds a call that returns `Ok(value)`.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::testing::Script;
    ///
    /// let script = Script::<_, &str>::new().ok(1).ok(2);
    /// assert_eq!(script.call(), Ok(1));
    /// assert_eq!(script.call(), Ok(2));
    /// ```
    pub fn ok(self, value: T) -> Self {
        self.outcome(Ok(value))
    }

    /// Adds a call that returns `Err(error)`.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::testing::Script;
    ///
    /// let script = Script::<(), _>::new().err("down");
    /// assert_eq!(script.call(), Err("down"));
    /// ```
    pub fn err(self, error: E) -> Self {
        self.outcome(Err(error))
    }

    /// Adds a call that returns `outcome`.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::testing::Script;
    ///
    /// let replies: Vec<Result<u32, &str>> = vec![Err("busy"), Ok(7)];
    /// let script = replies.into_iter().fold(Script::new(), Script::outcome);
    /// assert_eq!(script.remaining(), 2);
    /// ```
    pub fn outcome(self, outcome: Result<T, E>) -> Self {
        {
            let mut inner = self.lock();
            inner.steps.push_back(Step {
                outcome,
                takes: Duration::ZERO,
            });
            inner.scripted += 1;
        }
        self
    }

    /// Makes the last step added take `duration` of virtual time: its call
    /// advances the script's [`VirtualTime`] by that much.
    ///
    /// # Panics
    ///
    /// Panics when no step has been added yet. The call itself panics if
    /// the script has no [`time`](Script::time) to advance.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::testing::{Script, VirtualTime};
    /// use std::time::Duration;
    ///
    /// let time = VirtualTime::new();
    /// let script = Script::<(), _>::new().time(&time).err("slow").taking(Duration::from_secs(3));
    ///
    /// assert_eq!(script.call(), Err("slow"));
    /// assert_eq!(time.now(), Duration::from_secs(3));
    /// ```
    #[track_caller]
    pub fn taking(self, duration: Duration) -> Self {
        {
            let mut inner = self.lock();
            let Some(step) = inner.steps.back_mut() else {
                panic!("`taking` needs a step before it: call `ok`, `err` or `outcome` first");
            };
            step.takes = duration;
        }
        self
    }

    /// Sets the virtual time that the steps' durations advance.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::testing::{Script, VirtualTime};
    /// use std::time::Duration;
    ///
    /// let time = VirtualTime::new();
    /// let script = Script::<_, ()>::new().ok(1).taking(Duration::from_millis(20)).time(&time);
    ///
    /// assert_eq!(script.call(), Ok(1));
    /// assert_eq!(time.now(), Duration::from_millis(20));
    /// ```
    pub fn time(self, time: &VirtualTime) -> Self {
        self.lock().time = Some(time.clone());
        self
    }

    /// Plays the next step: advances the virtual time by the step's
    /// duration and returns its outcome.
    ///
    /// # Errors
    ///
    /// Returns the step's error when the script says `Err` for this call.
    ///
    /// # Panics
    ///
    /// Panics when every step has been played, and when the step takes
    /// time but the script has no [`time`](Script::time).
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::testing::Script;
    ///
    /// let script = Script::<(), _>::new().err("down");
    /// assert_eq!(script.call(), Err("down"));
    ///
    /// let failure = std::panic::catch_unwind(|| script.call()).unwrap_err();
    /// assert_eq!(
    ///     failure.downcast_ref::<String>().unwrap(),
    ///     "script exhausted: call 2 asked for an outcome, but only 1 was scripted",
    /// );
    /// ```
    #[track_caller]
    pub fn call(&self) -> Result<T, E> {
        let (step, time) = self.next();
        if let Some(time) = time {
            time.advance(step.takes);
        }
        step.outcome
    }

    /// Plays the next step as an async attempt: the returned future
    /// advances the virtual time by the step's duration when it is first
    /// polled, and resolves to the step's outcome at once.
    ///
    /// The step is taken, and the call counted, when this is called.
    ///
    /// # Panics
    ///
    /// As for [`call`](Script::call).
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::testing::{Script, VirtualTime};
    /// use std::time::Duration;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let time = VirtualTime::new();
    /// let script = Script::<(), _>::new().time(&time).err("slow").taking(Duration::from_secs(2));
    ///
    /// let attempt = script.call_async();
    /// assert_eq!(time.now(), Duration::ZERO);
    /// assert_eq!(attempt.await, Err("slow"));
    /// assert_eq!(time.now(), Duration::from_secs(2));
    /// # }
    /// ```
    #[track_caller]
    pub fn call_async(&self) -> Scripted<T, E> {
        let (step, time) = self.next();
        Scripted::new(step.outcome, time.map(|time| (time, step.takes)))
    }

    /// Returns the calls made so far.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::testing::Script;
    ///
    /// let script = Script::<_, ()>::new().ok(1).ok(2);
    /// let _ = script.call();
    /// assert_eq!(script.calls(), 1);
    /// ```
    pub fn calls(&self) -> u32 {
        self.lock().calls
    }

    /// Returns the steps not yet played.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::testing::Script;
    ///
    /// let script = Script::<_, ()>::new().ok(1).ok(2);
    /// let _ = script.call();
    /// assert_eq!(script.remaining(), 1);
    /// ```
    pub fn remaining(&self) -> usize {
        self.lock().steps.len()
    }

    #[track_caller]
    fn next(&self) -> (Step<T, E>, Option<VirtualTime>) {
        let mut inner = self.lock();
        inner.calls = inner.calls.saturating_add(1);
        let call = inner.calls;
        let scripted = inner.scripted;

        let Some(step) = inner.steps.pop_front() else {
            let noun = if scripted == 1 { "was" } else { "were" };
            drop(inner);
            panic!(
                "script exhausted: call {call} asked for an outcome, but only {scripted} {noun} \
                 scripted"
            );
        };
        let time = inner.time.clone();
        drop(inner);

        if time.is_none() && !step.takes.is_zero() {
            panic!(
                "script step {call} takes {:?}, but the script has no VirtualTime to advance: \
                 add one with `.time(&time)`",
                step.takes
            );
        }
        (step, time)
    }

    fn lock(&self) -> MutexGuard<'_, Inner<T, E>> {
        // Every update is complete before a panic can happen, so a poisoned
        // lock still guards a consistent script.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl<T, E> Clone for Script<T, E> {
    fn clone(&self) -> Self {
        Script {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<T, E> Default for Script<T, E> {
    fn default() -> Self {
        Self::new()
    }
}

/// Collects outcomes into a script that takes no time.
///
/// # Examples
///
/// ```
/// use backon::testing::Script;
///
/// let script: Script<u32, &str> = [Err("busy"), Err("busy"), Ok(1)].into_iter().collect();
/// assert_eq!(script.remaining(), 3);
/// ```
impl<T, E> FromIterator<Result<T, E>> for Script<T, E> {
    fn from_iter<I: IntoIterator<Item = Result<T, E>>>(outcomes: I) -> Self {
        outcomes.into_iter().fold(Script::new(), Script::outcome)
    }
}

impl<T, E> fmt::Debug for Script<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = self.lock();
        f.debug_struct("Script")
            .field("calls", &inner.calls)
            .field("remaining", &inner.steps.len())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::poll_once;
    use backon_core::{BlockingRetry, Policy, Retry};
    use backon_stop::after_attempts;

    fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    #[test]
    fn plays_outcomes_in_order_and_counts() {
        let script: Script<u32, &str> = [Err("a"), Ok(1), Err("b")].into_iter().collect();
        assert_eq!(script.call(), Err("a"));
        assert_eq!(script.call(), Ok(1));
        assert_eq!((script.calls(), script.remaining()), (2, 1));
        assert_eq!(script.clone().call(), Err("b"));
        assert_eq!(script.calls(), 3);
    }

    #[test]
    fn steps_take_their_time_blocking() {
        let time = VirtualTime::new();
        let script = Script::new()
            .time(&time)
            .err("slow")
            .taking(secs(3))
            .ok(7)
            .taking(secs(1));
        let policy = Policy::new(secs(2), after_attempts(3).unwrap());

        let result = BlockingRetry::new(|| script.call(), &policy, time.clone()).call();

        assert_eq!(result, Ok(7));
        assert_eq!(time.now(), secs(3 + 2 + 1));
        assert_eq!(time.sleeps(), [secs(2)]);
    }

    #[test]
    fn steps_take_their_time_async_with_no_runtime() {
        let time = VirtualTime::new();
        let script = Script::new().time(&time).err("slow").taking(secs(3)).ok(7);
        let policy = Policy::new(secs(2), after_attempts(3).unwrap());

        let result = poll_once(Retry::new(|| script.call_async(), &policy, time.clone()));

        assert_eq!(result, Ok(7));
        assert_eq!(time.now(), secs(5));
    }

    #[test]
    fn an_unpolled_attempt_takes_no_time() {
        let time = VirtualTime::new();
        let script = Script::<(), _>::new().time(&time).err("x").taking(secs(1));
        drop(script.call_async());
        assert_eq!(time.now(), Duration::ZERO);
        assert_eq!(script.calls(), 1);
    }

    #[test]
    fn running_past_the_end_panics_with_the_count() {
        let script = Script::<(), &str>::new().err("a").err("b");
        let _ = (script.call(), script.call());
        let failure = std::panic::catch_unwind(|| script.call()).unwrap_err();
        assert_eq!(
            failure.downcast_ref::<String>().unwrap(),
            "script exhausted: call 3 asked for an outcome, but only 2 were scripted"
        );
    }

    #[test]
    #[should_panic(expected = "has no VirtualTime to advance")]
    fn time_without_a_clock_panics() {
        let script = Script::<(), _>::new().err("x").taking(secs(1));
        let _ = script.call();
    }

    #[test]
    #[should_panic(expected = "`taking` needs a step before it")]
    fn taking_needs_a_step() {
        let _ = Script::<(), ()>::new().taking(secs(1));
    }

    #[test]
    fn debug_shows_counts() {
        let script = Script::<(), ()>::new().ok(());
        assert_eq!(
            format!("{script:?}"),
            "Script { calls: 0, remaining: 1, .. }"
        );
    }
}
