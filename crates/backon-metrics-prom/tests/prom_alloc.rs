//! Recording allocates nothing once the listener is made: not a success,
//! a retry, a give-up, nor a breaker's rejection; a transition only the
//! first time it occurs.
//!
//! `allocation-counter` counts each thread's allocations apart, so tests
//! running in parallel do not disturb each other.

use allocation_counter::measure;
use backon::breaker::Breaker;
use backon::prelude::*;
use backon::prometheus::PromMetrics;
use backon::testing::VirtualTime;
use backon_metrics_support::BreakerError as Error;
use prometheus_client::registry::Registry;
use std::cell::Cell;
use std::hint::black_box;
use std::time::Duration;

#[test]
fn retries_record_without_allocating() {
    let mut registry = Registry::default();
    let metrics = PromMetrics::register(&mut registry);
    let policy =
        Policy::new(Duration::ZERO, after_attempts(2).unwrap()).listen(metrics.listener("fetch"));

    let info = measure(|| {
        let result = (|| Ok::<_, &str>(black_box(7))).retry(&policy).call();
        assert_eq!(result, Ok(7));
    });
    assert_eq!(info.count_total, 0, "a success: {info:?}");

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
        let result = fail_once.retry(&policy).call();
        assert_eq!(result, Ok(2));
    });
    assert_eq!(info.count_total, 0, "a retry: {info:?}");

    let info = measure(|| {
        let result = (|| Err::<(), _>("down")).retry(&policy).call();
        assert_eq!(result, Err("down"));
    });
    assert_eq!(info.count_total, 0, "a give-up: {info:?}");
}

#[test]
fn a_breaker_records_without_allocating_after_its_first_transitions() {
    let mut registry = Registry::default();
    let metrics = PromMetrics::register(&mut registry);
    let breaker = Breaker::builder()
        .clock(VirtualTime::new())
        .consecutive_failures(1)
        .listen(metrics.listener("fetch"))
        .build()
        .unwrap();
    let trip = || {
        let result = breaker.call(|| Err::<(), _>(Error::Down));
        assert!(matches!(result, Err(Error::Down)));
        breaker.reset();
    };

    // The first closed -> open and open -> closed make their series.
    trip();
    let info = measure(trip);
    assert_eq!(info.count_total, 0, "transitions seen before: {info:?}");

    breaker.isolate();
    let info = measure(|| {
        let result = breaker.call(|| Ok::<_, Error>(()));
        assert!(matches!(result, Err(Error::Open)));
    });
    assert_eq!(info.count_total, 0, "a rejection: {info:?}");
}
