//! A breaker with retry, both ways round: in a policy as its guard, and
//! around a whole retried call; blocking and async, on virtual time.
//! `breaker_outcome.rs` checks what every call style returns when the
//! breaker stops it.

use backon::StopReason;
use backon::breaker::{Breaker, State};
use backon::prelude::*;
use backon::testing::{RecordedEvent, Recorder, VirtualTime};
use std::future::Future;
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Waker};

mod breaker_support;

use breaker_support::{Error, breaker, secs, tripping_after};

/// Fails `failures` times, then succeeds with the number of calls.
fn flaky(failures: u32) -> impl FnMut() -> Result<u32, Error> {
    let mut calls = 0;
    move || {
        calls += 1;
        if calls <= failures {
            Err(Error::Down(calls))
        } else {
            Ok(calls)
        }
    }
}

#[test]
fn without_a_time_limit_a_rejection_ends_the_retry_with_the_last_error() {
    let time = VirtualTime::new();
    let breaker = breaker(&time);
    let recorder = Recorder::new();
    let policy = Policy::new(secs(1), after_attempts(5).unwrap())
        .with_guard(breaker.clone())
        .listen(recorder.clone());

    let report = flaky(10)
        .retry(&policy)
        .runtime(time.clone())
        .call_with_report();

    // The breaker's error would say less than the second attempt's.
    assert_eq!(report.result, Err(Error::Down(2)));
    assert_eq!(report.attempts, 2, "the refused attempt is not one");
    assert_eq!(report.gave_up, Some(StopReason::BreakerOpen));
    let starts_and_end: Vec<_> = recorder
        .events()
        .into_iter()
        .filter(|event| {
            matches!(
                event,
                RecordedEvent::AttemptStarted { .. }
                    | RecordedEvent::Refused { .. }
                    | RecordedEvent::GaveUp { .. }
            )
        })
        .collect();
    assert_eq!(
        starts_and_end,
        [
            RecordedEvent::AttemptStarted { attempt: 1 },
            RecordedEvent::AttemptStarted { attempt: 2 },
            RecordedEvent::Refused {
                attempt: 3,
                reason: StopReason::BreakerOpen,
                wait: None,
            },
            RecordedEvent::GaveUp {
                attempts: 2,
                reason: StopReason::BreakerOpen,
            },
        ]
    );
    // The second failure opened the breaker for 5 s, longer than the 1 s
    // sleep before the third attempt, and with no time limit there is no
    // waiting for the probe: the retry ends without that sleep.
    assert_eq!(time.sleeps(), [secs(1)]);
}

#[test]
fn with_time_left_the_retry_waits_for_the_probe() {
    let time = VirtualTime::new();
    let breaker = breaker(&time);
    let recorder = Recorder::new();
    let policy = Policy::new(
        secs(1),
        after_attempts(5).unwrap() | time_limit(secs(60)).unwrap(),
    )
    .with_guard(breaker.clone())
    .listen(recorder.clone());

    let report = flaky(2)
        .retry(&policy)
        .runtime(time.clone())
        .call_with_report();

    // Fails at 0 s and 1 s, which opens the breaker until 6 s; the retry
    // sleeps 1 s, is refused at 2 s, waits 4 s, and the probe succeeds.
    assert_eq!(report.result, Ok(3));
    assert_eq!(report.attempts, 3);
    assert_eq!(time.sleeps(), [secs(1), secs(1), secs(4)]);
    assert_eq!(breaker.state(), State::Closed);
    assert!(recorder.events().contains(&RecordedEvent::Refused {
        attempt: 3,
        reason: StopReason::BreakerOpen,
        wait: Some(secs(4)),
    }));
}

#[test]
fn a_probe_past_the_time_limit_is_not_waited_for() {
    let time = VirtualTime::new();
    let breaker = breaker(&time);
    let policy = Policy::new(secs(1), time_limit(secs(5)).unwrap()).with_guard(&breaker);

    let report = flaky(2)
        .retry(&policy)
        .runtime(time.clone())
        .call_with_report();

    // Opened at 1 s; its probe at 6 s would come after the 5 s limit, so
    // the retry ends at 1 s rather than sleep until 2 s to be refused.
    assert_eq!(report.result, Err(Error::Down(2)));
    assert_eq!(report.gave_up, Some(StopReason::BreakerOpen));
    assert_eq!(time.now(), secs(1));
}

#[test]
fn a_rejection_is_not_a_failure_of_the_operation() {
    let time = VirtualTime::new();
    let breaker = breaker(&time);
    breaker.isolate();
    let errors = Arc::new(Mutex::new(0));
    let count = errors.clone();
    let policy = Policy::new(secs(1), after_attempts(3).unwrap())
        .with_guard(breaker.clone())
        .on_error(move |_, _: &Error| *count.lock().unwrap() += 1);

    let mut ran = false;
    let report = (|| {
        ran = true;
        Ok::<_, Error>(())
    })
    .retry(&policy)
    .runtime(time.clone())
    .call_with_report();

    assert!(!ran);
    assert_eq!(report.attempts, 0);
    assert_eq!(*errors.lock().unwrap(), 0);
    assert!(matches!(report.result, Err(Error::Open(open)) if open.state() == State::Isolated));
}

