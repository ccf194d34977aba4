//! What a subscriber sees of real retries on virtual time: levels,
//! constant messages, structured fields and the call's span.

use backon::condition::when_ok;
use backon::prelude::*;
use backon::testing::VirtualTime;
use backon::tracing::TracingListener;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Instrument, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::{LookupSpan, Registry};

type Fields = BTreeMap<String, String>;

/// `(level, message, fields)` of one event.
type Line = (Level, String, Vec<(String, String)>);

/// One event as the subscriber saw it.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    level: Level,
    target: String,
    message: String,
    fields: Fields,
    /// The name of the span the event is in, if any.
    span: Option<String>,
}

/// A span when it closed.
#[derive(Debug, Clone, PartialEq)]
struct Closed {
    name: String,
    target: String,
    level: Level,
    fields: Fields,
}

#[derive(Clone, Default)]
struct Capture {
    events: Arc<Mutex<Vec<Seen>>>,
    closed: Arc<Mutex<Vec<Closed>>>,
}

/// The fields of a span so far, kept in its extensions.
struct SpanFields(Fields);

struct Collect<'a>(&'a mut Fields);

impl Visit for Collect<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0
            .insert(field.name().to_string(), format!("{value:?}"));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_string(), value.to_string());
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Capture {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = Fields::new();
        attrs.record(&mut Collect(&mut fields));
        ctx.span(id)
            .unwrap()
            .extensions_mut()
            .insert(SpanFields(fields));
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        let span = ctx.span(id).unwrap();
        let mut ext = span.extensions_mut();
        values.record(&mut Collect(&mut ext.get_mut::<SpanFields>().unwrap().0));
    }

    fn on_event(&self, event: &tracing::Event<'_>, ctx: Context<'_, S>) {
        let mut fields = Fields::new();
        event.record(&mut Collect(&mut fields));
        let message = fields.remove("message").unwrap_or_default();
        let meta = event.metadata();
        self.events.lock().unwrap().push(Seen {
            level: *meta.level(),
            target: meta.target().to_string(),
            message,
            fields,
            span: ctx.event_span(event).map(|s| s.name().to_string()),
        });
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        let span = ctx.span(&id).unwrap();
        let fields = span.extensions().get::<SpanFields>().unwrap().0.clone();
        self.closed.lock().unwrap().push(Closed {
            name: span.name().to_string(),
            target: span.metadata().target().to_string(),
            level: *span.metadata().level(),
            fields,
        });
    }
}

impl Capture {
    fn subscriber(&self) -> impl Subscriber + Send + Sync {
        Registry::default().with(self.clone())
    }

    fn events(&self) -> Vec<Seen> {
        self.events.lock().unwrap().clone()
    }

    /// `(level, message, fields)` of each event, in order.
    fn summary(&self) -> Vec<Line> {
        self.events()
            .into_iter()
            .map(|e| (e.level, e.message, e.fields.into_iter().collect()))
            .collect()
    }

    fn closed(&self) -> Vec<Closed> {
        self.closed.lock().unwrap().clone()
    }
}

fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    v.sort();
    v
}

/// An operation that fails `failures` times, then succeeds.
fn flaky(failures: u32) -> impl FnMut() -> Result<u32, &'static str> {
    let mut calls = 0;
    move || {
        calls += 1;
        if calls <= failures {
            Err("down")
        } else {
            Ok(calls)
        }
    }
}

