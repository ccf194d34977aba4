//! Tail latency of the simulated service with and without hedging, on
//! tokio's paused clock: every contender makes the same seeded calls one
//! after another, and the latencies are exact virtual times.

use crate::service::{HedgeAll, Request, latency};
use backon::hedge::{Adaptive, HedgeDelay, HedgePolicy, Hedgeable};
use std::cell::Cell;
use std::convert::Infallible;
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;
use tokio::time::{Instant, sleep};
use tower::{Service, ServiceExt};

/// Calls per contender: enough for 20 samples beyond the 99.9th
/// percentile.
const CALLS: u64 = 20_000;

/// The fixed hedge delay: twice the fast answer.
const FIXED: Duration = Duration::from_millis(20);

/// The percentile both adaptive contenders wait for. The 95th would sit
/// exactly on the service's 95 % / 5 % boundary.
const PERCENTILE: f64 = 90.0;

/// One contender's result.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub(crate) name: &'static str,
    pub(crate) p50: Duration,
    pub(crate) p99: Duration,
    pub(crate) p999: Duration,
    /// Attempts beyond one per call, as a share of calls.
    pub(crate) extra_load: f64,
}

/// Runs every contender and returns its row, unhedged first.
pub(crate) fn run() -> Vec<Row> {
    vec![
        paused(unhedged()),
        paused(fixed()),
        paused(adaptive()),
        paused(tower_hedge()),
    ]
}

/// Renders the rows as a Markdown table, with ratios to the first row.
pub(crate) fn table(rows: &[Row]) -> String {
    let base = &rows[0];
    let mut out = String::from(
        "| contender | p50 | p99 | p99.9 | p99 vs unhedged | extra load |\n\
         |---|---:|---:|---:|---:|---:|\n",
    );
    for row in rows {
        let ratio = base.p99.as_secs_f64() / row.p99.as_secs_f64();
        out += &format!(
            "| {} | {} | {} | {} | {ratio:.1}× lower | {:.1} % |\n",
            row.name,
            ms(row.p50),
            ms(row.p99),
            ms(row.p999),
            row.extra_load * 100.0
        );
    }
    out
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1e3)
}

fn paused<F: Future<Output = Row>>(contender: F) -> Row {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a paused current-thread runtime builds")
        .block_on(contender)
}

/// Percentiles and extra load from each call's latency and the attempts
/// made in all.
fn summarize(name: &'static str, mut took: Vec<Duration>, attempts: u64) -> Row {
    took.sort();
    let at = |per_mille: u64| took[(CALLS * per_mille / 1000) as usize];
    Row {
        name,
        p50: at(500),
        p99: at(990),
        p999: at(999),
        extra_load: attempts.saturating_sub(CALLS) as f64 / CALLS as f64,
    }
}

/// Times one call.
async fn timed(call: impl Future) -> Duration {
    let start = Instant::now();
    call.await;
    start.elapsed()
}

async fn unhedged() -> Row {
    let mut took = Vec::with_capacity(CALLS as usize);
    for call in 0..CALLS {
        took.push(timed(sleep(latency(call, 0))).await);
    }
    summarize("no hedging", took, CALLS)
}

async fn fixed() -> Row {
    hedged("backon, fixed 20 ms", HedgePolicy::new(FIXED)).await
}

async fn adaptive() -> Row {
    let delay = Adaptive::builder()
        .percentile(PERCENTILE)
        .fallback(Duration::from_millis(100))
        .build()
        .expect("valid adaptive settings");
    hedged("backon, adaptive p90", HedgePolicy::new(delay)).await
}

async fn hedged<D: HedgeDelay>(name: &'static str, policy: HedgePolicy<D>) -> Row {
    let attempts = Cell::new(0);
    let mut took = Vec::with_capacity(CALLS as usize);

    for call in 0..CALLS {
        let op = |i: u32| {
            attempts.set(attempts.get() + 1);
            async move {
                sleep(latency(call, i)).await;
                Ok::<_, Infallible>(i)
            }
        };
        took.push(timed(op.hedge(&policy)).await);
    }
    summarize(name, took, attempts.get())
}

async fn tower_hedge() -> Row {
    let attempts = Rc::new(Cell::new(0));
    let counter = attempts.clone();
    let service = tower::service_fn(move |req: Request| {
        counter.set(counter.get() + 1);
        async move {
            sleep(latency(req.call, req.attempt)).await;
            Ok::<_, Infallible>(req.attempt)
        }
    });
    // A call takes 60 ms on average, so a period of 10 virtual seconds
    // holds about 170 samples; tower hedges once the last period had 100.
    let mut hedge = tower::hedge::Hedge::new(service, HedgeAll, 100, 0.9, Duration::from_secs(10));
    let mut took = Vec::with_capacity(CALLS as usize);

    for call in 0..CALLS {
        let ready = hedge
            .ready()
            .await
            .expect("the simulated service is always ready");
        took.push(timed(ready.call(Request { call, attempt: 0 })).await);
    }
    summarize("tower::hedge, p90", took, attempts.get())
}
