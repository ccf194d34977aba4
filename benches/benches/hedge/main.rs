//! Hedging: the overhead of a group whose primary answers at once, against
//! the bare call and `tower::hedge`; then the tail latency of a simulated
//! service with and without hedging, on tokio's paused clock.
//!
//! `cargo xtask bench` runs this, tabulates the overhead with the other
//! benchmarks and copies the tail-latency table, which this binary prints
//! between two marker lines, into `docs/benchmarks.md`.

mod service;
mod tail;

use backon::hedge::{Adaptive, HedgeDelay, HedgePolicy, Hedgeable};
use backon_benches::{MEASUREMENT_TIME, SAMPLE_SIZE, WARM_UP_TIME, succeed_async};
use criterion::{BenchmarkId, Criterion};
use service::{HedgeAll, Request};
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;
use tower::{Service, ServiceExt};

/// The fixed delay of the overhead benchmark; the primary never needs it.
const DELAY: Duration = Duration::from_millis(10);

/// Printed around the tail-latency table for `cargo xtask bench`.
const BEGIN: &str = "hedge-tail-table-begin";
const END: &str = "hedge-tail-table-end";

fn hedge_overhead(c: &mut Criterion) {
    let rt = runtime();
    let fixed = HedgePolicy::new(DELAY);
    let adaptive = HedgePolicy::new(warm_adaptive());
    let mut group = c.benchmark_group("hedge_no_hedge");

    group.bench_function(id("bare"), |b| b.to_async(&rt).iter(succeed_async));
    group.bench_function(id("backon"), |b| b.to_async(&rt).iter(|| ours(&fixed)));
    group.bench_function(id("backon_adaptive"), |b| {
        b.to_async(&rt).iter(|| ours(&adaptive))
    });
    group.bench_function(id("tower_hedge"), |b| {
        b.to_async(&rt).iter_custom(tower_calls)
    });

    group.finish();
}

async fn ours<D: HedgeDelay>(policy: &HedgePolicy<D>) -> Result<u64, backon_benches::Busy> {
    (|_: u32| succeed_async()).hedge(policy).await
}

/// An adaptive delay that has its estimate already, near 10 ms.
fn warm_adaptive() -> Adaptive {
    let adaptive = Adaptive::builder().build().expect("default settings");
    for _ in 0..1000 {
        adaptive.record(DELAY);
    }
    adaptive
}

/// `tower::hedge` around the same ready operation, its histogram filled
/// with 10 ms latencies so that it arms a hedge for every call.
async fn tower_calls(iters: u64) -> Duration {
    let service = tower::service_fn(|_: Request| succeed_async());
    let mut hedge = tower::hedge::Hedge::new_with_mock_latencies(
        service,
        HedgeAll,
        10,
        0.9,
        Duration::from_secs(3600),
        &[10; 100],
    );

    let start = Instant::now();
    for call in 0..iters {
        let ready = hedge.ready().await.expect("ready");
        let _ = std::hint::black_box(ready.call(Request { call, attempt: 0 }).await);
    }
    start.elapsed()
}

fn id(contender: &str) -> BenchmarkId {
    BenchmarkId::new("async", contender)
}

/// A current-thread runtime with the timer on, which `tower::hedge` needs.
fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a current-thread runtime builds")
}

fn print_tail_table() {
    let rows = tail::run();
    println!("\nTail latency, simulated service (virtual time):\n{BEGIN}");
    print!("{}", tail::table(&rows));
    println!("{END}\n");
}

fn main() {
    let mut c = Criterion::default()
        .measurement_time(MEASUREMENT_TIME)
        .warm_up_time(WARM_UP_TIME)
        .sample_size(SAMPLE_SIZE)
        .configure_from_args();

    hedge_overhead(&mut c);
    print_tail_table();

    c.final_summary();
}
