//! An idle listener allocates nothing: with no subscriber, or with one
//! that has `debug` off, a retry's events cost no allocation.
//!
//! `allocation-counter` counts each thread's allocations apart, so tests
//! running in parallel do not disturb each other.

use allocation_counter::measure;
use backon::prelude::*;
use backon::tracing::TracingListener;
use std::cell::Cell;
use std::time::Duration;
use tracing::Dispatch;
use tracing::level_filters::LevelFilter;

/// The allocations of a call that fails once and then succeeds after a
/// zero delay, which sleeps on no timer.
fn retry_once(
    policy: &Policy<Duration, backon::stop::AfterAttempts, backon::AnyError, ((), TracingListener)>,
) -> u64 {
    let calls = Cell::new(0);
    let fail_once = || {
        calls.set(calls.get() + 1);
        if calls.get() < 2 {
            Err("busy")
        } else {
            Ok(calls.get())
        }
    };

    let info = measure(|| {
        let result = fail_once.retry(policy).call();
        assert_eq!(result, Ok(2));
    });
    info.count_total
}

#[test]
fn an_idle_listener_does_not_allocate() {
    let policy = Policy::new(Duration::ZERO, after_attempts(3).unwrap())
        .listen(TracingListener::new("fetch"));

    assert_eq!(retry_once(&policy), 0, "no subscriber");

    let info_only = tracing_subscriber::fmt()
        .with_max_level(LevelFilter::INFO)
        .finish();
    let dispatch = Dispatch::new(info_only);
    let allocations = tracing::dispatcher::with_default(&dispatch, || retry_once(&policy));
    assert_eq!(allocations, 0, "a subscriber at info");
}
