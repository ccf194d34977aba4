//! The no-waiting mode: `VirtualTime::in_scope` stands in for the standard
//! runtime on one thread only, for as long as its closure runs.
//!
//! To show that time outside a scope stays real, a few tests sleep for real
//! for some microseconds; nothing here waits longer.

use backon::prelude::*;
use backon::runtime::{BlockingSleeper, Clock, Entropy, StdRuntime};
use backon::testing::VirtualTime;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// Code under test: it builds its own retry on the default runtime.
fn fetch(policy_delay: Duration, attempts: u32) -> Result<(), &'static str> {
    let policy = Policy::new(policy_delay, after_attempts(attempts).unwrap());
    (|| Err::<(), _>("down")).retry(&policy).call()
}

#[test]
fn an_hour_of_backoff_takes_no_time() {
    let time = VirtualTime::new();
    let started = Instant::now();

    let result = time.in_scope(|| fetch(secs(3600), 3));

    assert_eq!(result, Err("down"));
    assert_eq!(time.sleeps(), [secs(3600); 2]);
    assert!(started.elapsed() < secs(60));
}

#[test]
fn time_limits_and_jitter_follow_the_virtual_time() {
    let wait = Exponential::new(secs(1)).jitter(Jitter::Full);
    let policy = Policy::new(wait, time_limit(secs(100)).unwrap());
    let run = |seed| {
        let time = VirtualTime::with_seed(seed);
        let report = time.in_scope(|| {
            let clock = StdRuntime;
            let start = clock.now();
            let report = (|| Err::<(), _>("down")).retry(&policy).call_with_report();
            assert_eq!(clock.elapsed(start), time.now());
            report
        });
        (report.gave_up, time.sleeps())
    };

    let (gave_up, sleeps) = run(4);
    assert_eq!(gave_up, Some(backon::StopReason::TimeLimit));
    assert_eq!(sleeps.iter().sum::<Duration>(), secs(100));
    assert_eq!(run(4).1, sleeps);
    assert_ne!(run(5).1, sleeps);
}

#[test]
fn parallel_scopes_never_see_each_other() {
    // Three threads run at once, held in step by a barrier: two in scopes
    // of their own, one outside any scope.
    let barrier = Arc::new(Barrier::new(3));
    let scoped = |delay: Duration| {
        let barrier = barrier.clone();
        std::thread::spawn(move || {
            let time = VirtualTime::new();
            time.in_scope(|| {
                barrier.wait();
                for _ in 0..50 {
                    let _ = fetch(delay, 3);
                }
                barrier.wait();
            });
            time.sleeps()
        })
    };
    let a = scoped(secs(7));
    let b = scoped(secs(11));

    // Outside any scope the standard runtime is real: a 1 µs retry delay
    // really sleeps, and neither virtual clock records it.
    barrier.wait();
    let start = Instant::now();
    let outside = StdRuntime.now();
    for _ in 0..50 {
        let _ = fetch(Duration::from_micros(1), 2);
    }
    assert!(StdRuntime.elapsed(outside) >= Duration::from_micros(50));
    assert!(start.elapsed() >= Duration::from_micros(50));
    barrier.wait();

    assert_eq!(a.join().unwrap(), vec![secs(7); 100]);
    assert_eq!(b.join().unwrap(), vec![secs(11); 100]);
}

#[test]
fn a_spawned_thread_keeps_real_time() {
    let time = VirtualTime::new();
    time.in_scope(|| {
        let elsewhere = std::thread::spawn(|| {
            let start = Instant::now();
            BlockingSleeper::sleep(&StdRuntime, Duration::from_micros(10));
            start.elapsed()
        });
        assert!(elsewhere.join().unwrap() >= Duration::from_micros(10));
    });
    assert!(time.sleeps().is_empty());
}

#[test]
fn the_scope_ends_when_the_closure_panics() {
    let time = VirtualTime::new();
    let outcome = std::panic::catch_unwind(|| {
        time.in_scope(|| {
            BlockingSleeper::sleep(&StdRuntime, secs(5));
            panic!("test failed inside the scope");
        })
    });
    assert!(outcome.is_err());
    assert_eq!(time.sleeps(), [secs(5)]);

    // Back on real time: a short sleep is real, and not recorded.
    let start = Instant::now();
    BlockingSleeper::sleep(&StdRuntime, Duration::from_micros(10));
    assert!(start.elapsed() >= Duration::from_micros(10));
    assert_eq!(time.sleeps(), [secs(5)]);
}

#[test]
fn scopes_nest_and_the_inner_one_wins() {
    let outer = VirtualTime::with_seed(1);
    let inner = VirtualTime::with_seed(2);

    outer.in_scope(|| {
        BlockingSleeper::sleep(&StdRuntime, secs(1));
        inner.in_scope(|| {
            BlockingSleeper::sleep(&StdRuntime, secs(2));
            assert_eq!(StdRuntime.seed(), VirtualTime::with_seed(2).seed());
        });
        BlockingSleeper::sleep(&StdRuntime, secs(3));
    });

    assert_eq!(outer.sleeps(), [secs(1), secs(3)]);
    assert_eq!(inner.sleeps(), [secs(2)]);
}

#[test]
fn async_retries_are_untouched_by_the_scope() {
    // An async retry sleeps on its own runtime; only `.runtime(...)` moves it
    // onto virtual time. Here it does, and the scope records nothing more.
    let scope = VirtualTime::new();
    let own = VirtualTime::new();
    let policy = Policy::new(secs(9), after_attempts(2).unwrap());

    let result = scope.in_scope(|| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(
            (|| async { Err::<(), _>("down") })
                .retry(&policy)
                .runtime(own.clone()),
        )
    });

    assert_eq!(result, Err("down"));
    assert_eq!(own.sleeps(), [secs(9)]);
    assert!(scope.sleeps().is_empty());
}
