//! Retry futures are `Send` when the operation is, on every runtime and in
//! every style; an operation that is not `Send` still runs on a
//! single-threaded executor.

use backon::prelude::*;
use backon::runtime::{AsyncStdRuntime, Clock, Entropy, Sleeper, SmolRuntime, TokioRuntime};
use backon::testing::VirtualTime;
use std::cell::Cell;
use std::future::Future;
use std::ops::ControlFlow;
use std::rc::Rc;
use std::time::Duration;

fn is_send<T: Send>(_: &T) {}

fn policy() -> Policy<Duration, backon::stop::AfterAttempts> {
    Policy::new(Duration::from_millis(1), after_attempts(3).unwrap())
}

/// Checks every async style on one runtime; nothing is polled.
fn every_style_is_send<R>(runtime: R)
where
    R: Sleeper + Clock + Entropy + Clone + Send + Sync,
    R::Sleep: Send,
    R::Instant: Send,
{
    let policy = policy();

    let retry = (|| async { Ok::<_, std::io::Error>(1) })
        .retry(&policy)
        .runtime(runtime.clone());
    is_send(&retry);

    let with_input = backon::retry_with_input(
        String::new(),
        |body| async move { Err::<(), _>(((), body)) },
        &policy,
    )
    .runtime(runtime.clone());
    is_send(&with_input);

    let wrapped = backon::wrap(async |n: &u32| Ok::<_, ()>(*n), &policy).runtime(runtime.clone());
    is_send(&wrapped.call(1));

    let looped = async {
        let mut attempts = backon::attempts(&policy).runtime(runtime);
        loop {
            let attempt = attempts.next().await;
            if let ControlFlow::Break(result) = attempt.report(Ok::<_, ()>(1)) {
                break result;
            }
        }
    };
    is_send(&looped);
}

#[test]
fn futures_are_send_when_the_operation_is() {
    every_style_is_send(TokioRuntime);
    every_style_is_send(SmolRuntime);
    every_style_is_send(AsyncStdRuntime);
    every_style_is_send(VirtualTime::new());
}

#[test]
fn the_free_function_is_the_extension_form() {
    fn same_type<T>(_: &T, _: &T) {}
    async fn op() -> Result<(), ()> {
        Ok(())
    }

    let policy = policy();
    same_type(&backon::retry(op, &policy), &op.retry(&policy));
}

/// Runs every async style with operations that hold an `Rc`.
async fn every_style_with_rc<R>(runtime: R) -> u32
where
    R: Sleeper + Clock + Entropy + Clone,
{
    let policy = policy();
    let calls = Rc::new(Cell::new(0));
    let fail_once = {
        let calls = calls.clone();
        move || {
            calls.set(calls.get() + 1);
            if calls.get() % 2 == 1 {
                Err("busy")
            } else {
                Ok(calls.get())
            }
        }
    };

    let op = fail_once.clone();
    let retry = (move || {
        let op = op.clone();
        async move { op() }
    })
    .retry(&policy)
    .runtime(runtime.clone());
    assert_eq!(retry.await, Ok(2));

    let op = fail_once.clone();
    let wrapped = backon::wrap(async move |_: &Rc<()>| op(), &policy).runtime(runtime.clone());
    assert_eq!(wrapped.call(Rc::new(())).await, Ok(4));

    let op = fail_once.clone();
    let with_input = backon::retry_with_input(
        Rc::new("body"),
        move |body| {
            let outcome = op().map_err(|e| (e, body));
            async move { outcome }
        },
        &policy,
    );
    assert_eq!(with_input.runtime(runtime.clone()).await.ok(), Some(6));

    let mut attempts = backon::attempts(&policy).runtime(runtime);
    let looped = loop {
        let attempt = attempts.next().await;
        let held = Rc::new(fail_once());
        tokio::task::yield_now().await;
        if let ControlFlow::Break(result) = attempt.report(*held) {
            break result;
        }
    };
    assert_eq!(looped, Ok(8));
    calls.get()
}

#[test]
fn a_non_send_operation_runs_on_a_tokio_local_set() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    let local = tokio::task::LocalSet::new();

    let calls = local.block_on(&runtime, async {
        tokio::task::spawn_local(every_style_with_rc(TokioRuntime))
            .await
            .unwrap()
    });
    assert_eq!(calls, 8);
}

#[test]
fn a_non_send_operation_runs_on_a_smol_local_executor() {
    let executor = smol::LocalExecutor::new();
    let task = executor.spawn(every_style_with_rc(SmolRuntime));
    assert_eq!(smol::block_on(executor.run(task)), 8);
}

#[test]
fn a_non_send_operation_runs_on_virtual_time_anywhere() {
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    let mut future = std::pin::pin!(every_style_with_rc(VirtualTime::new()));

    // Virtual sleeps finish at once; each `yield_now` costs one more poll.
    let polled = (0..100).find_map(|_| match future.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(calls) => Some(calls),
        std::task::Poll::Pending => None,
    });
    assert_eq!(polled, Some(8));
}
