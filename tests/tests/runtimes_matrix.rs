//! One set of behavioural scenarios, run on tokio, async-std, smol and
//! blocking, through every call style: the extension form, the attempt
//! loop, the wrapped callable and the retry with input.
//!
//! tokio runs on its paused clock and blocking on both virtual and real
//! time; async-std and smol have no virtual clock, so their real timers
//! sleep a few milliseconds at most. The delays the policy schedules are
//! exact everywhere; elapsed time is exact wherever time is virtual.
//! Cancellation is an async notion, so it has no blocking counterpart.

mod matrix;

use backon::prelude::*;
use backon::runtime::{BlockingSleeper, Clock, Entropy, StdRuntime};
use backon::stop::AfterAttempts;
use backon::testing::VirtualTime;
use backon::{AnyError, StopReason};
use matrix::{
    AsyncStd, Delays, Fail, Harness, Outcome, Smol, Tokio, every_blocking_style, every_style, ms,
};
use std::future::Future;
use std::ops::ControlFlow;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::task::Poll;
use std::time::Duration;

// The scenarios: a policy, a script, and what every style must come to.

fn exponential(
    delays: &Delays,
    attempts: u32,
) -> Policy<Exponential, AfterAttempts, AnyError, ((), Delays)> {
    Policy::new(Exponential::new(ms(1)), after_attempts(attempts).unwrap()).listen(delays.clone())
}

fn check_succeeds_after_failures(outcomes: &[Outcome], virtual_time: bool) {
    assert_eq!(outcomes.len(), 4);
    for o in outcomes {
        assert_eq!(o.result, Ok(3), "{}", o.style);
        assert_eq!(o.attempts, 3, "{}", o.style);
        assert_eq!(o.gave_up, None, "{}", o.style);
        assert_eq!(o.delays, [ms(1), ms(2)], "{}", o.style);
        if virtual_time {
            assert_eq!(o.elapsed, ms(3), "{}", o.style);
        } else {
            assert!(o.elapsed >= ms(3), "{}: {:?}", o.style, o.elapsed);
        }
    }
}

fn check_gives_up(outcomes: &[Outcome]) {
    for o in outcomes {
        assert_eq!(o.result, Err(Fail::Busy), "{}", o.style);
        assert_eq!(o.attempts, 3, "{}", o.style);
        assert_eq!(o.gave_up, Some(StopReason::Attempts), "{}", o.style);
        assert_eq!(o.delays, [ms(1), ms(2)], "{}", o.style);
    }
}

fn check_not_retryable(outcomes: &[Outcome]) {
    for o in outcomes {
        assert_eq!(o.result, Err(Fail::Fatal), "{}", o.style);
        assert_eq!(o.attempts, 1, "{}", o.style);
        assert_eq!(o.gave_up, Some(StopReason::NotRetryable), "{}", o.style);
        assert!(o.delays.is_empty(), "{}", o.style);
    }
}

/// A 5 ms limit with 2 ms waits: sleeps of 2, 2 and 1 ms on virtual time,
/// the last one cut so that the final attempt starts at the limit.
fn check_time_limit(outcomes: &[Outcome], virtual_time: bool) {
    for o in outcomes {
        assert_eq!(o.result, Err(Fail::Busy), "{}", o.style);
        assert_eq!(o.gave_up, Some(StopReason::TimeLimit), "{}", o.style);
        if virtual_time {
            assert_eq!(o.attempts, 4, "{}", o.style);
            assert_eq!(o.delays, [ms(2), ms(2), ms(1)], "{}", o.style);
            assert_eq!(o.elapsed, ms(5), "{}", o.style);
        } else {
            let slept: Duration = o.delays.iter().sum();
            assert!(o.attempts >= 2, "{}", o.style);
            assert!(slept <= ms(5), "{}: {:?}", o.style, o.delays);
            assert!(o.delays.iter().all(|d| *d <= ms(2)), "{}", o.style);
        }
    }
}

async fn succeeds_after_failures<H: Harness>() {
    let delays = Delays::default();
    let policy = exponential(&delays, 5);
    let outcomes = every_style(&policy, &delays, H::runtime(), (2, Fail::Busy)).await;
    check_succeeds_after_failures(&outcomes, H::VIRTUAL);
}

async fn gives_up_with_the_stop_reason<H: Harness>() {
    let delays = Delays::default();
    let policy = exponential(&delays, 3);
    check_gives_up(&every_style(&policy, &delays, H::runtime(), (9, Fail::Busy)).await);

    let policy = Policy::new(ms(1), after_attempts(3).unwrap())
        .retry_when(backon::condition::when_err(|e: &Fail| *e == Fail::Busy))
        .listen(delays.clone());
    check_not_retryable(&every_style(&policy, &delays, H::runtime(), (9, Fail::Fatal)).await);
}

async fn stops_at_the_time_limit<H: Harness>() {
    let delays = Delays::default();
    let policy = Policy::new(ms(2), time_limit(ms(5)).unwrap()).listen(delays.clone());
    let outcomes = every_style(&policy, &delays, H::runtime(), (99, Fail::Busy)).await;
    check_time_limit(&outcomes, H::VIRTUAL);
}

