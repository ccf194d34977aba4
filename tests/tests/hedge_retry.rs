//! Hedging through the facade: `.hedge(&policy)`, composed with retry in
//! both directions, one budget shared by both, on tokio's paused clock.

use backon::budget::{Budget, TokenBudget};
use backon::hedge::Hedged;
use backon::prelude::*;
use backon::{Event, StopReason};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::{Instant, sleep};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Records the hedge events as `(kind, index)` pairs.
#[derive(Clone, Default)]
struct Hedges(Arc<Mutex<Vec<(&'static str, u32)>>>);

impl<E> backon::Listener<E> for Hedges {
    fn on_event(&self, event: &Event<'_, E>) {
        let entry = match *event {
            Event::HedgeLaunched { index, .. } => ("launched", index),
            Event::HedgeFailed { index, .. } => ("failed", index),
            Event::HedgeSkipped { index, .. } => ("skipped", index),
            Event::HedgeWon { index } => ("won", index),
            Event::HedgesCancelled { count } => ("cancelled", count),
            _ => return,
        };
        self.0.lock().unwrap().push(entry);
    }
}

impl Hedges {
    fn take(&self) -> Vec<(&'static str, u32)> {
        std::mem::take(&mut self.0.lock().unwrap())
    }
}

#[tokio::test(start_paused = true)]
async fn retry_each_hedged_group() {
    let events = Hedges::default();
    let hedge = HedgePolicy::new(ms(20)).listen(events.clone());
    let retry = Policy::new(ms(100), after_attempts(3).unwrap());
    let requests = AtomicU32::new(0);
    let start = Instant::now();

    // Requests 0 and 1 (the first group's primary and hedge) fail after
    // 30 ms; request 2, the second group's primary, answers in 5 ms.
    let op = |i: u32| {
        let n = requests.fetch_add(1, Ordering::SeqCst);
        async move {
            sleep(if n < 2 { ms(30) } else { ms(5) }).await;
            if n < 2 { Err("unavailable") } else { Ok(i) }
        }
    };
    let report = (|| op.hedge(&hedge)).retry(&retry).with_report().await;

    assert_eq!(report.result, Ok(0));
    assert_eq!(report.attempts, 2);
    // The hedge starts at 20 ms and fails at 50; 100 ms later the second
    // group's primary answers in 5.
    assert_eq!(start.elapsed(), ms(155));
    assert_eq!(
        events.take(),
        [
            ("launched", 0),
            ("launched", 1),
            ("failed", 0),
            ("failed", 1),
            ("launched", 0),
            ("won", 0)
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn hedge_each_retried_call() {
    let events = Hedges::default();
    let hedge = HedgePolicy::new(ms(50)).listen(events.clone());
    let retry = Policy::new(ms(10), after_attempts(5).unwrap());
    let start = Instant::now();

    // Replica 0 keeps failing slowly; replica 1 fails fast once, then
    // answers.
    let replica = |i: u32| {
        let tries = AtomicU32::new(0);
        move || {
            let n = tries.fetch_add(1, Ordering::SeqCst);
            async move {
                sleep(if i == 0 { ms(40) } else { ms(1) }).await;
                if i == 0 || n == 0 { Err("busy") } else { Ok(i) }
            }
        }
    };
    let result = (|i: u32| replica(i).retry(&retry)).hedge(&hedge).await;

    assert_eq!(result, Ok(1));
    // The hedge starts at 50 ms, fails at 51, retries at 61, answers at 62.
    assert_eq!(start.elapsed(), ms(62));
    assert_eq!(
        events.take(),
        [
            ("launched", 0),
            ("launched", 1),
            ("won", 1),
            ("cancelled", 1)
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn one_budget_bounds_both_retries_and_hedges() {
    let budget = TokenBudget::builder()
        .capacity(2.0)
        .refund(0.0)
        .build()
        .unwrap();
    let events = Hedges::default();
    let hedge = HedgePolicy::new(ms(10))
        .extra(2)
        .budget(budget.clone())
        .listen(events.clone());
    let retry = Policy::new(ms(10), never()).budget(budget.clone());
    let slow_then_down = |_: u32| async {
        sleep(ms(50)).await;
        Err::<(), _>("down")
    };

    let report = (|| slow_then_down.hedge(&hedge))
        .retry(&retry)
        .with_report()
        .await;

    // Two hedges spend the budget; the group fails; the retry is refused.
    assert_eq!(report.attempts, 1);
    assert_eq!(report.gave_up, Some(StopReason::BudgetExhausted));
    assert_eq!(budget.available(), 0);
    assert_eq!(
        events.take(),
        [
            ("launched", 0),
            ("launched", 1),
            ("launched", 2),
            ("failed", 0),
            ("failed", 1),
            ("failed", 2)
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn an_arc_policy_makes_a_static_future_for_spawning() {
    let policy = Arc::new(HedgePolicy::new(ms(10)));
    let op = |i: u32| async move {
        sleep(if i == 0 { ms(100) } else { ms(1) }).await;
        Ok::<_, ()>(i)
    };

    let task: Hedged<_, _, _, _> = op.hedge(policy);
    assert_eq!(tokio::spawn(task).await.unwrap(), Ok(1));
}