#[test]
fn a_retried_success_in_its_span() {
    let capture = Capture::default();
    let logs = TracingListener::new("fetch");
    let policy =
        Policy::new(Duration::from_millis(250), after_attempts(5).unwrap()).listen(logs.clone());

    let result = tracing::subscriber::with_default(capture.subscriber(), || {
        logs.span()
            .in_scope(|| flaky(2).retry(&policy).runtime(VirtualTime::new()).call())
    });
    assert_eq!(result, Ok(3));

    let op = ("operation", "fetch");
    assert_eq!(
        capture.summary(),
        [
            (
                Level::TRACE,
                "attempt started".into(),
                fields(&[op, ("attempt", "1")])
            ),
            (
                Level::DEBUG,
                "attempt failed".into(),
                fields(&[op, ("attempt", "1"), ("error", "\"down\"")])
            ),
            (
                Level::DEBUG,
                "retrying".into(),
                fields(&[op, ("attempt", "1"), ("delay_ms", "250")])
            ),
            (
                Level::TRACE,
                "attempt started".into(),
                fields(&[op, ("attempt", "2")])
            ),
            (
                Level::DEBUG,
                "attempt failed".into(),
                fields(&[op, ("attempt", "2"), ("error", "\"down\"")])
            ),
            (
                Level::DEBUG,
                "retrying".into(),
                fields(&[op, ("attempt", "2"), ("delay_ms", "250")])
            ),
            (
                Level::TRACE,
                "attempt started".into(),
                fields(&[op, ("attempt", "3")])
            ),
            (
                Level::DEBUG,
                "succeeded".into(),
                fields(&[op, ("attempts", "3")])
            ),
        ]
    );
    for event in capture.events() {
        assert_eq!(event.target, "backon");
        assert_eq!(event.span.as_deref(), Some("retry"));
    }

    let closed = capture.closed();
    assert_eq!(closed.len(), 1);
    assert_eq!(
        (closed[0].name.as_str(), closed[0].target.as_str()),
        ("retry", "backon")
    );
    assert_eq!(closed[0].level, Level::DEBUG);
    assert_eq!(
        closed[0].fields.clone().into_iter().collect::<Vec<_>>(),
        fields(&[op, ("attempts", "3"), ("outcome", "success")])
    );
}

#[test]
fn a_give_up_is_debug_not_warn() {
    let capture = Capture::default();
    let logs = TracingListener::new("fetch");
    let policy = Policy::new(Duration::ZERO, after_attempts(2).unwrap()).listen(logs.clone());

    let result = tracing::subscriber::with_default(capture.subscriber(), || {
        logs.span()
            .in_scope(|| flaky(9).retry(&policy).runtime(VirtualTime::new()).call())
    });
    assert_eq!(result, Err("down"));

    let last = capture.events().pop().unwrap();
    assert_eq!(
        (last.level, last.message.as_str()),
        (Level::DEBUG, "gave up")
    );
    assert_eq!(
        last.fields.into_iter().collect::<Vec<_>>(),
        fields(&[
            ("operation", "fetch"),
            ("attempts", "2"),
            ("reason", "attempts")
        ])
    );
    assert!(
        capture
            .events()
            .iter()
            .all(|e| e.level == Level::DEBUG || e.level == Level::TRACE)
    );

    let closed = capture.closed();
    assert_eq!(closed[0].fields["attempts"], "2");
    assert_eq!(closed[0].fields["outcome"], "gave_up");
}

#[test]
fn a_first_try_success_is_trace_only() {
    let capture = Capture::default();
    let logs = TracingListener::new("fetch");
    let policy = Policy::new(Duration::ZERO, after_attempts(2).unwrap()).listen(logs.clone());

    tracing::subscriber::with_default(capture.subscriber(), || {
        logs.span()
            .in_scope(|| flaky(0).retry(&policy).runtime(VirtualTime::new()).call())
    })
    .unwrap();

    let levels: Vec<(Level, String)> = capture
        .events()
        .into_iter()
        .map(|e| (e.level, e.message))
        .collect();
    assert_eq!(
        levels,
        [
            (Level::TRACE, "attempt started".into()),
            (Level::TRACE, "succeeded".into())
        ]
    );
    assert_eq!(capture.closed()[0].fields["attempts"], "1");
}

#[test]
fn a_rejected_ok_has_no_error_field() {
    let capture = Capture::default();
    let logs = TracingListener::new("poll");
    let policy = Policy::new(Duration::ZERO, after_attempts(2).unwrap())
        .retry_when(when_ok(|n: &u32| *n == 0))
        .listen(logs);

    tracing::subscriber::with_default(capture.subscriber(), || {
        let _ = (|| Ok::<u32, &str>(0))
            .retry(&policy)
            .runtime(VirtualTime::new())
            .call();
    });

    let failed: Vec<Seen> = capture
        .events()
        .into_iter()
        .filter(|e| e.message == "attempt failed")
        .collect();
    assert_eq!(failed.len(), 2);
    assert!(failed.iter().all(|e| !e.fields.contains_key("error")));
}

