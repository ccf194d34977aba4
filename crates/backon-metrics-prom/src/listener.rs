//! The listener of one operation.

use crate::metrics::{Labels, PromMetrics};
use backon_breaker::{BreakerEvent, BreakerListener, State};
use backon_core::{Event, Listener, StopReason};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use std::sync::{Arc, OnceLock};

/// The stop reasons whose series exist, at zero, from the start.
const KNOWN_REASONS: [StopReason; 5] = [
    StopReason::Attempts,
    StopReason::TimeLimit,
    StopReason::NotRetryable,
    StopReason::BudgetExhausted,
    StopReason::BreakerOpen,
];

/// Every breaker state, in the order of the state gauge's series.
const STATES: [State; 5] = [
    State::Closed,
    State::Open,
    State::HalfOpen,
    State::Isolated,
    State::Disabled,
];

/// Returns `state`'s place in [`STATES`].
const fn state_index(state: State) -> usize {
    match state {
        State::Closed => 0,
        State::Open => 1,
        State::HalfOpen => 2,
        State::Isolated => 3,
        State::Disabled => 4,
    }
}

/// Winning indexes whose series, once made, are kept at hand; a hedge
/// policy rarely allows more attempts.
const CACHED_WINNERS: usize = 8;

/// A [`Listener`] that records the calls of one operation into the
/// instruments of a [`PromMetrics`].
///
/// Made by [`PromMetrics::listener`]. It finds each of its series once:
/// those that exist from the start when it is made, a hedge winner's, a
/// breaker transition's and the state gauge's at their first occurrence.
/// From then on recording an event is an atomic add, or a short lock for a
/// histogram observation, and allocates nothing; only a give-up for a stop
/// reason newer than this crate, or a win by a hedge index above 7, finds
/// its series through the family's lock each time.
///
/// It asks the engine for the clock, to time each attempt: a call that
/// succeeds at once reads the clock twice, which usually costs more than
/// the recording itself. Cloning is cheap and the clones share the series.
///
/// # Examples
///
/// ```
/// use backon::prelude::*;
/// use backon::prometheus::PromMetrics;
/// use backon::testing::VirtualTime;
/// use prometheus_client::encoding::text::encode;
/// use prometheus_client::registry::Registry;
/// use std::time::Duration;
///
/// let mut registry = Registry::default();
/// let metrics = PromMetrics::register(&mut registry);
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
/// let mut text = String::new();
/// encode(&mut text, &registry)?;
/// assert!(text.lines().any(|l| l == r#"backon_retries_total{operation="fetch_user"} 1"#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct PromListener {
    operation: Arc<str>,
    calls_succeeded: Counter,
    calls_gave_up: Counter,
    attempts: Counter,
    retries: Counter,
    give_ups: Family<Labels, Counter>,
    known_give_ups: [Counter; KNOWN_REASONS.len()],
    retry_delay: Histogram,
    attempts_accepted: Histogram,
    attempts_failed: Histogram,
    hedge_launched: Counter,
    hedge_budget_exhausted: Counter,
    hedge_wins: Family<Labels, Counter>,
    // Made on a first win, so that a call that never hedges shows no
    // series per index.
    winners: Arc<[OnceLock<Counter>; CACHED_WINNERS]>,
    breaker_state: Family<Labels, Gauge>,
    // Made on a first transition, so that a listener never attached to a
    // breaker shows no state.
    states: Arc<OnceLock<[Gauge; STATES.len()]>>,
    breaker_transitions: Family<Labels, Counter>,
    // Made on a first occurrence, so that only transitions that happened
    // show; indexed by the states left and entered.
    transitions: Arc<[[OnceLock<Counter>; STATES.len()]; STATES.len()]>,
    breaker_rejections: Counter,
}

impl PromListener {
    pub(crate) fn new(metrics: &PromMetrics, operation: Arc<str>) -> Self {
        let op = || ("operation", operation.clone());
        let with = |key, value: &str| vec![op(), (key, Arc::from(value))];

        // Every series of this operation exists from the start, at zero,
        // so that a rate over it is defined before the first failure.
        PromListener {
            calls_succeeded: metrics
                .calls
                .get_or_create_owned(&with("outcome", "success")),
            calls_gave_up: metrics
                .calls
                .get_or_create_owned(&with("outcome", "gave_up")),
            attempts: metrics.attempts.get_or_create_owned(&vec![op()]),
            retries: metrics.retries.get_or_create_owned(&vec![op()]),
            known_give_ups: KNOWN_REASONS.map(|reason| {
                metrics
                    .give_ups
                    .get_or_create_owned(&with("reason", reason.as_str()))
            }),
            give_ups: metrics.give_ups.clone(),
            retry_delay: metrics.retry_delay.get_or_create_owned(&vec![op()]),
            attempts_accepted: metrics
                .attempt_duration
                .get_or_create_owned(&with("outcome", "success")),
            attempts_failed: metrics
                .attempt_duration
                .get_or_create_owned(&with("outcome", "failure")),
            hedge_launched: metrics.hedge_launched.get_or_create_owned(&vec![op()]),
            hedge_budget_exhausted: metrics
                .hedge_budget_exhausted
                .get_or_create_owned(&vec![op()]),
            hedge_wins: metrics.hedge_wins.clone(),
            winners: Arc::new(std::array::from_fn(|_| OnceLock::new())),
            breaker_state: metrics.breaker_state.clone(),
            states: Arc::new(OnceLock::new()),
            breaker_transitions: metrics.breaker_transitions.clone(),
            transitions: Arc::new(std::array::from_fn(|_| {
                std::array::from_fn(|_| OnceLock::new())
            })),
            breaker_rejections: metrics.breaker_rejections.get_or_create_owned(&vec![op()]),
            operation,
        }
    }

