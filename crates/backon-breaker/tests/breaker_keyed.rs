//! Keyed breakers: one per key, bounded, evicting by the documented rule.

use backon_breaker::{Breaker, BreakerEvent, State};
use std::sync::{Arc, Mutex};

fn fail(breaker: &Breaker) {
    let _ = breaker.call(|| Err::<(), _>(std::io::Error::other("down")));
}

#[test]
fn each_key_has_its_own_breaker() {
    let hosts = Breaker::builder()
        .consecutive_failures(1)
        .keyed::<&str>()
        .build()
        .unwrap();

    fail(&hosts.get(&"a"));
    assert_eq!(hosts.get(&"a").state(), State::Open);
    assert_eq!(hosts.get(&"b").state(), State::Closed);
    assert_eq!(hosts.len(), 2);
}

#[test]
fn a_full_set_evicts_the_least_recently_used_closed_key() {
    let hosts = Breaker::builder()
        .consecutive_failures(1)
        .keyed::<&str>()
        .max_keys(2)
        .build()
        .unwrap();

    // "a" is the oldest but open; "b" is closed.
    fail(&hosts.get(&"a"));
    hosts.get(&"b");
    hosts.get(&"c");

    assert_eq!(hosts.len(), 2);
    assert_eq!(hosts.get(&"a").state(), State::Open, "an open key is kept");
    assert!(hosts.remove(&"c").is_some());
    assert!(hosts.remove(&"b").is_none(), "b was evicted");
}

#[test]
fn with_every_breaker_open_the_least_recently_used_goes() {
    let hosts = Breaker::builder()
        .consecutive_failures(1)
        .keyed::<&str>()
        .max_keys(2)
        .build()
        .unwrap();

    fail(&hosts.get(&"a"));
    fail(&hosts.get(&"b"));
    // Touching "a" makes "b" the least recently used.
    hosts.get(&"a");
    hosts.get(&"c");

    assert_eq!(hosts.len(), 2);
    assert!(hosts.remove(&"b").is_none());
    assert_eq!(hosts.get(&"a").state(), State::Open);
}

#[test]
fn an_evicted_key_starts_closed_and_old_handles_keep_working() {
    let hosts = Breaker::builder()
        .consecutive_failures(1)
        .keyed::<u32>()
        .max_keys(1)
        .build()
        .unwrap();

    let old = hosts.get(&1);
    fail(&old);
    hosts.get(&2);

    assert_eq!(old.state(), State::Open);
    assert_eq!(hosts.get(&1).state(), State::Closed);
}

#[test]
fn the_keyed_listener_hears_the_key() {
    let heard = Arc::new(Mutex::new(Vec::new()));
    let sink = heard.clone();
    let hosts = Breaker::builder()
        .consecutive_failures(1)
        .keyed::<String>()
        .listen(move |key: &String, event: &BreakerEvent| {
            if let BreakerEvent::Transition { to, .. } = event {
                sink.lock().unwrap().push((key.clone(), *to));
            }
        })
        .build()
        .unwrap();

    fail(&hosts.get(&"db-1".to_string()));

    assert_eq!(*heard.lock().unwrap(), [("db-1".to_string(), State::Open)]);
}

#[test]
fn clones_share_the_set() {
    let hosts = Breaker::builder().keyed::<u8>().build().unwrap();
    let other = hosts.clone();

    hosts.get(&1);

    assert_eq!(other.len(), 1);
    assert!(!other.is_empty());
}
