//! The OpenTelemetry SDK with an in-memory exporter, and the exported data
//! flattened into plain values for the tests. The README's table and the
//! scenarios are `backon-metrics-support`'s, shared with the Prometheus
//! crate.

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
