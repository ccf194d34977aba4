//! A hedged group runs its attempts inside its own future, so it needs no
//! spawning and no particular executor: tokio (current-thread and
//! multi-thread), `futures`' single-threaded executors, and a bare poll
//! loop all drive it.

use backon_hedge::{HedgePolicy, Hedged};
use backon_testing::VirtualTime;
use backon_tokio::TokioRuntime;
use futures::executor::{LocalPool, block_on};
use futures::task::LocalSpawnExt;
use std::cell::Cell;
use std::future::{Future, pending};
use std::pin::pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

/// The primary never answers; the hedge answers at once with its index.
async fn stuck_primary(index: u32) -> Result<u32, ()> {
    if index == 0 {
        pending::<()>().await;
    }
    Ok(index)
}

#[test]
fn runs_on_block_on_with_virtual_time() {
    let time = VirtualTime::new();
    let policy = HedgePolicy::new(Duration::from_millis(20));

    let result = block_on(Hedged::new(stuck_primary, &policy, time.clone()));

    assert_eq!(result, Ok(1));
    assert_eq!(time.sleeps(), [Duration::from_millis(20)]);
}

#[test]
fn runs_on_a_local_pool_without_send() {
    let mut pool = LocalPool::new();
    let wins = Rc::new(Cell::new(0));
    let policy = Rc::new(HedgePolicy::new(Duration::from_millis(5)));

    for _ in 0..3 {
        let (wins, policy) = (wins.clone(), policy.clone());
        pool.spawner()
            .spawn_local(async move {
                let result = Hedged::new(stuck_primary, &*policy, VirtualTime::new()).await;
                wins.set(wins.get() + u32::from(result == Ok(1)));
            })
            .unwrap();
    }
    pool.run();

    assert_eq!(wins.get(), 3);
}

#[test]
fn runs_on_a_bare_poll_loop() {
    let policy = HedgePolicy::new(Duration::ZERO).extra(2);
    let mut polls = 0;

    // Each attempt is ready after as many polls as its index is far from 2.
    let op = |index: u32| {
        let mut left = 2 - index;
        std::future::poll_fn(move |cx| {
            if left == 0 {
                return Poll::Ready(Ok::<_, ()>(index));
            }
            left -= 1;
            cx.waker().wake_by_ref();
            Poll::Pending
        })
    };
    let mut group = pin!(Hedged::new(op, &policy, VirtualTime::new()));
    let mut cx = Context::from_waker(Waker::noop());
    let result = loop {
        polls += 1;
        if let Poll::Ready(result) = group.as_mut().poll(&mut cx) {
            break result;
        }
    };

    assert_eq!(result, Ok(2));
    assert_eq!(polls, 1);
}

#[tokio::test(start_paused = true)]
async fn runs_on_tokio_current_thread() {
    let policy = HedgePolicy::new(Duration::from_millis(20));
    assert_eq!(
        Hedged::new(stuck_primary, &policy, TokioRuntime).await,
        Ok(1)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runs_as_a_spawned_task_on_tokio_multi_thread() {
    let policy = std::sync::Arc::new(HedgePolicy::new(Duration::from_millis(1)));

    let task = tokio::spawn(Hedged::new(stuck_primary, policy, TokioRuntime));

    assert_eq!(task.await.unwrap(), Ok(1));
}
