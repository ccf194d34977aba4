//! The listener of one operation.

use crate::metrics::OtelMetrics;
use backon_breaker::{BreakerEvent, BreakerListener, State};
use backon_core::{Event, Listener, StopReason};
use opentelemetry::KeyValue;
use std::sync::Arc;

/// A [`Listener`] that records the calls of one operation through the
/// instruments of an [`OtelMetrics`].
///
/// Made by [`OtelMetrics::listener`]. The attribute sets of every
/// attempt's events are built once, when it is made; the rarer events (a
/// give-up, a hedge win, a breaker transition) put theirs together on the
/// stack, from the operation's, without allocating. Each event is then a
/// measurement through the API, whose cost is the SDK's.
///
/// It asks the engine for the clock, to time each attempt: a call that
/// succeeds at once reads the clock twice. Cloning is cheap.
///
/// # Examples
///
/// ```
/// use backon::otel::OtelMetrics;
/// use backon::prelude::*;
/// use backon::testing::VirtualTime;
/// use opentelemetry::metrics::MeterProvider;
/// use opentelemetry_sdk::metrics::{InMemoryMetricExporter, PeriodicReader, SdkMeterProvider};
/// use std::time::Duration;
///
/// let exporter = InMemoryMetricExporter::default();
/// let provider = SdkMeterProvider::builder()
///     .with_reader(PeriodicReader::builder(exporter.clone()).build())
///     .build();
/// let metrics = OtelMetrics::new(&provider.meter("my-service"));
/// let policy = Policy::new(Duration::from_secs(1), after_attempts(3)?)
///     .listen(metrics.listener("fetch_user"));
///
/// let mut calls = 0;
/// let result = (|| {
///     calls += 1;
///     if calls < 2 { Err("busy") } else { Ok(calls) }
/// })
/// .retry(&policy)
/// .runtime(VirtualTime::new())
/// .call();
/// assert_eq!(result, Ok(2));
///
/// provider.force_flush()?;
/// let exported = exporter.get_finished_metrics()?;
/// let names: Vec<_> = exported[0]
///     .scope_metrics()
///     .flat_map(|scope| scope.metrics())
///     .map(|metric| metric.name().to_string())
///     .collect();
/// assert!(names.contains(&"backon.retries".to_string()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct OtelListener {
    metrics: OtelMetrics,
    name: Arc<str>,
    operation: [KeyValue; 1],
    succeeded: [KeyValue; 2],
    gave_up: [KeyValue; 2],
    failed: [KeyValue; 2],
}

impl OtelListener {
    pub(crate) fn new(metrics: OtelMetrics, name: &str) -> Self {
        let name = Arc::<str>::from(name);
        let operation = KeyValue::new("operation", name.clone());
        let with =
            |key: &'static str, value: &'static str| [operation.clone(), KeyValue::new(key, value)];

        OtelListener {
            metrics,
            name,
            succeeded: with("outcome", "success"),
            gave_up: with("outcome", "gave_up"),
            failed: with("outcome", "failure"),
            operation: [operation],
        }
    }

    /// Returns the operation name this listener records under.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::otel::OtelMetrics;
    /// use opentelemetry::global;
    ///
    /// let metrics = OtelMetrics::new(&global::meter("my-service"));
    /// assert_eq!(metrics.listener("fetch_user").operation(), "fetch_user");
    /// ```
    pub fn operation(&self) -> &str {
        &self.name
    }

    fn gave_up(&self, reason: StopReason) {
        self.metrics.calls.add(1, &self.gave_up);

        let attributes = [
            self.operation[0].clone(),
            KeyValue::new("reason", reason.as_str()),
        ];
        self.metrics.give_ups.add(1, &attributes);
    }
}

/// Every breaker state, in the order the state gauge records them.
const STATES: [State; 5] = [
    State::Closed,
    State::Open,
    State::HalfOpen,
    State::Isolated,
    State::Disabled,
];

impl OtelListener {
    fn transition(&self, from: State, to: State) {
        let m = &self.metrics;
        let attributes = [
            self.operation[0].clone(),
            KeyValue::new("from", from.as_str()),
            KeyValue::new("to", to.as_str()),
        ];
        m.breaker_transitions.add(1, &attributes);

        for state in STATES {
            let attributes = [
                self.operation[0].clone(),
                KeyValue::new("state", state.as_str()),
            ];
            m.breaker_state.record(u64::from(state == to), &attributes);
        }
    }
}

/// Records a breaker's transitions into `backon.breaker.state` and
/// `backon.breaker.transitions`, and its rejections into
/// `backon.breaker.rejections`, with this listener's `operation`. Attach it
/// with the breaker builder's `listen`.
///
/// # Examples
///
/// ```
/// use backon::breaker::Breaker;
/// use backon::otel::OtelMetrics;
/// use opentelemetry::global;
///
/// let metrics = OtelMetrics::new(&global::meter("my-service"));
/// let breaker = Breaker::builder()
///     .consecutive_failures(5)
///     .listen(metrics.listener("fetch_user"))
///     .build()?;
/// # let _ = breaker;
/// # Ok::<(), backon::breaker::BuildError>(())
/// ```
impl BreakerListener for OtelListener {
    fn on_event(&self, event: &BreakerEvent) {
        match *event {
            BreakerEvent::Transition { from, to, .. } => self.transition(from, to),
            BreakerEvent::Rejected { .. } => {
                self.metrics.breaker_rejections.add(1, &self.operation);
            }
            _ => {}
        }
    }
}

impl<E> Listener<E> for OtelListener {
    #[inline]
    fn on_event(&self, event: &Event<'_, E>) {
        // The events of every attempt are matched here, small enough to
        // inline where the engine emits them; the rarer ones are matched
        // out of line, so that they do not keep this from inlining.
        let m = &self.metrics;
        match *event {
            Event::AttemptStarted { .. } => m.attempts.add(1, &self.operation),
            Event::AttemptEnded {
                duration, accepted, ..
            } => {
                let outcome = if accepted {
                    &self.succeeded
                } else {
                    &self.failed
                };
                m.attempt_duration.record(duration.as_secs_f64(), outcome);
            }
            Event::Succeeded { .. } => m.calls.add(1, &self.succeeded),
            _ => self.on_rare_event(event),
        }
    }

    fn uses_clock(&self) -> bool {
        true
    }
}

impl OtelListener {
    /// Records the events that not every call has: retries, give-ups and
    /// hedges.
    #[inline(never)]
    fn on_rare_event<E>(&self, event: &Event<'_, E>) {
        let m = &self.metrics;
        match *event {
            Event::RetryScheduled { delay, .. } => {
                m.retries.add(1, &self.operation);
                m.retry_delay.record(delay.as_secs_f64(), &self.operation);
            }
            Event::GaveUp { reason, .. } => self.gave_up(reason),
            Event::HedgeLaunched { index, .. } if index > 0 => {
                m.hedge_launched.add(1, &self.operation);
            }
            Event::HedgeWon { index } => {
                let attributes = [
                    self.operation[0].clone(),
                    KeyValue::new("index", i64::from(index)),
                ];
                m.hedge_wins.add(1, &attributes);
            }
            Event::HedgeSkipped {
                reason: StopReason::BudgetExhausted,
                ..
            } => m.hedge_budget_exhausted.add(1, &self.operation),
            // Breaker metrics come from the breaker's own events (the
            // `BreakerListener` impl above), so that a breaker used without a
            // retry is counted too and a refused attempt is not counted twice.
            _ => {}
        }
    }
}
