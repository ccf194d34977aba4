//! Circuit-breaker overhead: a successful call through each breaker against
//! the bare call, on one thread, and the throughput of two threads sharing
//! one breaker against one thread.
//!
//! `breaker_call` measures one guarded successful call. `breaker_threads`
//! measures, per contender, the wall time for each thread to make a batch of
//! calls, with one and with two threads sharing one breaker; `cargo xtask
//! bench` turns the pair into a throughput ratio.

mod contenders;

use backon_benches::{MEASUREMENT_TIME, SAMPLE_SIZE, WARM_UP_TIME, succeed};
use contenders::Contenders;
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion};
use std::hint::black_box;
use std::sync::Barrier;
use std::thread;
use std::time::{Duration, Instant};

fn breaker_call(c: &mut Criterion) {
    let all = Contenders::new();
    let mut group = c.benchmark_group("breaker_call");

    group.bench_function("bare", |b| b.iter(succeed));
    group.bench_function("backon_consecutive", |b| b.iter(|| all.consecutive()));
    group.bench_function("backon_count_window", |b| b.iter(|| all.count_window()));
    group.bench_function("backon_time_window", |b| b.iter(|| all.time_window()));
    group.bench_function("failsafe", |b| b.iter(|| all.failsafe()));
    group.bench_function("recloser", |b| b.iter(|| all.recloser()));
    group.finish();
}

fn breaker_threads(c: &mut Criterion) {
    let all = Contenders::new();
    let mut group = c.benchmark_group("breaker_threads");

    threads(&mut group, "bare", || succeed().is_ok());
    threads(&mut group, "backon_consecutive", || all.consecutive());
    threads(&mut group, "backon_count_window", || all.count_window());
    threads(&mut group, "backon_time_window", || all.time_window());
    threads(&mut group, "failsafe", || all.failsafe());
    threads(&mut group, "recloser", || all.recloser());
    group.finish();
}

/// Measures `call` on one thread and on two threads at once, as
/// `<name>/1_thread` and `<name>/2_threads`.
fn threads(group: &mut BenchmarkGroup<'_, WallTime>, name: &str, call: impl Fn() -> bool + Sync) {
    for (threads, label) in [(1, "1_thread"), (2, "2_threads")] {
        let id = BenchmarkId::new(name, label);
        group.bench_function(id, |b| {
            b.iter_custom(|iters| on_threads(threads, iters, &call))
        });
    }
}

/// Runs `iters` calls on each of `threads` threads started together, and
/// returns the wall time: the time per iteration is then the time per call
/// of one thread.
fn on_threads(threads: usize, iters: u64, call: &(impl Fn() -> bool + Sync)) -> Duration {
    let start = Barrier::new(threads + 1);
    thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                start.wait();
                for _ in 0..iters {
                    black_box(call());
                }
            });
        }
        start.wait();
        let began = Instant::now();
        // Leaving the scope joins the threads.
        began
    })
    .elapsed()
}

fn main() {
    let mut c = Criterion::default()
        .measurement_time(MEASUREMENT_TIME)
        .warm_up_time(WARM_UP_TIME)
        .sample_size(SAMPLE_SIZE)
        .configure_from_args();

    breaker_call(&mut c);
    breaker_threads(&mut c);

    c.final_summary();
}
