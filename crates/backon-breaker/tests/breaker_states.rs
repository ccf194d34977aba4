//! The state machine, rule by rule and transition by transition, on
//! virtual time.

use backon_breaker::{
    Breaker, BreakerEvent, BreakerOpen, BuildError, Builder, Outcome, ProbeOutcome, State, Why,
    Window,
};
use backon_testing::VirtualTime;
use backon_wait::{Exponential, WaitExt};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone, PartialEq)]
enum Error {
    Down,
    Busy,
    Open(BreakerOpen),
}

impl From<BreakerOpen> for Error {
    fn from(open: BreakerOpen) -> Self {
        Error::Open(open)
    }
}

type Log = Arc<Mutex<Vec<BreakerEvent>>>;

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// A builder on virtual time that records every event.
fn on(time: &VirtualTime) -> (Builder<VirtualTime>, Log) {
    let log = Log::default();
    let sink = log.clone();
    let builder = Breaker::builder()
        .clock(time.clone())
        .listen(move |event: &BreakerEvent| sink.lock().unwrap().push(*event));
    (builder, log)
}

fn fail<R: backon_core::Clock + Send + Sync + 'static>(b: &Breaker<R>) -> Result<(), Error>
where
    R::Instant: Send + Sync,
{
    b.call(|| Err(Error::Down))
}

fn succeed<R: backon_core::Clock + Send + Sync + 'static>(b: &Breaker<R>) -> Result<(), Error>
where
    R::Instant: Send + Sync,
{
    b.call(|| Ok(()))
}

fn transitions(log: &Log) -> Vec<(State, State, Why)> {
    log.lock()
        .unwrap()
        .iter()
        .filter_map(|event| match *event {
            BreakerEvent::Transition { from, to, why } => Some((from, to, why)),
            _ => None,
        })
        .collect()
}

#[test]
fn consecutive_failures_trip_and_a_success_starts_over() {
    let time = VirtualTime::new();
    let (builder, log) = on(&time);
    let b = builder.consecutive_failures(3).build().unwrap();

    fail(&b).unwrap_err();
    fail(&b).unwrap_err();
    succeed(&b).unwrap();
    fail(&b).unwrap_err();
    fail(&b).unwrap_err();
    assert_eq!(b.state(), State::Closed);

    fail(&b).unwrap_err();
    assert_eq!(b.state(), State::Open);
    assert_eq!(
        transitions(&log),
        [(
            State::Closed,
            State::Open,
            Why::ConsecutiveFailures { count: 3 }
        )]
    );
}

#[test]
fn ignored_outcomes_count_neither_way() {
    let time = VirtualTime::new();
    let (builder, _) = on(&time);
    let b = builder
        .consecutive_failures(2)
        .classify(|r: &Result<(), Error>| match r {
            Ok(()) => Outcome::Success,
            Err(Error::Busy) => Outcome::Ignored,
            Err(_) => Outcome::Failure,
        })
        .build()
        .unwrap();

    b.call(|| Err::<(), _>(Error::Down)).unwrap_err();
    b.call(|| Err::<(), _>(Error::Busy)).unwrap_err();
    assert_eq!(b.state(), State::Closed, "ignored is not a success either");
    b.call(|| Err::<(), _>(Error::Down)).unwrap_err();
    assert_eq!(b.state(), State::Open);
}

#[test]
fn a_count_window_is_evaluated_on_a_success_too() {
    let time = VirtualTime::new();
    let (builder, log) = on(&time);
    let b = builder
        .failure_ratio(0.5, Window::calls(10))
        .build()
        .unwrap();

    for _ in 0..9 {
        fail(&b).unwrap_err();
    }
    assert_eq!(
        b.state(),
        State::Closed,
        "9 calls are below the minimum of 10"
    );

    succeed(&b).unwrap();
    assert_eq!(b.state(), State::Open);
    assert_eq!(
        transitions(&log),
        [(
            State::Closed,
            State::Open,
            Why::FailureRatio {
                failures: 9,
                calls: 10
            }
        )]
    );
}

#[test]
fn a_count_window_forgets_old_failures() {
    let time = VirtualTime::new();
    let (builder, _) = on(&time);
    let b = builder
        .failure_ratio(0.5, Window::calls(4))
        .minimum_calls(4)
        .build()
        .unwrap();

    // f s s s: 25%; then s pushes the failure out; then f f: 50%.
    fail(&b).unwrap_err();
    for _ in 0..4 {
        succeed(&b).unwrap();
    }
    fail(&b).unwrap_err();
    assert_eq!(b.state(), State::Closed);
    fail(&b).unwrap_err();
    assert_eq!(b.state(), State::Open);
}

