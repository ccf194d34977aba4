//! Time limits, server hints and zero delays, on virtual time.

use backon::prelude::*;
use backon::testing::VirtualTime;
use backon::{StopReason, condition};
use std::time::Duration;

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

#[test]
fn a_slow_attempt_counts_against_the_time_limit() {
    let time = VirtualTime::new();
    let clock = time.clone();
    let policy = Policy::new(
        secs(1),
        after_attempts(100).unwrap() | time_limit(secs(10)).unwrap(),
    );

    let report = (|| {
        clock.advance(secs(11));
        Err::<(), _>("slow")
    })
    .retry(&policy)
    .runtime(time.clone())
    .call_with_report();

    assert_eq!(report.attempts, 1);
    assert_eq!(report.gave_up, Some(StopReason::TimeLimit));
    assert!(time.sleeps().is_empty());
}

#[test]
fn no_sleep_ends_past_the_time_limit() {
    let time = VirtualTime::new();
    let policy = Policy::new(secs(4), time_limit(secs(10)).unwrap());

    let report = (|| Err::<(), _>("down"))
        .retry(&policy)
        .runtime(time.clone())
        .call_with_report();

    // 0: attempt, sleep 4; 4: attempt, sleep 4; 8: attempt, sleep cut to 2;
    // 10: last attempt at the limit, then give up.
    assert_eq!(time.sleeps(), [secs(4), secs(4), secs(2)]);
    assert_eq!(report.attempts, 4);
    assert_eq!(report.gave_up, Some(StopReason::TimeLimit));
    assert_eq!(time.now(), secs(10));
}

#[test]
fn a_hint_replaces_the_wait_but_not_the_cap_or_limit() {
    // The wait strategy's cap is its own delay for a plain Duration: 5 s.
    let policy = Policy::new(
        secs(5),
        after_attempts(4).unwrap() | time_limit(secs(60)).unwrap(),
    )
    .retry_when(condition::hint(|e: &u64| Some(secs(*e))));
    let mut hints = [1, 30, 3, 9].into_iter();
    let time = VirtualTime::new();

    let _ = (|| Err::<(), _>(hints.next().unwrap()))
        .retry(&policy)
        .runtime(time.clone())
        .call();

    assert_eq!(time.sleeps(), [secs(1), secs(5), secs(3)]);
}

#[test]
fn a_hint_never_runs_past_the_time_limit() {
    let policy = Policy::new(Duration::MAX, time_limit(secs(10)).unwrap())
        .retry_when(condition::hint(|_: &()| Some(secs(3600))));
    let time = VirtualTime::new();

    let report = (|| Err::<(), _>(()))
        .retry(&policy)
        .runtime(time.clone())
        .call_with_report();

    assert_eq!(time.sleeps(), [secs(10)]);
    assert_eq!(report.gave_up, Some(StopReason::TimeLimit));
}

#[test]
fn a_zero_delay_never_reaches_the_sleeper() {
    let time = VirtualTime::new();
    let policy = Policy::new(Duration::ZERO, after_attempts(3).unwrap());

    let report = (|| Err::<(), _>("down"))
        .retry(&policy)
        .runtime(time.clone())
        .call_with_report();

    assert_eq!(report.attempts, 3);
    assert!(time.sleeps().is_empty());
}

#[test]
fn both_conditions_must_hold_with_and() {
    let time = VirtualTime::new();
    let policy = Policy::new(
        secs(4),
        after_attempts(5).unwrap() & time_limit(secs(6)).unwrap(),
    );

    let report = (|| Err::<(), _>("down"))
        .retry(&policy)
        .runtime(time.clone())
        .call_with_report();

    // The time limit is passed after the third attempt (8 s), but the
    // attempt limit still holds until the fifth.
    assert_eq!(report.attempts, 5);
    assert_eq!(time.sleeps(), [secs(4); 4]);
}

/// Virtual time that counts the jitter seeds it hands out.
struct CountingSeeds {
    time: VirtualTime,
    seeds: std::cell::Cell<u32>,
}

impl backon::runtime::Clock for CountingSeeds {
    type Instant = Duration;

    fn now(&self) -> Duration {
        self.time.now()
    }

    fn elapsed(&self, earlier: Duration) -> Duration {
        self.time.now().saturating_sub(earlier)
    }
}

impl backon::runtime::BlockingSleeper for CountingSeeds {
    fn sleep(&self, delay: Duration) {
        backon::runtime::BlockingSleeper::sleep(&self.time, delay);
    }
}

impl backon::runtime::Entropy for CountingSeeds {
    fn seed(&self) -> u64 {
        self.seeds.set(self.seeds.get() + 1);
        backon::runtime::Entropy::seed(&self.time)
    }
}

fn seeds_drawn<W: backon::Wait>(wait: W) -> u32 {
    let runtime = CountingSeeds {
        time: VirtualTime::new(),
        seeds: std::cell::Cell::new(0),
    };
    let policy = Policy::new(wait, after_attempts(3).unwrap());

    let _ = (|| Err::<(), _>("down"))
        .retry(&policy)
        .runtime(&runtime)
        .call();
    runtime.seeds.get()
}

#[test]
fn only_random_waits_draw_a_seed_once_per_call() {
    assert_eq!(seeds_drawn(secs(1)), 0);
    assert_eq!(seeds_drawn(Exponential::new(secs(1)).max(secs(5))), 0);
    assert_eq!(
        seeds_drawn(Exponential::new(secs(1)).jitter(Jitter::Full)),
        1
    );
}
