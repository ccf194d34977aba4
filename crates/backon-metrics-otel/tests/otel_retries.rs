//! Real retries on virtual time, read back from the SDK's in-memory
//! exporter.

mod export;

use backon::prelude::*;
use backon::testing::VirtualTime;
use backon_metrics_support::{
    exhaust_a_budget, fail_twice_async, flaky, give_up_each_way, hedge_a_few, retry_on_threads,
    two_operations, two_operations_end_apart,
};
use export::{Harness, Value};
use std::time::Duration;

const OP: [(&str, &str); 1] = [("operation", "fetch")];

fn op(key: &'static str, value: &'static str) -> [(&'static str, &'static str); 2] {
    [("operation", "fetch"), (key, value)]
}

#[test]
fn a_first_try_success() {
    let otel = Harness::new();
    let policy = Policy::new(Duration::from_secs(1), after_attempts(3).unwrap())
        .listen(otel.metrics.listener("fetch"));
    let time = VirtualTime::new();

    let result = flaky(&time, 0, Duration::from_millis(250))
        .retry(&policy)
        .runtime(time.clone())
        .call();
    assert_eq!(result, Ok(1));

    let e = otel.collect();
    assert_eq!(e.count("backon.calls", &op("outcome", "success")), 1);
    assert_eq!(e.point("backon.calls", &op("outcome", "gave_up")), None);
    assert_eq!(e.count("backon.attempts", &OP), 1);
    assert_eq!(e.point("backon.retries", &OP), None);
    assert_eq!(e.point("backon.retry.delay", &OP), None);
    assert_eq!(
        e.histogram("backon.attempt.duration", &op("outcome", "success")),
        (1, 0.25)
    );
    assert_eq!(
        e.point("backon.attempt.duration", &op("outcome", "failure")),
        None
    );
}

#[test]
fn two_failures_then_success() {
    let otel = Harness::new();
    let policy = Policy::new(Duration::from_secs(1), after_attempts(5).unwrap())
        .listen(otel.metrics.listener("fetch"));
    let time = VirtualTime::new();

    let result = flaky(&time, 2, Duration::from_millis(500))
        .retry(&policy)
        .runtime(time.clone())
        .call();
    assert_eq!(result, Ok(3));

    let e = otel.collect();
    assert_eq!(e.count("backon.calls", &op("outcome", "success")), 1);
    assert_eq!(e.count("backon.attempts", &OP), 3);
    assert_eq!(e.count("backon.retries", &OP), 2);
    assert_eq!(e.histogram("backon.retry.delay", &OP), (2, 2.0));
    assert_eq!(
        e.histogram("backon.attempt.duration", &op("outcome", "failure")),
        (2, 1.0)
    );
    assert_eq!(
        e.histogram("backon.attempt.duration", &op("outcome", "success")),
        (1, 0.5)
    );

    // Both 1 s delays fall in the bucket `(0.5, 1.0]`.
    let Some(Value::Histogram {
        bounds, buckets, ..
    }) = e.point("backon.retry.delay", &OP)
    else {
        panic!("backon.retry.delay is a histogram");
    };
    assert_eq!(bounds.as_slice(), backon::otel::BOUNDARIES);
    let one = bounds.iter().position(|b| *b == 1.0).unwrap();
    assert_eq!(buckets[one], 2);
    assert_eq!(buckets.iter().sum::<u64>(), 2);
}

#[test]
fn give_ups_by_each_reason() {
    let otel = Harness::new();
    give_up_each_way(otel.metrics.listener("fetch"));

    let e = otel.collect();
    for reason in ["attempts", "time_limit", "not_retryable"] {
        assert_eq!(
            e.count("backon.give_ups", &op("reason", reason)),
            1,
            "{reason}"
        );
    }
    assert_eq!(
        e.attribute_values("backon.give_ups", "reason"),
        ["attempts", "not_retryable", "time_limit"]
    );
    assert_eq!(e.count("backon.calls", &op("outcome", "gave_up")), 3);
    assert_eq!(e.point("backon.calls", &op("outcome", "success")), None);
    assert_eq!(e.count("backon.attempts", &OP), 7);
    assert_eq!(e.count("backon.retries", &OP), 4);
    assert_eq!(e.histogram("backon.retry.delay", &OP), (4, 4.0));
    assert_eq!(
        e.histogram("backon.attempt.duration", &op("outcome", "failure")),
        (7, 0.0)
    );
}