#[test]
fn a_minimum_above_the_window_is_refused() {
    let err = Breaker::builder()
        .failure_ratio(0.5, Window::calls(10))
        .minimum_calls(11)
        .build()
        .unwrap_err();
    assert_eq!(
        err,
        BuildError::MinimumAboveWindow {
            setting: "failure_ratio",
            minimum: 11,
            window: 10
        }
    );
    assert_eq!(
        err.to_string(),
        "minimum_calls(11) exceeds the 10 calls of failure_ratio's window, so its ratio could never be evaluated"
    );
}

#[test]
fn an_oversized_count_window_is_refused() {
    let err = Breaker::builder()
        .failure_ratio(0.5, Window::calls(u32::MAX))
        .build()
        .unwrap_err();
    assert_eq!(
        err,
        BuildError::TooLarge {
            setting: "failure_ratio's Window::calls",
            max: 1_000_000
        }
    );
    assert_eq!(
        err.to_string(),
        "failure_ratio's Window::calls above the largest supported value, 1000000"
    );
}

#[test]
fn a_time_window_counts_buckets_on_the_clock() {
    let time = VirtualTime::new();
    let (builder, log) = on(&time);
    let b = builder
        .failure_ratio(0.5, Window::time(secs(10)))
        .minimum_calls(4)
        .build()
        .unwrap();

    // Three successes at 0 s, one failure at 5 s: 25%.
    for _ in 0..3 {
        succeed(&b).unwrap();
    }
    time.advance(secs(5));
    fail(&b).unwrap_err();
    assert_eq!(b.state(), State::Closed);

    // At 10 s the successes of the first bucket have left: 1 failure and
    // this 1 success is 50% over 2 calls, below the minimum of 4.
    time.advance(secs(5));
    succeed(&b).unwrap();
    fail(&b).unwrap_err();
    assert_eq!(b.state(), State::Closed);

    // The fourth call in the window: 3 failures of 4.
    fail(&b).unwrap_err();
    assert_eq!(b.state(), State::Open);
    assert_eq!(
        transitions(&log)[0].2,
        Why::FailureRatio {
            failures: 3,
            calls: 4
        }
    );
}

#[test]
fn slow_calls_trip_their_own_ratio() {
    let time = VirtualTime::new();
    let (builder, log) = on(&time);
    let b = builder
        .slow_call_ratio(0.5, secs(1), Window::calls(4))
        .minimum_calls(4)
        .build()
        .unwrap();

    let slow = |b: &Breaker<VirtualTime>| {
        b.call(|| {
            time.advance(Duration::from_millis(1500));
            Ok::<_, Error>(())
        })
    };

    succeed(&b).unwrap();
    slow(&b).unwrap();
    // Exactly at the threshold is not slower than it.
    b.call(|| {
        time.advance(secs(1));
        Ok::<_, Error>(())
    })
    .unwrap();
    assert_eq!(b.state(), State::Closed);

    slow(&b).unwrap();
    assert_eq!(b.state(), State::Open, "2 slow successes of 4");
    assert_eq!(
        transitions(&log)[0].2,
        Why::SlowCallRatio { slow: 2, calls: 4 }
    );
}

#[test]
fn rules_combine_and_any_trips() {
    let time = VirtualTime::new();
    let (builder, log) = on(&time);
    let b = builder
        .consecutive_failures(3)
        .failure_ratio(0.2, Window::calls(100))
        .minimum_calls(10)
        .build()
        .unwrap();

    // f s f s: no run of three, but the ratio trips at the tenth call.
    for _ in 0..5 {
        fail(&b).unwrap_err();
        succeed(&b).unwrap();
    }
    assert_eq!(b.state(), State::Open);
    assert!(matches!(
        transitions(&log)[0].2,
        Why::FailureRatio {
            failures: 5,
            calls: 10
        }
    ));
}

