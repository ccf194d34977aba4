//! With `tracing`'s `log` feature and no subscriber, the events reach a
//! `log` logger: the listener's cheap check must not skip them.
//!
//! A logger is global to the process, so this file holds one test.

use backon::prelude::*;
use backon::testing::VirtualTime;
use backon::tracing::TracingListener;
use log::{Level, LevelFilter, Log, Metadata, Record};
use std::sync::Mutex;
use std::time::Duration;

/// `(level, target, text)` of each record.
static RECORDS: Mutex<Vec<(Level, String, String)>> = Mutex::new(Vec::new());

struct Capture;

impl Log for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &Record<'_>) {
        let line = (
            record.level(),
            record.target().to_string(),
            record.args().to_string(),
        );
        RECORDS.lock().unwrap().push(line);
    }

    fn flush(&self) {}
}

fn retry_once(logs: &TracingListener) {
    let policy =
        Policy::new(Duration::from_millis(100), after_attempts(3).unwrap()).listen(logs.clone());

    let mut calls = 0;
    let result = (|| {
        calls += 1;
        if calls < 2 { Err("busy") } else { Ok(calls) }
    })
    .retry(&policy)
    .runtime(VirtualTime::new())
    .call();
    assert_eq!(result, Ok(2));
}

fn messages() -> Vec<(Level, String, String)> {
    std::mem::take(&mut *RECORDS.lock().unwrap())
}

#[test]
fn events_reach_a_log_logger_when_no_subscriber_is_set() {
    log::set_logger(&Capture).expect("no other logger in this test binary");
    let logs = TracingListener::new("fetch_user");

    // `info` hides every event of the listener.
    log::set_max_level(LevelFilter::Info);
    retry_once(&logs);
    assert_eq!(messages(), []);

    // `debug` shows the failure, the retry and the success after it.
    log::set_max_level(LevelFilter::Debug);
    retry_once(&logs);
    let records = messages();
    let expected = [
        (Level::Debug, "attempt failed"),
        (Level::Debug, "retrying"),
        (Level::Debug, "succeeded"),
    ];
    assert_eq!(records.len(), expected.len(), "{records:?}");
    for ((level, target, text), (want_level, message)) in records.iter().zip(expected) {
        assert_eq!((*level, target.as_str()), (want_level, "backon"));
        assert!(text.starts_with(message), "{text:?} is not {message:?}");
        assert!(text.contains(r#"operation="fetch_user""#), "{text:?}");
    }
    assert!(records[0].2.contains(r#"error="busy""#), "{records:?}");

    // `trace` adds each attempt's start.
    log::set_max_level(LevelFilter::Trace);
    retry_once(&logs);
    let levels: Vec<_> = messages().into_iter().map(|(level, ..)| level).collect();
    assert_eq!(levels.iter().filter(|l| **l == Level::Trace).count(), 2);
}
