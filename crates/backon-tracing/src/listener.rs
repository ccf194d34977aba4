//! The listener and the span of a call.

use backon_core::{Event, Listener};
use core::fmt;
use core::time::Duration;
use std::sync::Arc;
use tracing::field::Empty;
use tracing::{Level, Span, debug, debug_span, event, trace};

/// The target of every span and event: `RUST_LOG=backon=debug` shows them.
pub const TARGET: &str = "backon";

/// The name of the span that [`TracingListener::span`] makes.
pub const SPAN_NAME: &str = "retry";

/// A [`Listener`] that turns a retry's events into `tracing` events, and
/// records the attempt count on the call's span.
///
/// Every event has the target [`TARGET`] and the field `operation`. Routine
/// flow is quiet: attempt starts and first-try successes are `trace`;
/// failures, retries, give-ups and successes after a retry are `debug`.
/// Nothing is logged above `debug`: whether a give-up is an error is the
/// application's call.
///
/// | event | level | message | fields |
/// |---|---|---|---|
/// | attempt started | trace | `attempt started` | `attempt` |
/// | attempt ended (with [`timed`](Self::timed)) | trace | `attempt ended` | `attempt`, `duration_ms`, `accepted` |
/// | attempt failed | debug | `attempt failed` | `attempt`, `error` (`Debug` of the error, absent for a rejected `Ok`), `elapsed_ms` (when the clock is in use) |
/// | retry scheduled | debug | `retrying` | `attempt`, `delay_ms` |
/// | gave up | debug | `gave up` | `attempts`, `reason` |
/// | succeeded | trace on the first attempt, debug after retries | `succeeded` | `attempts` |
///
/// A listener sees events, not the call's future, so it cannot open a span
/// around the call by itself. [`span`](Self::span) makes that span; run the
/// call inside it (`.instrument(span)` for async, `span.in_scope(..)` for
/// blocking), and the events nest under it and the listener records the
/// call's `attempts` and `outcome` on it when the call ends.
///
/// # Examples
///
/// ```
/// use backon::prelude::*;
/// use backon::tracing::TracingListener;
/// use std::time::Duration;
/// use tracing::Instrument;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # async fn fetch_user() -> Result<String, std::io::Error> { Ok("ada".into()) }
/// let logs = TracingListener::new("fetch_user");
/// let policy = Policy::new(Duration::from_millis(10), after_attempts(3)?).listen(logs.clone());
///
/// let user = fetch_user.retry(&policy).instrument(logs.span()).await?;
/// # assert_eq!(user, "ada");
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct TracingListener {
    operation: Arc<str>,
    timed: bool,
}

impl TracingListener {
    /// Creates a listener whose events carry `operation = name`.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::tracing::TracingListener;
    ///
    /// let logs = TracingListener::new("fetch_user");
    /// assert_eq!(logs.operation(), "fetch_user");
    /// ```
    pub fn new(name: &str) -> Self {
        TracingListener {
            operation: Arc::from(name),
            timed: false,
        }
    }

    /// Asks the engine for the clock, so that each attempt's duration is
    /// logged (`attempt ended`) and failures carry `elapsed_ms`.
    ///
    /// Off by default: `tracing` timestamps its events itself, and the
    /// clock costs two readings per call.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::Listener;
    /// use backon::tracing::TracingListener;
    ///
    /// let logs = TracingListener::new("fetch_user").timed();
    /// assert!(Listener::<std::io::Error>::uses_clock(&logs));
    /// ```
    pub fn timed(mut self) -> Self {
        self.timed = true;
        self
    }

    /// Returns the operation name the events carry.
    pub fn operation(&self) -> &str {
        &self.operation
    }

