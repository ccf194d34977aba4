//! The hedge policy: how many attempts, after which delay, which outcome
//! wins, who hears about it and which budget pays for it.

use crate::delay::HedgeDelay;
use backon_core::AnyError;
use backon_core::budget::Budget;

/// How a call is hedged: the extra attempts, the delay before each, which
/// outcomes are accepted, listeners and a budget.
///
/// A hedged call starts attempt 0, the primary. When no acceptable
/// outcome has come after the delay, it starts attempt 1, and so on, up to
/// `1 + extra` attempts, all running at once inside the call's future. The
/// first acceptable outcome is returned and the other attempts are dropped
/// at that moment. An attempt that fails starts the next one at once,
/// without waiting for the delay.
///
/// Like a retry policy, it is an immutable value: build it once and use it
/// for any number of calls, on any thread. It is `Clone`, `Send` and `Sync`
/// whenever its parts are.
///
/// # Defaults
///
/// [`HedgePolicy::new`] takes the delay: a [`Duration`](core::time::Duration)
/// (zero starts every attempt at once) or an [`Adaptive`](crate::Adaptive)
/// percentile.
///
/// | setting | default |
/// |---|---|
/// | [`extra`](HedgePolicy::extra) | 1 hedge |
/// | [`retry_when`](HedgePolicy::retry_when) | [`AnyError`]: every `Ok` is accepted, no error |
/// | [`listen`](HedgePolicy::listen) | no listener |
/// | [`budget`](HedgePolicy::budget) | `()`: no limit |
///
/// # Examples
///
/// ```
/// use backon_hedge::HedgePolicy;
/// use std::time::Duration;
///
/// // Up to two hedges, each 50 ms after the previous attempt started.
/// let policy = HedgePolicy::new(Duration::from_millis(50)).extra(2);
/// assert_eq!(policy.max_attempts(), 3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HedgePolicy<D, C = AnyError, L = (), B = ()> {
    delay: D,
    extra: u32,
    condition: C,
    listener: L,
    budget: B,
}

impl<D: HedgeDelay> HedgePolicy<D> {
    /// Creates a policy of one hedge after `delay`.
    pub const fn new(delay: D) -> Self {
        HedgePolicy {
            delay,
            extra: 1,
            condition: AnyError,
            listener: (),
            budget: (),
        }
    }
}

impl<D, C, L, B> HedgePolicy<D, C, L, B> {
    /// Sets how many attempts may start besides the primary; 0 never
    /// hedges.
    pub fn extra(mut self, extra: u32) -> Self {
        self.extra = extra;
        self
    }

    /// Replaces the condition that decides which outcomes are accepted.
    ///
    /// It is a retry condition from `backon_core::condition`: an outcome
    /// it would retry is not accepted, and the group waits for another
    /// attempt; an outcome it would return wins, an error included. The
    /// default accepts every `Ok` and no error.
    pub fn retry_when<C2>(self, condition: C2) -> HedgePolicy<D, C2, L, B> {
        HedgePolicy {
            delay: self.delay,
            extra: self.extra,
            condition,
            listener: self.listener,
            budget: self.budget,
        }
    }

    /// Adds a listener; every event goes to the earlier listeners first.
    ///
    /// A group reports [`Event::HedgeLaunched`](backon_core::Event),
    /// `HedgeFailed`, `HedgeSkipped`, `HedgeWon` and `HedgesCancelled`.
    pub fn listen<L2>(self, listener: L2) -> HedgePolicy<D, C, (L, L2), B> {
        HedgePolicy {
            delay: self.delay,
            extra: self.extra,
            condition: self.condition,
            listener: (self.listener, listener),
            budget: self.budget,
        }
    }

    /// Makes every hedge draw on `budget`.
    ///
    /// When the budget says no, the group starts no further attempt and
    /// reports [`HedgeSkipped`](backon_core::Event::HedgeSkipped) with
    /// [`StopReason::BudgetExhausted`](backon_core::StopReason); the
    /// attempts already running go on. Each group reports its start and
    /// its success to the budget, as a retry does.
    pub fn budget<B2: Budget>(self, budget: B2) -> HedgePolicy<D, C, L, B2> {
        HedgePolicy {
            delay: self.delay,
            extra: self.extra,
            condition: self.condition,
            listener: self.listener,
            budget,
        }
    }

    /// Returns the delay.
    pub fn delay(&self) -> &D {
        &self.delay
    }

    /// Returns the attempts a group may start in all: the primary and the
    /// extra ones.
    pub fn max_attempts(&self) -> u32 {
        self.extra.saturating_add(1)
    }

    /// Returns the condition.
    pub fn condition(&self) -> &C {
        &self.condition
    }

    /// Returns the listeners.
    pub fn listener(&self) -> &L {
        &self.listener
    }

    pub(crate) fn budget_of(&self) -> &B {
        &self.budget
    }
}

/// A value that lends a [`HedgePolicy`]: the policy itself, a reference to
/// one, or an `Arc` of one, for futures that must be `'static`.
pub trait AsHedgePolicy {
    /// The delay.
    type Delay: HedgeDelay;
    /// The condition.
    type Condition;
    /// The listeners.
    type Listener;
    /// The budget.
    type Budget: Budget;

    /// Returns the policy.
    fn as_hedge_policy(
        &self,
    ) -> &HedgePolicy<Self::Delay, Self::Condition, Self::Listener, Self::Budget>;
}

impl<D: HedgeDelay, C, L, B: Budget> AsHedgePolicy for HedgePolicy<D, C, L, B> {
    type Delay = D;
    type Condition = C;
    type Listener = L;
    type Budget = B;

    fn as_hedge_policy(&self) -> &Self {
        self
    }
}

impl<P: AsHedgePolicy + ?Sized> AsHedgePolicy for &P {
    type Delay = P::Delay;
    type Condition = P::Condition;
    type Listener = P::Listener;
    type Budget = P::Budget;

    fn as_hedge_policy(&self) -> &HedgePolicy<P::Delay, P::Condition, P::Listener, P::Budget> {
        (**self).as_hedge_policy()
    }
}

impl<P: AsHedgePolicy + ?Sized> AsHedgePolicy for std::sync::Arc<P> {
    type Delay = P::Delay;
    type Condition = P::Condition;
    type Listener = P::Listener;
    type Budget = P::Budget;

    fn as_hedge_policy(&self) -> &HedgePolicy<P::Delay, P::Condition, P::Listener, P::Budget> {
        (**self).as_hedge_policy()
    }
}
