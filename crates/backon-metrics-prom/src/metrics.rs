//! The instruments, registered once per registry.

use crate::listener::PromListener;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::{Family, MetricConstructor};
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};
use std::sync::Arc;

/// The label set of every series: `(key, value)` pairs.
pub(crate) type Labels = Vec<(&'static str, Arc<str>)>;

/// A family of histograms that share their bucket bounds.
pub(crate) type Histograms = Family<Labels, Histogram, Buckets>;

/// Upper bounds, in seconds, of the histograms' buckets unless the builder
/// sets others: from 1 ms to 2 minutes.
pub const DEFAULT_BUCKETS: [f64; 16] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0,
];

/// The retry instruments of one [`Registry`]: register them once, then
/// make a [`PromListener`] for each operation with
/// [`listener`](PromMetrics::listener).
///
/// Cloning is cheap and the clones record into the same series.
///
/// # Examples
///
/// ```
/// use backon::prometheus::PromMetrics;
/// use prometheus_client::registry::Registry;
///
/// let mut registry = Registry::default();
/// let metrics = PromMetrics::register(&mut registry);
///
/// let users = metrics.listener("fetch_user");
/// let orders = metrics.listener("list_orders");
/// # let _ = (users, orders);
/// ```
#[derive(Debug, Clone)]
pub struct PromMetrics {
    pub(crate) calls: Family<Labels, Counter>,
    pub(crate) attempts: Family<Labels, Counter>,
    pub(crate) retries: Family<Labels, Counter>,
    pub(crate) give_ups: Family<Labels, Counter>,
    pub(crate) retry_delay: Histograms,
    pub(crate) attempt_duration: Histograms,
    pub(crate) hedge_launched: Family<Labels, Counter>,
    pub(crate) hedge_wins: Family<Labels, Counter>,
    pub(crate) hedge_budget_exhausted: Family<Labels, Counter>,
    pub(crate) breaker_state: Family<Labels, Gauge>,
    pub(crate) breaker_transitions: Family<Labels, Counter>,
    pub(crate) breaker_rejections: Family<Labels, Counter>,
}

impl PromMetrics {
    /// Registers every instrument in `registry` with the default buckets.
    ///
    /// Call it once per registry: registering twice makes two families of
    /// the same name, which a scrape rejects.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::prometheus::PromMetrics;
    /// use prometheus_client::registry::Registry;
    ///
    /// let mut registry = Registry::default();
    /// let metrics = PromMetrics::register(&mut registry);
    /// # let _ = metrics;
    /// ```
    pub fn register(registry: &mut Registry) -> Self {
        Self::builder().register(registry)
    }

    /// Returns a builder, to choose the histograms' buckets.
    pub fn builder() -> PromMetricsBuilder {
        PromMetricsBuilder::default()
    }

    /// Returns a listener that records the calls of one operation, labelled
    /// `operation = name`.
    ///
    /// `name` becomes a label value, so it must come from a small, fixed
    /// set: a function or endpoint name, never a URL with an id in it, and
    /// never error text.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::prelude::*;
    /// use backon::prometheus::PromMetrics;
    /// use prometheus_client::registry::Registry;
    /// use std::time::Duration;
    ///
    /// let mut registry = Registry::default();
    /// let metrics = PromMetrics::register(&mut registry);
    ///
    /// let policy = Policy::new(Duration::from_millis(10), after_attempts(3)?)
    ///     .listen(metrics.listener("fetch_user"));
    /// # let _ = policy;
    /// # Ok::<(), backon::stop::StopError>(())
    /// ```
    pub fn listener(&self, name: &str) -> PromListener {
        PromListener::new(self, Arc::from(name))
    }
}

/// Builds [`PromMetrics`] with histogram buckets of your choice.
///
/// # Defaults
///
/// Both histograms use [`DEFAULT_BUCKETS`], 1 ms to 2 minutes.
///
/// # Examples
///
/// ```
/// use backon::prometheus::PromMetrics;
/// use prometheus_client::registry::Registry;
///
/// let mut registry = Registry::default();
/// let metrics = PromMetrics::builder()
///     .delay_buckets([0.1, 1.0, 10.0])
///     .duration_buckets([0.01, 0.1, 1.0])
///     .register(&mut registry);
/// # let _ = metrics;
/// ```
#[derive(Debug, Clone)]
pub struct PromMetricsBuilder {
    delay_buckets: Buckets,
    duration_buckets: Buckets,
}

