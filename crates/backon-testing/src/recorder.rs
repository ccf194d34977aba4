//! A listener that records what a policy did, for assertions.

use crate::call::RecordedCall;
use crate::event::RecordedEvent;
use backon_core::{Event, Listener, StopReason};
use core::fmt;
use core::time::Duration;
use std::sync::{Arc, Mutex, MutexGuard};

/// A listener that records every event of the calls made with a policy, so
/// that a test can assert on what the real policy did.
///
/// Attach a clone to the policy you built, the one your code really uses,
/// with [`Policy::listen`](backon_core::Policy::listen); clones share one
/// log, so the one you keep sees everything. It only listens: it changes
/// no decision and does not even make the engine read the clock.
///
/// It records every call made through the policy, one after another.
/// [`events`](Recorder::events), [`attempts`](Recorder::attempts),
/// [`delays`](Recorder::delays) and [`errors`](Recorder::errors) cover
/// all of them; [`stop_reason`](Recorder::stop_reason) and
/// [`succeeded`](Recorder::succeeded) tell how the last call ended; and
/// [`calls`](Recorder::calls) splits the log into calls, each starting at
/// its first attempt (or at the guard's refusal of it). Calls that run at
/// the same time interleave their events in the one log, so give each
/// concurrent call a policy with its own recorder when you need them apart.
///
/// It listens to a hedge policy (`HedgePolicy::listen` of `backon-hedge`)
/// as well, and records the `Hedge*` events of each group in order. A
/// hedged group is a call of its own in [`calls`](Recorder::calls) and in
/// the printed log, unless it is an attempt of a retry the recorder also
/// hears. The summaries above (attempts, delays, errors, how a call
/// ended) read the events of retries only, so match on
/// [`events`](Recorder::events) for a hedged group.
///
/// Errors are kept as their `Debug` text, so the error type must
/// implement `Debug`.
///
/// # Examples
///
/// ```
/// use backon::prelude::*;
/// use backon::StopReason;
/// use backon::testing::{Recorder, VirtualTime};
/// use std::time::Duration;
///
/// let recorder = Recorder::new();
/// let policy = Policy::new(Exponential::new(Duration::from_secs(1)), after_attempts(3)?)
///     .listen(recorder.clone());
///
/// let result = (|| Err::<(), _>("down")).retry(&policy).runtime(VirtualTime::new()).call();
///
/// assert_eq!(result, Err("down"));
/// assert_eq!(recorder.attempts(), 3);
/// assert_eq!(recorder.delays(), [Duration::from_secs(1), Duration::from_secs(2)]);
/// assert_eq!(recorder.stop_reason(), Some(StopReason::Attempts));
/// assert!(!recorder.succeeded());
/// assert_eq!(
///     recorder.to_string(),
///     r#"call 1
///   attempt 1 started
///   attempt 1 failed: "down"
///   sleep 1s, then attempt 2
///   attempt 2 started
///   attempt 2 failed: "down"
///   sleep 2s, then attempt 3
///   attempt 3 started
///   attempt 3 failed: "down"
///   gave up after 3 attempts: attempt limit reached
/// "#
/// );
/// # Ok::<(), backon::stop::StopError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Recorder {
    log: Arc<Mutex<Vec<RecordedEvent>>>,
}

impl Recorder {
    /// Creates an empty recorder.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::testing::Recorder;
    ///
    /// let recorder = Recorder::new();
    /// assert!(recorder.events().is_empty());
    /// assert_eq!(recorder.to_string(), "no events recorded\n");
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Returns every event recorded, of every call, in order.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::prelude::*;
    /// use backon::testing::{RecordedEvent, Recorder, VirtualTime};
    /// use std::time::Duration;
    ///
    /// let recorder = Recorder::new();
    /// let policy = Policy::new(Duration::from_secs(1), after_attempts(3)?).listen(recorder.clone());
    ///
    /// let mut replies = [Err("busy"), Ok(7)].into_iter();
    /// let _ = (|| replies.next().unwrap()).retry(&policy).runtime(VirtualTime::new()).call();
    ///
    /// assert_eq!(
    ///     recorder.events(),
    ///     [
    ///         RecordedEvent::AttemptStarted { attempt: 1 },
    ///         RecordedEvent::AttemptFailed { attempt: 1, error: Some(r#""busy""#.into()), elapsed: None },
    ///         RecordedEvent::RetryScheduled { attempt: 1, delay: Duration::from_secs(1) },
    ///         RecordedEvent::AttemptStarted { attempt: 2 },
    ///         RecordedEvent::Succeeded { attempts: 2 },
    ///     ]
    /// );
    /// # Ok::<(), backon::stop::StopError>(())
    /// ```
    pub fn events(&self) -> Vec<RecordedEvent> {
        self.lock().clone()
    }

