//! The event stream: order, counts and the stop reason, on virtual time.

use backon::prelude::*;
use backon::testing::VirtualTime;
use backon::{Event, StopReason, condition};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Seen {
    Started(u32),
    Failed(u32, Option<&'static str>),
    Retry(u32, Duration),
    GaveUp(u32, StopReason),
    Succeeded(u32),
}

type Log = Arc<Mutex<Vec<Seen>>>;

fn recorder() -> (Log, impl Fn(&Event<'_, &'static str>) + Clone) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let listener = move |event: &Event<'_, &'static str>| {
        let entry = match *event {
            Event::AttemptStarted { attempt } => Seen::Started(attempt),
            Event::AttemptFailed { attempt, error, .. } => Seen::Failed(attempt, error.copied()),
            Event::RetryScheduled { attempt, delay } => Seen::Retry(attempt, delay),
            Event::GaveUp { attempts, reason } => Seen::GaveUp(attempts, reason),
            Event::Succeeded { attempts } => Seen::Succeeded(attempts),
            _ => unreachable!("no other event exists yet"),
        };
        sink.lock().unwrap().push(entry);
    };
    (seen, listener)
}

/// An operation that fails `failures` times, then succeeds with the number
/// of calls made.
fn flaky(failures: u32) -> impl FnMut() -> Result<u32, &'static str> {
    let mut calls = 0;
    move || {
        calls += 1;
        if calls <= failures {
            Err("down")
        } else {
            Ok(calls)
        }
    }
}

#[test]
fn success_after_two_failures() {
    let (seen, listener) = recorder();
    let policy = Policy::new(Duration::from_secs(1), after_attempts(5).unwrap()).listen(listener);
    let time = VirtualTime::new();

    let result = flaky(2).retry(&policy).runtime(time.clone()).call();

    assert_eq!(result, Ok(3));
    assert_eq!(
        *seen.lock().unwrap(),
        [
            Seen::Started(1),
            Seen::Failed(1, Some("down")),
            Seen::Retry(1, Duration::from_secs(1)),
            Seen::Started(2),
            Seen::Failed(2, Some("down")),
            Seen::Retry(2, Duration::from_secs(1)),
            Seen::Started(3),
            Seen::Succeeded(3),
        ]
    );
    assert_eq!(time.sleeps(), [Duration::from_secs(1); 2]);
}

#[test]
fn give_up_never_sleeps_after_the_last_attempt() {
    let (seen, listener) = recorder();
    let sleeps = Arc::new(Mutex::new(0));
    let counter = sleeps.clone();
    let policy = Policy::new(Duration::from_secs(1), after_attempts(3).unwrap())
        .listen(listener)
        .before_sleep(move |_, _| *counter.lock().unwrap() += 1);
    let time = VirtualTime::new();

    let report = flaky(10)
        .retry(&policy)
        .runtime(time.clone())
        .call_with_report();

    assert_eq!(report.result, Err("down"));
    assert_eq!(report.attempts, 3);
    assert_eq!(report.gave_up, Some(StopReason::Attempts));
    assert_eq!(*sleeps.lock().unwrap(), 2);
    assert_eq!(time.sleeps().len(), 2);
    assert_eq!(
        seen.lock().unwrap().last(),
        Some(&Seen::GaveUp(3, StopReason::Attempts))
    );
}

#[test]
fn one_attempt_means_no_retry() {
    let (seen, listener) = recorder();
    let policy = Policy::new(Duration::from_secs(1), after_attempts(1).unwrap()).listen(listener);
    let time = VirtualTime::new();

    let result = flaky(1).retry(&policy).runtime(time.clone()).call();

    assert_eq!(result, Err("down"));
    assert!(time.sleeps().is_empty());
    assert_eq!(
        *seen.lock().unwrap(),
        [
            Seen::Started(1),
            Seen::Failed(1, Some("down")),
            Seen::GaveUp(1, StopReason::Attempts),
        ]
    );
}

#[test]
fn a_rejected_error_is_returned_at_once() {
    let (seen, listener) = recorder();
    let policy = Policy::new(Duration::from_secs(1), after_attempts(5).unwrap())
        .retry_when(condition::when_err(|e: &&str| *e == "busy"))
        .listen(listener);
    let time = VirtualTime::new();

    let report = (|| Err::<(), _>("denied"))
        .retry(&policy)
        .runtime(time.clone())
        .call_with_report();

    assert_eq!(report.result, Err("denied"));
    assert_eq!(report.gave_up, Some(StopReason::NotRetryable));
    assert_eq!(report.attempts, 1);
    assert!(time.sleeps().is_empty());
    assert_eq!(seen.lock().unwrap().len(), 3);
}

#[test]
fn an_ok_value_can_be_retried() {
    let (seen, listener) = recorder();
    let mut values = [0, 0, 7].into_iter();
    let policy = Policy::new(Duration::from_millis(10), after_attempts(5).unwrap())
        .retry_when(condition::when_ok(|v: &u32| *v == 0) | condition::AnyError)
        .listen(listener);

    let result = (|| Ok::<_, &'static str>(values.next().unwrap()))
        .retry(&policy)
        .runtime(VirtualTime::new())
        .call();

    assert_eq!(result, Ok(7));
    assert!(seen.lock().unwrap().contains(&Seen::Failed(1, None)));
}

#[test]
fn the_before_sleep_hook_sees_attempt_and_delay() {
    let calls = Arc::new(Mutex::new(Vec::new()));
    let sink = calls.clone();
    let policy = Policy::new(Duration::from_millis(250), after_attempts(4).unwrap())
        .before_sleep(move |attempt, delay| sink.lock().unwrap().push((attempt, delay)));

    let _ = flaky(10).retry(&policy).runtime(VirtualTime::new()).call();

    let ms = Duration::from_millis(250);
    assert_eq!(*calls.lock().unwrap(), [(1, ms), (2, ms), (3, ms)]);
}

#[test]
fn on_error_and_on_give_up_fire_with_exact_counts() {
    let errors = Arc::new(Mutex::new(Vec::new()));
    let gave_up = Arc::new(Mutex::new(Vec::new()));
    let (e, g) = (errors.clone(), gave_up.clone());
    let policy = Policy::new(Duration::ZERO, after_attempts(3).unwrap())
        .on_error(move |attempt, error: &&'static str| e.lock().unwrap().push((attempt, *error)))
        .on_give_up(move |attempts, reason| g.lock().unwrap().push((attempts, reason)));

    let _ = flaky(10).retry(&policy).runtime(VirtualTime::new()).call();

    assert_eq!(
        *errors.lock().unwrap(),
        [(1, "down"), (2, "down"), (3, "down")]
    );
    assert_eq!(*gave_up.lock().unwrap(), [(3, StopReason::Attempts)]);
}
