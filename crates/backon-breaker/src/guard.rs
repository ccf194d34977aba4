//! The breaker as a retry policy's guard.

use crate::breaker::Breaker;
use crate::error::BreakerOpen;
use crate::outcome::Classify;
use crate::permit::Permit;
use backon_core::{Clock, Guard, GuardFor, Refusal, StopReason};

/// A breaker guards each attempt of a retry: `policy.with_guard(breaker)`.
///
/// A rejected attempt does not run and is not counted as an attempt or as a
/// failure of the operation. The retry waits for the breaker when its next
/// probe comes before the retry's time limit, and otherwise gives up with
/// [`StopReason::BreakerOpen`]. It then returns the last attempt's outcome;
/// only when the breaker refused the first attempt does it return
/// [`BreakerOpen`] converted into the operation's error type.
impl<R, C> Guard for Breaker<R, C>
where
    R: Clock + Send + Sync + 'static,
    R::Instant: Send + Sync,
    C: Send + Sync + 'static,
{
    type Permit = Permit;
    type Denial = BreakerOpen;

    #[inline]
    fn admit(&self) -> Result<Permit, BreakerOpen> {
        self.permit()
    }

    fn refusal(&self, denial: &BreakerOpen) -> Refusal {
        Refusal::new(StopReason::BreakerOpen, denial.retry_in())
    }

    /// An open breaker says when it admits a probe, an isolated one that
    /// it will not on its own; half-open with every probe in flight, it
    /// cannot tell when a probe ends, so it says nothing.
    fn outlook(&self) -> Option<Refusal> {
        let retry_in = self.refusal_ahead()?;
        Some(Refusal::new(StopReason::BreakerOpen, retry_in))
    }
}

impl<R, C, T, E> GuardFor<T, E> for Breaker<R, C>
where
    R: Clock + Send + Sync + 'static,
    R::Instant: Send + Sync,
    C: Classify<T, E> + Send + Sync + 'static,
    E: From<BreakerOpen>,
{
    #[inline]
    fn record(&self, permit: Permit, outcome: &Result<T, E>) {
        Breaker::record(self, permit, outcome);
    }

    fn reject(&self, denial: BreakerOpen) -> E {
        E::from(denial)
    }
}