    /// Returns the log split into calls: a call starts at each first
    /// attempt.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::prelude::*;
    /// use backon::StopReason;
    /// use backon::testing::{Recorder, VirtualTime};
    /// use std::time::Duration;
    ///
    /// let recorder = Recorder::new();
    /// let policy = Policy::new(Duration::from_secs(1), after_attempts(2)?).listen(recorder.clone());
    /// let time = VirtualTime::new();
    ///
    /// let _ = (|| Ok::<_, &str>(1)).retry(&policy).runtime(time.clone()).call();
    /// let _ = (|| Err::<(), _>("down")).retry(&policy).runtime(time.clone()).call();
    ///
    /// let calls = recorder.calls();
    /// assert_eq!(calls.len(), 2);
    /// assert!(calls[0].succeeded());
    /// assert_eq!(calls[1].stop_reason(), Some(StopReason::Attempts));
    /// assert_eq!(recorder.attempts(), 3);
    /// # Ok::<(), backon::stop::StopError>(())
    /// ```
    pub fn calls(&self) -> Vec<RecordedCall> {
        RecordedCall::split(&self.lock())
    }

    /// Returns the attempts started, in all calls.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::prelude::*;
    /// use backon::testing::{Recorder, VirtualTime};
    /// use std::time::Duration;
    ///
    /// let recorder = Recorder::new();
    /// let policy = Policy::new(Duration::from_secs(1), after_attempts(4)?).listen(recorder.clone());
    /// let _ = (|| Err::<(), _>("down")).retry(&policy).runtime(VirtualTime::new()).call();
    ///
    /// assert_eq!(recorder.attempts(), 4);
    /// # Ok::<(), backon::stop::StopError>(())
    /// ```
    pub fn attempts(&self) -> u32 {
        crate::call::attempts(&self.lock())
    }

    /// Returns the delay of every retry scheduled, in all calls, in order.
    ///
    /// A zero delay is a retry without a sleep; it is listed too.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::prelude::*;
    /// use backon::testing::{Recorder, VirtualTime};
    /// use std::time::Duration;
    ///
    /// let recorder = Recorder::new();
    /// let policy = Policy::new(Duration::ZERO, after_attempts(3)?).listen(recorder.clone());
    /// let _ = (|| Err::<(), _>("down")).retry(&policy).runtime(VirtualTime::new()).call();
    ///
    /// assert_eq!(recorder.delays(), [Duration::ZERO; 2]);
    /// # Ok::<(), backon::stop::StopError>(())
    /// ```
    pub fn delays(&self) -> Vec<Duration> {
        crate::call::delays(&self.lock())
    }

    /// Returns the `Debug` text of every error that failed an attempt, in
    /// all calls, in order.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::prelude::*;
    /// use backon::testing::{Recorder, VirtualTime};
    /// use std::time::Duration;
    ///
    /// #[derive(Debug)]
    /// enum ApiError { Busy, Denied }
    ///
    /// let recorder = Recorder::new();
    /// let policy = Policy::new(Duration::from_secs(1), after_attempts(2)?).listen(recorder.clone());
    /// let mut replies = [ApiError::Busy, ApiError::Denied].into_iter();
    /// let _ = (|| Err::<(), _>(replies.next().unwrap()))
    ///     .retry(&policy)
    ///     .runtime(VirtualTime::new())
    ///     .call();
    ///
    /// assert_eq!(recorder.errors(), ["Busy", "Denied"]);
    /// # Ok::<(), backon::stop::StopError>(())
    /// ```
    pub fn errors(&self) -> Vec<String> {
        crate::call::errors(&self.lock())
    }

    /// Returns why the last call gave up: `None` when it succeeded, when it
    /// has not ended, or when nothing was recorded.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::prelude::*;
    /// use backon::{StopReason, condition};
    /// use backon::testing::{Recorder, VirtualTime};
    /// use std::time::Duration;
    ///
    /// let recorder = Recorder::new();
    /// let policy = Policy::new(Duration::from_secs(1), after_attempts(5)?)
    ///     .retry_when(condition::when_err(|e: &&str| *e == "busy"))
    ///     .listen(recorder.clone());
    /// let _ = (|| Err::<(), _>("denied")).retry(&policy).runtime(VirtualTime::new()).call();
    ///
    /// assert_eq!(recorder.stop_reason(), Some(StopReason::NotRetryable));
    /// # Ok::<(), backon::stop::StopError>(())
    /// ```
    pub fn stop_reason(&self) -> Option<StopReason> {
        self.last_call().and_then(|call| call.stop_reason())
    }

    /// Returns whether the last call succeeded.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::prelude::*;
    /// use backon::testing::{Recorder, VirtualTime};
    /// use std::time::Duration;
    ///
    /// let recorder = Recorder::new();
    /// let policy = Policy::new(Duration::from_secs(1), after_attempts(3)?).listen(recorder.clone());
    /// assert!(!recorder.succeeded());
    ///
    /// let _ = (|| Ok::<_, &str>(1)).retry(&policy).runtime(VirtualTime::new()).call();
    /// assert!(recorder.succeeded());
    /// # Ok::<(), backon::stop::StopError>(())
    /// ```
    pub fn succeeded(&self) -> bool {
        self.last_call().is_some_and(|call| call.succeeded())
    }

