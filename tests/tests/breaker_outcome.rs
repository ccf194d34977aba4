//! What each call style returns when its policy's breaker stops it, on
//! virtual time: the last attempt's outcome once an attempt has run, the
//! breaker's error only when none has, and the probe when the time limit
//! leaves room for it.
//!
//! Each test runs its scenario through the call styles that own their
//! outcomes: the async future, the blocking retry, `retry_with_input` async
//! and blocking, and the wrapped callables async and blocking. The
//! `#[retry]` attribute expands to the first two; one test checks that it
//! follows them. The attempt loop hands its outcomes to its body instead;
//! `breaker_attempts.rs` covers it.

use backon::breaker::{Breaker, State};
use backon::prelude::*;
use backon::stop::AfterAttempts;
use backon::testing::{RecordedEvent, Recorder, VirtualTime};
use backon::{AnyError, Condition, GuardFor, Listener, Report, Stop, StopReason};
use std::cell::Cell;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

mod breaker_support;

use breaker_support::{Error, breaker, secs, tripping_after};

#[derive(Debug, Clone, Copy)]
enum Style {
    Async,
    Blocking,
    InputAsync,
    InputBlocking,
    Wrapped,
    WrappedBlocking,
}

const STYLES: [Style; 6] = [
    Style::Async,
    Style::Blocking,
    Style::InputAsync,
    Style::InputBlocking,
    Style::Wrapped,
    Style::WrappedBlocking,
];

/// What a call returned, whatever its style.
#[derive(Debug)]
struct Ended {
    result: Result<u32, Error>,
    attempts: u32,
    gave_up: Option<StopReason>,
    /// How many times the operation ran.
    calls: u32,
}

/// Runs one call in `style`; `op` gets the number of the call, from 1.
///
/// For `retry_with_input`, the input is a body that every failed attempt
/// hands back; it must come back with the call's error, whichever error
/// that is.
fn run<S, C, L, G>(
    style: Style,
    policy: &Policy<Duration, S, C, L, G>,
    time: &VirtualTime,
    op: &dyn Fn(u32) -> Result<u32, Error>,
) -> Ended
where
    S: Stop,
    C: Condition<u32, Error>,
    L: Listener<Error>,
    G: GuardFor<u32, Error>,
{
    let calls = Cell::new(0);
    let next = || {
        calls.set(calls.get() + 1);
        op(calls.get())
    };
    let send = |body: String| next().map_err(|error| (error, body));

    let (result, attempts, gave_up) = match style {
        Style::Async => parts(ready(
            backon::retry(|| std::future::ready(next()), policy)
                .runtime(time.clone())
                .with_report(),
        )),
        Style::Blocking => parts(
            backon::retry_blocking(next, policy)
                .runtime(time.clone())
                .call_with_report(),
        ),
        Style::InputAsync => without_input(parts(ready(
            backon::retry_with_input(
                "hello".to_string(),
                |body| std::future::ready(send(body)),
                policy,
            )
            .runtime(time.clone())
            .with_report(),
        ))),
        Style::InputBlocking => without_input(parts(
            backon::retry_with_input_blocking("hello".to_string(), send, policy)
                .runtime(time.clone())
                .call_with_report(),
        )),
        Style::Wrapped => {
            let wrapped = backon::wrap(|_: &()| std::future::ready(next()), policy);
            parts(ready(wrapped.runtime(time.clone()).call_with_report(())))
        }
        Style::WrappedBlocking => parts(
            backon::wrap_blocking(|_: &()| next(), policy)
                .runtime(time.clone())
                .call_with_report(()),
        ),
    };

    Ended {
        result,
        attempts,
        gave_up,
        calls: calls.get(),
    }
}

type Parts<E> = (Result<u32, E>, u32, Option<StopReason>);

fn parts<E>(report: Report<u32, E>) -> Parts<E> {
    (report.result, report.attempts, report.gave_up)
}

/// Checks that the input came back with the error, and sets it aside.
fn without_input((result, attempts, gave_up): Parts<(Error, String)>) -> Parts<Error> {
    let result = result.map_err(|(error, body)| {
        assert_eq!(body, "hello", "the input comes back with {error:?}");
        error
    });
    (result, attempts, gave_up)
}

/// Polls a future on virtual time, where it finishes at its first poll.
fn ready<F: Future>(future: F) -> F::Output {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("on virtual time the call finishes at its first poll"),
    }
}

/// Fails every call, each with its own number.
fn always_down(call: u32) -> Result<u32, Error> {
    Err(Error::Down(call))
}

/// Fails the first three calls, then returns the call's number.
fn down_three_times(call: u32) -> Result<u32, Error> {
    if call <= 3 {
        Err(Error::Down(call))
    } else {
        Ok(call)
    }
}

#[test]
fn after_three_failures_an_open_breaker_ends_the_call_with_the_third_error() {
    for style in STYLES {
        let time = VirtualTime::new();
        let breaker = tripping_after(3, &time);
        let recorder = Recorder::new();
        let policy = Policy::new(secs(1), after_attempts(10).unwrap())
            .with_guard(breaker.clone())
            .listen(recorder.clone());

        let ended = run(style, &policy, &time, &always_down);

        // Fails at 0 s, 1 s and 2 s, which opens the breaker for 5 s; the
        // fourth attempt would be refused after its 1 s sleep, and with no
        // time limit the call cannot wait for the probe, so it ends at 2 s.
        assert_eq!(ended.result, Err(Error::Down(3)), "{style:?}");
        assert_eq!(ended.attempts, 3, "{style:?}");
        assert_eq!(ended.gave_up, Some(StopReason::BreakerOpen), "{style:?}");
        assert_eq!(ended.calls, 3, "{style:?}");
        assert_eq!(
            recorder.events().last_chunk::<2>(),
            Some(&[
                RecordedEvent::Refused {
                    attempt: 4,
                    reason: StopReason::BreakerOpen,
                    wait: None,
                },
                RecordedEvent::GaveUp {
                    attempts: 3,
                    reason: StopReason::BreakerOpen,
                },
            ]),
            "{style:?}: the call ends as a refusal does"
        );
        assert_eq!(time.sleeps(), [secs(1); 2], "{style:?}");
        assert_eq!(breaker.state(), State::Open, "{style:?}");
    }
}

