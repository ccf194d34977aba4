//! Retry overhead: each contender against the bare operation, async on a
//! current-thread tokio runtime and blocking.
//!
//! `retry_success` measures a call that succeeds at once; `retry_fail_once`
//! one that fails once and then succeeds, with a zero delay. Every contender
//! allows three attempts. `cargo xtask bench` runs this and tabulates it.
//!
//! `backon_wrapped` is the wrapped callable of `backon`, built once with the
//! same policy as `backon` and called each iteration.
//!
//! `backon_attribute` is the `#[retry]` form of `backon` with the same
//! policy. `backon_attribute_inline` describes its policy with inline
//! arguments, which build a capped wait on each call; `backon_inline` is
//! the extension form building that same policy on each call.
//!
//! `listener_success` measures the success path with each listener of the
//! workspace attached, against none.

mod attribute;
mod bare;
mod listeners;
mod ours;
mod tokio_retry;
mod upstream;

use attribute::Attribute;
use backon_benches::{MEASUREMENT_TIME, SAMPLE_SIZE, WARM_UP_TIME, succeed, succeed_async};
use criterion::{BenchmarkId, Criterion};
use listeners::Listeners;
use ours::Ours;
use tokio::runtime::Runtime;
use upstream::Upstream;

fn retry_success(c: &mut Criterion) {
    let rt = runtime();
    let (ours, upstream) = (Ours::new(), Upstream::new());
    let attribute = Attribute::new();
    let mut group = c.benchmark_group("retry_success");

    group.bench_function(id("async", "bare"), |b| b.to_async(&rt).iter(succeed_async));
    group.bench_function(id("async", "backon"), |b| {
        b.to_async(&rt).iter(|| ours.success())
    });
    let wrapped = ours.wrapped();
    group.bench_function(id("async", "backon_wrapped"), |b| {
        b.to_async(&rt).iter(|| wrapped.call(()))
    });
    group.bench_function(id("async", "backon_attribute"), |b| {
        b.to_async(&rt).iter(|| attribute.success())
    });
    group.bench_function(id("async", "backon_attribute_inline"), |b| {
        b.to_async(&rt).iter(attribute::success_inline)
    });
    group.bench_function(id("async", "backon_inline"), |b| {
        b.to_async(&rt).iter(attribute::success_extension_inline)
    });
    group.bench_function(id("async", "crates_backon"), |b| {
        b.to_async(&rt).iter(|| upstream.success())
    });
    group.bench_function(id("async", "tokio_retry2"), |b| {
        b.to_async(&rt).iter(tokio_retry::success)
    });

    group.bench_function(id("blocking", "bare"), |b| b.iter(succeed));
    group.bench_function(id("blocking", "backon"), |b| {
        b.iter(|| ours.success_blocking())
    });
    let wrapped = ours.wrapped_blocking();
    group.bench_function(id("blocking", "backon_wrapped"), |b| {
        b.iter(|| wrapped.call(()))
    });
    group.bench_function(id("blocking", "backon_attribute"), |b| {
        b.iter(|| attribute.success_blocking())
    });
    group.bench_function(id("blocking", "backon_attribute_inline"), |b| {
        b.iter(attribute::success_inline_blocking)
    });
    group.bench_function(id("blocking", "backon_inline"), |b| {
        b.iter(attribute::success_extension_inline_blocking)
    });
    group.bench_function(id("blocking", "crates_backon"), |b| {
        b.iter(|| upstream.success_blocking())
    });

    group.finish();
}

fn retry_fail_once(c: &mut Criterion) {
    let rt = runtime();
    let (ours, upstream) = (Ours::new(), Upstream::new());
    let mut group = c.benchmark_group("retry_fail_once");

    group.bench_function(id("async", "bare"), |b| {
        b.to_async(&rt).iter(bare::retry_once)
    });
    group.bench_function(id("async", "backon"), |b| {
        b.to_async(&rt).iter(|| ours.fail_once())
    });
    group.bench_function(id("async", "crates_backon"), |b| {
        b.to_async(&rt).iter(|| upstream.fail_once())
    });
    group.bench_function(id("async", "tokio_retry2"), |b| {
        b.to_async(&rt).iter(tokio_retry::fail_once)
    });

    group.bench_function(id("blocking", "bare"), |b| {
        b.iter(bare::retry_once_blocking)
    });
    group.bench_function(id("blocking", "backon"), |b| {
        b.iter(|| ours.fail_once_blocking())
    });
    group.bench_function(id("blocking", "crates_backon"), |b| {
        b.iter(|| upstream.fail_once_blocking())
    });

    group.finish();
}

/// The success path with each listener attached against none, in one run.
fn listener_success(c: &mut Criterion) {
    let rt = runtime();
    let l = Listeners::new();
    let mut group = c.benchmark_group("listener_success");

    group.bench_function(id("async", "none"), |b| {
        b.to_async(&rt).iter(|| listeners::on_async(&l.none))
    });
    group.bench_function(id("async", "prometheus"), |b| {
        b.to_async(&rt).iter(|| listeners::on_async(&l.prometheus))
    });
    group.bench_function(id("async", "otel"), |b| {
        b.to_async(&rt).iter(|| listeners::on_async(&l.otel))
    });
    group.bench_function(id("async", "tracing"), |b| {
        b.to_async(&rt).iter(|| listeners::on_async(&l.tracing))
    });

    group.bench_function(id("blocking", "none"), |b| {
        b.iter(|| listeners::blocking(&l.none))
    });
    group.bench_function(id("blocking", "prometheus"), |b| {
        b.iter(|| listeners::blocking(&l.prometheus))
    });
    group.bench_function(id("blocking", "otel"), |b| {
        b.iter(|| listeners::blocking(&l.otel))
    });
    group.bench_function(id("blocking", "tracing"), |b| {
        b.iter(|| listeners::blocking(&l.tracing))
    });

    group.finish();
}

/// Names a benchmark `<group>/<variant>/<contender>`; criterion stores it
/// under the same path, where `cargo xtask bench` looks for it.
fn id(variant: &str, contender: &str) -> BenchmarkId {
    BenchmarkId::new(variant, contender)
}

/// A current-thread runtime with the timer on: the other contenders sleep
/// on tokio's timer even for a zero delay.
fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a current-thread runtime builds")
}

fn main() {
    let mut c = Criterion::default()
        .measurement_time(MEASUREMENT_TIME)
        .warm_up_time(WARM_UP_TIME)
        .sample_size(SAMPLE_SIZE)
        .configure_from_args();

    retry_success(&mut c);
    retry_fail_once(&mut c);
    listener_success(&mut c);

    c.final_summary();
}