    /// Forgets everything recorded so far.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::prelude::*;
    /// use backon::testing::{Recorder, VirtualTime};
    /// use std::time::Duration;
    ///
    /// let recorder = Recorder::new();
    /// let policy = Policy::new(Duration::from_secs(1), after_attempts(3)?).listen(recorder.clone());
    /// let _ = (|| Ok::<_, &str>(1)).retry(&policy).runtime(VirtualTime::new()).call();
    ///
    /// recorder.clear();
    /// assert_eq!(recorder.attempts(), 0);
    /// # Ok::<(), backon::stop::StopError>(())
    /// ```
    pub fn clear(&self) {
        self.lock().clear();
    }

    pub(crate) fn last_call(&self) -> Option<RecordedCall> {
        RecordedCall::split(&self.lock()).pop()
    }

    fn lock(&self) -> MutexGuard<'_, Vec<RecordedEvent>> {
        // A push is a single step, so a panic elsewhere never leaves the log
        // half-written.
        self.log
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl<E: fmt::Debug> Listener<E> for Recorder {
    fn on_event(&self, event: &Event<'_, E>) {
        self.lock().push(RecordedEvent::from(event));
    }
}

/// The log, one call after another, one event a line.
impl fmt::Display for Recorder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let calls = self.calls();
        if calls.is_empty() {
            return f.write_str("no events recorded\n");
        }
        for (n, call) in calls.iter().enumerate() {
            writeln!(f, "call {}", n + 1)?;
            for event in call.events() {
                writeln!(f, "  {event}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use backon_core::{BlockingRetry, Policy};
    use backon_stop::after_attempts;

    fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    fn failing(policy_attempts: u32, failures: u32) -> Recorder {
        let recorder = Recorder::new();
        let policy =
            Policy::new(secs(1), after_attempts(policy_attempts).unwrap()).listen(recorder.clone());
        let mut calls = 0;
        let _ = BlockingRetry::new(
            || {
                calls += 1;
                if calls <= failures {
                    Err("down")
                } else {
                    Ok(calls)
                }
            },
            &policy,
            crate::VirtualTime::new(),
        )
        .call();
        recorder
    }

    #[test]
    fn records_a_success_after_failures() {
        let recorder = failing(5, 2);

        assert_eq!(recorder.attempts(), 3);
        assert_eq!(recorder.delays(), [secs(1), secs(1)]);
        assert_eq!(recorder.errors(), [r#""down""#, r#""down""#]);
        assert!(recorder.succeeded());
        assert_eq!(recorder.stop_reason(), None);
        recorder.assert_succeeded();
        recorder.assert_attempts(3);
        recorder.assert_delays(&[secs(1), secs(1)]);
    }

    #[test]
    fn records_every_call_and_splits_them() {
        let recorder = Recorder::new();
        let policy = Policy::new(secs(1), after_attempts(2).unwrap()).listen(recorder.clone());
        let time = crate::VirtualTime::new();

        let _ = BlockingRetry::new(|| Err::<(), _>("a"), &policy, time.clone()).call();
        let _ = BlockingRetry::new(|| Ok::<_, &str>(1), &policy, time.clone()).call();
        let _ = BlockingRetry::new(|| Err::<(), _>("b"), &policy, time.clone()).call();

        let calls = recorder.calls();
        assert_eq!(calls.len(), 3);
        assert_eq!(
            calls.iter().map(RecordedCall::attempts).collect::<Vec<_>>(),
            [2, 1, 2]
        );
        assert!(calls.iter().all(RecordedCall::finished));
        assert!(calls[1].succeeded());
        assert_eq!(calls[2].errors(), [r#""b""#, r#""b""#]);

        // The totals cover all calls; the ending is the last call's.
        assert_eq!(recorder.attempts(), 5);
        assert_eq!(recorder.delays(), [secs(1), secs(1)]);
        assert_eq!(recorder.stop_reason(), Some(StopReason::Attempts));
        assert!(!recorder.succeeded());
        assert!(recorder.to_string().contains("call 3\n"));

        recorder.clear();
        assert!(recorder.calls().is_empty());
        assert_eq!(recorder.stop_reason(), None);
    }

    #[test]
    fn clones_share_the_log_across_threads() {
        let recorder = Recorder::new();
        let policy = std::sync::Arc::new(
            Policy::new(Duration::ZERO, after_attempts(2).unwrap()).listen(recorder.clone()),
        );

        let handles: Vec<_> = (0..4)
            .map(|_| {
                let policy = policy.clone();
                std::thread::spawn(move || {
                    let _ =
                        BlockingRetry::new(|| Err::<(), _>(()), policy, crate::VirtualTime::new())
                            .call();
                })
            })
            .collect();
        for handle in handles {
            handle.join().unwrap();
        }

        assert_eq!(recorder.attempts(), 8);
        assert_eq!(recorder.delays().len(), 4);
    }

    #[test]
    fn it_does_not_ask_for_the_clock() {
        let recorder = failing(2, 10);
        assert!(!Listener::<()>::uses_clock(&recorder));
        assert!(recorder.events().iter().all(|event| !matches!(
            event,
            RecordedEvent::AttemptFailed {
                elapsed: Some(_),
                ..
            }
        )));
    }
}
