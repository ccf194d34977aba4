//! What the tests of `backon-metrics-prom` and `backon-metrics-otel` share:
//! the parser of a README's instrument table, and the scenarios that make a
//! listener record, on virtual time or tokio's paused clock.
//!
//! Each scenario's doc says what it records in all; each crate keeps apart
//! what is its own: reading a Prometheus scrape or an OpenTelemetry export,
//! and every assertion on what was recorded.

mod breaker;
mod hedge;
mod retry;
mod table;

pub use breaker::{Error as BreakerError, trip_a_breaker, two_breakers};
pub use hedge::hedge_a_few;
pub use retry::{
    exhaust_a_budget, fail_twice_async, flaky, give_up_each_way, retry_each_ending,
    retry_on_threads, two_operations, two_operations_end_apart,
};
pub use table::{Row, Units, instrument_table, recorded};
