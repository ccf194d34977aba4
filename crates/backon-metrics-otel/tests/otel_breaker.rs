//! A real breaker on virtual time, its events read back from the SDK's
//! in-memory exporter.

mod export;

use backon_metrics_support::{trip_a_breaker, two_breakers};
use export::{Harness, Value};
use std::collections::BTreeMap;

const STATES: [&str; 5] = ["closed", "open", "half_open", "isolated", "disabled"];

/// Every point of an instrument, by its attributes but `operation`, which
/// must be `fetch`.
fn points(e: &export::Export, name: &str) -> BTreeMap<Vec<(String, String)>, Value> {
    e.instrument(name)
        .points
        .iter()
        .map(|point| {
            assert_eq!(point.attributes["operation"], "fetch", "{point:?}");
            let attributes = point
                .attributes
                .iter()
                .filter(|(k, _)| *k != "operation")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            (attributes, point.value.clone())
        })
        .collect()
}

fn pairs(attributes: &[(&str, &str)]) -> Vec<(String, String)> {
    attributes
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn a_tripped_breaker_is_recorded_exactly() {
    let otel = Harness::new();
    trip_a_breaker(otel.metrics.listener("fetch"));
    let e = otel.collect();

    let state: BTreeMap<_, _> = STATES
        .iter()
        .map(|state| {
            let value = u64::from(*state == "closed");
            (pairs(&[("state", state)]), Value::Gauge(value))
        })
        .collect();
    assert_eq!(points(&e, "backon.breaker.state"), state);

    let transitions: BTreeMap<_, _> = [
        ("closed", "open", 1),
        ("open", "half_open", 2),
        ("half_open", "open", 1),
        ("half_open", "closed", 1),
    ]
    .into_iter()
    .map(|(from, to, n)| (pairs(&[("from", from), ("to", to)]), Value::Count(n)))
    .collect();
    assert_eq!(points(&e, "backon.breaker.transitions"), transitions);

    assert_eq!(
        points(&e, "backon.breaker.rejections"),
        BTreeMap::from([(Vec::new(), Value::Count(3))])
    );
}

#[test]
fn the_state_gauge_follows_the_last_transition() {
    use backon::breaker::Breaker;
    use backon::testing::VirtualTime;

    let otel = Harness::new();
    let breaker = Breaker::builder()
        .clock(VirtualTime::new())
        .consecutive_failures(1)
        .listen(otel.metrics.listener("fetch"))
        .build()
        .unwrap();
    let _ = breaker.call(|| Err::<(), _>(std::io::Error::other("connection refused: 10.0.0.7")));
    let e = otel.collect();

    for state in STATES {
        let want = u64::from(state == "open");
        assert_eq!(
            e.point(
                "backon.breaker.state",
                &[("operation", "fetch"), ("state", state)]
            ),
            Some(&Value::Gauge(want)),
            "{state}"
        );
    }
    assert_eq!(
        points(&e, "backon.breaker.transitions"),
        BTreeMap::from([(
            pairs(&[("from", "closed"), ("to", "open")]),
            Value::Count(1)
        )])
    );
    // Nothing was rejected, so the SDK exports no rejections.
    assert!(
        e.instruments
            .iter()
            .all(|i| i.name != "backon.breaker.rejections")
    );
}

#[test]
fn two_breakers_keep_their_own_transitions_and_state() {
    let otel = Harness::new();
    two_breakers(
        otel.metrics.listener("users"),
        otel.metrics.listener("orders"),
    );
    let e = otel.collect();

    let transition = |name, from, to| {
        let attributes = [("operation", name), ("from", from), ("to", to)];
        e.count("backon.breaker.transitions", &attributes)
    };
    assert_eq!(transition("users", "closed", "open"), 1);
    assert_eq!(transition("users", "open", "half_open"), 2);
    assert_eq!(transition("orders", "closed", "open"), 1);
    let orders_transitions = e
        .instrument("backon.breaker.transitions")
        .points
        .iter()
        .filter(|point| point.attributes["operation"] == "orders")
        .count();
    assert_eq!(orders_transitions, 1);

    let state = |name, state| {
        let attributes = [("operation", name), ("state", state)];
        e.point("backon.breaker.state", &attributes).cloned()
    };
    assert_eq!(state("users", "closed"), Some(Value::Gauge(1)));
    assert_eq!(state("users", "open"), Some(Value::Gauge(0)));
    assert_eq!(state("orders", "closed"), Some(Value::Gauge(0)));
    assert_eq!(state("orders", "open"), Some(Value::Gauge(1)));
}