#[test]
fn open_rejects_and_says_when_a_probe_comes() {
    let time = VirtualTime::new();
    let (builder, log) = on(&time);
    let b = builder
        .consecutive_failures(1)
        .open_for(secs(30))
        .build()
        .unwrap();

    fail(&b).unwrap_err();
    time.advance(secs(10));

    let mut ran = false;
    let err = b
        .call(|| {
            ran = true;
            Ok::<_, Error>(())
        })
        .unwrap_err();
    assert!(!ran, "a rejected call does not run");
    let Error::Open(open) = err else {
        panic!("rejected with {err:?}")
    };
    assert_eq!(open.state(), State::Open);
    assert_eq!(open.retry_in(), Some(secs(20)));
    assert_eq!(
        open.to_string(),
        "circuit breaker open; a probe is admitted in 20s"
    );
    assert!(log.lock().unwrap().contains(&BreakerEvent::Rejected {
        state: State::Open,
        retry_in: Some(secs(20)),
    }));
}

#[test]
fn half_open_admits_exactly_p_probes_and_k_successes_close() {
    let time = VirtualTime::new();
    let (builder, log) = on(&time);
    let b = builder
        .consecutive_failures(1)
        .open_for(secs(5))
        .probes(2)
        .successes_to_close(3)
        .build()
        .unwrap();
    fail(&b).unwrap_err();
    time.advance(secs(5));

    let first = b.permit().unwrap();
    let second = b.permit().unwrap();
    assert!(first.is_probe() && second.is_probe());
    assert_eq!(b.state(), State::HalfOpen);
    let third = b.permit().unwrap_err();
    assert_eq!((third.state(), third.retry_in()), (State::HalfOpen, None));

    b.record(first, &Ok::<(), Error>(()));
    b.record(second, &Ok::<(), Error>(()));
    assert_eq!(b.state(), State::HalfOpen, "two successes of three");
    succeed(&b).unwrap();
    assert_eq!(b.state(), State::Closed);

    assert_eq!(
        transitions(&log),
        [
            (
                State::Closed,
                State::Open,
                Why::ConsecutiveFailures { count: 1 }
            ),
            (State::Open, State::HalfOpen, Why::OpenElapsed),
            (
                State::HalfOpen,
                State::Closed,
                Why::ProbesSucceeded { successes: 3 }
            ),
        ]
    );
}

#[test]
fn a_failed_probe_reopens_and_rearms_the_timer() {
    let time = VirtualTime::new();
    let (builder, log) = on(&time);
    let b = builder
        .consecutive_failures(1)
        .open_for(secs(5))
        .build()
        .unwrap();
    fail(&b).unwrap_err();
    time.advance(secs(7));

    fail(&b).unwrap_err();
    assert_eq!(b.state(), State::Open);
    let open = b.permit().unwrap_err();
    assert_eq!(open.retry_in(), Some(secs(5)), "timed from the probe's end");
    assert_eq!(
        transitions(&log).last().copied(),
        Some((State::HalfOpen, State::Open, Why::ProbeFailed))
    );
    assert!(
        log.lock()
            .unwrap()
            .contains(&BreakerEvent::Probe(ProbeOutcome::Failure))
    );
}

#[test]
fn the_open_duration_grows_and_starts_over_on_close() {
    let time = VirtualTime::new();
    let (builder, _) = on(&time);
    let b = builder
        .consecutive_failures(1)
        .open_for(Exponential::new(secs(1)).max(secs(4)))
        .build()
        .unwrap();

    let mut opened_for = Vec::new();
    fail(&b).unwrap_err();
    for _ in 0..4 {
        let wait = b.permit().unwrap_err().retry_in().unwrap();
        opened_for.push(wait);
        time.advance(wait);
        fail(&b).unwrap_err();
    }
    assert_eq!(opened_for, [1, 2, 4, 4].map(secs));

    // Closing starts the growth over.
    time.advance(secs(4));
    succeed(&b).unwrap();
    fail(&b).unwrap_err();
    assert_eq!(b.permit().unwrap_err().retry_in(), Some(secs(1)));
}

#[test]
fn a_dropped_probe_gives_its_permit_back() {
    let time = VirtualTime::new();
    let (builder, log) = on(&time);
    let b = builder.consecutive_failures(1).build().unwrap();
    fail(&b).unwrap_err();
    time.advance(secs(5));

    let probe = b.permit().unwrap();
    assert!(b.permit().is_err());
    drop(probe);

    assert_eq!(b.state(), State::HalfOpen, "neither success nor failure");
    assert!(
        log.lock()
            .unwrap()
            .contains(&BreakerEvent::Probe(ProbeOutcome::Released))
    );
    succeed(&b).unwrap();
    assert_eq!(b.state(), State::Closed);
}

