//! The recorder's assertions, whose failure messages carry the whole log.

use crate::call::{RecordedCall, ending};
use crate::recorder::Recorder;
use crate::text::{attempts as plural, times};
use backon_core::StopReason;
use core::fmt;
use core::time::Duration;

impl Recorder {
    /// Checks the number of attempts started, in all calls.
    ///
    /// # Panics
    ///
    /// Panics when the number differs, with the whole log in the message.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::prelude::*;
    /// use backon::testing::{Recorder, VirtualTime};
    /// use std::time::Duration;
    ///
    /// let recorder = Recorder::new();
    /// let policy = Policy::new(Duration::from_secs(1), after_attempts(2)?).listen(recorder.clone());
    /// let _ = (|| Err::<(), _>("down")).retry(&policy).runtime(VirtualTime::new()).call();
    ///
    /// recorder.assert_attempts(2);
    ///
    /// let failure = std::panic::catch_unwind(|| recorder.assert_attempts(3)).unwrap_err();
    /// assert_eq!(
    ///     failure.downcast_ref::<String>().unwrap(),
    ///     r#"expected 3 attempts, recorded 2
    /// recorded events:
    /// call 1
    ///   attempt 1 started
    ///   attempt 1 failed: "down"
    ///   sleep 1s, then attempt 2
    ///   attempt 2 started
    ///   attempt 2 failed: "down"
    ///   gave up after 2 attempts: attempt limit reached
    /// "#
    /// );
    /// # Ok::<(), backon::stop::StopError>(())
    /// ```
    #[track_caller]
    pub fn assert_attempts(&self, expected: u32) {
        let attempts = self.attempts();
        if attempts != expected {
            self.fail(format_args!(
                "expected {}, recorded {attempts}",
                plural(expected)
            ));
        }
    }

    /// Checks the delays of every retry scheduled, in all calls, in order.
    ///
    /// # Panics
    ///
    /// Panics when they differ, with the whole log in the message.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::prelude::*;
    /// use backon::testing::{Recorder, VirtualTime};
    /// use std::time::Duration;
    ///
    /// let recorder = Recorder::new();
    /// let policy = Policy::new(Exponential::new(Duration::from_secs(1)), after_attempts(3)?)
    ///     .listen(recorder.clone());
    /// let _ = (|| Err::<(), _>("down")).retry(&policy).runtime(VirtualTime::new()).call();
    ///
    /// recorder.assert_delays(&[Duration::from_secs(1), Duration::from_secs(2)]);
    ///
    /// let failure = std::panic::catch_unwind(|| recorder.assert_delays(&[Duration::from_secs(1)]))
    ///     .unwrap_err();
    /// let message = failure.downcast_ref::<String>().unwrap();
    /// assert!(message.starts_with("expected delays [1s], recorded [1s, 2s]\nrecorded events:\n"));
    /// # Ok::<(), backon::stop::StopError>(())
    /// ```
    #[track_caller]
    pub fn assert_delays(&self, expected: &[Duration]) {
        let delays = self.delays();
        if delays != expected {
            self.fail(format_args!(
                "expected delays {}, recorded {}",
                times(expected),
                times(&delays)
            ));
        }
    }

    /// Checks that the last call gave up, for this reason.
    ///
    /// # Panics
    ///
    /// Panics when it did not, with the whole log in the message.
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
    /// let policy = Policy::new(Duration::from_secs(1), after_attempts(3)?).listen(recorder.clone());
    /// let mut calls = 0;
    /// let _ = (|| { calls += 1; if calls < 2 { Err("busy") } else { Ok(calls) } })
    ///     .retry(&policy)
    ///     .runtime(VirtualTime::new())
    ///     .call();
    ///
    /// let failure = std::panic::catch_unwind(|| recorder.assert_gave_up(StopReason::Attempts))
    ///     .unwrap_err();
    /// let message = failure.downcast_ref::<String>().unwrap();
    /// assert_eq!(
    ///     message.lines().next(),
    ///     Some("expected the last call to give up (attempt limit reached), but it succeeded on attempt 2"),
    /// );
    /// # Ok::<(), backon::stop::StopError>(())
    /// ```
    #[track_caller]
    pub fn assert_gave_up(&self, reason: StopReason) {
        let last = self.last_call();
        if last.as_ref().and_then(RecordedCall::stop_reason) != Some(reason) {
            self.fail(format_args!(
                "expected the last call to give up ({reason}), but {}",
                ending(last.as_ref())
            ));
        }
    }

