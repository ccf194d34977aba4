//! When attempts start, which one wins and what is dropped, on tokio's
//! paused clock: timers fire in order and time is exact.

use backon_core::budget::{Budget, TokenBudget};
use backon_core::{Event, StopReason};
use backon_hedge::{HedgePolicy, Hedged};
use backon_tokio::TokioRuntime;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::{Instant, sleep};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Everything a group reported, as text, in order.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<String>>>);

impl Log {
    fn listener<E: std::fmt::Debug>(&self) -> impl Fn(&Event<'_, E>) + Clone + use<E> {
        let log = self.0.clone();
        move |event| log.lock().unwrap().push(describe(event))
    }

    fn lines(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

fn describe<E: std::fmt::Debug>(event: &Event<'_, E>) -> String {
    match event {
        Event::HedgeLaunched { index, delay } => format!("launched {index} after {delay:?}"),
        Event::HedgeFailed { index, error } => match error {
            Some(error) => format!("failed {index}: {error:?}"),
            None => format!("failed {index}: rejected Ok"),
        },
        Event::HedgeSkipped { index, reason } => format!("skipped {index}: {reason}"),
        Event::HedgeWon { index } => format!("won {index}"),
        Event::HedgesCancelled { count } => format!("cancelled {count}"),
        other => format!("{other:?}"),
    }
}

/// Sets its flag when dropped: the attempt holding it was cancelled.
struct DropGuard(Arc<AtomicBool>);

impl Drop for DropGuard {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// An attempt that answers `result` after `after`.
async fn answer<T>(after: Duration, result: Result<T, &'static str>) -> Result<T, &'static str> {
    sleep(after).await;
    result
}

#[tokio::test(start_paused = true)]
async fn a_fast_primary_launches_no_hedge() {
    let log = Log::default();
    let policy = HedgePolicy::new(ms(50)).listen(log.listener());
    let start = Instant::now();

    let result = Hedged::new(|i| answer(ms(10), Ok(i)), &policy, TokioRuntime).await;

    assert_eq!(result, Ok(0));
    assert_eq!(start.elapsed(), ms(10));
    assert_eq!(log.lines(), ["launched 0 after 0ns", "won 0"]);
}

#[tokio::test(start_paused = true)]
async fn a_slow_primary_is_beaten_by_the_hedge_and_dropped() {
    let dropped = Arc::new(AtomicBool::new(false));
    let seen_at_cancel = Arc::new(AtomicBool::new(false));
    let (d, s) = (dropped.clone(), seen_at_cancel.clone());
    let log = Log::default();
    let policy =
        HedgePolicy::new(ms(50))
            .listen(log.listener())
            .listen(move |e: &Event<'_, &str>| {
                if let Event::HedgesCancelled { .. } = e {
                    s.store(d.load(Ordering::SeqCst), Ordering::SeqCst);
                }
            });
    let start = Instant::now();

    let op = |i: u32| {
        let guard = (i == 0).then(|| DropGuard(dropped.clone()));
        async move {
            let _guard = guard;
            answer(if i == 0 { ms(1000) } else { ms(10) }, Ok(i)).await
        }
    };
    let result = Hedged::new(op, &policy, TokioRuntime).await;

    assert_eq!(result, Ok(1));
    assert_eq!(start.elapsed(), ms(60));
    assert!(
        seen_at_cancel.load(Ordering::SeqCst),
        "the primary is gone when the cancellation is reported"
    );
    assert_eq!(
        log.lines(),
        [
            "launched 0 after 0ns",
            "launched 1 after 50ms",
            "won 1",
            "cancelled 1"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn an_early_failure_starts_the_next_attempt_at_once() {
    let log = Log::default();
    let policy = HedgePolicy::new(ms(50)).listen(log.listener());
    let start = Instant::now();

    let op = |i: u32| {
        answer(
            ms(5 + 5 * u64::from(i)),
            if i == 0 { Err("refused") } else { Ok(i) },
        )
    };
    let result = Hedged::new(op, &policy, TokioRuntime).await;

    assert_eq!(result, Ok(1));
    assert_eq!(start.elapsed(), ms(15));
    assert_eq!(
        log.lines(),
        [
            "launched 0 after 0ns",
            "failed 0: \"refused\"",
            "launched 1 after 0ns",
            "won 1"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn when_all_fail_the_last_to_finish_is_returned_and_every_error_reported() {
    let log = Log::default();
    let policy = HedgePolicy::new(ms(10)).extra(2).listen(log.listener());
    let start = Instant::now();

    // Started at 0, 10 and 20 ms; they fail at 100, 40 and 25 ms.
    let errors = ["zero", "one", "two"];
    let took = [ms(100), ms(30), ms(5)];
    let op = |i: u32| answer::<()>(took[i as usize], Err(errors[i as usize]));
    let result = Hedged::new(op, &policy, TokioRuntime).await;

    assert_eq!(result, Err("zero"));
    assert_eq!(start.elapsed(), ms(100));
    assert_eq!(
        log.lines(),
        [
            "launched 0 after 0ns",
            "launched 1 after 10ms",
            "launched 2 after 10ms",
            "failed 2: \"two\"",
            "failed 1: \"one\"",
            "failed 0: \"zero\"",
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn a_failing_hedge_starts_the_next_one_while_the_primary_runs() {
    let log = Log::default();
    let policy = HedgePolicy::new(ms(50)).extra(2).listen(log.listener());
    let start = Instant::now();

    // The primary takes 1 s; hedge 1 (at 50 ms) fails 5 ms later; hedge 2
    // starts then rather than at 100 ms, and answers in 10 ms.
    let op = |i: u32| match i {
        0 => answer(ms(1000), Ok(0)),
        1 => answer(ms(5), Err("busy")),
        _ => answer(ms(10), Ok(i)),
    };
    let result = Hedged::new(op, &policy, TokioRuntime).await;

    assert_eq!(result, Ok(2));
    assert_eq!(start.elapsed(), ms(65));
    assert_eq!(
        log.lines(),
        [
            "launched 0 after 0ns",
            "launched 1 after 50ms",
            "failed 1: \"busy\"",
            "launched 2 after 0ns",
            "won 2",
            "cancelled 1"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn a_zero_delay_starts_every_attempt_at_once() {
    let log = Log::default();
    let policy = HedgePolicy::new(Duration::ZERO)
        .extra(2)
        .listen(log.listener());
    let start = Instant::now();

    let op = |i: u32| answer(ms(30 - 10 * u64::from(i)), Ok(i));
    let result = Hedged::new(op, &policy, TokioRuntime).await;

    assert_eq!(result, Ok(2));
    assert_eq!(start.elapsed(), ms(10));
    assert_eq!(
        log.lines(),
        [
            "launched 0 after 0ns",
            "launched 1 after 0ns",
            "launched 2 after 0ns",
            "won 2",
            "cancelled 2"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn no_extra_attempt_never_hedges() {
    let policy = HedgePolicy::new(ms(1)).extra(0);
    let start = Instant::now();

    let result = Hedged::new(|i| answer(ms(500), Ok(i)), &policy, TokioRuntime).await;

    assert_eq!(result, Ok(0));
    assert_eq!(start.elapsed(), ms(500));
}

#[tokio::test(start_paused = true)]
async fn the_condition_decides_what_is_accepted() {
    use backon_core::condition::{when_err, when_ok};

    // An empty answer is not accepted; "denied" is final and wins at once.
    let policy = HedgePolicy::new(Duration::ZERO)
        .extra(2)
        .retry_when(when_ok(|v: &&str| v.is_empty()) | when_err(|e: &&str| *e != "denied"));

    let replies = [ms(5), ms(10), ms(20)];
    let op = |i: u32| {
        answer(
            replies[i as usize],
            if i == 0 { Ok("") } else { Err("denied") },
        )
    };
    assert_eq!(Hedged::new(op, &policy, TokioRuntime).await, Err("denied"));
}

#[tokio::test(start_paused = true)]
async fn an_exhausted_budget_starts_no_hedge_and_lets_the_running_finish() {
    let log = Log::default();
    let budget = TokenBudget::builder()
        .capacity(1.0)
        .refund(0.0)
        .build()
        .unwrap();
    let policy = HedgePolicy::new(ms(10))
        .extra(3)
        .budget(budget.clone())
        .listen(log.listener());
    let start = Instant::now();

    let result = Hedged::new(|i| answer(ms(100), Ok(i)), &policy, TokioRuntime).await;

    assert_eq!(result, Ok(0));
    assert_eq!(start.elapsed(), ms(100));
    assert_eq!(budget.available(), 0);
    assert_eq!(
        log.lines(),
        [
            "launched 0 after 0ns",
            "launched 1 after 10ms",
            "skipped 2: retry budget exhausted",
            "won 0",
            "cancelled 1"
        ]
    );

    // The next call hedges nothing at all.
    log.0.lock().unwrap().clear();
    let result = Hedged::new(|i| answer(ms(100), Ok(i)), &policy, TokioRuntime).await;
    assert_eq!(result, Ok(0));
    assert_eq!(
        log.lines(),
        [
            "launched 0 after 0ns",
            "skipped 1: retry budget exhausted",
            "won 0"
        ]
    );
    let _ = StopReason::BudgetExhausted;
}

#[tokio::test(start_paused = true)]
async fn dropping_the_group_drops_every_attempt() {
    let dropped = [(); 2].map(|_| Arc::new(AtomicBool::new(false)));
    let policy = HedgePolicy::new(ms(10));

    let op = |i: u32| {
        let guard = DropGuard(dropped[i as usize].clone());
        async move {
            let _guard = guard;
            answer(ms(1000), Ok(i)).await
        }
    };
    let timed_out = tokio::time::timeout(ms(50), Hedged::new(op, &policy, TokioRuntime)).await;

    assert!(timed_out.is_err());
    assert!(dropped.iter().all(|d| d.load(Ordering::SeqCst)));
}
