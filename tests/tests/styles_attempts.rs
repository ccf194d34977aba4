//! The attempt loop: the same engine and events as the extension form,
//! mutable local state, forgotten reports, and cancellation of `next()`.

use backon::prelude::*;
use backon::testing::VirtualTime;
use backon::{Event, StopReason};
use std::ops::ControlFlow;
use std::sync::{Arc, Mutex};
use std::time::Duration;

type Log = Arc<Mutex<Vec<String>>>;

/// A listener that writes every event as one line.
fn logger() -> (Log, impl Fn(&Event<'_, &'static str>) + Clone) {
    let log: Log = Arc::default();
    let sink = log.clone();
    let listener = move |event: &Event<'_, &'static str>| {
        sink.lock().unwrap().push(format!("{event:?}"));
    };
    (log, listener)
}

/// Fails twice, then succeeds with the number of calls.
fn flaky(calls: &mut u32) -> Result<u32, &'static str> {
    *calls += 1;
    if *calls < 3 { Err("down") } else { Ok(*calls) }
}

#[test]
fn emits_the_same_events_as_the_extension_form() {
    let (log, listener) = logger();
    let policy = Policy::new(Duration::from_secs(1), after_attempts(5).unwrap()).listen(listener);

    let mut calls = 0;
    let extension = (|| flaky(&mut calls))
        .retry(&policy)
        .runtime(VirtualTime::new())
        .call();
    let by_extension = std::mem::take(&mut *log.lock().unwrap());

    let mut calls = 0;
    let mut attempts = backon::attempts_blocking(&policy).runtime(VirtualTime::new());
    let looped = loop {
        let attempt = attempts.next();
        if let ControlFlow::Break(result) = attempt.report(flaky(&mut calls)) {
            break result;
        }
    };

    assert_eq!(extension, Ok(3));
    assert_eq!(looped, Ok(3));
    assert_eq!(*log.lock().unwrap(), by_extension);
    assert_eq!(by_extension.len(), 3 + 2 + 2 + 1);
}

