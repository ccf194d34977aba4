#![doc = include_str!("../README.md")]
#![doc(test(attr(deny(warnings))))]

mod listener;
mod metrics;

pub use listener::PromListener;
pub use metrics::{DEFAULT_BUCKETS, PromMetrics, PromMetricsBuilder};

/// The `prometheus-client` crate this one records into, for a `Registry`
/// and `encode` of the same version.
pub use prometheus_client;
