#![doc = include_str!("../README.md")]
#![doc(test(attr(deny(warnings))))]

mod listener;

pub use listener::{SPAN_NAME, TARGET, TracingListener};

/// `tracing`'s extension trait for futures: `.instrument(logs.span())`
/// runs an async retry inside its call span.
pub use tracing::Instrument;