impl Default for PromMetricsBuilder {
    fn default() -> Self {
        PromMetricsBuilder {
            delay_buckets: Buckets::new(DEFAULT_BUCKETS),
            duration_buckets: Buckets::new(DEFAULT_BUCKETS),
        }
    }
}

impl PromMetricsBuilder {
    /// Sets the bucket bounds, in seconds, of the retry delay histogram.
    ///
    /// They are sorted and deduplicated; infinite and NaN bounds are
    /// dropped, since the `+Inf` bucket is always there.
    pub fn delay_buckets(mut self, bounds: impl IntoIterator<Item = f64>) -> Self {
        self.delay_buckets = Buckets::new(bounds);
        self
    }

    /// Sets the bucket bounds, in seconds, of the attempt duration
    /// histogram, treated as [`delay_buckets`](Self::delay_buckets) are.
    pub fn duration_buckets(mut self, bounds: impl IntoIterator<Item = f64>) -> Self {
        self.duration_buckets = Buckets::new(bounds);
        self
    }

    /// Registers every instrument in `registry`.
    ///
    /// Call it once per registry, as [`PromMetrics::register`].
    pub fn register(self, registry: &mut Registry) -> PromMetrics {
        let metrics = PromMetrics {
            calls: Family::default(),
            attempts: Family::default(),
            retries: Family::default(),
            give_ups: Family::default(),
            retry_delay: Family::new_with_constructor(self.delay_buckets),
            attempt_duration: Family::new_with_constructor(self.duration_buckets),
            hedge_launched: Family::default(),
            hedge_wins: Family::default(),
            hedge_budget_exhausted: Family::default(),
            breaker_state: Family::default(),
            breaker_transitions: Family::default(),
            breaker_rejections: Family::default(),
        };

        // Counters get `_total` and units their suffix when encoded.
        let m = metrics.clone();
        registry.register(
            "backon_calls",
            "Retried calls that ended, by outcome",
            m.calls,
        );
        registry.register("backon_attempts", "Attempts started", m.attempts);
        registry.register("backon_retries", "Retries scheduled", m.retries);
        registry.register(
            "backon_give_ups",
            "Calls that gave up, by stop reason",
            m.give_ups,
        );
        registry.register_with_unit(
            "backon_retry_delay",
            "Delay before each retry",
            Unit::Seconds,
            m.retry_delay,
        );
        registry.register_with_unit(
            "backon_attempt_duration",
            "Time each attempt ran, by outcome",
            Unit::Seconds,
            m.attempt_duration,
        );
        registry.register(
            "backon_hedge_launched",
            "Backup attempts hedged calls started",
            m.hedge_launched,
        );
        registry.register(
            "backon_hedge_wins",
            "Hedged calls won, by the winning attempt's index",
            m.hedge_wins,
        );
        registry.register(
            "backon_hedge_budget_exhausted",
            "Backup attempts not started because the budget was empty",
            m.hedge_budget_exhausted,
        );
        registry.register(
            "backon_breaker_state",
            "1 for the breaker's current state, 0 for the others",
            m.breaker_state,
        );
        registry.register(
            "backon_breaker_transitions",
            "Breaker state changes, by the states left and entered",
            m.breaker_transitions,
        );
        registry.register(
            "backon_breaker_rejections",
            "Calls the breaker refused without running them",
            m.breaker_rejections,
        );
        metrics
    }
}

/// Makes histograms with the same bucket bounds.
#[derive(Debug, Clone)]
pub(crate) struct Buckets(Arc<[f64]>);

impl Buckets {
    fn new(bounds: impl IntoIterator<Item = f64>) -> Self {
        let mut bounds: Vec<f64> = bounds.into_iter().filter(|b| b.is_finite()).collect();
        bounds.sort_by(f64::total_cmp);
        bounds.dedup();
        Buckets(bounds.into())
    }
}

impl MetricConstructor<Histogram> for Buckets {
    fn new_metric(&self) -> Histogram {
        Histogram::new(self.0.iter().copied())
    }
}