    /// Checks that the last call succeeded.
    ///
    /// # Panics
    ///
    /// Panics when it did not, with the whole log in the message.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::prelude::*;
    /// use backon::testing::{Recorder, VirtualTime};
    /// use std::time::Duration;
    ///
    /// let recorder = Recorder::new();
    /// let policy = Policy::new(Duration::from_secs(1), after_attempts(2)?).listen(recorder.clone());
    /// let _ = (|| Err::<(), _>("down")).retry(&policy).runtime(VirtualTime::new()).call();
    ///
    /// let failure = std::panic::catch_unwind(|| recorder.assert_succeeded()).unwrap_err();
    /// let message = failure.downcast_ref::<String>().unwrap();
    /// assert_eq!(
    ///     message.lines().next(),
    ///     Some("expected the last call to succeed, but it gave up after 2 attempts: attempt limit reached"),
    /// );
    /// # Ok::<(), backon::stop::StopError>(())
    /// ```
    #[track_caller]
    pub fn assert_succeeded(&self) {
        let last = self.last_call();
        if !last.as_ref().is_some_and(RecordedCall::succeeded) {
            self.fail(format_args!(
                "expected the last call to succeed, but {}",
                ending(last.as_ref())
            ));
        }
    }

    #[track_caller]
    fn fail(&self, what: fmt::Arguments<'_>) -> ! {
        panic!("{what}\nrecorded events:\n{self}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use backon_core::{BlockingRetry, Event, Listener, Policy};
    use backon_stop::after_attempts;

    fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    fn failing(policy_attempts: u32) -> Recorder {
        let recorder = Recorder::new();
        let policy =
            Policy::new(secs(1), after_attempts(policy_attempts).unwrap()).listen(recorder.clone());
        let _ =
            BlockingRetry::new(|| Err::<(), _>("down"), &policy, crate::VirtualTime::new()).call();
        recorder
    }

    #[test]
    fn an_unfinished_call_says_so() {
        let recorder = Recorder::new();
        Listener::<()>::on_event(&recorder, &Event::AttemptStarted { attempt: 1 });

        let calls = recorder.calls();
        assert!(!calls[0].finished());
        let message = std::panic::catch_unwind(|| recorder.assert_succeeded())
            .unwrap_err()
            .downcast::<String>()
            .unwrap();
        assert_eq!(
            *message,
            "expected the last call to succeed, but it had not ended after 1 attempt\n\
             recorded events:\ncall 1\n  attempt 1 started\n"
        );
    }

    #[test]
    fn assertions_on_an_empty_recorder_say_nothing_was_recorded() {
        let recorder = Recorder::new();
        let message = std::panic::catch_unwind(|| recorder.assert_gave_up(StopReason::Attempts))
            .unwrap_err()
            .downcast::<String>()
            .unwrap();
        assert_eq!(
            *message,
            "expected the last call to give up (attempt limit reached), but no call was \
             recorded\nrecorded events:\nno events recorded\n"
        );
    }

    #[test]
    fn assert_delays_prints_both_lists_and_the_log() {
        let recorder = failing(3);
        let message = std::panic::catch_unwind(|| recorder.assert_delays(&[secs(1)]))
            .unwrap_err()
            .downcast::<String>()
            .unwrap();
        assert_eq!(
            *message,
            r#"expected delays [1s], recorded [1s, 1s]
recorded events:
call 1
  attempt 1 started
  attempt 1 failed: "down"
  sleep 1s, then attempt 2
  attempt 2 started
  attempt 2 failed: "down"
  sleep 1s, then attempt 3
  attempt 3 started
  attempt 3 failed: "down"
  gave up after 3 attempts: attempt limit reached
"#
        );
    }
}