#[test]
fn a_retry_budget_gives_up_with_its_reason() {
    let otel = Harness::new();
    exhaust_a_budget(otel.metrics.listener("fetch"));

    let e = otel.collect();
    assert_eq!(
        e.count("backon.give_ups", &op("reason", "budget_exhausted")),
        1
    );
    assert_eq!(e.count("backon.attempts", &OP), 2);
    assert_eq!(e.count("backon.retries", &OP), 1);
}

#[test]
fn hedges_launched_won_and_refused() {
    let otel = Harness::new();
    hedge_a_few(otel.metrics.listener("fetch"));

    let e = otel.collect();
    assert_eq!(e.count("backon.hedge.launched", &OP), 2);
    assert_eq!(e.count("backon.hedge.wins", &op("index", "0")), 3);
    assert_eq!(e.count("backon.hedge.wins", &op("index", "1")), 1);
    assert_eq!(e.attribute_values("backon.hedge.wins", "index"), ["0", "1"]);
    assert_eq!(e.count("backon.hedge.budget_exhausted", &OP), 1);

    // Hedged calls are not retried calls.
    assert_eq!(e.point("backon.attempts", &OP), None);
    assert_eq!(e.point("backon.calls", &op("outcome", "success")), None);
}

#[test]
fn operations_keep_their_own_points() {
    let otel = Harness::new();
    two_operations(
        otel.metrics.listener("users"),
        otel.metrics.listener("orders"),
    );

    let e = otel.collect();
    let attempts = |name| e.count("backon.attempts", &[("operation", name)]);
    assert_eq!((attempts("users"), attempts("orders")), (2, 3));
    assert_eq!(e.count("backon.retries", &[("operation", "users")]), 1);
    assert_eq!(e.point("backon.retries", &[("operation", "orders")]), None);
    assert_eq!(
        e.attribute_values("backon.attempts", "operation"),
        ["orders", "users"]
    );
}

#[test]
fn each_listener_records_under_its_own_operation() {
    // Each listener builds its attribute sets once, when it is made: two
    // on one meter must still record only under their own `operation`.
    let otel = Harness::new();
    two_operations_end_apart(
        otel.metrics.listener("users"),
        otel.metrics.listener("orders"),
    );

    let e = otel.collect();
    let with = |name, key, value| [("operation", name), (key, value)];
    let calls = |name, outcome| e.count("backon.calls", &with(name, "outcome", outcome));
    assert_eq!(
        (calls("users", "success"), calls("users", "gave_up")),
        (2, 0)
    );
    assert_eq!(
        (calls("orders", "success"), calls("orders", "gave_up")),
        (0, 1)
    );

    let durations =
        |name, outcome| e.histogram("backon.attempt.duration", &with(name, "outcome", outcome));
    assert_eq!(durations("users", "success"), (2, 0.02));
    assert_eq!(durations("users", "failure"), (0, 0.0));
    assert_eq!(durations("orders", "success"), (0, 0.0));
    assert_eq!(durations("orders", "failure"), (2, 0.04));

    let give_ups = |name| e.count("backon.give_ups", &with(name, "reason", "attempts"));
    assert_eq!((give_ups("users"), give_ups("orders")), (0, 1));
    let delays = |name| e.histogram("backon.retry.delay", &[("operation", name)]);
    assert_eq!((delays("users"), delays("orders")), ((0, 0.0), (1, 0.1)));
}

#[tokio::test(flavor = "current_thread")]
async fn async_retries_record_the_same() {
    let otel = Harness::new();
    fail_twice_async(otel.metrics.listener("fetch")).await;

    let e = otel.collect();
    assert_eq!(e.count("backon.attempts", &OP), 3);
    assert_eq!(e.count("backon.retries", &OP), 2);
    assert_eq!(e.histogram("backon.retry.delay", &OP), (2, 4.0));
    assert_eq!(e.count("backon.calls", &op("outcome", "success")), 1);
    let (count, sum) = e.histogram("backon.attempt.duration", &op("outcome", "failure"));
    assert_eq!(count, 2);
    assert!((sum - 0.2).abs() < 1e-12, "{sum}");
}

#[test]
fn threads_sharing_a_listener_lose_no_count() {
    let otel = Harness::new();
    retry_on_threads(otel.metrics.listener("fetch"));

    let e = otel.collect();
    assert_eq!(e.count("backon.calls", &op("outcome", "success")), 1000);
    assert_eq!(e.count("backon.attempts", &OP), 2000);
    assert_eq!(e.count("backon.retries", &OP), 1000);
    assert_eq!(e.histogram("backon.retry.delay", &OP).0, 1000);
}