#[tokio::test(start_paused = true)]
async fn the_body_borrows_local_state_mutably_across_awaits() {
    struct Conn {
        sent: Vec<&'static str>,
    }

    impl Conn {
        async fn send(&mut self, line: &'static str) -> Result<usize, &'static str> {
            tokio::time::sleep(Duration::from_millis(5)).await;
            self.sent.push(line);
            if self.sent.len() < 3 {
                Err("busy")
            } else {
                Ok(self.sent.len())
            }
        }
    }

    let policy = Policy::new(Duration::from_secs(1), after_attempts(5).unwrap());
    let mut conn = Conn { sent: Vec::new() };
    let start = tokio::time::Instant::now();

    let mut attempts = backon::attempts(&policy);
    let result = loop {
        let attempt = attempts.next().await;
        let outcome = conn.send("ping").await;
        if let ControlFlow::Break(result) = attempt.report(outcome) {
            break result;
        }
    };

    assert_eq!(result, Ok(3));
    assert_eq!(conn.sent, ["ping"; 3]);
    assert_eq!(attempts.made(), 3);
    assert_eq!(attempts.gave_up(), None);
    assert_eq!(start.elapsed(), Duration::from_millis(2015));
}

#[test]
fn reports_the_give_up_reason_and_the_elapsed_time() {
    let time = VirtualTime::new();
    let policy = Policy::new(
        Duration::from_secs(2),
        after_attempts(3).unwrap() | time_limit(Duration::from_secs(60)).unwrap(),
    );

    let mut attempts = backon::attempts_blocking(&policy).runtime(time.clone());
    let mut seen = Vec::new();
    let result = loop {
        let attempt = attempts.next();
        seen.push((attempt.number(), attempt.elapsed()));
        if let ControlFlow::Break(result) = attempt.report(Err::<(), _>("down")) {
            break result;
        }
    };

    assert_eq!(result, Err("down"));
    assert_eq!(attempts.gave_up(), Some(StopReason::Attempts));
    let secs = |s| Some(Duration::from_secs(s));
    assert_eq!(seen, [(1, secs(0)), (2, secs(2)), (3, secs(4))]);
}

#[test]
fn elapsed_is_unknown_when_nothing_keeps_time() {
    let policy = Policy::new(Duration::ZERO, after_attempts(1).unwrap());
    let mut attempts = backon::attempts_blocking(&policy);

    let attempt = attempts.next();
    assert_eq!(attempt.elapsed(), None);
    assert_eq!(attempt.report(Ok::<_, ()>(1)), ControlFlow::Break(Ok(1)));
}

#[test]
#[should_panic(expected = "attempt 1 was dropped without a report")]
fn a_dropped_attempt_ends_the_loop() {
    let policy = Policy::new(Duration::ZERO, after_attempts(3).unwrap());
    let mut attempts = backon::attempts_blocking::<_, ()>(&policy);

    drop(attempts.next());
    let _ = attempts.next();
}

#[test]
#[should_panic(expected = "already returned its outcome")]
fn asking_past_the_end_panics() {
    let policy = Policy::new(Duration::ZERO, after_attempts(3).unwrap());
    let mut attempts = backon::attempts_blocking(&policy);

    let _ = attempts.next().report(Ok::<_, ()>(1));
    let _ = attempts.next();
}

#[tokio::test(start_paused = true)]
#[should_panic(expected = "attempt 1 was dropped without a report")]
async fn a_dropped_async_attempt_ends_the_loop() {
    let policy = Policy::new(Duration::ZERO, after_attempts(3).unwrap());
    let mut attempts = backon::attempts::<_, ()>(&policy);

    drop(attempts.next().await);
    drop(attempts.next());
}

#[tokio::test(start_paused = true)]
async fn a_cancelled_next_resumes_the_same_delay() {
    let policy = Policy::new(Duration::from_secs(10), after_attempts(3).unwrap());
    let mut attempts = backon::attempts(&policy);
    let start = tokio::time::Instant::now();

    let attempt = attempts.next().await;
    assert!(attempt.report(Err::<(), _>("down")).is_continue());

    // A select! that gives up on the sleep after 3 s drops `next()`.
    let cut = tokio::time::timeout(Duration::from_secs(3), attempts.next()).await;
    assert!(cut.is_err());
    assert_eq!(attempts.made(), 1);

    // The next `next()` sleeps only the 7 s left of the delay.
    let attempt = attempts.next().await;
    assert_eq!(start.elapsed(), Duration::from_secs(10));
    assert_eq!(attempt.number(), 2);
    assert!(attempt.report(Ok::<_, &str>(())).is_break());
}

#[test]
fn runs_on_virtual_time_in_any_executor() {
    let time = VirtualTime::new();
    let policy = Policy::new(Duration::from_secs(3600), after_attempts(3).unwrap());

    let result = smol::block_on(async {
        let mut attempts = backon::attempts(&policy).runtime(time.clone());
        loop {
            let attempt = attempts.next().await;
            if let ControlFlow::Break(result) = attempt.report(Err::<(), _>("down")) {
                break result;
            }
        }
    });

    assert_eq!(result, Err("down"));
    assert_eq!(time.sleeps(), [Duration::from_secs(3600); 2]);
}

#[test]
fn policy_ext_starts_the_same_loops() {
    let time = VirtualTime::new();
    let policy = Arc::new(Policy::new(
        Duration::from_secs(1),
        after_attempts(2).unwrap(),
    ));

    let mut attempts = policy.attempts_blocking().runtime(time.clone());
    let first = attempts.next().report(Err::<(), _>("down"));
    let second = attempts.next().report(Err::<(), _>("down"));

    assert!(first.is_continue());
    assert_eq!(second, ControlFlow::Break(Err("down")));
    assert_eq!(time.sleeps(), [Duration::from_secs(1)]);
}