#[test]
fn a_probe_past_the_time_limit_leaves_the_last_error_too() {
    for style in STYLES {
        let time = VirtualTime::new();
        let breaker = tripping_after(3, &time);
        let policy = Policy::new(secs(1), time_limit(secs(5)).unwrap()).with_guard(&breaker);

        let ended = run(style, &policy, &time, &always_down);

        // Opened at 2 s; the probe at 7 s would come after the 5 s limit,
        // so the call ends at 2 s rather than sleep to be refused at 3 s.
        assert_eq!(ended.result, Err(Error::Down(3)), "{style:?}");
        assert_eq!(ended.attempts, 3, "{style:?}");
        assert_eq!(ended.gave_up, Some(StopReason::BreakerOpen), "{style:?}");
        assert_eq!(time.now(), secs(2), "{style:?}");
    }
}

#[test]
fn a_breaker_open_before_the_first_attempt_ends_the_call_with_its_error() {
    for style in STYLES {
        let time = VirtualTime::new();
        let breaker = breaker(&time);
        for call in 1..=2 {
            breaker.call(|| always_down(call)).unwrap_err();
        }
        assert_eq!(breaker.state(), State::Open);
        let policy = Policy::new(secs(1), after_attempts(10).unwrap()).with_guard(&breaker);

        let ended = run(style, &policy, &time, &always_down);

        assert!(
            matches!(&ended.result, Err(Error::Open(open)) if open.state() == State::Open),
            "{style:?}: {:?}",
            ended.result
        );
        assert_eq!(ended.attempts, 0, "{style:?}");
        assert_eq!(ended.gave_up, Some(StopReason::BreakerOpen), "{style:?}");
        assert_eq!(ended.calls, 0, "{style:?}: the operation never ran");
        assert!(time.sleeps().is_empty(), "{style:?}");
    }
}

#[test]
fn with_time_left_the_call_still_waits_for_the_probe() {
    for style in STYLES {
        let time = VirtualTime::new();
        let breaker = tripping_after(3, &time);
        let policy = Policy::new(
            secs(1),
            after_attempts(10).unwrap() | time_limit(secs(60)).unwrap(),
        )
        .with_guard(breaker.clone());

        let ended = run(style, &policy, &time, &down_three_times);

        // Fails at 0 s, 1 s and 2 s, which opens the breaker until 7 s;
        // refused at 3 s, the call waits 4 s and the probe succeeds.
        assert_eq!(ended.result, Ok(4), "{style:?}");
        assert_eq!(ended.attempts, 4, "{style:?}");
        assert_eq!(ended.gave_up, None, "{style:?}");
        assert_eq!(
            time.sleeps(),
            [secs(1), secs(1), secs(1), secs(4)],
            "{style:?}"
        );
        assert_eq!(breaker.state(), State::Closed, "{style:?}");
    }
}

#[test]
fn a_retried_ok_value_is_what_the_breaker_stop_returns() {
    // A call with input ends at its first `Ok`, so it has no retried `Ok`.
    let styles = [
        Style::Async,
        Style::Blocking,
        Style::Wrapped,
        Style::WrappedBlocking,
    ];
    for style in styles {
        let time = VirtualTime::new();
        let breaker = breaker(&time);
        let policy = Policy::new(secs(1), after_attempts(10).unwrap())
            .retry_when(condition::when_ok(|pending: &u32| *pending == 0) | AnyError)
            .with_guard(&breaker);

        // The second call answers "nothing yet", and meanwhile the breaker
        // is isolated by hand.
        let ended = run(style, &policy, &time, &|call| {
            if call == 2 {
                breaker.isolate();
            }
            if call == 1 {
                Err(Error::Down(1))
            } else {
                Ok(0)
            }
        });

        assert_eq!(ended.result, Ok(0), "{style:?}");
        assert_eq!(ended.attempts, 2, "{style:?}");
        assert_eq!(ended.gave_up, Some(StopReason::BreakerOpen), "{style:?}");
    }
}

type Guarded = Policy<Duration, AfterAttempts, AnyError, (), Breaker<VirtualTime>>;

#[backon::retry(policy = policy, runtime = time.clone())]
fn down_blocking(policy: &Guarded, time: &VirtualTime, calls: &Cell<u32>) -> Result<u32, Error> {
    calls.set(calls.get() + 1);
    always_down(calls.get())
}

#[backon::retry(policy = policy, runtime = time.clone())]
async fn down_async(policy: &Guarded, time: &VirtualTime, calls: &Cell<u32>) -> Result<u32, Error> {
    calls.set(calls.get() + 1);
    always_down(calls.get())
}

#[test]
fn the_retry_attribute_returns_the_last_error_too() {
    for asynchronous in [false, true] {
        let time = VirtualTime::new();
        let policy =
            Policy::new(secs(1), after_attempts(10).unwrap()).with_guard(tripping_after(3, &time));
        let calls = Cell::new(0);

        let result = if asynchronous {
            ready(down_async(&policy, &time, &calls))
        } else {
            down_blocking(&policy, &time, &calls)
        };

        assert_eq!(result, Err(Error::Down(3)), "async: {asynchronous}");
        assert_eq!(calls.get(), 3, "async: {asynchronous}");
    }
}
