//! The Markdown page of benchmark results.

use crate::bench::Measurement;
use std::fmt::Write;
use std::time::{SystemTime, UNIX_EPOCH};

/// What the tables measure, for readers of `docs/benchmarks.md`.
const ABOUT: &str = "\
Median time per call, from criterion; lower is better. `vs bare` is the
ratio to `bare`, the same operation called without a retry library (in
`retry_fail_once`, a hand-written single retry). The operation hides
only its branch and its value from the optimiser, so a bare call costs
about half a nanosecond: the ratios are the whole cost of each library,
and small differences in nanoseconds make large ones in ratio.

- Every contender allows three attempts. `retry_success` succeeds at once;
  `retry_fail_once` fails once and succeeds after a zero delay.
- `async` runs on a current-thread tokio runtime with the timer enabled;
  `blocking` runs on the calling thread.
- `backon` is this workspace's facade with a `Policy` borrowed by each
  call; `backon_wrapped` is the same policy bundled once with the
  operation by `wrap`, called each time. `crates_backon` is the `backon` crate from crates.io (1.x), with its
  default `ExponentialBuilder` for success and a zero-delay
  `ConstantBuilder` for fail-once; `tokio_retry2` uses `ExponentialBackoff`
  and a zero `FixedInterval`. Those two sleep on tokio's timer even for a
  zero delay, which waits for the timer's next millisecond tick; `backon`
  skips a zero sleep.
- `hedge_no_hedge` is a hedged call whose primary answers at once, so no
  hedge starts: `backon` with a fixed 10 ms delay, `backon_adaptive` with an
  adaptive delay (two clock reads and a latency sample per call), and
  `tower_hedge`, `tower::hedge` with its histogram filled, around the same
  operation.
- `listener_success` is the success path of `backon` with one listener
  attached to the policy, against `none`, the same policy without one:
  `prometheus` (backon-metrics-prom), `otel` (backon-metrics-otel on the
  OpenTelemetry SDK with a periodic reader) and `tracing` (backon-tracing
  with no subscriber installed). Its ratios are to `none`. Both metrics
  listeners ask for the clock, to time attempts, which a policy without
  them never reads.
- The code is in `benches/benches/`; `cargo xtask bench` runs it and
  rewrites this page.

`breaker_call` is one successful call through a closed circuit breaker,
each built once and shared by every call: `backon_consecutive` (trips on 5
failures in a row), `backon_count_window` (50% of the last 100 calls) and
`backon_time_window` (50% over 30 s in 10 buckets, which reads the clock on
every call) are this workspace's `backon-breaker`; `failsafe` uses its
consecutive-failures policy and `recloser` its default count window.

`breaker_threads` runs the same calls on one thread, then on two threads
sharing one breaker, and shows the time per call of each thread and the
throughput of two threads as a multiple of one thread's: above 1× the
breaker scales, below 1× the threads slow each other down. `bare` shows
what the machine itself gives. The code is in `benches/benches/breaker/`.";

/// What the tail-latency table measures.
const ABOUT_TAIL: &str = "\
A simulated service answers in 10 ms for 95 % of attempts and in 1 s for
5 %, drawn from a seeded hash of the call and the attempt, so every
contender meets the same latencies. Each contender makes 20,000 calls one
after another on tokio's paused clock, so times are exact and the run
takes seconds. Every hedging contender may start one hedge per call.
`extra load` counts the attempts beyond one per call. The adaptive
contenders wait for the 90th percentile: the 95th would sit exactly on the
service's 95 % / 5 % boundary. `tower::hedge` needs 100 samples in its
last 10 s period before it hedges. The code is in
`benches/benches/hedge/tail.rs`.";

/// The contenders a group's ratios are to, in order of preference: the
/// call without a retry library, or the retry without a listener.
const BASELINES: [&str; 2] = ["bare", "none"];

/// Renders one table per group, groups and rows in the order given.
pub(crate) fn tables(results: &[Measurement]) -> String {
    let mut groups: Vec<&str> = Vec::new();
    for m in results {
        if !groups.contains(&m.group.as_str()) {
            groups.push(&m.group);
        }
    }

    let mut out = String::new();
    for group in groups {
        let rows: Vec<&Measurement> = results.iter().filter(|m| m.group == group).collect();
        if !out.is_empty() {
            out.push('\n');
        }
        if group.ends_with("_threads") {
            thread_table(&mut out, group, &rows);
        } else {
            table(&mut out, group, &rows, results);
        }
    }
    out
}

fn table(out: &mut String, group: &str, rows: &[&Measurement], all: &[Measurement]) {
    let baseline = BASELINES
        .into_iter()
        .find(|name| rows.iter().any(|m| m.contender == *name))
        .unwrap_or(BASELINES[0]);

    let _ = writeln!(out, "### {group}\n");
    let _ = writeln!(out, "| variant | contender | median | vs {baseline} |");
    let _ = writeln!(out, "|---|---|---:|---:|");

    for m in rows {
        let bare = all
            .iter()
            .find(|b| b.group == m.group && b.variant == m.variant && b.contender == baseline);
        let ratio = bare.map_or_else(
            || "–".to_string(),
            |bare| ratio(m.median_ns / bare.median_ns),
        );
        let variant = if m.variant.is_empty() {
            "–"
        } else {
            &m.variant
        };
        let _ = writeln!(
            out,
            "| {variant} | {} | {} | {ratio} |",
            m.contender,
            duration(m.median_ns)
        );
    }
}