#[test]
fn a_panicking_classifier_gives_the_permit_back() {
    let time = VirtualTime::new();
    let (builder, _) = on(&time);
    let b = builder
        .consecutive_failures(1)
        .classify(|r: &Result<u32, Error>| match r {
            Ok(13) => panic!("unlucky"),
            Ok(_) => Outcome::Success,
            Err(_) => Outcome::Failure,
        })
        .build()
        .unwrap();
    b.call(|| Err::<u32, _>(Error::Down)).unwrap_err();
    time.advance(secs(5));

    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| b.call(|| Ok(13))));
    assert!(panicked.is_err());

    assert_eq!(b.state(), State::HalfOpen);
    assert_eq!(b.call(|| Ok(1)), Ok(1), "the permit came back");
    assert_eq!(b.state(), State::Closed);
}

#[test]
fn an_ignored_probe_gives_its_permit_back() {
    let time = VirtualTime::new();
    let (builder, _) = on(&time);
    let b = builder
        .consecutive_failures(1)
        .classify(|r: &Result<(), Error>| match r {
            Err(Error::Busy) => Outcome::Ignored,
            Err(_) => Outcome::Failure,
            Ok(()) => Outcome::Success,
        })
        .build()
        .unwrap();
    b.call(|| Err(Error::Down)).unwrap_err();
    time.advance(secs(5));

    b.call(|| Err(Error::Busy)).unwrap_err();
    assert_eq!(b.state(), State::HalfOpen);
    assert!(b.permit().is_ok());
}

#[test]
fn opened_fires_once_however_many_late_failures_follow() {
    let time = VirtualTime::new();
    let (builder, log) = on(&time);
    let b = builder.consecutive_failures(2).build().unwrap();

    // Five calls admitted while closed all fail after the second trips it.
    let permits: Vec<_> = (0..5).map(|_| b.permit().unwrap()).collect();
    for permit in permits {
        b.record(permit, &Err::<(), _>(Error::Down));
    }

    assert_eq!(b.state(), State::Open);
    assert_eq!(transitions(&log).len(), 1);

    // Late outcomes do not leak into the next closed state either.
    time.advance(secs(5));
    succeed(&b).unwrap();
    fail(&b).unwrap_err();
    assert_eq!(b.state(), State::Closed);
}

#[test]
fn isolate_disable_and_reset() {
    let time = VirtualTime::new();
    let (builder, log) = on(&time);
    let b = builder.consecutive_failures(1).build().unwrap();

    b.isolate();
    let open = b.permit().unwrap_err();
    assert_eq!((open.state(), open.retry_in()), (State::Isolated, None));
    time.advance(secs(3600));
    assert!(b.permit().is_err(), "held open whatever the time");

    b.disable();
    for _ in 0..10 {
        fail(&b).unwrap_err();
    }
    assert_eq!(b.state(), State::Disabled, "held closed, nothing counted");

    b.reset();
    assert_eq!(b.state(), State::Closed);
    fail(&b).unwrap_err();
    assert_eq!(b.state(), State::Open);

    let manual: Vec<_> = transitions(&log)
        .into_iter()
        .filter(|t| t.2 == Why::Manual)
        .map(|(from, to, _)| (from, to))
        .collect();
    assert_eq!(
        manual,
        [
            (State::Closed, State::Isolated),
            (State::Isolated, State::Disabled),
            (State::Disabled, State::Closed),
        ]
    );
}

#[test]
fn a_reset_forgets_the_counts() {
    let time = VirtualTime::new();
    let (builder, _) = on(&time);
    let b = builder.consecutive_failures(2).build().unwrap();

    fail(&b).unwrap_err();
    b.reset();
    fail(&b).unwrap_err();
    assert_eq!(b.state(), State::Closed);
}

#[test]
fn the_default_rule_is_half_of_twenty_calls_or_more() {
    let time = VirtualTime::new();
    let (builder, _) = on(&time);
    let b = builder.build().unwrap();

    for _ in 0..19 {
        fail(&b).unwrap_err();
    }
    assert_eq!(b.state(), State::Closed);
    fail(&b).unwrap_err();
    assert_eq!(b.state(), State::Open);
    assert_eq!(b.permit().unwrap_err().retry_in(), Some(secs(5)));
}

