//! The adaptive delay converges to the percentile of the primaries'
//! latencies, seen through hedged calls on tokio's paused clock.

use backon_hedge::{Adaptive, HedgeDelay, HedgePolicy, Hedged};
use backon_tokio::TokioRuntime;
use std::time::Duration;

/// A small, seeded, well-mixed generator: one draw per (call, attempt).
fn draw(seed: u64, call: u64, attempt: u32) -> u64 {
    let mut z = seed ^ call.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (u64::from(attempt) << 56);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// 90 % of attempts take 10 to 20 ms, 10 % take 100 to 300 ms: the 95th
/// percentile is near 200 ms.
fn latency(call: u64, attempt: u32) -> Duration {
    let r = draw(7, call, attempt);
    let micros = if r % 100 < 90 {
        10_000 + (r >> 8) % 10_000
    } else {
        100_000 + (r >> 8) % 200_000
    };
    Duration::from_micros(micros)
}

/// Runs `calls` hedged calls one after another with `policy` and returns
/// how many a hedge won.
async fn run(policy: &HedgePolicy<Adaptive>, calls: std::ops::Range<u64>) -> u32 {
    let mut hedged = 0;
    for call in calls {
        let op = |i: u32| async move {
            tokio::time::sleep(latency(call, i)).await;
            Ok::<_, ()>(i)
        };
        hedged += u32::from(Hedged::new(op, policy, TokioRuntime).await != Ok(0));
    }
    hedged
}

/// The 95th percentile of the primaries of `calls`.
fn true_p95(calls: std::ops::Range<u64>) -> Duration {
    let mut primaries: Vec<Duration> = calls.map(|c| latency(c, 0)).collect();
    primaries.sort();
    primaries[primaries.len() * 95 / 100]
}

fn relative_error(estimate: Duration, truth: Duration) -> f64 {
    (estimate.as_secs_f64() / truth.as_secs_f64() - 1.0).abs()
}

#[tokio::test(start_paused = true)]
async fn the_delay_converges_to_the_percentile_of_a_seeded_distribution() {
    const CALLS: u64 = 12_000;
    let adaptive = Adaptive::builder()
        .percentile(95.0)
        .window(10_000)
        .min_samples(1000)
        .fallback(Duration::from_millis(400))
        .build()
        .unwrap();
    let policy = HedgePolicy::new(adaptive.clone());

    let hedged = run(&policy, 0..CALLS).await;

    // The window of 10,000 slides by halves: after 12,000 samples it holds
    // the last 7,000, and the estimate was refreshed at the last one.
    let truth = true_p95(5000..CALLS);
    let estimate = adaptive.estimate().expect("enough samples");
    assert!(
        relative_error(estimate, truth) < 0.03,
        "estimate {estimate:?}, true p95 {truth:?}"
    );
    assert_eq!(adaptive.delay(), estimate);

    // About 5 % of calls are won by a hedge.
    let share = f64::from(hedged) / CALLS as f64;
    assert!((0.03..0.07).contains(&share), "hedges won {share}");
}

#[tokio::test(start_paused = true)]
async fn a_low_fallback_is_left_behind_within_a_few_refreshes() {
    let adaptive = Adaptive::builder()
        .percentile(95.0)
        .window(2000)
        .min_samples(100)
        .fallback(Duration::from_millis(30))
        .build()
        .unwrap();
    let policy = HedgePolicy::new(adaptive.clone());

    // Started far below, with most slow primaries cancelled, the estimate
    // climbs to the percentile within a window.
    run(&policy, 0..2000).await;

    let estimate = adaptive.estimate().expect("enough samples");
    assert!(
        relative_error(estimate, true_p95(0..2000)) < 0.15,
        "estimate {estimate:?}"
    );
}
