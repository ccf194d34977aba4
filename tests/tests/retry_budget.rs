//! Retry budgets: a retry policy drawing on a shared budget stops with
//! `StopReason::BudgetExhausted`, exactly when the budget says, and the
//! budget's level shows it being spent.

use backon::budget::{Budget, RatioBudget, TokenBudget};
use backon::prelude::*;
use backon::testing::VirtualTime;
use backon::{Event, StopReason};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn always_down() -> Result<(), &'static str> {
    Err("down")
}

#[test]
fn an_exhausted_budget_stops_retrying_with_its_own_reason() {
    let budget = TokenBudget::builder()
        .capacity(3.0)
        .refund(0.0)
        .build()
        .unwrap();
    let reasons = Arc::new(Mutex::new(Vec::new()));
    let seen = reasons.clone();
    let policy = Policy::new(Duration::from_millis(10), never())
        .budget(budget.clone())
        .on_give_up(move |_, reason| seen.lock().unwrap().push(reason));

    let first = always_down
        .retry(&policy)
        .runtime(VirtualTime::new())
        .call_with_report();
    let second = always_down
        .retry(&policy)
        .runtime(VirtualTime::new())
        .call_with_report();

    assert_eq!(
        (first.attempts, first.gave_up),
        (4, Some(StopReason::BudgetExhausted))
    );
    assert_eq!(
        (second.attempts, second.gave_up),
        (1, Some(StopReason::BudgetExhausted))
    );
    assert_eq!(*reasons.lock().unwrap(), [StopReason::BudgetExhausted; 2]);
    assert_eq!(StopReason::BudgetExhausted.as_str(), "budget_exhausted");
    assert_eq!(
        StopReason::BudgetExhausted.to_string(),
        "retry budget exhausted"
    );
}

#[test]
fn the_attempt_limit_comes_first_and_costs_nothing() {
    let budget = TokenBudget::builder()
        .capacity(10.0)
        .refund(0.0)
        .build()
        .unwrap();
    let policy = Policy::new(Duration::ZERO, after_attempts(3).unwrap()).budget(budget.clone());

    let report = always_down.retry(&policy).call_with_report();

    assert_eq!(report.gave_up, Some(StopReason::Attempts));
    assert_eq!(budget.available(), 8);
}

#[test]
fn a_refund_of_point_six_over_ten_calls_pays_for_exactly_six_retries() {
    let budget = TokenBudget::builder()
        .capacity(100.0)
        .initial(0.0)
        .refund(0.6)
        .build()
        .unwrap();
    let policy = Policy::new(Duration::ZERO, never()).budget(budget.clone());

    for _ in 0..10 {
        assert_eq!((|| Ok::<_, ()>(())).retry(&policy).call(), Ok(()));
    }
    assert_eq!(budget.milli_tokens(), 6000);

    let report = always_down.retry(&policy).call_with_report();
    assert_eq!(report.attempts, 7, "one call and six retries");
    assert_eq!(budget.available(), 0);
}

#[test]
fn a_ratio_budget_allows_a_share_of_recent_calls_and_forgets_old_ones() {
    let time = VirtualTime::new();
    let budget = RatioBudget::builder()
        .percent(20.0)
        .min_per_sec(0)
        .ttl(Duration::from_secs(10))
        .clock(time.clone())
        .build()
        .unwrap();
    let policy = Policy::new(Duration::ZERO, after_attempts(2).unwrap()).budget(budget.clone());

    // Ten calls that fail once each: two of them get their retry.
    let retried = (0..10)
        .filter(|_| {
            always_down
                .retry(&policy)
                .runtime(time.clone())
                .call_with_report()
                .attempts
                == 2
        })
        .count();
    assert_eq!(retried, 2);
    assert_eq!(budget.available(), 0);

    // Ten seconds later the calls and the retries have aged out.
    time.advance(Duration::from_secs(10));
    assert_eq!(budget.available(), 0);
    let report = always_down
        .retry(&policy)
        .runtime(time.clone())
        .call_with_report();
    assert_eq!(report.gave_up, Some(StopReason::BudgetExhausted));
}

#[test]
fn the_default_ratio_budget_has_a_reserve_of_ten_per_second_over_ten_seconds() {
    let budget = RatioBudget::default();
    assert_eq!(budget.available(), 100);
}

#[test]
fn one_budget_serves_many_policies_and_threads() {
    let budget = TokenBudget::builder()
        .capacity(100.0)
        .refund(0.0)
        .build()
        .unwrap();
    let a = Policy::new(Duration::ZERO, never()).budget(budget.clone());
    let b = Policy::new(Duration::ZERO, after_attempts(1000).unwrap()).budget(budget.clone());

    let retries: u32 = std::thread::scope(|s| {
        let a = s.spawn(|| always_down.retry(&a).call_with_report().attempts - 1);
        let b = s.spawn(|| always_down.retry(&b).call_with_report().attempts - 1);
        a.join().unwrap() + b.join().unwrap()
    });

    assert_eq!(retries, 100);
    assert_eq!(budget.available(), 0);
}

#[test]
fn listeners_see_the_give_up_and_the_level_can_be_read_between_retries() {
    let budget = TokenBudget::builder()
        .capacity(2.0)
        .refund(0.0)
        .build()
        .unwrap();
    let levels = Arc::new(Mutex::new(Vec::new()));
    let (seen, reader) = (levels.clone(), budget.clone());
    let policy = Policy::new(Duration::ZERO, never())
        .budget(budget.clone())
        .listen(move |e: &Event<'_, &str>| match e {
            Event::RetryScheduled { .. } => seen.lock().unwrap().push(reader.available()),
            Event::GaveUp { reason, .. } => seen
                .lock()
                .unwrap()
                .push(u64::from(*reason == StopReason::BudgetExhausted) * 99),
            _ => {}
        });

    let _ = always_down.retry(&policy).call();

    assert_eq!(*levels.lock().unwrap(), [1, 0, 99]);
}
