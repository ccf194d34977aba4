//! The hot path allocates nothing: a retried call that succeeds at once, or
//! fails once and retries with no delay, makes no heap allocation, async or
//! blocking.
//!
//! `allocation-counter` installs the global allocator of this test binary
//! and counts each thread's allocations apart, so tests running in parallel
//! do not disturb each other. Async retries are polled with a no-op waker
//! instead of a runtime, so that only the retry's own allocations count.

use allocation_counter::{AllocationInfo, measure};
use backon::prelude::*;
use backon::stop::AfterAttempts;
use std::cell::Cell;
use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

fn policy() -> Policy<Duration, AfterAttempts> {
    Policy::new(
        Duration::ZERO,
        after_attempts(3).expect("three attempts is valid"),
    )
}

/// Fails on its first call and succeeds from then on.
fn fail_once(calls: &Cell<u32>) -> Result<u32, &'static str> {
    calls.set(calls.get() + 1);
    if calls.get() < 2 {
        Err("busy")
    } else {
        Ok(calls.get())
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

/// Runs `f` and returns its result and the allocations it made on this
/// thread.
fn counting<T>(f: impl FnOnce() -> T) -> (T, AllocationInfo) {
    let mut result = None;
    let info = measure(|| result = Some(f()));
    (result.expect("the measured closure ran"), info)
}

#[test]
fn async_success_does_not_allocate() {
    let policy = policy();

    let (result, info) =
        counting(|| ready((|| async { Ok::<_, &str>(black_box(7)) }).retry(&policy)));

    assert_eq!(result, Ok(7));
    assert_eq!(info.count_total, 0, "{info:?}");
}

#[test]
fn async_fail_then_succeed_does_not_allocate() {
    let policy = policy();
    let calls = Cell::new(0);

    let (result, info) = counting(|| ready((|| async { fail_once(&calls) }).retry(&policy)));

    assert_eq!(result, Ok(2));
    assert_eq!(info.count_total, 0, "{info:?}");
}

#[test]
fn blocking_success_does_not_allocate() {
    let policy = policy();

    let (result, info) = counting(|| (|| Ok::<_, &str>(black_box(7))).retry(&policy).call());

    assert_eq!(result, Ok(7));
    assert_eq!(info.count_total, 0, "{info:?}");
}

#[test]
fn blocking_fail_then_succeed_does_not_allocate() {
    let policy = policy();
    let calls = Cell::new(0);

    let (result, info) = counting(|| (|| fail_once(&calls)).retry(&policy).call());

    assert_eq!(result, Ok(2));
    assert_eq!(info.count_total, 0, "{info:?}");
}

/// The counter is live: an allocation inside the operation is seen, so the
/// zeros above mean something.
#[test]
fn an_allocating_operation_is_counted() {
    let policy = policy();

    let (result, info) = counting(|| {
        (|| Ok::<_, &str>(*black_box(Box::new(7))))
            .retry(&policy)
            .call()
    });

    assert_eq!(result, Ok(7));
    assert_eq!(info.count_total, 1, "{info:?}");
}
