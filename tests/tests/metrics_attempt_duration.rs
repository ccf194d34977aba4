//! `Event::AttemptEnded`: each attempt's duration on virtual time, only for
//! listeners that use the clock.

use backon::prelude::*;
use backon::testing::VirtualTime;
use backon::{Event, Listener};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Records `(attempt, duration, accepted)` of every `AttemptEnded`, and
/// the elapsed time of every `AttemptFailed`.
#[derive(Clone, Default)]
struct Timed {
    ended: Arc<Mutex<Vec<(u32, Duration, bool)>>>,
    failed_at: Arc<Mutex<Vec<Option<Duration>>>>,
}

impl<E> Listener<E> for Timed {
    fn on_event(&self, event: &Event<'_, E>) {
        match *event {
            Event::AttemptEnded {
                attempt,
                duration,
                accepted,
            } => self
                .ended
                .lock()
                .unwrap()
                .push((attempt, duration, accepted)),
            Event::AttemptFailed { elapsed, .. } => self.failed_at.lock().unwrap().push(elapsed),
            _ => {}
        }
    }

    fn uses_clock(&self) -> bool {
        true
    }
}

/// An operation whose attempt `n` takes `n` virtual seconds and which
/// succeeds at its third call.
fn slow_then_ok(time: &VirtualTime) -> impl FnMut() -> Result<u32, &'static str> {
    let time = time.clone();
    let mut calls = 0;
    move || {
        calls += 1;
        time.advance(Duration::from_secs(calls.into()));
        if calls < 3 { Err("down") } else { Ok(calls) }
    }
}

#[test]
fn each_attempt_reports_its_own_duration() {
    let timed = Timed::default();
    let policy =
        Policy::new(Duration::from_secs(10), after_attempts(5).unwrap()).listen(timed.clone());
    let time = VirtualTime::new();

    let result = slow_then_ok(&time)
        .retry(&policy)
        .runtime(time.clone())
        .call();

    assert_eq!(result, Ok(3));
    let secs = Duration::from_secs;
    assert_eq!(
        *timed.ended.lock().unwrap(),
        [(1, secs(1), false), (2, secs(2), false), (3, secs(3), true)]
    );
    // 1 s attempt, 10 s sleep, 2 s attempt: the sleeps are not in the
    // attempts' durations, but they are in the call's elapsed time.
    assert_eq!(
        *timed.failed_at.lock().unwrap(),
        [Some(secs(1)), Some(secs(13))]
    );
}

#[test]
fn it_comes_between_the_start_and_the_outcome() {
    let order = Arc::new(Mutex::new(Vec::new()));
    let sink = order.clone();
    let names = move |event: &Event<'_, &'static str>| {
        let name = match event {
            Event::AttemptStarted { .. } => "started",
            Event::AttemptEnded { .. } => "ended",
            Event::AttemptFailed { .. } => "failed",
            Event::RetryScheduled { .. } => "retry",
            Event::GaveUp { .. } => "gave_up",
            Event::Succeeded { .. } => "succeeded",
            _ => "other",
        };
        sink.lock().unwrap().push(name);
    };
    let policy = Policy::new(Duration::ZERO, after_attempts(2).unwrap())
        .listen(names)
        .listen(Timed::default());

    let result = (|| Err::<(), _>("down"))
        .retry(&policy)
        .runtime(VirtualTime::new())
        .call();

    assert_eq!(result, Err("down"));
    assert_eq!(
        *order.lock().unwrap(),
        [
            "started", "ended", "failed", "retry", "started", "ended", "failed", "gave_up"
        ]
    );
}

#[test]
fn no_clock_listener_means_no_attempt_ended() {
    let seen = Arc::new(Mutex::new(0));
    let count = seen.clone();
    let policy = Policy::new(Duration::ZERO, after_attempts(3).unwrap()).listen(
        move |event: &Event<'_, &'static str>| {
            if let Event::AttemptEnded { .. } = event {
                *count.lock().unwrap() += 1;
            }
        },
    );

    let time = VirtualTime::new();
    let _ = slow_then_ok(&time)
        .retry(&policy)
        .runtime(time.clone())
        .call();

    assert_eq!(*seen.lock().unwrap(), 0);
}

#[tokio::test(flavor = "current_thread")]
async fn async_attempts_report_their_duration() {
    let timed = Timed::default();
    let policy =
        Policy::new(Duration::from_secs(1), after_attempts(3).unwrap()).listen(timed.clone());
    let time = VirtualTime::new();

    let clock = time.clone();
    let mut calls = 0u64;
    let op = || {
        calls += 1;
        let (clock, n) = (clock.clone(), calls);
        async move {
            clock.advance(Duration::from_millis(250 * n));
            if n < 2 { Err("down") } else { Ok(n) }
        }
    };
    let result = op.retry(&policy).runtime(time.clone()).await;

    assert_eq!(result, Ok(2));
    let ms = Duration::from_millis;
    assert_eq!(
        *timed.ended.lock().unwrap(),
        [(1, ms(250), false), (2, ms(500), true)]
    );
}