    /// Returns the operation name this listener labels its series with.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::prometheus::PromMetrics;
    /// use prometheus_client::registry::Registry;
    ///
    /// let metrics = PromMetrics::register(&mut Registry::default());
    /// assert_eq!(metrics.listener("fetch_user").operation(), "fetch_user");
    /// ```
    pub fn operation(&self) -> &str {
        &self.operation
    }

    fn gave_up(&self, reason: StopReason) {
        self.calls_gave_up.inc();

        // A reason added to the core after this crate was written still
        // gets its series, found through the family's lock.
        match KNOWN_REASONS.iter().position(|known| *known == reason) {
            Some(i) => self.known_give_ups[i].inc(),
            None => {
                let labels = vec![
                    ("operation", self.operation.clone()),
                    ("reason", Arc::from(reason.as_str())),
                ];
                self.give_ups.get_or_create(&labels).inc()
            }
        };
    }
}

impl PromListener {
    fn won(&self, index: u32) {
        let series = || {
            let labels = vec![
                ("operation", self.operation.clone()),
                ("index", Arc::from(index.to_string())),
            ];
            self.hedge_wins.get_or_create_owned(&labels)
        };

        match self.winners.get(index as usize) {
            Some(cached) => cached.get_or_init(series).inc(),
            None => series().inc(),
        };
    }
}

impl PromListener {
    fn transition(&self, from: State, to: State) {
        let made = &self.transitions[state_index(from)][state_index(to)];
        let counter = made.get_or_init(|| {
            let labels = vec![
                ("operation", self.operation.clone()),
                ("from", Arc::from(from.as_str())),
                ("to", Arc::from(to.as_str())),
            ];
            self.breaker_transitions.get_or_create_owned(&labels)
        });
        counter.inc();

        let states = self.states.get_or_init(|| {
            STATES.map(|state| {
                let labels = vec![
                    ("operation", self.operation.clone()),
                    ("state", Arc::from(state.as_str())),
                ];
                self.breaker_state.get_or_create_owned(&labels)
            })
        });
        for (state, gauge) in STATES.iter().zip(states) {
            gauge.set(i64::from(*state == to));
        }
    }
}

/// Records a breaker's transitions into `backon_breaker_state` and
/// `backon_breaker_transitions_total`, and its rejections into
/// `backon_breaker_rejections_total`, labelled with this listener's
/// operation. Attach it with the breaker builder's `listen`.
///
/// The state gauge shows up with the first transition; the rejections
/// counter exists, at zero, from the start.
///
/// # Examples
///
/// ```
/// use backon::breaker::Breaker;
/// use backon::prometheus::PromMetrics;
/// use prometheus_client::encoding::text::encode;
/// use prometheus_client::registry::Registry;
///
/// let mut registry = Registry::default();
/// let metrics = PromMetrics::register(&mut registry);
/// let breaker = Breaker::builder()
///     .consecutive_failures(1)
///     .listen(metrics.listener("fetch_user"))
///     .build()?;
/// let _ = breaker.call(|| Err::<(), _>(std::io::Error::other("down")));
///
/// let mut text = String::new();
/// encode(&mut text, &registry)?;
/// assert!(text.lines().any(|l| l == r#"backon_breaker_state{operation="fetch_user",state="open"} 1"#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl BreakerListener for PromListener {
    fn on_event(&self, event: &BreakerEvent) {
        match *event {
            BreakerEvent::Transition { from, to, .. } => self.transition(from, to),
            BreakerEvent::Rejected { .. } => {
                self.breaker_rejections.inc();
            }
            _ => {}
        }
    }
}

impl<E> Listener<E> for PromListener {
    #[inline]
    fn on_event(&self, event: &Event<'_, E>) {
        // The events of every attempt are matched here, small enough to
        // inline where the engine emits them; the rarer ones are matched
        // out of line, so that they do not keep this from inlining.
        match *event {
            Event::AttemptStarted { .. } => {
                self.attempts.inc();
            }
            Event::AttemptEnded {
                duration, accepted, ..
            } => {
                let histogram = if accepted {
                    &self.attempts_accepted
                } else {
                    &self.attempts_failed
                };
                histogram.observe(duration.as_secs_f64());
            }
            Event::Succeeded { .. } => {
                self.calls_succeeded.inc();
            }
            _ => self.on_rare_event(event),
        }
    }

    fn uses_clock(&self) -> bool {
        true
    }
}

impl PromListener {
    /// Records the events that not every call has: retries, give-ups and
    /// hedges.
    #[inline(never)]
    fn on_rare_event<E>(&self, event: &Event<'_, E>) {
        match *event {
            Event::RetryScheduled { delay, .. } => {
                self.retries.inc();
                self.retry_delay.observe(delay.as_secs_f64());
            }
            Event::GaveUp { reason, .. } => self.gave_up(reason),
            Event::HedgeLaunched { index, .. } if index > 0 => {
                self.hedge_launched.inc();
            }
            Event::HedgeWon { index } => self.won(index),
            Event::HedgeSkipped {
                reason: StopReason::BudgetExhausted,
                ..
            } => {
                self.hedge_budget_exhausted.inc();
            }
            // Breaker metrics come from the breaker's own events (the
            // `BreakerListener` impl above), so that a breaker used without a
            // retry is counted too and a refused attempt is not counted twice.
            _ => {}
        }
    }
}
