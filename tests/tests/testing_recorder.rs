//! The recorder keeps a shaped variant for every event a guarded retry and
//! a hedged group report: a breaker's refusals, attempt durations, and the
//! `Hedge*` events, all on virtual time.

mod breaker_support;

use backon::budget::TokenBudget;
use backon::hedge::{HedgePolicy, Hedged};
use backon::prelude::*;
use backon::testing::{RecordedEvent, Recorder, Script, VirtualTime};
use backon::{Event, Listener, StopReason};
use breaker_support::{Error, breaker, secs};
use std::future::{Future, pending};
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Polls once: everything on virtual time is ready at its first poll.
fn ready<F: Future>(fut: F) -> F::Output {
    match pin!(fut).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("nothing on virtual time should wait"),
    }
}

#[test]
fn a_refusal_that_ends_the_retry_is_recorded_as_such() {
    let time = VirtualTime::new();
    let recorder = Recorder::new();
    let policy = Policy::new(secs(1), after_attempts(5).unwrap())
        .with_guard(breaker(&time))
        .listen(recorder.clone());

    let result = (|| Err::<(), _>(Error::Down(7)))
        .retry(&policy)
        .runtime(time)
        .call();

    // The second failure opened the breaker for longer than the sleep
    // before the third attempt: the retry ends there, with that failure.
    assert_eq!(result, Err(Error::Down(7)));
    assert_eq!(
        recorder.events()[5..],
        [
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
    recorder.assert_attempts(2);
    recorder.assert_gave_up(StopReason::BreakerOpen);
    assert_eq!(
        recorder.to_string(),
        "\
call 1
  attempt 1 started
  attempt 1 failed: Down(7)
  sleep 1s, then attempt 2
  attempt 2 started
  attempt 2 failed: Down(7)
  attempt 3 refused: circuit breaker open
  gave up after 2 attempts: circuit breaker open
"
    );
}

#[test]
fn a_refusal_with_time_left_waits_for_the_probe() {
    let time = VirtualTime::new();
    let recorder = Recorder::new();
    let policy = Policy::new(secs(1), time_limit(secs(60)).unwrap())
        .with_guard(breaker(&time))
        .listen(recorder.clone());
    let server = Script::new().err(Error::Down(7)).err(Error::Down(7)).ok(7);

    let result = (|| server.call()).retry(&policy).runtime(time).call();

    // Fails at 0 s and 1 s, which opens the breaker until 6 s; refused at
    // 2 s, the retry waits 4 s and the probe succeeds.
    assert_eq!(result, Ok(7));
    assert_eq!(
        recorder.events()[6..],
        [
            RecordedEvent::Refused {
                attempt: 3,
                reason: StopReason::BreakerOpen,
                wait: Some(secs(4)),
            },
            RecordedEvent::AttemptStarted { attempt: 3 },
            RecordedEvent::Succeeded { attempts: 3 },
        ]
    );
    assert_eq!(recorder.calls().len(), 1);
    recorder.assert_succeeded();
}

#[test]
fn a_call_refused_at_once_is_a_call_of_its_own() {
    let time = VirtualTime::new();
    let breaker = breaker(&time);
    let recorder = Recorder::new();
    let policy = Policy::new(secs(1), after_attempts(2).unwrap())
        .with_guard(&breaker)
        .listen(recorder.clone());

    let _ = (|| Err::<(), _>(Error::Down(7)))
        .retry(&policy)
        .runtime(time.clone())
        .call();
    let _ = (|| Ok::<_, Error>(1)).retry(&policy).runtime(time).call();

    let calls = recorder.calls();
    assert_eq!(calls.len(), 2, "{recorder}");
    assert_eq!(calls[0].stop_reason(), Some(StopReason::Attempts));
    assert_eq!(
        calls[1].events(),
        [
            RecordedEvent::Refused {
                attempt: 1,
                reason: StopReason::BreakerOpen,
                wait: None,
            },
            RecordedEvent::GaveUp {
                attempts: 0,
                reason: StopReason::BreakerOpen,
            },
        ]
    );
    recorder.assert_gave_up(StopReason::BreakerOpen);
}

#[test]
fn a_call_waiting_on_its_first_attempt_stays_one_call() {
    let time = VirtualTime::new();
    let breaker = breaker(&time);
    breaker.call(|| Err::<(), _>(Error::Down(7))).unwrap_err();
    breaker.call(|| Err::<(), _>(Error::Down(7))).unwrap_err();
    let recorder = Recorder::new();
    let policy = Policy::new(secs(1), time_limit(secs(60)).unwrap())
        .with_guard(&breaker)
        .listen(recorder.clone());

    let result = (|| Ok::<_, Error>(1)).retry(&policy).runtime(time).call();

    assert_eq!(result, Ok(1));
    assert_eq!(
        recorder.events(),
        [
            RecordedEvent::Refused {
                attempt: 1,
                reason: StopReason::BreakerOpen,
                wait: Some(secs(5)),
            },
            RecordedEvent::AttemptStarted { attempt: 1 },
            RecordedEvent::Succeeded { attempts: 1 },
        ]
    );
    assert_eq!(recorder.calls().len(), 1);
    recorder.assert_succeeded();
}

/// A listener that asks for the clock and hears nothing, so that the engine
/// reports attempt durations to the recorder beside it.
struct UsesClock;

impl<E> Listener<E> for UsesClock {
    fn on_event(&self, _: &Event<'_, E>) {}

    fn uses_clock(&self) -> bool {
        true
    }
}

#[test]
fn attempt_durations_are_recorded_when_a_listener_uses_the_clock() {
    let time = VirtualTime::new();
    let recorder = Recorder::new();
    let policy = Policy::new(secs(1), after_attempts(3).unwrap())
        .listen(UsesClock)
        .listen(recorder.clone());
    let server = Script::new()
        .time(&time)
        .err("busy")
        .taking(ms(300))
        .ok(7)
        .taking(ms(50));

    let result = (|| server.call()).retry(&policy).runtime(time).call();

    assert_eq!(result, Ok(7));
    assert_eq!(
        recorder.events(),
        [
            RecordedEvent::AttemptStarted { attempt: 1 },
            RecordedEvent::AttemptEnded {
                attempt: 1,
                duration: ms(300),
                accepted: false,
            },
            RecordedEvent::AttemptFailed {
                attempt: 1,
                error: Some(r#""busy""#.into()),
                elapsed: Some(ms(300)),
            },
            RecordedEvent::RetryScheduled {
                attempt: 1,
                delay: secs(1),
            },
            RecordedEvent::AttemptStarted { attempt: 2 },
            RecordedEvent::AttemptEnded {
                attempt: 2,
                duration: ms(50),
                accepted: true,
            },
            RecordedEvent::Succeeded { attempts: 2 },
        ]
    );
}

#[test]
fn a_hedged_group_records_its_launches_failures_and_winner() {
    let recorder = Recorder::new();
    let policy = HedgePolicy::new(ms(20)).extra(2).listen(recorder.clone());

    // The primary never answers, the first hedge fails, the second wins
    // while the primary still runs.
    let op = |index: u32| async move {
        match index {
            0 => pending().await,
            1 => Err("reset"),
            _ => Ok(index),
        }
    };
    let winner = ready(Hedged::new(op, &policy, VirtualTime::new()));

    assert_eq!(winner, Ok(2));
    // The failed hedge's successor starts at once, with no delay.
    assert_eq!(
        recorder.events(),
        [
            RecordedEvent::HedgeLaunched {
                index: 0,
                delay: Duration::ZERO,
            },
            RecordedEvent::HedgeLaunched {
                index: 1,
                delay: ms(20),
            },
            RecordedEvent::HedgeFailed {
                index: 1,
                error: Some(r#""reset""#.into()),
            },
            RecordedEvent::HedgeLaunched {
                index: 2,
                delay: Duration::ZERO,
            },
            RecordedEvent::HedgeWon { index: 2 },
            RecordedEvent::HedgesCancelled { count: 1 },
        ],
        "{recorder}"
    );
}

#[test]
fn a_hedge_the_budget_refuses_is_recorded_as_skipped() {
    let budget = TokenBudget::builder()
        .capacity(1.0)
        .initial(0.0)
        .refund(0.0)
        .build()
        .unwrap();
    let recorder = Recorder::new();
    let policy = HedgePolicy::new(ms(20))
        .budget(budget)
        .listen(recorder.clone());

    let op = |_: u32| async { Err::<(), _>("down") };
    let result = ready(Hedged::new(op, &policy, VirtualTime::new()));

    assert_eq!(result, Err("down"));
    assert_eq!(
        recorder.events(),
        [
            RecordedEvent::HedgeLaunched {
                index: 0,
                delay: Duration::ZERO,
            },
            RecordedEvent::HedgeFailed {
                index: 0,
                error: Some(r#""down""#.into()),
            },
            RecordedEvent::HedgeSkipped {
                index: 1,
                reason: StopReason::BudgetExhausted,
            },
        ],
        "{recorder}"
    );
}

#[test]
fn each_hedged_group_is_a_call_unless_a_retry_runs_it() {
    let recorder = Recorder::new();
    let hedge = HedgePolicy::new(ms(20)).listen(recorder.clone());
    let op = |index: u32| async move { Ok::<_, &str>(index) };

    // Two groups on their own: two calls.
    for _ in 0..2 {
        assert_eq!(ready(Hedged::new(op, &hedge, VirtualTime::new())), Ok(0));
    }
    assert_eq!(recorder.calls().len(), 2, "{recorder}");

    // A retried group whose first run fails: one more call, holding both
    // runs of the group.
    let retry = Policy::new(secs(1), after_attempts(2).unwrap()).listen(recorder.clone());
    let time = VirtualTime::new();
    let mut runs = 0;
    let result = ready(
        (|| {
            runs += 1;
            let fails = runs == 1;
            Hedged::new(
                move |index: u32| async move { if fails { Err("down") } else { Ok(index) } },
                &hedge,
                time.clone(),
            )
        })
        .retry(&retry)
        .runtime(time.clone()),
    );
    assert_eq!(result, Ok(0));

    let calls = recorder.calls();
    assert_eq!(calls.len(), 3, "{recorder}");
    assert_eq!(calls[2].attempts(), 2);
    let launches = calls[2]
        .events()
        .iter()
        .filter(|event| matches!(event, RecordedEvent::HedgeLaunched { index: 0, .. }))
        .count();
    assert_eq!(launches, 2, "{recorder}");
    assert!(recorder.to_string().contains("call 3\n"), "{recorder}");
}
