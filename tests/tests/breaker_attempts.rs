//! A breaker as the guard of the attempt loop, blocking and async, on
//! virtual time: a failure that opens the breaker ends the loop through
//! `report`, with that failure; `try_next` returns the breaker's error when
//! it refuses (the body holds the outcomes, not the loop); and with time
//! left the loop waits for the probe.

use backon::breaker::{Breaker, State};
use backon::prelude::*;
use backon::testing::VirtualTime;
use backon::{Attempts, BlockingAttempts, StopReason};
use std::ops::ControlFlow;
use std::time::Duration;

mod breaker_support;

use breaker_support::{Error, breaker, secs};

/// Runs a blocking attempt loop whose body fails `failures` times.
fn run_blocking<P: backon::AsPolicy>(
    attempts: &mut BlockingAttempts<P, VirtualTime, Error>,
    failures: u32,
) -> Result<u32, Error>
where
    P::Condition: backon::Condition<u32, Error>,
    P::Listener: backon::Listener<Error>,
    P::Guard: backon::GuardFor<(), Error> + backon::GuardFor<u32, Error>,
{
    loop {
        let attempt = attempts.try_next()?;
        let number = attempt.number();
        let outcome = if number <= failures {
            Err(Error::Down(number))
        } else {
            Ok(number)
        };
        if let ControlFlow::Break(result) = attempt.report(outcome) {
            return result;
        }
    }
}

#[test]
fn a_failure_that_opens_the_breaker_ends_a_blocking_loop_with_itself() {
    let time = VirtualTime::new();
    let breaker = breaker(&time);
    let policy = Policy::new(secs(1), after_attempts(5).unwrap()).with_guard(breaker.clone());
    let mut attempts = BlockingAttempts::new(&policy, time.clone());

    let result = run_blocking(&mut attempts, 10);

    // The second failure opens the breaker for 5 s, past the 1 s sleep,
    // and nothing lets the loop wait: `report` ends it without the sleep.
    assert_eq!(result, Err(Error::Down(2)));
    assert_eq!(attempts.made(), 2, "the refused attempt is not one");
    assert_eq!(attempts.gave_up(), Some(StopReason::BreakerOpen));
    assert_eq!(breaker.state(), State::Open);
    assert_eq!(time.sleeps(), [secs(1)]);
}

#[test]
fn with_time_left_a_blocking_loop_waits_for_the_probe() {
    let time = VirtualTime::new();
    let breaker = breaker(&time);
    let policy = Policy::new(
        secs(1),
        after_attempts(5).unwrap() | time_limit(secs(60)).unwrap(),
    )
    .with_guard(breaker.clone());
    let mut attempts = BlockingAttempts::new(&policy, time.clone());

    let result = run_blocking(&mut attempts, 2);

    // Fails at 0 s and 1 s, which opens the breaker until 6 s; refused at
    // 2 s, the loop waits 4 s and the probe succeeds.
    assert_eq!(result, Ok(3));
    assert_eq!(attempts.made(), 3);
    assert_eq!(attempts.gave_up(), None);
    assert_eq!(time.sleeps(), [secs(1), secs(1), secs(4)]);
    assert_eq!(breaker.state(), State::Closed);
}

#[test]
fn a_body_that_keeps_its_last_outcome_can_return_it_when_the_breaker_refuses() {
    let time = VirtualTime::new();
    let breaker = breaker(&time);
    let policy = Policy::new(secs(1), after_attempts(5).unwrap()).with_guard(breaker.clone());
    let mut attempts = BlockingAttempts::new(&policy, time.clone());

    // The loop holds no outcome; `report` hands each retried one back.
    let mut last = None;
    let result: Result<u32, Error> = loop {
        let attempt = match attempts.try_next() {
            Ok(attempt) => attempt,
            Err(refused) => break last.take().unwrap_or(Err(refused)),
        };
        let outcome = Err(Error::Down(attempt.number()));
        match attempt.report(outcome) {
            ControlFlow::Break(result) => break result,
            ControlFlow::Continue(retried) => last = Some(retried),
        }
        // Someone isolates the breaker between the attempts.
        breaker.isolate();
    };

    assert_eq!(result, Err(Error::Down(1)));
    assert_eq!(attempts.made(), 1);
    assert_eq!(attempts.gave_up(), Some(StopReason::BreakerOpen));
}

#[test]
fn the_facade_loop_without_a_guard_still_uses_next() {
    let policy = Policy::new(Duration::ZERO, after_attempts(2).unwrap());
    let mut attempts = backon::attempts_blocking::<_, Error>(&policy);
    let attempt = attempts.next();
    assert_eq!(attempt.number(), 1);
    assert_eq!(attempt.report(Ok::<_, Error>(1)), ControlFlow::Break(Ok(1)));
}

type GuardedPolicy<S> = Policy<Duration, S, backon::AnyError, (), Breaker<VirtualTime>>;

async fn run_async(
    attempts: &mut Attempts<&GuardedPolicy<impl backon::Stop>, VirtualTime, Error>,
    failures: u32,
) -> Result<u32, Error> {
    loop {
        let attempt = attempts.try_next().await?;
        let number = attempt.number();
        let outcome = if number <= failures {
            Err(Error::Down(number))
        } else {
            Ok(number)
        };
        if let ControlFlow::Break(result) = attempt.report(outcome) {
            return result;
        }
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_failure_that_opens_the_breaker_ends_an_async_loop_with_itself() {
    let time = VirtualTime::new();
    let breaker = breaker(&time);
    let policy = Policy::new(secs(1), after_attempts(5).unwrap()).with_guard(breaker.clone());
    let mut attempts = Attempts::new(&policy, time.clone());

    let result = run_async(&mut attempts, 10).await;

    assert_eq!(result, Err(Error::Down(2)));
    assert_eq!(attempts.made(), 2);
    assert_eq!(attempts.gave_up(), Some(StopReason::BreakerOpen));
    assert_eq!(time.sleeps(), [secs(1)]);
}

#[tokio::test(flavor = "current_thread")]
async fn a_breaker_isolated_between_attempts_ends_an_async_loop_with_its_error() {
    let time = VirtualTime::new();
    let breaker = breaker(&time);
    let policy = Policy::new(secs(1), after_attempts(5).unwrap()).with_guard(breaker.clone());
    let mut attempts = Attempts::new(&policy, time.clone());

    let attempt = attempts.try_next().await.unwrap();
    assert!(attempt.report(Err::<u32, _>(Error::Down(1))).is_continue());
    breaker.isolate();
    let refused = attempts.try_next().await.map(|_| ()).unwrap_err();

    assert!(matches!(refused, Error::Open(open) if open.state() == State::Isolated));
    assert_eq!(attempts.made(), 1);
    assert_eq!(attempts.gave_up(), Some(StopReason::BreakerOpen));
    assert_eq!(time.sleeps(), [secs(1)]);
}

#[tokio::test(flavor = "current_thread")]
async fn with_time_left_an_async_loop_waits_for_the_probe() {
    let time = VirtualTime::new();
    let breaker = breaker(&time);
    let policy = Policy::new(secs(1), time_limit(secs(60)).unwrap()).with_guard(breaker.clone());
    let mut attempts = Attempts::new(&policy, time.clone());

    let result = run_async(&mut attempts, 2).await;

    assert_eq!(result, Ok(3));
    assert_eq!(attempts.made(), 3);
    assert_eq!(time.sleeps(), [secs(1), secs(1), secs(4)]);
    assert_eq!(breaker.state(), State::Closed);
}
