//! The OpenTelemetry SDK with an in-memory exporter, and the exported data
//! flattened into plain values for the tests; and the README's instrument
//! table.

#![allow(dead_code, unreachable_pub)]

use backon::otel::OtelMetrics;
use opentelemetry::metrics::MeterProvider;
use opentelemetry_sdk::metrics::data::{AggregatedMetrics, MetricData};
use opentelemetry_sdk::metrics::{InMemoryMetricExporter, PeriodicReader, SdkMeterProvider};
use std::collections::BTreeMap;

/// A meter provider whose only reader exports into memory.
pub struct Harness {
    provider: SdkMeterProvider,
    exporter: InMemoryMetricExporter,
    pub metrics: OtelMetrics,
}

impl Harness {
    pub fn new() -> Self {
        let exporter = InMemoryMetricExporter::default();
        let provider = SdkMeterProvider::builder()
            .with_reader(PeriodicReader::builder(exporter.clone()).build())
            .build();
        let metrics = OtelMetrics::new(&provider.meter("backon-tests"));
        Harness {
            provider,
            exporter,
            metrics,
        }
    }

    /// Exports now and returns the latest export, flattened. Temporality is
    /// cumulative, so it holds the totals since the start.
    pub fn collect(&self) -> Export {
        self.provider.force_flush().expect("the provider flushes");
        let exported = self
            .exporter
            .get_finished_metrics()
            .expect("the exporter reads");
        let last = exported.last().expect("one export at least");

        let mut instruments = Vec::new();
        for scope in last.scope_metrics() {
            assert_eq!(scope.scope().name(), "backon-tests");
            for metric in scope.metrics() {
                instruments.push(flatten(metric));
            }
        }
        Export { instruments }
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        let _ = self.provider.shutdown();
    }
}

/// What kind of instrument produced the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Counter,
    Histogram,
    Gauge,
}

/// One exported instrument.
#[derive(Debug, Clone, PartialEq)]
pub struct Instrument {
    pub name: String,
    pub unit: String,
    pub description: String,
    pub kind: Kind,
    pub points: Vec<Point>,
}

/// One data point: its attributes and value.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub attributes: BTreeMap<String, String>,
    pub value: Value,
}

/// A data point's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Count(u64),
    Gauge(u64),
    Histogram {
        count: u64,
        sum: f64,
        bounds: Vec<f64>,
        buckets: Vec<u64>,
    },
}

fn attributes<'a>(
    kvs: impl Iterator<Item = &'a opentelemetry::KeyValue>,
) -> BTreeMap<String, String> {
    kvs.map(|kv| (kv.key.as_str().to_string(), kv.value.as_str().into_owned()))
        .collect()
}

fn flatten(metric: &opentelemetry_sdk::metrics::data::Metric) -> Instrument {
    let (kind, points) = match metric.data() {
        AggregatedMetrics::U64(MetricData::Sum(sum)) => {
            assert!(sum.is_monotonic(), "{} is a counter", metric.name());
            let points = sum
                .data_points()
                .map(|p| Point {
                    attributes: attributes(p.attributes()),
                    value: Value::Count(p.value()),
                })
                .collect();
            (Kind::Counter, points)
        }
        AggregatedMetrics::U64(MetricData::Gauge(gauge)) => {
            let points = gauge
                .data_points()
                .map(|p| Point {
                    attributes: attributes(p.attributes()),
                    value: Value::Gauge(p.value()),
                })
                .collect();
            (Kind::Gauge, points)
        }
        AggregatedMetrics::F64(MetricData::Histogram(histogram)) => {
            let points = histogram
                .data_points()
                .map(|p| Point {
                    attributes: attributes(p.attributes()),
                    value: Value::Histogram {
                        count: p.count(),
                        sum: p.sum(),
                        bounds: p.bounds().collect(),
                        buckets: p.bucket_counts().collect(),
                    },
                })
                .collect();
            (Kind::Histogram, points)
        }
        other => panic!("{}: unexpected data {other:?}", metric.name()),
    };

    Instrument {
        name: metric.name().to_string(),
        unit: metric.unit().to_string(),
        description: metric.description().to_string(),
        kind,
        points,
    }
}

/// One export, flattened.
#[derive(Debug, Clone, PartialEq)]
pub struct Export {
    pub instruments: Vec<Instrument>,
}

impl Export {
    pub fn instrument(&self, name: &str) -> &Instrument {
        self.instruments
            .iter()
            .find(|i| i.name == name)
            .unwrap_or_else(|| panic!("no instrument {name} in {self:#?}"))
    }

    /// The point with exactly these attributes, if any.
    pub fn point(&self, name: &str, attrs: &[(&str, &str)]) -> Option<&Value> {
        let want: BTreeMap<String, String> = attrs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let instrument = self.instruments.iter().find(|i| i.name == name)?;
        let mut found = instrument.points.iter().filter(|p| p.attributes == want);
        let point = found.next();
        assert!(found.next().is_none(), "two points {name}{want:?}");
        point.map(|p| &p.value)
    }

    /// A counter's value; `0` when it has no such point.
    pub fn count(&self, name: &str, attrs: &[(&str, &str)]) -> u64 {
        match self.point(name, attrs) {
            Some(Value::Count(n)) => *n,
            None => 0,
            Some(other) => panic!("{name} is not a counter: {other:?}"),
        }
    }

    /// A histogram point's `(count, sum)`; `(0, 0.0)` when it has none.
    pub fn histogram(&self, name: &str, attrs: &[(&str, &str)]) -> (u64, f64) {
        match self.point(name, attrs) {
            Some(Value::Histogram { count, sum, .. }) => (*count, *sum),
            None => (0, 0.0),
            Some(other) => panic!("{name} is not a histogram: {other:?}"),
        }
    }

