//! Wrapped callables: arguments by reference, sharing across tasks and
//! threads, and one independent retry per call.

use backon::prelude::*;
use backon::testing::VirtualTime;
use backon::{BlockingWrapped, StopReason, Wrapped};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn is_shareable<T: Clone + Send + Sync + 'static>(_: &T) {}

/// An argument that cannot be cloned: attempts must borrow it.
#[derive(Debug)]
struct Request {
    key: &'static str,
}

#[test]
fn arguments_are_borrowed_by_every_attempt() {
    let time = VirtualTime::new();
    let policy = Policy::new(Duration::from_secs(1), after_attempts(3).unwrap());
    let seen = Mutex::new(Vec::new());

    let wrapped = backon::wrap_blocking(
        |(request, n): &(Request, u32)| {
            seen.lock().unwrap().push(request.key);
            if seen.lock().unwrap().len() < 2 {
                Err("busy")
            } else {
                Ok(n * 2)
            }
        },
        &policy,
    )
    .runtime(time.clone());

    let report = wrapped.call_with_report((Request { key: "a" }, 21));

    assert_eq!(report.result, Ok(42));
    assert_eq!(report.attempts, 2);
    assert_eq!(*seen.lock().unwrap(), ["a", "a"]);
    assert_eq!(time.sleeps(), [Duration::from_secs(1)]);
}

#[test]
fn each_call_is_retried_on_its_own() {
    let policy = Policy::new(Duration::ZERO, after_attempts(2).unwrap());
    let calls = AtomicU32::new(0);
    let wrapped = backon::wrap_blocking(
        |_: &()| {
            calls.fetch_add(1, Ordering::SeqCst);
            Err::<(), _>("down")
        },
        &policy,
    );

    let first = wrapped.call_with_report(());
    let second = wrapped.call_with_report(());

    assert_eq!(first.gave_up, Some(StopReason::Attempts));
    assert_eq!((first.attempts, second.attempts), (2, 2));
    assert_eq!(calls.load(Ordering::SeqCst), 4);
}

#[test]
fn a_blocking_wrapper_serves_many_threads() {
    let policy = Policy::new(Duration::from_millis(1), after_attempts(3).unwrap());
    let tries: Arc<Mutex<HashMap<u32, u32>>> = Arc::default();
    let counter = tries.clone();
    let wrapped: BlockingWrapped<_, _, _> = backon::wrap_blocking(
        move |id: &u32| {
            let mut tries = counter.lock().unwrap();
            let n = tries.entry(*id).or_default();
            *n += 1;
            if *n < 2 { Err("busy") } else { Ok(*id) }
        },
        policy,
    );
    is_shareable(&wrapped);

    std::thread::scope(|scope| {
        for id in 0..8 {
            let wrapped = wrapped.clone();
            scope.spawn(move || assert_eq!(wrapped.call(id), Ok(id)));
        }
    });

    assert!(tries.lock().unwrap().values().all(|n| *n == 2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_async_wrapper_serves_many_tasks() {
    let policy = Arc::new(Policy::new(
        Duration::from_secs(5),
        after_attempts(3).unwrap(),
    ));
    let tries: Arc<Mutex<HashMap<u32, u32>>> = Arc::default();
    let counter = tries.clone();
    let wrapped: Wrapped<_, _, _> = policy
        .wrap(async move |id: &u32| {
            let n = {
                let mut tries = counter.lock().unwrap();
                let n = tries.entry(*id).or_default();
                *n += 1;
                *n
            };
            tokio::task::yield_now().await;
            if n < 3 { Err("busy") } else { Ok(*id) }
        })
        .runtime(VirtualTime::new());
    is_shareable(&wrapped);

    let tasks: Vec<_> = (0..16)
        .map(|id| {
            let wrapped = wrapped.clone();
            tokio::spawn(async move { wrapped.call(id).await })
        })
        .collect();
    for (id, task) in (0..).zip(tasks) {
        assert_eq!(task.await.unwrap(), Ok(id));
    }

    assert_eq!(tries.lock().unwrap().len(), 16);
    assert!(tries.lock().unwrap().values().all(|n| *n == 3));
}

#[tokio::test(start_paused = true)]
async fn takes_async_fns_and_closures_that_return_futures() {
    async fn lookup(key: &&str) -> Result<usize, &'static str> {
        Ok(key.len())
    }

    let policy = Policy::new(Duration::from_secs(1), after_attempts(2).unwrap());
    let by_fn = backon::wrap(lookup, &policy);
    let by_closure = backon::wrap(
        |key: &&str| {
            let len = key.len();
            async move { Ok::<_, &str>(len * 10) }
        },
        &policy,
    );

    assert_eq!(by_fn.call("four").await, Ok(4));
    assert_eq!(by_closure.call("four").await, Ok(40));
}
