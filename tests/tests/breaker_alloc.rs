//! A call guarded by a closed breaker allocates nothing: on its own,
//! blocking or async, with each trip rule, and as a retry policy's guard.
//!
//! `allocation-counter` counts each thread's allocations apart, as in
//! `alloc_hot_path.rs`. The breakers are built, and their first call made,
//! before counting starts: a time window's thread stripe is assigned on a
//! thread's first call.

use allocation_counter::{AllocationInfo, measure};
use backon::breaker::{Breaker, BreakerOpen, Window};
use backon::prelude::*;
use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

#[derive(Debug, PartialEq)]
enum Error {
    Down,
    Open,
}

impl From<BreakerOpen> for Error {
    fn from(_: BreakerOpen) -> Self {
        Error::Open
    }
}

fn breakers() -> [Breaker; 4] {
    let slow = Duration::from_secs(1);
    [
        Breaker::builder().consecutive_failures(5),
        Breaker::builder().failure_ratio(0.5, Window::calls(100)),
        Breaker::builder().failure_ratio(0.5, Window::time(Duration::from_secs(30))),
        Breaker::builder().slow_call_ratio(0.5, slow, Window::calls(10)),
    ]
    .map(|builder| builder.build().expect("valid settings"))
}

fn counting<T>(f: impl FnOnce() -> T) -> (T, AllocationInfo) {
    let mut result = None;
    let info = measure(|| result = Some(f()));
    (result.expect("the measured closure ran"), info)
}

fn ready<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the call should finish at its first poll"),
    }
}

fn call(breaker: &Breaker) -> Result<u32, Error> {
    breaker.call(|| Ok(black_box(7)))
}

#[test]
fn a_guarded_call_does_not_allocate() {
    for breaker in breakers() {
        call(&breaker).unwrap();

        let (result, info) = counting(|| {
            for _ in 0..100 {
                call(&breaker).unwrap();
            }
            call(&breaker)
        });

        assert_eq!(result, Ok(7));
        assert_eq!(info.count_total, 0, "{breaker:?}: {info:?}");
    }
}

#[test]
fn a_failure_below_the_threshold_does_not_allocate() {
    for breaker in breakers() {
        call(&breaker).unwrap();

        let (result, info) = counting(|| breaker.call(|| Err::<u32, _>(Error::Down)));

        assert_eq!(result, Err(Error::Down));
        assert_eq!(info.count_total, 0, "{breaker:?}: {info:?}");
    }
}

#[test]
fn a_guarded_future_does_not_allocate() {
    for breaker in breakers() {
        call(&breaker).unwrap();

        let (result, info) =
            counting(|| ready(breaker.run(async { Ok::<_, Error>(black_box(7)) })));

        assert_eq!(result, Ok(7));
        assert_eq!(info.count_total, 0, "{breaker:?}: {info:?}");
    }
}

#[test]
fn a_retry_guarded_by_a_breaker_does_not_allocate() {
    let [breaker, ..] = breakers();
    let policy = Policy::new(Duration::ZERO, after_attempts(3).unwrap()).with_guard(&breaker);
    call(&breaker).unwrap();

    let (blocking, info) = counting(|| (|| Ok::<_, Error>(black_box(7))).retry(&policy).call());
    assert_eq!(blocking, Ok(7));
    assert_eq!(info.count_total, 0, "{info:?}");

    let (asynchronous, info) =
        counting(|| ready((|| async { Ok::<_, Error>(black_box(7)) }).retry(&policy)));
    assert_eq!(asynchronous, Ok(7));
    assert_eq!(info.count_total, 0, "{info:?}");
}