    /// The values of one attribute over every point of an instrument.
    pub fn attribute_values(&self, name: &str, key: &str) -> Vec<String> {
        let mut values: Vec<String> = self
            .instrument(name)
            .points
            .iter()
            .filter_map(|p| p.attributes.get(key).cloned())
            .collect();
        values.sort();
        values.dedup();
        values
    }
}

/// One row of the README's instrument table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub name: String,
    pub kind: String,
    pub unit: String,
    pub labels: Vec<String>,
    pub recorded: bool,
}

/// Parses the table under `## Instruments` in a README.
pub fn instrument_table(readme: &str) -> Vec<Row> {
    let section = readme
        .split("\n## Instruments\n")
        .nth(1)
        .expect("a ## Instruments section");
    let mut lines = section.lines().skip_while(|l| !l.starts_with('|'));

    let header = lines.next().expect("a table");
    assert_eq!(
        cells(header),
        ["name", "kind", "unit", "labels", "meaning", "recorded"]
    );
    assert!(lines.next().is_some_and(|l| l.starts_with("|---")));

    lines
        .take_while(|l| l.starts_with('|'))
        .map(|line| {
            let c = cells(line);
            assert_eq!(c.len(), 6, "{line}");
            Row {
                name: ticked(&c[0]).pop().expect("a `name`"),
                kind: c[1].clone(),
                unit: ticked(&c[2]).pop().expect("a `unit`"),
                labels: ticked(&c[3]),
                recorded: match c[5].as_str() {
                    "yes" => true,
                    pending if pending.starts_with("pending: ") => false,
                    other => panic!("recorded must be yes or pending: …, not {other}"),
                },
            }
        })
        .collect()
}

fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
    inner.split('|').map(|c| c.trim().to_string()).collect()
}

fn ticked(cell: &str) -> Vec<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// Hedged calls on tokio's paused clock, with `listener` on their policies:
/// a hedge that wins, a primary that wins alone, and a budget that refuses
/// a hedge. In all: 2 hedges launched, wins 3 by index 0 and 1 by index 1,
/// 1 hedge refused by the budget.
pub fn hedge_a_few<L>(listener: L)
where
    L: backon::Listener<&'static str> + Clone,
{
    use backon::budget::TokenBudget;
    use backon::prelude::*;
    use std::time::Duration;

    let ms = Duration::from_millis;
    // Attempt `i` answers after `took(i)`.
    async fn answer(took: Duration, i: u32) -> Result<u32, &'static str> {
        tokio::time::sleep(took).await;
        Ok(i)
    }

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a paused current-thread runtime builds");

    runtime.block_on(async {
        // The primary is stuck for a second; hedge 1, launched at 50 ms,
        // answers at 60 ms, before hedge 2 is due.
        let policy = HedgePolicy::new(ms(50)).extra(2).listen(listener.clone());
        let slow_primary = |i: u32| answer(if i == 0 { ms(1000) } else { ms(10) }, i);
        assert_eq!(slow_primary.hedge(&policy).await, Ok(1));

        // A primary that answers at once: no hedge.
        assert_eq!((|i: u32| answer(ms(0), i)).hedge(&policy).await, Ok(0));

        // One token: the first call's hedge takes it, the second call's
        // hedge is refused. Both primaries win at 100 ms.
        let budget = TokenBudget::builder()
            .capacity(1.0)
            .refund(0.0)
            .build()
            .unwrap();
        let budgeted = HedgePolicy::new(ms(10))
            .extra(1)
            .budget(budget)
            .listen(listener);
        for _ in 0..2 {
            assert_eq!((|i: u32| answer(ms(100), i)).hedge(&budgeted).await, Ok(0));
        }
    });
}

/// Trips a real breaker on virtual time, with `listener` attached: two
/// failures open it, two calls are rejected, a failed probe re-opens it, a
/// third call is rejected, and a good probe closes it. In all: transitions
/// closed→open 1, open→half_open 2, half_open→open 1, half_open→closed 1;
/// rejections 3; the breaker ends closed.
pub fn trip_a_breaker<L>(listener: L)
where
    L: backon::breaker::BreakerListener + 'static,
{
    use backon::breaker::{Breaker, BreakerOpen};
    use backon::testing::VirtualTime;
    use std::time::Duration;

    #[derive(Debug)]
    enum Error {
        Down,
        Open,
    }
    impl From<BreakerOpen> for Error {
        fn from(_: BreakerOpen) -> Self {
            Error::Open
        }
    }

    let time = VirtualTime::new();
    let breaker = Breaker::builder()
        .clock(time.clone())
        .consecutive_failures(2)
        .open_for(Duration::from_secs(5))
        .probes(1)
        .successes_to_close(1)
        .listen(listener)
        .build()
        .expect("the breaker builds");
    let fail = || breaker.call(|| Err::<(), _>(Error::Down));
    let succeed = || breaker.call(|| Ok::<(), Error>(()));

    assert!(matches!(fail(), Err(Error::Down)));
    assert!(matches!(fail(), Err(Error::Down)));
    assert!(matches!(succeed(), Err(Error::Open)));
    assert!(matches!(succeed(), Err(Error::Open)));
    time.advance(Duration::from_secs(5));
    assert!(matches!(fail(), Err(Error::Down)), "the probe runs");
    assert!(matches!(succeed(), Err(Error::Open)));
    time.advance(Duration::from_secs(5));
    assert!(matches!(succeed(), Ok(())), "the probe runs");
    assert!(matches!(succeed(), Ok(())), "closed again");
}
