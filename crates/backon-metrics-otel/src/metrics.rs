//! The instruments, made once per meter.

use crate::listener::OtelListener;
use opentelemetry::metrics::{Counter, Gauge, Histogram, Meter};

/// Bucket boundaries, in seconds, of both histograms: from 1 ms to
/// 2 minutes. An SDK view can replace them.
pub const BOUNDARIES: [f64; 16] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0,
];

/// The retry instruments of one [`Meter`]: make them once, then make an
/// [`OtelListener`] for each operation with
/// [`listener`](OtelMetrics::listener).
///
/// Cloning is cheap and the clones record into the same instruments.
///
/// # Examples
///
/// ```
/// use backon::otel::OtelMetrics;
/// use opentelemetry::global;
///
/// let metrics = OtelMetrics::new(&global::meter("my-service"));
///
/// let users = metrics.listener("fetch_user");
/// let orders = metrics.listener("list_orders");
/// # let _ = (users, orders);
/// ```
#[derive(Debug, Clone)]
pub struct OtelMetrics {
    pub(crate) calls: Counter<u64>,
    pub(crate) attempts: Counter<u64>,
    pub(crate) retries: Counter<u64>,
    pub(crate) give_ups: Counter<u64>,
    pub(crate) retry_delay: Histogram<f64>,
    pub(crate) attempt_duration: Histogram<f64>,
    pub(crate) hedge_launched: Counter<u64>,
    pub(crate) hedge_wins: Counter<u64>,
    pub(crate) hedge_budget_exhausted: Counter<u64>,
    pub(crate) breaker_state: Gauge<u64>,
    pub(crate) breaker_transitions: Counter<u64>,
    pub(crate) breaker_rejections: Counter<u64>,
}

impl OtelMetrics {
    /// Makes every instrument with `meter`.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::otel::OtelMetrics;
    /// use opentelemetry::global;
    ///
    /// let metrics = OtelMetrics::new(&global::meter("my-service"));
    /// # let _ = metrics;
    /// ```
    pub fn new(meter: &Meter) -> Self {
        let seconds = |name: &'static str, description: &'static str| {
            meter
                .f64_histogram(name)
                .with_unit("s")
                .with_description(description)
                .with_boundaries(BOUNDARIES.to_vec())
                .build()
        };
        let counter = |name: &'static str, unit: &'static str, description: &'static str| {
            meter
                .u64_counter(name)
                .with_unit(unit)
                .with_description(description)
                .build()
        };

        OtelMetrics {
            calls: counter(
                "backon.calls",
                "{call}",
                "Retried calls that ended, by outcome.",
            ),
            attempts: counter("backon.attempts", "{attempt}", "Attempts started."),
            retries: counter("backon.retries", "{retry}", "Retries scheduled."),
            give_ups: counter(
                "backon.give_ups",
                "{call}",
                "Calls that gave up, by stop reason.",
            ),
            retry_delay: seconds("backon.retry.delay", "Delay before each retry."),
            attempt_duration: seconds(
                "backon.attempt.duration",
                "Time each attempt ran, by outcome.",
            ),
            hedge_launched: counter(
                "backon.hedge.launched",
                "{attempt}",
                "Backup attempts hedged calls started.",
            ),
            hedge_wins: counter(
                "backon.hedge.wins",
                "{call}",
                "Hedged calls won, by the winning attempt's index.",
            ),
            hedge_budget_exhausted: counter(
                "backon.hedge.budget_exhausted",
                "{attempt}",
                "Backup attempts not started because the budget was empty.",
            ),
            breaker_state: meter
                .u64_gauge("backon.breaker.state")
                .with_unit("{state}")
                .with_description("1 for the breaker's current state, 0 for the others.")
                .build(),
            breaker_transitions: counter(
                "backon.breaker.transitions",
                "{transition}",
                "Breaker state changes, by the states left and entered.",
            ),
            breaker_rejections: counter(
                "backon.breaker.rejections",
                "{call}",
                "Calls the breaker refused without running them.",
            ),
        }
    }

    /// Returns a listener that records the calls of one operation, with the
    /// attribute `operation = name`.
    ///
    /// `name` becomes an attribute value, so it must come from a small,
    /// fixed set: a function or endpoint name, never a URL with an id in it,
    /// and never error text.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::otel::OtelMetrics;
    /// use backon::prelude::*;
    /// use opentelemetry::global;
    /// use std::time::Duration;
    ///
    /// let metrics = OtelMetrics::new(&global::meter("my-service"));
    ///
    /// let policy = Policy::new(Duration::from_millis(10), after_attempts(3)?)
    ///     .listen(metrics.listener("fetch_user"));
    /// # let _ = policy;
    /// # Ok::<(), backon::stop::StopError>(())
    /// ```
    pub fn listener(&self, name: &str) -> OtelListener {
        OtelListener::new(self.clone(), name)
    }
}