#[test]
fn timed_adds_durations_and_elapsed_time() {
    let capture = Capture::default();
    let logs = TracingListener::new("fetch").timed();
    let policy = Policy::new(Duration::from_secs(1), after_attempts(2).unwrap()).listen(logs);
    let time = VirtualTime::new();

    let clock = time.clone();
    let mut calls = 0;
    let op = move || {
        calls += 1;
        clock.advance(Duration::from_millis(40));
        if calls < 2 { Err("down") } else { Ok(calls) }
    };
    tracing::subscriber::with_default(capture.subscriber(), || {
        op.retry(&policy).runtime(time.clone()).call()
    })
    .unwrap();

    let ended: Vec<Fields> = capture
        .events()
        .into_iter()
        .filter(|e| e.message == "attempt ended")
        .map(|e| e.fields)
        .collect();
    assert_eq!(ended.len(), 2);
    assert_eq!(ended[0]["duration_ms"], "40");
    assert_eq!(ended[0]["accepted"], "false");
    assert_eq!(ended[1]["accepted"], "true");

    let failed = capture
        .events()
        .into_iter()
        .find(|e| e.message == "attempt failed")
        .unwrap();
    assert_eq!(failed.fields["elapsed_ms"], "40");
    // Without a span of ours, the events stand alone.
    assert!(capture.events().iter().all(|e| e.span.is_none()));
}

#[test]
fn other_spans_are_left_alone() {
    let capture = Capture::default();
    let logs = TracingListener::new("fetch");
    let policy = Policy::new(Duration::ZERO, after_attempts(2).unwrap()).listen(logs);

    tracing::subscriber::with_default(capture.subscriber(), || {
        let span = tracing::debug_span!("handler", attempts = tracing::field::Empty);
        span.in_scope(|| flaky(1).retry(&policy).runtime(VirtualTime::new()).call())
    })
    .unwrap();

    let closed = capture.closed();
    assert_eq!(closed.len(), 1);
    assert_eq!(closed[0].name, "handler");
    assert!(!closed[0].fields.contains_key("attempts"));
}

#[tokio::test(flavor = "current_thread")]
async fn an_instrumented_async_retry() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.subscriber());
    let logs = TracingListener::new("fetch");
    let policy =
        Policy::new(Duration::from_millis(5), after_attempts(3).unwrap()).listen(logs.clone());

    let mut calls = 0;
    let op = || {
        calls += 1;
        let n = calls;
        async move { if n < 2 { Err("down") } else { Ok(n) } }
    };
    let result = op
        .retry(&policy)
        .runtime(VirtualTime::new())
        .instrument(logs.span())
        .await;
    assert_eq!(result, Ok(2));

    assert!(
        capture
            .events()
            .iter()
            .all(|e| e.span.as_deref() == Some("retry"))
    );
    let closed = capture.closed();
    assert_eq!(closed.len(), 1);
    assert_eq!(closed[0].fields["attempts"], "2");
    assert_eq!(closed[0].fields["outcome"], "success");
}

#[test]
fn messages_are_few_and_constant() {
    let capture = Capture::default();
    let logs = TracingListener::new("fetch").timed();
    let quick = Policy::new(Duration::ZERO, after_attempts(3).unwrap()).listen(logs.clone());
    let limited = Policy::new(
        Duration::from_secs(1),
        time_limit(Duration::from_secs(1)).unwrap(),
    )
    .listen(logs);

    tracing::subscriber::with_default(capture.subscriber(), || {
        let time = VirtualTime::new();
        let _ = flaky(1).retry(&quick).runtime(time.clone()).call();
        let _ = flaky(9).retry(&quick).runtime(time.clone()).call();
        let _ = flaky(9).retry(&limited).runtime(time).call();
    });

    let mut messages: Vec<String> = capture.events().into_iter().map(|e| e.message).collect();
    messages.sort();
    messages.dedup();
    assert_eq!(
        messages,
        [
            "attempt ended",
            "attempt failed",
            "attempt started",
            "gave up",
            "retrying",
            "succeeded"
        ]
    );
    let reasons: Vec<String> = capture
        .events()
        .into_iter()
        .filter_map(|e| e.fields.get("reason").cloned())
        .collect();
    assert_eq!(reasons, ["attempts", "time_limit"]);
}
