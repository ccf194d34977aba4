//! How a retry policy draws on a budget.

use super::Budget;
use crate::event::{Event, Listener};
use crate::ops::Or;
use crate::policy::Policy;
use crate::stop::{Progress, Stop, StopReason, Verdict};

/// A retry policy's link to a [`Budget`]: a stop condition that spends one
/// retry from the budget, and a listener that tells the budget about calls
/// and successes.
///
/// [`Policy::budget`] attaches both halves in one step; use it rather than
/// this type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Draw<B>(pub B);

/// As a stop condition, it continues when the budget grants a retry, which
/// spends it, and stops with [`StopReason::BudgetExhausted`] otherwise.
impl<B: Budget> Stop for Draw<B> {
    fn check(&self, _progress: &Progress) -> Verdict {
        if self.0.try_withdraw() {
            Verdict::CONTINUE
        } else {
            Verdict::Stop(StopReason::BudgetExhausted)
        }
    }

    // A dry run must not take retries from real calls.
    fn check_dry(&self, _progress: &Progress) -> Verdict {
        Verdict::CONTINUE
    }
}

/// As a listener, it reports each call's first attempt and each success
/// to the budget.
impl<E, B: Budget> Listener<E> for Draw<B> {
    fn on_event(&self, event: &Event<'_, E>) {
        match event {
            Event::AttemptStarted { attempt: 1 } => self.0.on_call(),
            Event::Succeeded { .. } => self.0.on_success(),
            _ => {}
        }
    }
}

/// The type of a policy after [`Policy::budget`]: its stop condition also
/// draws on the budget, and its listeners also report to it.
pub type WithBudget<W, S, C, L, B, G = ()> = Policy<W, Or<S, Draw<B>>, C, (L, Draw<B>), G>;

impl<W, S: Stop, C, L, G> Policy<W, S, C, L, G> {
    /// Makes every retry draw on `budget`; when it has nothing left, the
    /// call gives up with [`StopReason::BudgetExhausted`].
    ///
    /// The budget is asked only after the policy's own stop condition
    /// allowed the retry, so a call that reached its attempt limit spends
    /// nothing. Each call's first attempt and each success are reported to
    /// it. Clones of one budget share it, so many policies may draw on the
    /// same one.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon_core::budget::{Budget, TokenBudget};
    /// use backon_core::{BlockingRetry, Policy, Progress, StdRuntime, Stop, StopReason, Verdict};
    /// use std::time::Duration;
    ///
    /// # struct Never;
    /// # impl Stop for Never { fn check(&self, _: &Progress) -> Verdict { Verdict::CONTINUE } }
    /// // Two retries in the bucket, none refunded.
    /// let budget = TokenBudget::builder().capacity(2.0).refund(0.0).build()?;
    /// let policy = Policy::new(Duration::ZERO, Never).budget(budget.clone());
    ///
    /// let report = BlockingRetry::new(|| Err::<(), _>("down"), &policy, StdRuntime)
    ///     .call_with_report();
    ///
    /// assert_eq!(report.attempts, 3);
    /// assert_eq!(report.gave_up, Some(StopReason::BudgetExhausted));
    /// assert_eq!(budget.available(), 0);
    /// # Ok::<(), backon_core::budget::BudgetError>(())
    /// ```
    pub fn budget<B: Budget + Clone>(self, budget: B) -> WithBudget<W, S, C, L, B, G> {
        let listener = Draw(budget.clone());
        self.map_stop(|stop| Or(stop, Draw(budget)))
            .listen(listener)
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;
    use crate::budget::TokenBudget;
    use crate::{BlockingRetry, StdRuntime};
    use core::time::Duration;

    struct Attempts(u32);

    impl Stop for Attempts {
        fn check(&self, p: &Progress) -> Verdict {
            if p.attempts >= self.0 {
                Verdict::Stop(StopReason::Attempts)
            } else {
                Verdict::CONTINUE
            }
        }
    }

    fn tokens(n: f64) -> TokenBudget {
        TokenBudget::builder()
            .capacity(n.max(1.0))
            .initial(n)
            .refund(0.5)
            .build()
            .unwrap()
    }

    #[test]
    fn the_attempt_limit_is_asked_first_and_spends_nothing() {
        let budget = tokens(10.0);
        let policy = Policy::new(Duration::ZERO, Attempts(3)).budget(budget.clone());

        let report =
            BlockingRetry::new(|| Err::<(), _>("down"), &policy, StdRuntime).call_with_report();

        assert_eq!(report.gave_up, Some(StopReason::Attempts));
        assert_eq!(budget.milli_tokens(), 8000);
    }

    #[test]
    fn an_empty_budget_stops_the_retry() {
        let budget = tokens(1.0);
        let policy = Policy::new(Duration::ZERO, Attempts(5)).budget(budget.clone());

        let report =
            BlockingRetry::new(|| Err::<(), _>("down"), &policy, StdRuntime).call_with_report();

        assert_eq!(report.attempts, 2);
        assert_eq!(report.gave_up, Some(StopReason::BudgetExhausted));
    }

    #[test]
    fn successes_refund_the_budget() {
        let budget = tokens(0.0);
        let policy = Policy::new(Duration::ZERO, Attempts(5)).budget(&budget);

        let ok = BlockingRetry::new(|| Ok::<_, ()>(1), &policy, StdRuntime).call();
        assert_eq!(ok, Ok(1));
        assert_eq!(budget.milli_tokens(), 500);
    }
}
