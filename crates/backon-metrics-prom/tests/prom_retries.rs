//! Real retries on virtual time, read back from the encoded registry.

mod exposition;

use backon::prelude::*;
use backon::prometheus::PromMetrics;
use backon::testing::VirtualTime;
use backon_metrics_support::{
    exhaust_a_budget, fail_twice_async, flaky, give_up_each_way, hedge_a_few, retry_on_threads,
    two_operations, two_operations_end_apart,
};
use exposition::{Exposition, registry, scrape};
use prometheus_client::registry::Registry;
use std::time::Duration;

const OP: [(&str, &str); 1] = [("operation", "fetch")];

fn op(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut labels = OP.to_vec();
    labels.extend_from_slice(extra);
    labels
}

/// `(count, sum)` of a histogram series.
fn histogram(s: &Exposition, name: &str, labels: &[(&str, &str)]) -> (f64, f64) {
    (
        s.value(&format!("{name}_count"), labels),
        s.value(&format!("{name}_sum"), labels),
    )
}

#[test]
fn a_first_try_success() {
    let (registry, metrics) = registry();
    let policy = Policy::new(Duration::from_secs(1), after_attempts(3).unwrap())
        .listen(metrics.listener("fetch"));
    let time = VirtualTime::new();

    let result = flaky(&time, 0, Duration::from_millis(250))
        .retry(&policy)
        .runtime(time.clone())
        .call();
    assert_eq!(result, Ok(1));

    let s = scrape(&registry);
    assert_eq!(
        s.value("backon_calls_total", &op(&[("outcome", "success")])),
        1.0
    );
    assert_eq!(
        s.value("backon_calls_total", &op(&[("outcome", "gave_up")])),
        0.0
    );
    assert_eq!(s.value("backon_attempts_total", &OP), 1.0);
    assert_eq!(s.value("backon_retries_total", &OP), 0.0);
    for reason in [
        "attempts",
        "time_limit",
        "not_retryable",
        "budget_exhausted",
    ] {
        assert_eq!(
            s.value("backon_give_ups_total", &op(&[("reason", reason)])),
            0.0
        );
    }
    assert_eq!(histogram(&s, "backon_retry_delay_seconds", &OP), (0.0, 0.0));
    assert_eq!(
        histogram(
            &s,
            "backon_attempt_duration_seconds",
            &op(&[("outcome", "success")])
        ),
        (1.0, 0.25)
    );
    assert_eq!(
        histogram(
            &s,
            "backon_attempt_duration_seconds",
            &op(&[("outcome", "failure")])
        ),
        (0.0, 0.0)
    );
}

#[test]
fn two_failures_then_success() {
    let (registry, metrics) = registry();
    let policy = Policy::new(Duration::from_secs(1), after_attempts(5).unwrap())
        .listen(metrics.listener("fetch"));
    let time = VirtualTime::new();

    let result = flaky(&time, 2, Duration::from_millis(500))
        .retry(&policy)
        .runtime(time.clone())
        .call();
    assert_eq!(result, Ok(3));

    let s = scrape(&registry);
    assert_eq!(
        s.value("backon_calls_total", &op(&[("outcome", "success")])),
        1.0
    );
    assert_eq!(
        s.value("backon_calls_total", &op(&[("outcome", "gave_up")])),
        0.0
    );
    assert_eq!(s.value("backon_attempts_total", &OP), 3.0);
    assert_eq!(s.value("backon_retries_total", &OP), 2.0);
    assert_eq!(histogram(&s, "backon_retry_delay_seconds", &OP), (2.0, 2.0));
    assert_eq!(
        histogram(
            &s,
            "backon_attempt_duration_seconds",
            &op(&[("outcome", "failure")])
        ),
        (2.0, 1.0)
    );
    assert_eq!(
        histogram(
            &s,
            "backon_attempt_duration_seconds",
            &op(&[("outcome", "success")])
        ),
        (1.0, 0.5)
    );

    // Both 1 s delays land in the `le="1"` bucket and every one above it.
    let buckets = s.buckets("backon_retry_delay_seconds", &OP);
    let count = |le: &str| buckets.iter().find(|(b, _)| b == le).map(|(_, n)| *n);
    assert_eq!(count("0.5"), Some(0.0));
    assert_eq!(count("1.0"), Some(2.0));
    assert_eq!(count("120.0"), Some(2.0));
    assert_eq!(count("+Inf"), Some(2.0));
    assert_eq!(buckets.len(), 17, "16 bounds and +Inf");
}