/// Polls a future once, with the caller's context.
async fn poll_once<F: Future>(mut future: Pin<&mut F>) -> Poll<F::Output> {
    std::future::poll_fn(|cx| Poll::Ready(future.as_mut().poll(cx))).await
}

/// Each style's future, dropped while it sleeps an hour after its first
/// attempt, leaves nothing behind: no further attempt, and everything it
/// held (operation, input, arguments) released.
async fn cancels_by_drop<H: Harness>() {
    let policy = Policy::new(Duration::from_secs(3600), after_attempts(5).unwrap());
    let held = Arc::new(());
    let calls = &AtomicU32::new(0);
    let fail = || {
        calls.fetch_add(1, Ordering::SeqCst);
        Fail::Busy
    };

    {
        let held = held.clone();
        let op = move || {
            let _held = &held;
            async move { Err::<(), _>(fail()) }
        };
        let retry = pin!(op.retry(&policy).runtime(H::runtime()));
        assert!(poll_once(retry).await.is_pending());
    }
    {
        let looped = pin!(async {
            let _held = held.clone();
            let mut attempts = backon::attempts(&policy).runtime(H::runtime());
            loop {
                let attempt = attempts.next().await;
                if let ControlFlow::Break(result) = attempt.report(Err::<(), _>(fail())) {
                    break result;
                }
            }
        });
        assert!(poll_once(looped).await.is_pending());
    }
    {
        let wrapped =
            backon::wrap(async |_: &Arc<()>| Err::<(), _>(fail()), &policy).runtime(H::runtime());
        let call = pin!(wrapped.call(held.clone()));
        assert!(poll_once(call).await.is_pending());
    }
    {
        let with_input = backon::retry_with_input(
            held.clone(),
            |input| async move { Err::<(), _>((fail(), input)) },
            &policy,
        );
        let with_input = pin!(with_input.runtime(H::runtime()));
        assert!(poll_once(with_input).await.is_pending());
    }

    assert_eq!(calls.load(Ordering::SeqCst), 4, "one attempt per style");
    assert_eq!(Arc::strong_count(&held), 1, "everything held is released");
}

#[test]
fn tokio_succeeds_after_failures() {
    Tokio::block_on(succeeds_after_failures::<Tokio>());
}

#[test]
fn tokio_gives_up_with_the_stop_reason() {
    Tokio::block_on(gives_up_with_the_stop_reason::<Tokio>());
}

#[test]
fn tokio_stops_at_the_time_limit() {
    Tokio::block_on(stops_at_the_time_limit::<Tokio>());
}

#[test]
fn tokio_cancels_by_drop() {
    Tokio::block_on(cancels_by_drop::<Tokio>());
}

#[test]
fn async_std_succeeds_after_failures() {
    AsyncStd::block_on(succeeds_after_failures::<AsyncStd>());
}

#[test]
fn async_std_gives_up_with_the_stop_reason() {
    AsyncStd::block_on(gives_up_with_the_stop_reason::<AsyncStd>());
}

#[test]
fn async_std_stops_at_the_time_limit() {
    AsyncStd::block_on(stops_at_the_time_limit::<AsyncStd>());
}

#[test]
fn async_std_cancels_by_drop() {
    AsyncStd::block_on(cancels_by_drop::<AsyncStd>());
}

#[test]
fn smol_succeeds_after_failures() {
    Smol::block_on(succeeds_after_failures::<Smol>());
}

#[test]
fn smol_gives_up_with_the_stop_reason() {
    Smol::block_on(gives_up_with_the_stop_reason::<Smol>());
}

#[test]
fn smol_stops_at_the_time_limit() {
    Smol::block_on(stops_at_the_time_limit::<Smol>());
}

#[test]
fn smol_cancels_by_drop() {
    Smol::block_on(cancels_by_drop::<Smol>());
}

/// The blocking scenarios, on virtual time (exact) and on real time.
fn blocking_scenarios<R: BlockingSleeper + Clock + Entropy + Clone>(runtime: R, exact: bool) {
    let delays = Delays::default();
    let policy = exponential(&delays, 5);
    let outcomes = every_blocking_style(&policy, &delays, runtime.clone(), (2, Fail::Busy));
    check_succeeds_after_failures(&outcomes, exact);

    let policy = exponential(&delays, 3);
    check_gives_up(&every_blocking_style(
        &policy,
        &delays,
        runtime.clone(),
        (9, Fail::Busy),
    ));

    let policy = Policy::new(ms(1), after_attempts(3).unwrap())
        .retry_when(backon::condition::when_err(|e: &Fail| *e == Fail::Busy))
        .listen(delays.clone());
    let outcomes = every_blocking_style(&policy, &delays, runtime.clone(), (9, Fail::Fatal));
    check_not_retryable(&outcomes);

    let policy = Policy::new(ms(2), time_limit(ms(5)).unwrap()).listen(delays.clone());
    let outcomes = every_blocking_style(&policy, &delays, runtime, (99, Fail::Busy));
    check_time_limit(&outcomes, exact);
}

#[test]
fn blocking_on_virtual_time() {
    blocking_scenarios(VirtualTime::new(), true);
}

#[test]
fn blocking_on_real_time() {
    blocking_scenarios(StdRuntime, false);
}
