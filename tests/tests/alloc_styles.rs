//! The other call styles allocate nothing either: the attempt loop, the
//! wrapped callable and the retry with input, async and blocking, when the
//! call fails once and retries with no delay.
//!
//! As in `alloc_hot_path.rs`, `allocation-counter` counts this thread's
//! allocations, and async calls are polled with a no-op waker.

use allocation_counter::{AllocationInfo, measure};
use backon::prelude::*;
use backon::stop::AfterAttempts;
use std::cell::Cell;
use std::future::Future;
use std::hint::black_box;
use std::ops::ControlFlow;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

fn policy() -> Policy<Duration, AfterAttempts> {
    Policy::new(Duration::ZERO, after_attempts(3).expect("three attempts"))
}

/// Fails on its first call and succeeds from then on.
fn fail_once(calls: &Cell<u32>) -> Result<u32, &'static str> {
    calls.set(calls.get() + 1);
    if calls.get() < 2 {
        Err("busy")
    } else {
        Ok(black_box(calls.get()))
    }
}

/// Polls a future that is ready at its first poll, without a runtime.
fn ready<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());

    match future.as_mut().poll(&mut cx) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the retry should finish at its first poll"),
    }
}

fn counting<T>(f: impl FnOnce() -> T) -> (T, AllocationInfo) {
    let mut result = None;
    let info = measure(|| result = Some(f()));
    (result.expect("the measured closure ran"), info)
}

#[test]
fn the_attempt_loop_does_not_allocate() {
    let policy = policy();
    let calls = Cell::new(0);

    let (result, info) = counting(|| {
        let mut attempts = backon::attempts_blocking(&policy);
        loop {
            if let ControlFlow::Break(r) = attempts.next().report(fail_once(&calls)) {
                break r;
            }
        }
    });
    assert_eq!(result, Ok(2));
    assert_eq!(info.count_total, 0, "{info:?}");

    calls.set(0);
    let (result, info) = counting(|| {
        ready(async {
            let mut attempts = backon::attempts(&policy);
            loop {
                let attempt = attempts.next().await;
                if let ControlFlow::Break(r) = attempt.report(fail_once(&calls)) {
                    break r;
                }
            }
        })
    });
    assert_eq!(result, Ok(2));
    assert_eq!(info.count_total, 0, "{info:?}");
}

#[test]
fn the_wrapped_callable_does_not_allocate() {
    let policy = policy();
    let calls = Cell::new(0);
    let blocking = backon::wrap_blocking(|_: &u8| fail_once(&calls), &policy);
    let wrapped = backon::wrap(async |_: &u8| fail_once(&calls), &policy);

    let (result, info) = counting(|| blocking.call(1));
    assert_eq!(result, Ok(2));
    assert_eq!(info.count_total, 0, "{info:?}");

    calls.set(0);
    let (result, info) = counting(|| ready(wrapped.call(1)));
    assert_eq!(result, Ok(2));
    assert_eq!(info.count_total, 0, "{info:?}");
}

#[test]
fn the_retry_with_input_does_not_allocate() {
    let policy = policy();
    let calls = Cell::new(0);
    let send = |input: [u8; 4]| fail_once(&calls).map_err(|e| (e, input));

    let (result, info) =
        counting(|| backon::retry_with_input_blocking([0; 4], send, &policy).call());
    assert_eq!(result, Ok(2));
    assert_eq!(info.count_total, 0, "{info:?}");

    calls.set(0);
    let (result, info) = counting(|| {
        ready(backon::retry_with_input(
            [0_u8; 4],
            |input| {
                let outcome = send(input);
                async move { outcome }
            },
            &policy,
        ))
    });
    assert_eq!(result, Ok(2));
    assert_eq!(info.count_total, 0, "{info:?}");
}
