//! Properties every strategy keeps for any configuration and any attempt
//! number: no panic, no delay above the cap, no delay below the floor.

use std::time::Duration;

use backon_core::Wait;
use backon_wait::{
    Constant, Decorrelated, Exponential, Fibonacci, Jitter, Linear, Uniform, WaitError, WaitExt,
};
use proptest::prelude::*;

/// Durations from the whole range, weighted towards the edges and towards
/// everyday delays.
fn duration() -> impl Strategy<Value = Duration> {
    prop_oneof![
        Just(Duration::ZERO),
        Just(Duration::MAX),
        (0..60_000_000_000_u64).prop_map(Duration::from_nanos),
        (any::<u64>(), 0..1_000_000_000_u32).prop_map(|(s, n)| Duration::new(s, n)),
        (0..1_000_000_000_u32).prop_map(|n| Duration::MAX - Duration::from_nanos(n.into())),
    ]
}

/// Two durations in order, for a range or a floor and a cap.
fn ordered_pair() -> impl Strategy<Value = (Duration, Duration)> {
    (duration(), duration()).prop_map(|(a, b)| if a <= b { (a, b) } else { (b, a) })
}

/// Two durations, the first strictly below the second.
fn strictly_ordered_pair() -> impl Strategy<Value = (Duration, Duration)> {
    let nanosecond = Duration::from_nanos(1);

    ordered_pair().prop_map(move |(a, b)| match (a < b, b < Duration::MAX) {
        (true, _) => (a, b),
        (false, true) => (a, b + nanosecond),
        (false, false) => (a - nanosecond, b),
    })
}

/// Attempt numbers from the whole range, weighted towards the edges and
/// towards the first few.
fn attempt() -> impl Strategy<Value = u32> {
    prop_oneof![Just(0), Just(1), Just(u32::MAX), 1..=200_u32, any::<u32>()]
}

/// Valid growth factors, from exactly 1 to the largest float.
fn factor() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(1.0),
        Just(2.0),
        Just(1e9),
        Just(f64::MAX),
        1.0..10.0_f64,
        1.0..1e300_f64,
        (1..=1_000_000_u32).prop_map(f64::from),
    ]
}

fn jitter() -> impl Strategy<Value = Jitter> {
    prop_oneof![Just(Jitter::None), Just(Jitter::Full), Just(Jitter::Equal)]
}

/// Returns the delays of one call for the given attempt numbers.
fn delays<W: Wait>(wait: &W, seed: u64, attempts: &[u32]) -> Vec<Duration> {
    let mut state = wait.start(seed);

    attempts.iter().map(|&n| wait.next(&mut state, n)).collect()
}

fn assert_under_cap<W: Wait + std::fmt::Debug>(wait: &W, seed: u64, attempts: &[u32]) {
    let cap = wait.cap();

    for (delay, n) in delays(wait, seed, attempts).into_iter().zip(attempts) {
        assert!(
            delay <= cap,
            "{wait:?}: attempt {n} gave {delay:?} above cap {cap:?}"
        );
    }
}

fn assert_within<W: Wait + std::fmt::Debug>(
    wait: &W,
    seed: u64,
    attempts: &[u32],
    (low, high): (Duration, Duration),
) {
    for (delay, n) in delays(wait, seed, attempts).into_iter().zip(attempts) {
        assert!(
            low <= delay && delay <= high,
            "{wait:?}: attempt {n} gave {delay:?} outside [{low:?}, {high:?}]"
        );
    }
}