#[test]
fn a_breaker_around_a_retry_counts_each_retried_call_once() {
    let time = VirtualTime::new();
    let breaker = breaker(&time);
    let policy = Policy::new(secs(1), after_attempts(3).unwrap());
    let mut attempts = 0;

    let mut retried_call = || {
        breaker.call(|| {
            (|| {
                attempts += 1;
                Err::<(), _>(Error::Down(attempts))
            })
            .retry(&policy)
            .runtime(time.clone())
            .call()
        })
    };

    assert_eq!(retried_call(), Err(Error::Down(3)));
    assert_eq!(
        breaker.state(),
        State::Closed,
        "three attempts, one failure"
    );
    assert_eq!(retried_call(), Err(Error::Down(6)));
    assert_eq!(breaker.state(), State::Open);
    assert!(matches!(retried_call(), Err(Error::Open(_))));
    assert_eq!(attempts, 6);
}

#[tokio::test(flavor = "current_thread")]
async fn an_async_retry_waits_for_the_probe_too() {
    let time = VirtualTime::new();
    let breaker = breaker(&time);
    let policy = Policy::new(secs(1), time_limit(secs(60)).unwrap()).with_guard(breaker.clone());
    let mut op = flaky(2);

    let report = (|| std::future::ready(op()))
        .retry(&policy)
        .runtime(time.clone())
        .with_report()
        .await;

    assert_eq!(report.result, Ok(3));
    assert_eq!(time.sleeps(), [secs(1), secs(1), secs(4)]);
    assert_eq!(breaker.state(), State::Closed);
}

#[test]
fn dropping_an_async_retry_gives_the_probe_back() {
    let time = VirtualTime::new();
    let breaker = breaker(&time);
    breaker.call(|| Err::<(), _>(Error::Down(1))).unwrap_err();
    breaker.call(|| Err::<(), _>(Error::Down(2))).unwrap_err();
    time.advance(secs(5));
    let policy = Policy::new(secs(1), after_attempts(3).unwrap()).with_guard(&breaker);

    {
        let retry = (std::future::pending::<Result<(), Error>>)
            .retry(&policy)
            .runtime(time.clone());
        let mut retry = pin!(retry);
        let poll = retry.as_mut().poll(&mut Context::from_waker(Waker::noop()));
        assert!(poll.is_pending());
        assert!(breaker.permit().is_err(), "the retry holds the only probe");
    }

    assert_eq!(breaker.state(), State::HalfOpen);
    assert!(breaker.permit().is_ok(), "the dropped retry gave it back");
}

#[test]
fn a_policy_with_a_breaker_is_shareable() {
    fn shareable<T: Clone + Send + Sync + 'static>(_: &T) {}
    let policy = Policy::new(secs(1), after_attempts(3).unwrap())
        .with_guard(Breaker::builder().build().unwrap());
    shareable(&policy);
}

#[tokio::test(start_paused = true)]
async fn on_tokio_time_the_breaker_and_the_retry_share_one_clock() {
    use backon::runtime::TokioRuntime;

    let breaker = Breaker::builder()
        .consecutive_failures(2)
        .open_for(secs(5))
        .clock(TokioRuntime)
        .build()
        .unwrap();
    let policy = Policy::new(secs(1), time_limit(secs(60)).unwrap()).with_guard(breaker.clone());
    let start = tokio::time::Instant::now();
    let mut op = flaky(2);

    let result = (|| std::future::ready(op())).retry(&policy).await;

    assert_eq!(result, Ok(3));
    assert_eq!(start.elapsed(), secs(6), "1 s, 1 s, then 4 s for the probe");
    assert_eq!(breaker.state(), State::Closed);
}

#[test]
fn a_refusal_spends_no_retry_budget() {
    use backon::budget::{Budget, TokenBudget};

    let time = VirtualTime::new();
    let breaker = breaker(&time);
    breaker.isolate();
    let budget = TokenBudget::builder()
        .capacity(2.0)
        .refund(0.0)
        .build()
        .unwrap();
    let policy = Policy::new(secs(1), time_limit(secs(60)).unwrap())
        .with_guard(&breaker)
        .budget(budget.clone());

    for _ in 0..5 {
        let report = flaky(0)
            .retry(&policy)
            .runtime(time.clone())
            .call_with_report();
        assert_eq!(report.gave_up, Some(StopReason::BreakerOpen));
    }
    assert_eq!(budget.available(), 2);
}

#[test]
fn a_probe_due_within_the_sleep_lets_the_retry_go_on() {
    let time = VirtualTime::new();
    let breaker = breaker(&time);
    let policy = Policy::new(secs(10), after_attempts(5).unwrap()).with_guard(&breaker);

    let report = flaky(2)
        .retry(&policy)
        .runtime(time.clone())
        .call_with_report();

    // The breaker opens at 10 s for 5 s; the 10 s sleep outlasts that, so
    // the third attempt is its probe, and it succeeds.
    assert_eq!(report.result, Ok(3));
    assert_eq!(time.sleeps(), [secs(10), secs(10)]);
    assert_eq!(breaker.state(), State::Closed);
}

#[test]
fn an_isolated_breaker_ends_the_retry_before_its_sleep() {
    let time = VirtualTime::new();
    let breaker = tripping_after(5, &time);
    let policy = Policy::new(
        secs(1),
        after_attempts(5).unwrap() | time_limit(secs(60)).unwrap(),
    )
    .with_guard(&breaker);
    let mut calls = 0;

    let report = (|| {
        calls += 1;
        // Someone isolates the breaker while the first attempt runs.
        breaker.isolate();
        Err::<u32, _>(Error::Down(calls))
    })
    .retry(&policy)
    .runtime(time.clone())
    .call_with_report();

    assert_eq!(report.result, Err(Error::Down(1)));
    assert_eq!(report.gave_up, Some(StopReason::BreakerOpen));
    assert!(time.sleeps().is_empty());
}