#[test]
fn invalid_settings_are_refused() {
    let calls = Window::calls(10);
    let cases = [
        (
            Breaker::builder().failure_ratio(1.5, calls),
            BuildError::InvalidRatio {
                setting: "failure_ratio",
                ratio: 1.5,
            },
        ),
        (
            Breaker::builder().failure_ratio(0.0, calls),
            BuildError::InvalidRatio {
                setting: "failure_ratio",
                ratio: 0.0,
            },
        ),
        (
            Breaker::builder().slow_call_ratio(-0.1, secs(1), calls),
            BuildError::InvalidRatio {
                setting: "slow_call_ratio",
                ratio: -0.1,
            },
        ),
        (
            Breaker::builder().failure_ratio(0.5, Window::calls(0)),
            BuildError::ZeroWindow {
                setting: "failure_ratio",
            },
        ),
        (
            Breaker::builder().slow_call_ratio(0.5, secs(1), Window::time(Duration::ZERO)),
            BuildError::ZeroWindow {
                setting: "slow_call_ratio",
            },
        ),
        (
            Breaker::builder().failure_ratio(0.5, Window::time_in_buckets(secs(1), 0)),
            BuildError::InvalidBuckets {
                setting: "failure_ratio",
                length: secs(1),
                buckets: 0,
                default: false,
            },
        ),
        (
            Breaker::builder().consecutive_failures(0),
            BuildError::ZeroConsecutiveFailures,
        ),
        (Breaker::builder().probes(0), BuildError::ZeroProbes),
        (
            Breaker::builder().successes_to_close(0),
            BuildError::ZeroSuccesses,
        ),
        (
            Breaker::builder().probes(70_000),
            BuildError::TooLarge {
                setting: "probes",
                max: 65_535,
            },
        ),
    ];
    for (builder, expected) in cases {
        assert_eq!(builder.build().unwrap_err(), expected);
    }

    let nan = Breaker::builder().failure_ratio(f64::NAN, calls).build();
    assert!(matches!(
        nan,
        Err(BuildError::InvalidRatio { setting: "failure_ratio", ratio }) if ratio.is_nan()
    ));
    let keyed = Breaker::builder().keyed::<u32>().max_keys(0).build();
    assert_eq!(keyed.unwrap_err(), BuildError::ZeroKeys);
}

#[test]
fn a_bad_ratio_names_its_rule() {
    let err = Breaker::builder()
        .failure_ratio(0.5, Window::calls(10))
        .slow_call_ratio(1.5, secs(1), Window::calls(10))
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "slow_call_ratio: ratio 1.5 is not in (0, 1]"
    );

    let err = Breaker::builder()
        .failure_ratio(f64::INFINITY, Window::calls(10))
        .slow_call_ratio(0.5, secs(1), Window::calls(10))
        .build()
        .unwrap_err();
    assert_eq!(err.to_string(), "failure_ratio: ratio inf is not in (0, 1]");
}

fn window_error(window: Window) -> String {
    Breaker::builder()
        .slow_call_ratio(0.5, secs(1), Window::calls(10))
        .failure_ratio(0.5, window)
        .build()
        .unwrap_err()
        .to_string()
}

#[test]
fn buckets_that_do_not_fit_are_refused_with_the_fix() {
    // The default 10 buckets, which the user never set, are named as such.
    let err = Breaker::builder()
        .failure_ratio(0.5, Window::time(Duration::from_nanos(1)))
        .build()
        .unwrap_err();
    assert_eq!(
        err,
        BuildError::InvalidBuckets {
            setting: "failure_ratio",
            length: Duration::from_nanos(1),
            buckets: 10,
            default: true,
        }
    );
    assert_eq!(
        err.to_string(),
        "failure_ratio: Window::time(1ns) is split into 10 buckets by default, and a \
         bucket lasts at least 1ns; use a window of at least 10ns, or fewer buckets \
         with Window::time_in_buckets"
    );

    assert_eq!(
        window_error(Window::time_in_buckets(Duration::from_nanos(5), 10)),
        "failure_ratio: Window::time_in_buckets(5ns, 10) makes buckets shorter than 1ns; \
         use a window of at least 10ns, or at most 5 buckets"
    );
    assert!(
        window_error(Window::time_in_buckets(Duration::from_nanos(1), 2))
            .ends_with("use a window of at least 2ns, or 1 bucket")
    );
    assert_eq!(
        window_error(Window::time_in_buckets(secs(1), 0)),
        "failure_ratio: Window::time_in_buckets(1s, 0) has no bucket; use at least 1"
    );
    assert_eq!(
        window_error(Window::time_in_buckets(secs(1), u32::MAX)),
        "failure_ratio: Window::time_in_buckets(1s, 4294967295) has more than 1000 \
         buckets; use at most 1000"
    );

    // The limits themselves are accepted.
    let limits = [
        Window::time(Duration::from_nanos(10)),
        Window::time_in_buckets(Duration::from_nanos(1), 1),
        Window::time_in_buckets(secs(1), Window::MAX_BUCKETS),
        Window::time_in_buckets(Duration::MAX, Window::MAX_BUCKETS),
    ];
    for window in limits {
        Breaker::builder()
            .failure_ratio(0.5, window)
            .build()
            .unwrap();
    }
    assert_eq!(Window::time(secs(1)), Window::time_in_buckets(secs(1), 10));
}

