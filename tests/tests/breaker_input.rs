//! A breaker as the guard of `retry_with_input`, blocking and async, on
//! virtual time: a refusal after failed attempts hands the input back beside
//! the last error, and with time left the call waits for the probe.
//! `breaker_outcome.rs` runs the same cases through every call style.

use backon::StopReason;
use backon::breaker::State;
use backon::prelude::*;
use backon::testing::VirtualTime;

mod breaker_support;

use breaker_support::{Error, breaker, secs};

/// Sends a body: fails `failures` times, giving the body back, then
/// returns the body's length and the number of calls.
fn send(failures: u32) -> impl FnMut(String) -> Result<(usize, u32), (Error, String)> {
    let mut calls = 0;
    move |body| {
        calls += 1;
        if calls <= failures {
            Err((Error::Down(calls), body))
        } else {
            Ok((body.len(), calls))
        }
    }
}

#[test]
fn an_open_breaker_ends_a_blocking_call_with_the_last_error_and_the_input() {
    let time = VirtualTime::new();
    let breaker = breaker(&time);
    let policy = Policy::new(secs(1), after_attempts(5).unwrap()).with_guard(breaker.clone());

    let report = backon::retry_with_input_blocking("hello".to_string(), send(10), &policy)
        .runtime(time.clone())
        .call_with_report();

    // The third attempt is refused; the second one's error comes back.
    assert_eq!(
        report.result,
        Err((Error::Down(2), "hello".to_string())),
        "the last error, with the input its attempt gave back"
    );
    assert_eq!(report.attempts, 2, "the refused attempt is not one");
    assert_eq!(report.gave_up, Some(StopReason::BreakerOpen));
    assert_eq!(breaker.state(), State::Open);
    // The breaker opened at 1 s for 5 s: no sleep before giving up.
    assert_eq!(time.sleeps(), [secs(1)]);
}

#[test]
fn with_time_left_a_blocking_call_waits_for_the_probe() {
    let time = VirtualTime::new();
    let breaker = breaker(&time);
    let policy = Policy::new(
        secs(1),
        after_attempts(5).unwrap() | time_limit(secs(60)).unwrap(),
    )
    .with_guard(breaker.clone());

    let report = backon::retry_with_input_blocking("hello".to_string(), send(2), &policy)
        .runtime(time.clone())
        .call_with_report();

    // Fails at 0 s and 1 s, which opens the breaker until 6 s; refused at
    // 2 s, the call waits 4 s and the probe succeeds.
    assert_eq!(report.result, Ok((5, 3)));
    assert_eq!(report.attempts, 3);
    assert_eq!(time.sleeps(), [secs(1), secs(1), secs(4)]);
    assert_eq!(breaker.state(), State::Closed);
}

#[tokio::test(flavor = "current_thread")]
async fn an_open_breaker_ends_an_async_call_with_the_last_error_and_the_input() {
    let time = VirtualTime::new();
    let breaker = breaker(&time);
    let policy = Policy::new(secs(1), after_attempts(5).unwrap()).with_guard(&breaker);
    let mut op = send(10);

    let report = backon::retry_with_input(
        "hello".to_string(),
        |body| std::future::ready(op(body)),
        &policy,
    )
    .runtime(time.clone())
    .with_report()
    .await;

    assert_eq!(report.result, Err((Error::Down(2), "hello".to_string())));
    assert_eq!(report.attempts, 2);
    assert_eq!(report.gave_up, Some(StopReason::BreakerOpen));
    // The breaker opened at 1 s for 5 s: no sleep before giving up.
    assert_eq!(time.sleeps(), [secs(1)]);
}

#[tokio::test(flavor = "current_thread")]
async fn with_time_left_an_async_call_waits_for_the_probe() {
    let time = VirtualTime::new();
    let breaker = breaker(&time);
    let policy = Policy::new(secs(1), time_limit(secs(60)).unwrap()).with_guard(breaker.clone());
    let mut op = send(2);

    let report = backon::retry_with_input(
        "hello".to_string(),
        |body| std::future::ready(op(body)),
        &policy,
    )
    .runtime(time.clone())
    .with_report()
    .await;

    assert_eq!(report.result, Ok((5, 3)));
    assert_eq!(time.sleeps(), [secs(1), secs(1), secs(4)]);
    assert_eq!(breaker.state(), State::Closed);
}
