//! The preview is exact: it equals a real call whose attempts all fail, on
//! `VirtualTime::with_seed` of the same seed.

use backon::prelude::*;
use backon::testing::{Preview, Recorder, VirtualTime};
use backon::{AsPolicy, Condition, GuardFor, Listener};
use std::time::Duration;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Runs `policy` against an operation that always fails and takes `takes`,
/// and checks the preview agrees, for many seeds.
fn agrees<P>(policy: &P, takes: Duration)
where
    P: AsPolicy,
    P::Condition: Condition<(), &'static str>,
    P::Listener: Listener<&'static str>,
    P::Guard: GuardFor<(), &'static str>,
{
    for seed in 0..100 {
        let schedule = Preview::new(seed).attempt_takes(takes).run(policy);

        let time = VirtualTime::with_seed(seed);
        let clock = time.clone();
        let report = (|| {
            clock.advance(takes);
            Err::<(), _>("down")
        })
        .retry(policy)
        .runtime(time.clone())
        .call_with_report();

        // A zero delay is a retry without a sleep, so the clock records
        // only the others.
        let slept: Vec<Duration> = schedule
            .delays()
            .iter()
            .copied()
            .filter(|d| !d.is_zero())
            .collect();
        assert_eq!(slept, time.sleeps(), "seed {seed}");
        assert_eq!(schedule.attempts(), report.attempts, "seed {seed}");
        assert_eq!(schedule.stop_reason(), report.gave_up, "seed {seed}");
        assert_eq!(schedule.total_time(), time.now(), "seed {seed}");
    }
}

#[test]
fn full_jitter_with_attempts() {
    let wait = Exponential::new(ms(100))
        .max(Duration::from_secs(5))
        .jitter(Jitter::Full);
    agrees(
        &Policy::new(wait, after_attempts(8).unwrap()),
        Duration::ZERO,
    );
}

#[test]
fn equal_jitter_with_a_time_limit_and_slow_attempts() {
    let wait = Exponential::new(ms(200)).jitter(Jitter::Equal);
    let stop = after_attempts(50).unwrap() | time_limit(Duration::from_secs(10)).unwrap();
    agrees(&Policy::new(wait, stop), ms(700));
}

#[test]
fn decorrelated_until_the_time_limit() {
    let wait = backon::wait::Decorrelated::new(ms(50), Duration::from_secs(2)).unwrap();
    agrees(
        &Policy::new(wait, time_limit(Duration::from_secs(30)).unwrap()),
        ms(5),
    );
}

#[test]
fn a_recorder_on_the_policy_hears_nothing_from_a_preview() {
    let recorder = Recorder::new();
    let policy = Policy::new(ms(10), after_attempts(3).unwrap()).listen(recorder.clone());

    let schedule = backon::testing::preview(&policy, 0);

    assert_eq!(schedule.attempts(), 3);
    assert!(recorder.events().is_empty());
}

#[test]
fn seeds_change_jittered_schedules() {
    let wait = Exponential::new(ms(100)).jitter(Jitter::Full);
    let policy = Policy::new(wait, after_attempts(6).unwrap());
    let a = backon::testing::preview(&policy, 1);
    assert_eq!(a, backon::testing::preview(&policy, 1));
    assert_ne!(a.delays(), backon::testing::preview(&policy, 2).delays());
}

#[test]
fn a_preview_spends_nothing_from_a_budget() {
    use backon::budget::{Budget, TokenBudget};

    let budget = TokenBudget::builder().capacity(3.0).build().unwrap();
    let policy =
        Policy::new(Duration::from_secs(1), after_attempts(5).unwrap()).budget(budget.clone());
    let before = budget.available();

    let schedule = backon::testing::preview(&policy, 1);

    assert_eq!(schedule.delays().len(), 4);
    assert_eq!(budget.available(), before);
}