#[test]
fn give_ups_by_each_reason() {
    let (registry, metrics) = registry();
    give_up_each_way(metrics.listener("fetch"));

    let s = scrape(&registry);
    let gave_up = |reason| s.value("backon_give_ups_total", &op(&[("reason", reason)]));
    assert_eq!(gave_up("attempts"), 1.0);
    assert_eq!(gave_up("time_limit"), 1.0);
    assert_eq!(gave_up("not_retryable"), 1.0);
    assert_eq!(
        s.value("backon_calls_total", &op(&[("outcome", "gave_up")])),
        3.0
    );
    assert_eq!(
        s.value("backon_calls_total", &op(&[("outcome", "success")])),
        0.0
    );
    assert_eq!(s.value("backon_attempts_total", &OP), 3.0 + 3.0 + 1.0);
    assert_eq!(s.value("backon_retries_total", &OP), 2.0 + 2.0);
    assert_eq!(histogram(&s, "backon_retry_delay_seconds", &OP), (4.0, 4.0));
    assert_eq!(
        histogram(
            &s,
            "backon_attempt_duration_seconds",
            &op(&[("outcome", "failure")])
        ),
        (7.0, 0.0)
    );

    // Every reason label is a StopReason name, nothing else.
    assert_eq!(
        s.label_values("backon_give_ups", "reason"),
        [
            "attempts",
            "breaker_open",
            "budget_exhausted",
            "not_retryable",
            "time_limit"
        ]
    );
}

#[test]
fn a_retry_budget_gives_up_with_its_reason() {
    let (registry, metrics) = registry();
    exhaust_a_budget(metrics.listener("fetch"));

    let s = scrape(&registry);
    assert_eq!(
        s.value(
            "backon_give_ups_total",
            &op(&[("reason", "budget_exhausted")])
        ),
        1.0
    );
    assert_eq!(s.value("backon_attempts_total", &OP), 2.0);
    assert_eq!(s.value("backon_retries_total", &OP), 1.0);
}

#[test]
fn hedges_launched_won_and_refused() {
    let (registry, metrics) = registry();
    hedge_a_few(metrics.listener("fetch"));

    let s = scrape(&registry);
    assert_eq!(s.value("backon_hedge_launched_total", &OP), 2.0);
    assert_eq!(
        s.value("backon_hedge_wins_total", &op(&[("index", "0")])),
        3.0
    );
    assert_eq!(
        s.value("backon_hedge_wins_total", &op(&[("index", "1")])),
        1.0
    );
    assert_eq!(s.label_values("backon_hedge_wins", "index"), ["0", "1"]);
    assert_eq!(s.value("backon_hedge_budget_exhausted_total", &OP), 1.0);

    // Hedged calls are not retried calls.
    assert_eq!(s.value("backon_attempts_total", &OP), 0.0);
    assert_eq!(
        s.value("backon_calls_total", &op(&[("outcome", "success")])),
        0.0
    );
}

#[test]
fn operations_keep_their_own_series() {
    let (registry, metrics) = registry();
    two_operations(metrics.listener("users"), metrics.listener("orders"));

    let s = scrape(&registry);
    let attempts = |name| s.value("backon_attempts_total", &[("operation", name)]);
    assert_eq!((attempts("users"), attempts("orders")), (2.0, 3.0));
    let retries = |name| s.value("backon_retries_total", &[("operation", name)]);
    assert_eq!((retries("users"), retries("orders")), (1.0, 0.0));
    assert_eq!(
        s.label_values("backon_attempts", "operation"),
        ["orders", "users"]
    );
}

