//! Async retry: tokio's paused clock, virtual time, Send, cancellation.

use backon::prelude::*;
use backon::testing::VirtualTime;
use backon::{Policy, StopReason};
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

fn assert_send<T: Send>(_: &T) {}

#[tokio::test(start_paused = true)]
async fn sleeps_on_the_paused_tokio_clock() {
    let policy = Policy::new(Duration::from_secs(30), after_attempts(3).unwrap());
    let start = tokio::time::Instant::now();
    let calls = AtomicU32::new(0);

    let result = (|| async {
        calls.fetch_add(1, Ordering::SeqCst);
        Err::<(), _>("down")
    })
    .retry(&policy)
    .await;

    assert_eq!(result, Err("down"));
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    assert_eq!(start.elapsed(), Duration::from_secs(60));
}

#[tokio::test(start_paused = true)]
async fn the_time_limit_follows_the_paused_clock() {
    let policy = Policy::new(
        Duration::from_secs(4),
        time_limit(Duration::from_secs(10)).unwrap(),
    );

    let report = (|| async {
        tokio::time::sleep(Duration::from_secs(1)).await;
        Err::<(), _>("slow")
    })
    .retry(&policy)
    .with_report()
    .await;

    // 0-1 attempt, 1-5 sleep, 5-6 attempt, 6-10 sleep, 10-11 attempt.
    assert_eq!(report.attempts, 3);
    assert_eq!(report.gave_up, Some(StopReason::TimeLimit));
}

#[tokio::test]
async fn runs_on_virtual_time_in_any_executor() {
    let time = VirtualTime::new();
    let policy = Policy::new(Duration::from_secs(3600), after_attempts(4).unwrap());

    let result = (|| async { Err::<(), _>("down") })
        .retry(&policy)
        .runtime(time.clone())
        .await;

    assert_eq!(result, Err("down"));
    assert_eq!(time.sleeps(), [Duration::from_secs(3600); 3]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_policy_serves_many_tasks() {
    let policy = Arc::new(Policy::new(
        Duration::from_millis(1),
        after_attempts(3).unwrap(),
    ));
    let calls = Arc::new(AtomicU32::new(0));

    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let policy = policy.clone();
            let calls = calls.clone();
            tokio::spawn(async move {
                let mut mine = 0;
                let result = (|| {
                    mine += 1;
                    calls.fetch_add(1, Ordering::SeqCst);
                    let n = mine;
                    async move { if n < 2 { Err("down") } else { Ok(n) } }
                })
                .retry(policy)
                .runtime(VirtualTime::new())
                .await;
                assert_eq!(result, Ok(2));
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }

    // Each call kept its own attempt count: two attempts each.
    assert_eq!(calls.load(Ordering::SeqCst), 32);
}

#[test]
fn the_future_is_send_when_the_operation_is() {
    let policy = Policy::new(Duration::from_millis(1), after_attempts(3).unwrap());
    let future = (|| async { Ok::<_, std::io::Error>(1) }).retry(&policy);
    assert_send(&future);

    fn policy_is_shareable<T: Clone + Send + Sync + 'static>(_: &T) {}
    policy_is_shareable(&policy);
}

#[tokio::test(start_paused = true)]
async fn dropping_the_future_mid_sleep_stops_everything() {
    let policy = Policy::new(Duration::from_secs(60), after_attempts(10).unwrap());
    let calls = Arc::new(AtomicU32::new(0));
    let counter = calls.clone();

    let retry = (move || {
        counter.fetch_add(1, Ordering::SeqCst);
        async { Err::<(), _>("down") }
    })
    .retry(policy);
    let timed_out = tokio::time::timeout(Duration::from_secs(90), retry).await;

    assert!(timed_out.is_err());
    assert_eq!(calls.load(Ordering::SeqCst), 2);

    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert_eq!(calls.load(Ordering::SeqCst), 2, "no attempt after the drop");
}

#[tokio::test(start_paused = true)]
async fn dropping_the_future_mid_attempt_drops_the_attempt() {
    struct Flag(Arc<AtomicU32>);
    impl Drop for Flag {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    let dropped = Arc::new(AtomicU32::new(0));
    let policy = Policy::new(Duration::from_secs(1), after_attempts(3).unwrap());
    let flag = dropped.clone();
    let retry = (move || {
        let guard = Flag(flag.clone());
        async move {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            drop(guard);
            Ok::<(), ()>(())
        }
    })
    .retry(policy);

    let timed_out = tokio::time::timeout(Duration::from_secs(5), retry).await;

    assert!(timed_out.is_err());
    assert_eq!(dropped.load(Ordering::SeqCst), 1);
}

#[test]
fn polls_without_a_runtime_on_virtual_time() {
    let time = VirtualTime::new();
    let policy = Policy::new(Duration::from_secs(5), after_attempts(3).unwrap());
    let mut calls = 0;
    let mut future = std::pin::pin!(
        (|| {
            calls += 1;
            let n = calls;
            async move { if n < 3 { Err("down") } else { Ok(n) } }
        })
        .retry(&policy)
        .runtime(time.clone())
    );

    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    let polled = future.as_mut().poll(&mut cx);

    assert_eq!(polled, std::task::Poll::Ready(Ok(3)));
    assert_eq!(time.now(), Duration::from_secs(10));
}