/// One row per variant: the time per call of each thread with one thread
/// and with two, and the throughput ratio of two threads to one.
fn thread_table(out: &mut String, group: &str, rows: &[&Measurement]) {
    let _ = writeln!(out, "### {group}\n");
    let _ = writeln!(
        out,
        "| contender | 1 thread | 2 threads | throughput 2 vs 1 |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|");

    let mut variants: Vec<&str> = Vec::new();
    for m in rows {
        if !variants.contains(&m.variant.as_str()) {
            variants.push(&m.variant);
        }
    }
    for variant in variants {
        let time = |threads: &str| {
            rows.iter()
                .find(|m| m.variant == variant && m.contender == threads)
                .map(|m| m.median_ns)
        };
        let (one, two) = (time("1_thread"), time("2_threads"));
        let show = |t: Option<f64>| t.map_or_else(|| "–".to_string(), duration);
        // Each thread makes the same number of calls, so two threads do
        // twice the work in their wall time.
        let throughput = match (one, two) {
            (Some(one), Some(two)) => ratio(2.0 * one / two),
            _ => "–".to_string(),
        };
        let _ = writeln!(
            out,
            "| {variant} | {} | {} | {throughput} |",
            show(one),
            show(two)
        );
    }
}

/// Two decimals for small ratios, none for large ones.
fn ratio(r: f64) -> String {
    if r < 100.0 {
        format!("{r:.2}×")
    } else {
        format!("{r:.0}×")
    }
}

/// The whole page: title, date and machine, what is measured, the tables,
/// then the hedging tail-latency table when the run printed one.
pub(crate) fn page(tables: &str, tail: &str) -> String {
    let mut page = format!(
        "# Benchmarks\n\nMeasured on {} on {}.\n\n{ABOUT}\n\n{tables}",
        today(),
        machine()
    );
    if !tail.is_empty() {
        page += &format!("\n### hedge_tail_latency\n\n{ABOUT_TAIL}\n\n{tail}");
    }
    page
}

/// Three significant digits in the largest unit that keeps them above 1.
fn duration(ns: f64) -> String {
    let (value, unit) = match ns {
        ns if ns < 1e3 => (ns, "ns"),
        ns if ns < 1e6 => (ns / 1e3, "µs"),
        ns if ns < 1e9 => (ns / 1e6, "ms"),
        ns => (ns / 1e9, "s"),
    };
    let decimals = match value {
        v if v < 10.0 => 2,
        v if v < 100.0 => 1,
        _ => 0,
    };
    format!("{value:.decimals$} {unit}")
}

/// The number of CPUs this process may use, the CPU model and the load.
fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split_once(':'))
                .map(|(_, model)| model.trim().to_string())
        })
        .unwrap_or_else(|| "an unknown CPU".to_string());
    format!("{cpus} CPUs ({model}){}", load())
}

/// The one-minute load average as the run ends, when the system tells it:
/// other work on the machine slows every contender, and threads most.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_string))
        .map_or_else(String::new, |load| format!(", load average {load}"))
}

/// Today's date in UTC, as `YYYY-MM-DD`.
fn today() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (y, m, d) = civil_date(secs / 86_400);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The proleptic Gregorian date of a day count since 1970-01-01
/// (Howard Hinnant's `civil_from_days`, for days after the epoch).
fn civil_date(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(group: &str, variant: &str, contender: &str, median_ns: f64) -> Measurement {
        Measurement {
            group: group.into(),
            variant: variant.into(),
            contender: contender.into(),
            median_ns,
        }
    }

    #[test]
    fn thread_groups_show_the_throughput_ratio() {
        let results = [
            m("b_threads", "bare", "1_thread", 10.0),
            m("b_threads", "bare", "2_threads", 10.0),
            m("b_threads", "slow", "1_thread", 10.0),
            m("b_threads", "slow", "2_threads", 40.0),
        ];
        let text = tables(&results);
        assert!(
            text.contains("| bare | 10.0 ns | 10.0 ns | 2.00× |"),
            "{text}"
        );
        assert!(
            text.contains("| slow | 10.0 ns | 40.0 ns | 0.50× |"),
            "{text}"
        );
    }

    #[test]
    fn dates() {
        assert_eq!(civil_date(0), (1970, 1, 1));
        assert_eq!(civil_date(11_016), (2000, 2, 29));
        assert_eq!(civil_date(20_000), (2024, 10, 4));
    }

    #[test]
    fn durations_keep_three_digits() {
        assert_eq!(duration(8.1802), "8.18 ns");
        assert_eq!(duration(46.15), "46.1 ns");
        assert_eq!(duration(1_090_245.9), "1.09 ms");
        assert_eq!(duration(250_000.0), "250 µs");
    }

    #[test]
    fn ratios_are_to_bare_of_the_same_variant() {
        let results = [
            m("g", "async", "bare", 10.0),
            m("g", "async", "backon", 15.0),
            m("g", "blocking", "bare", 5.0),
            m("g", "blocking", "backon", 5.0),
            m("h", "", "other", 1.0),
        ];
        let text = tables(&results);
        assert!(
            text.contains("| async | backon | 15.0 ns | 1.50× |"),
            "{text}"
        );
        assert!(
            text.contains("| blocking | backon | 5.00 ns | 1.00× |"),
            "{text}"
        );
        assert!(text.contains("### h\n"), "{text}");
        assert!(text.contains("| – | other | 1.00 ns | – |"), "{text}");
    }

    #[test]
    fn a_group_without_bare_is_compared_to_none() {
        let results = [
            m("listener_success", "blocking", "none", 10.0),
            m("listener_success", "blocking", "prometheus", 25.0),
        ];
        let text = tables(&results);
        assert!(
            text.contains("| variant | contender | median | vs none |"),
            "{text}"
        );
        assert!(
            text.contains("| blocking | prometheus | 25.0 ns | 2.50× |"),
            "{text}"
        );
    }
}
