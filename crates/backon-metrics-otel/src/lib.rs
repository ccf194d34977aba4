#![doc = include_str!("../README.md")]
#![doc(test(attr(deny(warnings))))]

mod listener;
mod metrics;

pub use listener::OtelListener;
pub use metrics::{BOUNDARIES, OtelMetrics};

/// The `opentelemetry` API crate this one records through, for a `Meter`
/// of the same version.
pub use opentelemetry;