    /// Returns a new span for one call: `debug` level, target [`TARGET`],
    /// name [`SPAN_NAME`], with `operation` set and `attempts` and
    /// `outcome` left for the listener to record when the call ends.
    ///
    /// Make one per call, and run the call inside it.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon::prelude::*;
    /// use backon::tracing::TracingListener;
    /// use std::time::Duration;
    ///
    /// let logs = TracingListener::new("read_config");
    /// let policy = Policy::new(Duration::from_millis(1), after_attempts(3)?).listen(logs.clone());
    ///
    /// let text = logs.span().in_scope(|| {
    ///     (|| std::fs::read_to_string("Cargo.toml")).retry(&policy).call()
    /// })?;
    /// # assert!(!text.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn span(&self) -> Span {
        debug_span!(
            target: TARGET,
            SPAN_NAME,
            operation = &*self.operation,
            attempts = Empty,
            outcome = Empty,
        )
    }

    /// Records how the call ended on its span, if the current span is one
    /// that [`span`](Self::span) made.
    fn record_end(&self, attempts: u32, outcome: &str) {
        // The span is `debug`: with `debug` off nowhere it cannot exist,
        // and a global check spares the lookup of the current span.
        if !tracing::level_enabled!(Level::DEBUG) {
            return;
        }

        let span = Span::current();
        let ours = span
            .metadata()
            .is_some_and(|meta| meta.target() == TARGET && meta.name() == SPAN_NAME);

        if ours {
            span.record("attempts", attempts);
            span.record("outcome", outcome);
        }
    }
}

impl<E: fmt::Debug> Listener<E> for TracingListener {
    #[inline]
    fn on_event(&self, event: &Event<'_, E>) {
        if debug_enabled() {
            self.emit(event);
        }
    }

    fn uses_clock(&self) -> bool {
        self.timed
    }
}

impl TracingListener {
    /// Emits the `tracing` event of `event`, if it has one.
    #[inline(never)]
    fn emit<E: fmt::Debug>(&self, event: &Event<'_, E>) {
        let operation = &*self.operation;
        match *event {
            Event::AttemptStarted { attempt } => {
                trace!(target: TARGET, operation, attempt, "attempt started");
            }
            Event::AttemptEnded {
                attempt,
                duration,
                accepted,
            } => {
                let duration_ms = millis(duration);
                trace!(target: TARGET, operation, attempt, duration_ms, accepted, "attempt ended");
            }
            Event::AttemptFailed {
                attempt,
                error,
                elapsed,
            } => {
                let elapsed_ms = elapsed.map(millis);
                debug!(target: TARGET, operation, attempt, error = error.map(tracing::field::debug), elapsed_ms, "attempt failed");
            }
            Event::RetryScheduled { attempt, delay } => {
                let delay_ms = millis(delay);
                debug!(target: TARGET, operation, attempt, delay_ms, "retrying");
            }
            Event::GaveUp { attempts, reason } => {
                self.record_end(attempts, "gave_up");
                let reason = reason.as_str();
                debug!(target: TARGET, operation, attempts, reason, "gave up");
            }
            Event::Succeeded { attempts } => {
                self.record_end(attempts, "success");

                // A first-try success is the routine case, and the quietest.
                if attempts > 1 {
                    event!(target: TARGET, Level::DEBUG, operation, attempts, "succeeded");
                } else {
                    event!(target: TARGET, Level::TRACE, operation, attempts, "succeeded");
                }
            }
            _ => {}
        }
    }
}

/// Returns whether any event of the listener may be seen: by a subscriber,
/// or by a `log` logger through `tracing`'s `log` feature.
///
/// Every event is `debug` or `trace`, so with `debug` off in both none is.
/// It is two relaxed loads: inlined into the engine, with the events' code
/// kept out of line, it lets an idle listener cost next to nothing.
#[inline]
fn debug_enabled() -> bool {
    tracing::level_enabled!(Level::DEBUG) || log::max_level() >= log::LevelFilter::Debug
}

/// Whole milliseconds, saturating: a field value that every subscriber
/// can show.
fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
