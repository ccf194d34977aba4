#![doc = include_str!("../README.md")]
#![doc(test(attr(deny(warnings))))]

mod listener;
mod metrics;

pub use listener::PromListener;
pub use metrics::{DEFAULT_BUCKETS, PromMetrics, PromMetricsBuilder};
