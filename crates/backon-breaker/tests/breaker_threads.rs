//! Invariants under concurrent calls: no more than P probes at once,
//! counts that add up, and no permit lost to a dropped future.

use backon_breaker::{Breaker, BreakerEvent, BreakerOpen, Outcome, State, Why, Window};
use backon_testing::VirtualTime;
use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::Duration;

const THREADS: usize = 4;

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

/// Runs `body(thread)` on `THREADS` threads at once.
fn on_threads(body: impl Fn(usize) + Sync) {
    thread::scope(|scope| {
        for n in 0..THREADS {
            let body = &body;
            scope.spawn(move || body(n));
        }
    });
}

fn transitions(log: &Mutex<Vec<BreakerEvent>>) -> Vec<(State, State, Why)> {
    log.lock()
        .unwrap()
        .iter()
        .filter_map(|event| match *event {
            BreakerEvent::Transition { from, to, why } => Some((from, to, why)),
            _ => None,
        })
        .collect()
}

/// A breaker on virtual time, tripped and past its open duration, whose
/// probes' outcomes are all ignored so that it stays half-open.
fn half_open(probes: u32) -> Breaker<VirtualTime, impl Fn(&Result<(), Error>) -> Outcome + Clone> {
    let time = VirtualTime::new();
    let breaker = Breaker::builder()
        .consecutive_failures(1)
        .probes(probes)
        .clock(time.clone())
        .classify(|r: &Result<(), Error>| match r {
            Err(Error::Down) => Outcome::Failure,
            _ => Outcome::Ignored,
        })
        .build()
        .unwrap();

    breaker.call(|| Err(Error::Down)).unwrap_err();
    time.advance(Duration::from_secs(5));
    breaker
}

#[test]
fn half_open_never_admits_more_than_p_probes_at_once() {
    let breaker = half_open(3);
    let (in_flight, most, admitted) = (
        AtomicUsize::new(0),
        AtomicUsize::new(0),
        AtomicUsize::new(0),
    );

    on_threads(|_| {
        for i in 0..20_000 {
            let Ok(permit) = breaker.permit() else {
                continue;
            };
            // Counted after taking and before giving back, so this count
            // never exceeds the breaker's own.
            let now = in_flight.fetch_add(1, SeqCst) + 1;
            most.fetch_max(now, SeqCst);
            admitted.fetch_add(1, SeqCst);
            thread::yield_now();
            in_flight.fetch_sub(1, SeqCst);

            if i % 2 == 0 {
                drop(permit);
            } else {
                breaker.record(permit, &Ok(()));
            }
        }
    });

    let most = most.load(SeqCst);
    assert!((1..=3).contains(&most), "{most} probes at once");
    assert!(admitted.load(SeqCst) > 3);
    assert_eq!(breaker.state(), State::HalfOpen);

    // Every permit came back: exactly three can be taken now.
    let permits: Vec<_> = (0..3).map(|_| breaker.permit().unwrap()).collect();
    assert!(breaker.permit().is_err());
    drop(permits);
}

#[test]
fn consecutive_failures_count_every_thread() {
    const CALLS: usize = 2_500;
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = log.clone();
    let limit = u32::try_from(THREADS * CALLS).unwrap();
    let breaker = Breaker::builder()
        .consecutive_failures(limit)
        .listen(move |event: &BreakerEvent| sink.lock().unwrap().push(*event))
        .build()
        .unwrap();
    let rejected = AtomicUsize::new(0);

    on_threads(|_| {
        for _ in 0..CALLS {
            if breaker.call(|| Err::<(), _>(Error::Down)) == Err(Error::Open) {
                rejected.fetch_add(1, SeqCst);
            }
        }
    });

    // Tripped by the very last failure: no count lost, none doubled.
    assert_eq!(rejected.load(SeqCst), 0);
    assert_eq!(breaker.state(), State::Open);
    assert_eq!(
        transitions(&log),
        [(
            State::Closed,
            State::Open,
            Why::ConsecutiveFailures { count: limit }
        )]
    );
}

#[test]
fn a_count_window_adds_up_across_threads() {
    const CALLS: usize = 250;
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = log.clone();
    let breaker = Breaker::builder()
        .failure_ratio(0.5, Window::calls(1_000))
        .minimum_calls(1_000)
        .listen(move |event: &BreakerEvent| sink.lock().unwrap().push(*event))
        .build()
        .unwrap();

    on_threads(|_| {
        for i in 0..CALLS {
            let _ = breaker.call(|| if i % 2 == 0 { Err(Error::Down) } else { Ok(()) });
        }
    });

    assert_eq!(
        transitions(&log),
        [(
            State::Closed,
            State::Open,
            Why::FailureRatio {
                failures: 500,
                calls: 1_000
            }
        )]
    );
}

#[test]
fn a_time_window_adds_up_across_threads() {
    const CALLS: usize = 250;
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = log.clone();
    let breaker = Breaker::builder()
        .failure_ratio(0.5, Window::time(Duration::from_secs(60)))
        .minimum_calls(1_000)
        .clock(VirtualTime::new())
        .listen(move |event: &BreakerEvent| sink.lock().unwrap().push(*event))
        .build()
        .unwrap();

    on_threads(|_| {
        for i in 0..CALLS {
            let _ = breaker.call(|| if i % 2 == 0 { Err(Error::Down) } else { Ok(()) });
        }
    });

    assert_eq!(
        transitions(&log),
        [(
            State::Closed,
            State::Open,
            Why::FailureRatio {
                failures: 500,
                calls: 1_000
            }
        )]
    );
}

#[test]
fn dropped_futures_lose_no_permit() {
    let breaker = half_open(2);
    let (ran, rejected) = (AtomicUsize::new(0), AtomicUsize::new(0));

    on_threads(|_| {
        let mut cx = Context::from_waker(Waker::noop());
        for _ in 0..5_000 {
            let call = pin!(breaker.run(std::future::pending::<Result<(), Error>>()));
            match call.poll(&mut cx) {
                Poll::Pending => ran.fetch_add(1, SeqCst),
                Poll::Ready(Err(Error::Open)) => rejected.fetch_add(1, SeqCst),
                Poll::Ready(other) => panic!("unexpected {other:?}"),
            };
            // Dropped here, mid-call.
        }
    });

    assert_eq!(ran.load(SeqCst) + rejected.load(SeqCst), THREADS * 5_000);
    assert!(ran.load(SeqCst) >= 2);
    let permits: Vec<_> = (0..2).map(|_| breaker.permit().unwrap()).collect();
    assert!(breaker.permit().is_err());
    drop(permits);
}

#[test]
fn the_closed_path_is_shared_by_many_threads() {
    const CALLS: usize = 50_000;
    let breaker = Breaker::builder()
        .consecutive_failures(5)
        .failure_ratio(0.5, Window::calls(100))
        .build()
        .unwrap();
    let ok = AtomicUsize::new(0);

    on_threads(|_| {
        for i in 0..CALLS {
            if breaker.call(|| Ok::<_, Error>(i)).is_ok() {
                ok.fetch_add(1, SeqCst);
            }
        }
    });

    assert_eq!(ok.load(SeqCst), THREADS * CALLS);
    assert_eq!(breaker.state(), State::Closed);
}