proptest! {
    #[test]
    fn constant_stays_at_its_delay(d in duration(), attempts in prop::collection::vec(attempt(), 1..8)) {
        assert_within(&Constant::new(d), 0, &attempts, (d, d));
    }

    #[test]
    fn linear_stays_under_cap(
        start in duration(),
        step in duration(),
        attempts in prop::collection::vec(attempt(), 1..8),
    ) {
        assert_under_cap(&Linear::new(start, step), 0, &attempts);
    }

    #[test]
    fn exponential_stays_under_cap(
        base in duration(),
        factor in factor(),
        attempts in prop::collection::vec(attempt(), 1..8),
    ) {
        let wait = Exponential::with_factor(base, factor).unwrap();

        assert_within(&wait, 0, &attempts, (base, wait.cap()));
    }

    #[test]
    fn exponential_refuses_factors_below_one(factor in -1e300..1.0_f64) {
        let err = Exponential::with_factor(Duration::from_millis(1), factor).unwrap_err();

        prop_assert_eq!(err, WaitError::InvalidFactor { factor });
    }

    #[test]
    fn fibonacci_stays_under_cap(base in duration(), attempts in prop::collection::vec(attempt(), 1..8)) {
        let wait = Fibonacci::new(base);

        assert_within(&wait, 0, &attempts, (base, wait.cap()));
    }

    #[test]
    fn uniform_stays_in_range(
        (min, max) in ordered_pair(),
        seed in any::<u64>(),
        attempts in prop::collection::vec(attempt(), 1..8),
    ) {
        assert_within(&Uniform::new(min, max).unwrap(), seed, &attempts, (min, max));
    }

    #[test]
    fn uniform_refuses_min_above_max((max, min) in strictly_ordered_pair()) {
        prop_assert_eq!(Uniform::new(min, max), Err(WaitError::MinAboveMax { min, max }));
    }

    #[test]
    fn decorrelated_stays_between_base_and_cap(
        (base, cap) in ordered_pair(),
        seed in any::<u64>(),
        count in 1..60_u32,
    ) {
        let attempts: Vec<u32> = (1..=count).collect();
        // A zero base is refused; the smallest accepted one is 1 ns.
        let base = base.max(Duration::from_nanos(1));
        let cap = cap.max(base);

        assert_within(&Decorrelated::new(base, cap).unwrap(), seed, &attempts, (base, cap));
    }

    #[test]
    fn bounded_stays_between_floor_and_cap(
        base in duration(),
        factor in factor(),
        (floor, cap) in ordered_pair(),
        jitter in jitter(),
        seed in any::<u64>(),
        attempts in prop::collection::vec(attempt(), 1..8),
    ) {
        let inner = Exponential::with_factor(base, factor).unwrap();
        let wait = inner.min(floor).max(cap).unwrap().jitter(jitter);

        prop_assert!(wait.cap() <= cap);
        assert_within(&wait, seed, &attempts, (floor, wait.cap()));
    }

    #[test]
    fn bounded_random_inner_stays_between_floor_and_cap(
        (min, max) in ordered_pair(),
        (floor, cap) in ordered_pair(),
        jitter in jitter(),
        seed in any::<u64>(),
        attempts in prop::collection::vec(attempt(), 1..8),
    ) {
        let wait = Uniform::new(min, max).unwrap().jitter(jitter).min(floor).unwrap().max(cap).unwrap();

        assert_within(&wait, seed, &attempts, (floor, wait.cap()));
    }

    #[test]
    fn bounded_refuses_a_floor_above_the_cap((cap, floor) in strictly_ordered_pair()) {
        let expected = WaitError::FloorAboveCap { floor, cap };
        prop_assert_eq!(Linear::new(cap, cap).min(floor).max(cap).unwrap_err(), expected);
        prop_assert_eq!(Linear::new(cap, cap).max(cap).min(floor).unwrap_err(), expected);
    }

    #[test]
    fn jitter_repeats_for_the_same_seed(
        base in duration(),
        jitter in jitter(),
        seed in any::<u64>(),
        attempts in prop::collection::vec(attempt(), 1..8),
    ) {
        let wait = Fibonacci::new(base).jitter(jitter);

        prop_assert_eq!(delays(&wait, seed, &attempts), delays(&wait, seed, &attempts));
    }

    #[test]
    fn sum_stays_under_the_sum_of_caps(
        start in duration(),
        step in duration(),
        (min, max) in ordered_pair(),
        seed in any::<u64>(),
        attempts in prop::collection::vec(attempt(), 1..8),
    ) {
        let wait = Linear::new(start, step).max(max) + Uniform::new(min, max).unwrap();

        assert_under_cap(&wait, seed, &attempts);
    }

    #[test]
    fn then_after_stays_under_cap(
        first in duration(),
        base in duration(),
        (min, cap) in ordered_pair(),
        hand_over in attempt(),
        seed in any::<u64>(),
        attempts in prop::collection::vec(attempt(), 1..8),
    ) {
        let min = min.max(Duration::from_nanos(1));
        let cap = cap.max(min);
        let then = Exponential::new(base) + Decorrelated::new(min, cap).unwrap();
        let wait = Constant::new(first).then_after(hand_over, then);

        assert_under_cap(&wait, seed, &attempts);
    }
}
