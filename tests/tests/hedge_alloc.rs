//! A hedged group allocates nothing beyond its attempts: none when the
//! primary answers at once, and one box per hedge started.
//!
//! As in `alloc_hot_path.rs`, `allocation-counter` counts this thread's
//! allocations, and groups are polled with a no-op waker on a runtime whose
//! sleep is ready at once, so that only the group's own allocations count.

use allocation_counter::{AllocationInfo, measure};
use backon::hedge::{Adaptive, HedgePolicy, Hedged};
use backon::runtime::{Clock, Sleeper};
use std::future::{Future, Ready, pending, ready};
use std::hint::black_box;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

/// Time that stands still and sleeps that end at once, allocating nothing.
#[derive(Debug, Clone, Copy)]
struct Still;

impl Clock for Still {
    type Instant = ();

    fn now(&self) {}

    fn elapsed(&self, _earlier: ()) -> Duration {
        Duration::from_millis(3)
    }
}

impl Sleeper for Still {
    type Sleep = Ready<()>;

    fn sleep(&self, _delay: Duration) -> Ready<()> {
        ready(())
    }
}

/// Polls a group once, which must be enough, and counts its allocations.
fn first_poll<F: Future>(future: F) -> (F::Output, AllocationInfo) {
    let mut output = None;
    let info = measure(|| {
        let mut future = pin!(future);
        let mut cx = Context::from_waker(Waker::noop());
        match future.as_mut().poll(&mut cx) {
            Poll::Ready(out) => output = Some(out),
            Poll::Pending => panic!("the group should finish at its first poll"),
        }
    });
    (output.expect("polled"), info)
}

/// The primary never answers; every hedge answers at once.
async fn stuck_primary(index: u32) -> Result<u32, ()> {
    if index == 0 {
        pending::<()>().await;
    }
    Ok(black_box(index))
}

#[test]
fn a_primary_that_answers_at_once_allocates_nothing() {
    let policy = HedgePolicy::new(Duration::from_millis(10)).extra(3);
    let op = |i: u32| async move { Ok::<_, ()>(black_box(i)) };

    let (result, info) = first_poll(Hedged::new(op, &policy, Still));

    assert_eq!(result, Ok(0));
    assert_eq!(info.count_total, 0, "{info:?}");
}

#[test]
fn the_adaptive_delay_records_without_allocating() {
    let adaptive = Adaptive::builder().min_samples(1).build().unwrap();
    let policy = HedgePolicy::new(adaptive.clone());
    let op = |i: u32| async move { Ok::<_, ()>(black_box(i)) };

    let (result, info) = first_poll(Hedged::new(op, &policy, Still));

    assert_eq!(result, Ok(0));
    assert_eq!(info.count_total, 0, "{info:?}");
    assert!(adaptive.estimate().is_some(), "the latency was recorded");
}

#[test]
fn each_hedge_costs_one_allocation_its_box() {
    let one = HedgePolicy::new(Duration::from_millis(10));
    let (result, info) = first_poll(Hedged::new(stuck_primary, &one, Still));
    assert_eq!(result, Ok(1));
    assert_eq!(info.count_total, 1, "{info:?}");

    // Hedges 1 and 2 fail at once, hedge 3 answers.
    let three = HedgePolicy::new(Duration::ZERO).extra(3);
    let op = |i: u32| async move {
        match i {
            0 => pending().await,
            3 => Ok(3),
            _ => Err(black_box(i)),
        }
    };
    let (result, info) = first_poll(Hedged::new(op, &three, Still));
    assert_eq!(result, Ok(3));
    assert_eq!(info.count_total, 3, "{info:?}");
}