#[test]
fn each_listener_records_into_its_own_operations_series() {
    // Each listener finds its series once, when it is made: two on one
    // registry must still write only under their own `operation`.
    let (registry, metrics) = registry();
    two_operations_end_apart(metrics.listener("users"), metrics.listener("orders"));

    let s = scrape(&registry);
    let with = |name, key, value| vec![("operation", name), (key, value)];
    let calls = |name, outcome| s.value("backon_calls_total", &with(name, "outcome", outcome));
    assert_eq!(
        (calls("users", "success"), calls("users", "gave_up")),
        (2.0, 0.0)
    );
    assert_eq!(
        (calls("orders", "success"), calls("orders", "gave_up")),
        (0.0, 1.0)
    );

    let durations = |name, outcome| {
        let labels = with(name, "outcome", outcome);
        histogram(&s, "backon_attempt_duration_seconds", &labels)
    };
    assert_eq!(durations("users", "success"), (2.0, 0.02));
    assert_eq!(durations("users", "failure"), (0.0, 0.0));
    assert_eq!(durations("orders", "success"), (0.0, 0.0));
    assert_eq!(durations("orders", "failure"), (2.0, 0.04));

    let give_ups = |name| s.value("backon_give_ups_total", &with(name, "reason", "attempts"));
    assert_eq!((give_ups("users"), give_ups("orders")), (0.0, 1.0));
    let delays = |name| histogram(&s, "backon_retry_delay_seconds", &[("operation", name)]);
    assert_eq!(
        (delays("users"), delays("orders")),
        ((0.0, 0.0), (1.0, 0.1))
    );
}

#[tokio::test(flavor = "current_thread")]
async fn async_retries_record_the_same() {
    let (registry, metrics) = registry();
    fail_twice_async(metrics.listener("fetch")).await;

    let s = scrape(&registry);
    assert_eq!(s.value("backon_attempts_total", &OP), 3.0);
    assert_eq!(s.value("backon_retries_total", &OP), 2.0);
    assert_eq!(histogram(&s, "backon_retry_delay_seconds", &OP), (2.0, 4.0));
    assert_eq!(s.value("backon_calls_total", &op_labels("success")), 1.0);
    let (count, sum) = histogram(&s, "backon_attempt_duration_seconds", &op_labels("failure"));
    assert_eq!(count, 2.0);
    assert!((sum - 0.2).abs() < 1e-12, "{sum}");
}

fn op_labels(outcome: &'static str) -> Vec<(&'static str, &'static str)> {
    op(&[("outcome", outcome)])
}

#[test]
fn threads_sharing_a_listener_lose_no_count() {
    let (registry, metrics) = registry();
    retry_on_threads(metrics.listener("fetch"));

    let s = scrape(&registry);
    assert_eq!(s.value("backon_calls_total", &op_labels("success")), 1000.0);
    assert_eq!(s.value("backon_attempts_total", &OP), 2000.0);
    assert_eq!(s.value("backon_retries_total", &OP), 1000.0);
    assert_eq!(histogram(&s, "backon_retry_delay_seconds", &OP).0, 1000.0);
}

#[test]
fn custom_buckets_are_the_le_bounds() {
    let mut registry = Registry::default();
    let metrics = PromMetrics::builder()
        .delay_buckets([10.0, 0.5, f64::INFINITY, 0.5, f64::NAN])
        .duration_buckets([0.1])
        .register(&mut registry);
    let policy = Policy::new(Duration::from_secs(1), after_attempts(2).unwrap())
        .listen(metrics.listener("fetch"));
    let time = VirtualTime::new();
    let _ = flaky(&time, 1, Duration::ZERO)
        .retry(&policy)
        .runtime(time.clone())
        .call();

    let s = scrape(&registry);
    assert_eq!(
        s.buckets("backon_retry_delay_seconds", &OP),
        [
            ("0.5".to_string(), 0.0),
            ("10.0".to_string(), 1.0),
            ("+Inf".to_string(), 1.0)
        ]
    );
    let durations = s.buckets("backon_attempt_duration_seconds", &op_labels("success"));
    let bounds: Vec<&str> = durations.iter().map(|(le, _)| le.as_str()).collect();
    assert_eq!(bounds, ["0.1", "+Inf"]);
}

#[test]
fn an_operation_name_is_escaped_not_split() {
    let (registry, metrics) = registry();
    let name = r#"say "hi" \ bye"#;
    let policy =
        Policy::new(Duration::ZERO, after_attempts(1).unwrap()).listen(metrics.listener(name));
    let time = VirtualTime::new();
    let _ = flaky(&time, 0, Duration::ZERO)
        .retry(&policy)
        .runtime(time.clone())
        .call();

    let s = scrape(&registry);
    assert_eq!(
        s.value("backon_attempts_total", &[("operation", name)]),
        1.0
    );
}