#[test]
fn a_length_that_is_not_a_multiple_of_its_buckets_rounds_up() {
    // 1 s in 3 buckets: buckets of 333,333,334 ns, a window of 1 s and 2 ns.
    let time = VirtualTime::new();
    let (builder, _) = on(&time);
    let b = builder
        .failure_ratio(0.5, Window::time_in_buckets(secs(1), 3))
        .minimum_calls(2)
        .build()
        .unwrap();

    // 1 s and 1 ns later the first failure is still in the third bucket.
    fail(&b).unwrap_err();
    time.advance(Duration::from_nanos(1_000_000_001));
    fail(&b).unwrap_err();
    assert_eq!(b.state(), State::Open);
}

#[test]
fn the_longest_time_window_counts_every_call() {
    let time = VirtualTime::new();
    let (builder, _) = on(&time);
    let b = builder
        .failure_ratio(0.5, Window::time(Duration::MAX))
        .minimum_calls(2)
        .build()
        .unwrap();

    fail(&b).unwrap_err();
    time.advance(secs(100 * 365 * 24 * 3600));
    fail(&b).unwrap_err();
    assert_eq!(b.state(), State::Open);
}

#[test]
fn breakers_are_shareable() {
    fn shareable<T: Clone + Send + Sync + 'static>() {}
    shareable::<Breaker>();
    shareable::<Breaker<VirtualTime>>();
    shareable::<backon_breaker::KeyedBreakers<String, VirtualTime, backon_breaker::ErrorsFail>>();
    fn sendable<T: Send + Sync>() {}
    sendable::<backon_breaker::Permit>();
}

#[test]
fn its_outlook_as_a_guard_says_what_the_next_attempt_would_meet() {
    use backon_core::{Guard, Refusal, StopReason};

    fn outlook(breaker: &Breaker<VirtualTime>) -> Option<Refusal> {
        <Breaker<VirtualTime> as Guard>::outlook(breaker)
    }

    let time = VirtualTime::new();
    let (builder, log) = on(&time);
    let breaker = builder
        .consecutive_failures(1)
        .open_for(secs(5))
        .build()
        .unwrap();
    assert_eq!(outlook(&breaker), None, "closed admits");

    let _ = breaker.call(|| Err::<(), _>(Error::Down));
    time.advance(secs(2));
    assert_eq!(
        outlook(&breaker),
        Some(Refusal::new(StopReason::BreakerOpen, Some(secs(3))))
    );

    // Once its time is up an open breaker admits a probe; with that probe
    // out, nobody can tell when the next is admitted.
    time.advance(secs(3));
    assert_eq!(outlook(&breaker), None);
    let probe = breaker.permit().unwrap();
    assert_eq!(outlook(&breaker), None);
    drop(probe);

    breaker.isolate();
    assert_eq!(
        outlook(&breaker),
        Some(Refusal::new(StopReason::BreakerOpen, None))
    );
    breaker.disable();
    assert_eq!(outlook(&breaker), None);
    // Looking is not asking: nothing was rejected.
    assert!(
        !log.lock()
            .unwrap()
            .iter()
            .any(|event| matches!(event, BreakerEvent::Rejected { .. }))
    );
}

#[test]
fn a_minimum_above_the_default_window_is_refused() {
    // With no rule set the breaker keeps the last 100 calls: a minimum of
    // 500 would leave it unable to trip.
    let err = Breaker::builder().minimum_calls(500).build().unwrap_err();
    assert_eq!(
        err,
        BuildError::MinimumAboveWindow {
            setting: "the default failure_ratio",
            minimum: 500,
            window: 100,
        }
    );
    assert_eq!(
        err.to_string(),
        "minimum_calls(500) exceeds the 100 calls of the default failure_ratio's window, so its ratio could never be evaluated"
    );
    assert!(Breaker::builder().minimum_calls(100).build().is_ok());
    // With only the consecutive rule there is no window to exceed.
    assert!(
        Breaker::builder()
            .consecutive_failures(3)
            .minimum_calls(500)
            .build()
            .is_ok()
    );
}
