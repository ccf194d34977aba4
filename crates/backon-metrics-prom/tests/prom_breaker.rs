//! A real breaker on virtual time, its events read back from the encoded
//! registry.

mod exposition;

use backon_metrics_support::{trip_a_breaker, two_breakers};
use exposition::{registry, scrape};
use std::collections::BTreeMap;

const STATES: [&str; 5] = ["closed", "open", "half_open", "isolated", "disabled"];

/// Every sample of a family, by its labels but `operation`, which must be
/// `fetch`.
fn samples(s: &exposition::Exposition, family: &str) -> BTreeMap<Vec<(String, String)>, f64> {
    s.family(family)
        .samples
        .iter()
        .map(|sample| {
            assert_eq!(sample.labels["operation"], "fetch", "{sample:?}");
            let labels = sample
                .labels
                .iter()
                .filter(|(k, _)| *k != "operation")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            (labels, sample.value)
        })
        .collect()
}

fn pairs(labels: &[(&str, &str)]) -> Vec<(String, String)> {
    labels
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn a_tripped_breaker_is_recorded_exactly() {
    let (registry, metrics) = registry();
    trip_a_breaker(metrics.listener("fetch"));
    let s = scrape(&registry);

    let state: BTreeMap<_, _> = STATES
        .iter()
        .map(|state| {
            let value = if *state == "closed" { 1.0 } else { 0.0 };
            (pairs(&[("state", state)]), value)
        })
        .collect();
    assert_eq!(samples(&s, "backon_breaker_state"), state);

    let transitions: BTreeMap<_, _> = [
        ("closed", "open", 1.0),
        ("open", "half_open", 2.0),
        ("half_open", "open", 1.0),
        ("half_open", "closed", 1.0),
    ]
    .into_iter()
    .map(|(from, to, n)| (pairs(&[("from", from), ("to", to)]), n))
    .collect();
    assert_eq!(samples(&s, "backon_breaker_transitions"), transitions);

    assert_eq!(
        s.value("backon_breaker_rejections_total", &[("operation", "fetch")]),
        3.0
    );
}

#[test]
fn the_state_gauge_follows_the_last_transition() {
    use backon::breaker::Breaker;
    use backon::testing::VirtualTime;

    let (registry, metrics) = registry();
    let breaker = Breaker::builder()
        .clock(VirtualTime::new())
        .consecutive_failures(1)
        .listen(metrics.listener("fetch"))
        .build()
        .unwrap();
    let _ = breaker.call(|| Err::<(), _>(std::io::Error::other("connection refused: 10.0.0.7")));
    let s = scrape(&registry);

    for state in STATES {
        let want = if state == "open" { 1.0 } else { 0.0 };
        assert_eq!(
            s.value(
                "backon_breaker_state",
                &[("operation", "fetch"), ("state", state)]
            ),
            want,
            "{state}"
        );
    }
    assert_eq!(
        s.value(
            "backon_breaker_transitions_total",
            &[("operation", "fetch"), ("from", "closed"), ("to", "open")]
        ),
        1.0
    );
    assert_eq!(
        s.value("backon_breaker_rejections_total", &[("operation", "fetch")]),
        0.0
    );

    // Labels come from the states, never from the error.
    for family in ["backon_breaker_state", "backon_breaker_transitions"] {
        for sample in &s.family(family).samples {
            assert!(
                sample.labels.values().all(|v| !v.contains("refused")),
                "{sample:?}"
            );
        }
    }
}

#[test]
fn a_listener_never_attached_to_a_breaker_shows_no_state() {
    let (registry, metrics) = registry();
    let _listener = metrics.listener("fetch");
    let s = scrape(&registry);

    assert!(s.families.iter().all(|f| f.name != "backon_breaker_state"));
    assert_eq!(
        s.value("backon_breaker_rejections_total", &[("operation", "fetch")]),
        0.0
    );
}

#[test]
fn a_refused_retry_is_one_rejection_and_one_give_up() {
    use backon::breaker::{Breaker, BreakerOpen};
    use backon::prelude::*;
    use backon::testing::VirtualTime;
    use std::time::Duration;

    #[derive(Debug)]
    struct Open;
    impl From<BreakerOpen> for Open {
        fn from(_: BreakerOpen) -> Self {
            Open
        }
    }

    let (registry, metrics) = registry();
    let time = VirtualTime::new();
    let breaker = Breaker::builder()
        .clock(time.clone())
        .listen(metrics.listener("fetch"))
        .build()
        .unwrap();
    breaker.isolate();
    let policy = Policy::new(Duration::from_secs(1), after_attempts(3).unwrap())
        .with_guard(&breaker)
        .listen(metrics.listener("fetch"));

    let result = (|| Ok::<_, Open>(())).retry(&policy).runtime(time).call();
    assert!(matches!(result, Err(Open)));
    let s = scrape(&registry);

    let fetch = [("operation", "fetch")];
    assert_eq!(s.value("backon_breaker_rejections_total", &fetch), 1.0);
    assert_eq!(s.value("backon_attempts_total", &fetch), 0.0);
    assert_eq!(
        s.value(
            "backon_give_ups_total",
            &[("operation", "fetch"), ("reason", "breaker_open")]
        ),
        1.0
    );
    assert_eq!(
        samples(&s, "backon_breaker_transitions"),
        BTreeMap::from([(pairs(&[("from", "closed"), ("to", "isolated")]), 1.0)])
    );
    assert_eq!(
        s.value(
            "backon_breaker_state",
            &[("operation", "fetch"), ("state", "isolated")]
        ),
        1.0
    );
}

#[test]
fn two_breakers_keep_their_own_transitions_and_state() {
    // The series of a transition are kept once made: a second listener on
    // the same registry must still find its own.
    let (registry, metrics) = registry();
    two_breakers(metrics.listener("users"), metrics.listener("orders"));
    let s = scrape(&registry);

    let transition = |name, from, to| {
        let labels = [("operation", name), ("from", from), ("to", to)];
        s.value("backon_breaker_transitions_total", &labels)
    };
    assert_eq!(transition("users", "closed", "open"), 1.0);
    assert_eq!(transition("users", "open", "half_open"), 2.0);
    assert_eq!(transition("orders", "closed", "open"), 1.0);
    let orders_transitions = s
        .family("backon_breaker_transitions")
        .samples
        .iter()
        .filter(|sample| sample.labels["operation"] == "orders")
        .count();
    assert_eq!(orders_transitions, 1);

    let state = |name, state| {
        let labels = [("operation", name), ("state", state)];
        s.value("backon_breaker_state", &labels)
    };
    assert_eq!(
        (state("users", "closed"), state("users", "open")),
        (1.0, 0.0)
    );
    assert_eq!(
        (state("orders", "closed"), state("orders", "open")),
        (0.0, 1.0)
    );
}
