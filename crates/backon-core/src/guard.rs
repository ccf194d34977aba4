//! Guards: a gate that every attempt of a retry passes, such as a circuit
//! breaker.

use crate::stop::StopReason;
use core::convert::Infallible;
use core::time::Duration;

/// Admits or refuses each attempt of a retry; a circuit breaker is one.
///
/// A policy's guard is asked before every attempt. When it admits, it hands
/// out a permit, which the engine keeps while the attempt runs and gives
/// back with the attempt's outcome through [`GuardFor::record`]. When the
/// call is dropped or the operation panics, the permit is dropped instead:
/// a guard that must know gives its permit a `Drop`.
///
/// When it refuses, the attempt does not run and counts as no attempt. The
/// engine waits for the guard when the guard says when it will admit again
/// and that moment comes before the call's time limit; otherwise the call
/// gives up with the guard's [`StopReason`]. A call that gives up so
/// returns its last attempt's outcome, and the guard's error
/// ([`GuardFor::reject`]) only when no attempt has run.
///
/// `()` is the guard that admits everything, at no cost: the default of
/// every [`Policy`](crate::Policy).
pub trait Guard {
    /// What an admitted attempt holds while it runs.
    type Permit;
    /// Why an attempt was refused.
    type Denial;

    /// Admits an attempt, or says why not.
    ///
    /// # Errors
    ///
    /// Returns the denial when the attempt must not run.
    fn admit(&self) -> Result<Self::Permit, Self::Denial>;

    /// Describes a denial to the engine: the reason to give up with, and
    /// how long until the guard will admit again, where it knows.
    fn refusal(&self, denial: &Self::Denial) -> Refusal;

    /// Whether the guard may ever refuse. A retried outcome is what the
    /// call returns should the next attempt be refused, so the drivers
    /// keep it across the sleep only for a guard that may refuse: `()`
    /// never does, and a policy without a guard keeps nothing.
    #[inline]
    fn may_refuse(&self) -> bool {
        true
    }

    /// What the guard would answer an attempt asked for now, without
    /// admitting one: the refusal it would give, or `None` when it would
    /// admit or cannot tell.
    ///
    /// The engine asks before a retry sleeps. When the guard will still
    /// refuse once the sleep ends and the call has no time left to wait for
    /// it, the call gives up at once with the last outcome instead of
    /// sleeping first. The default cannot tell, and the engine then learns
    /// of a refusal only when it asks for the next attempt.
    #[inline]
    fn outlook(&self) -> Option<Refusal> {
        None
    }
}

/// A [`Guard`] for calls whose outcome is a `Result<T, E>`: it learns each
/// outcome and turns its denials into the call's error.
pub trait GuardFor<T, E>: Guard {
    /// Records how an admitted attempt ended.
    fn record(&self, permit: Self::Permit, outcome: &Result<T, E>);

    /// Turns a denial into the error the call returns when it gives up on
    /// it before any attempt has run; after an attempt, the call returns
    /// that attempt's outcome and this is not called.
    fn reject(&self, denial: Self::Denial) -> E;
}

/// What a [`Guard`] says about a refused attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Refusal {
    /// The reason a call gives up with when it cannot wait.
    pub reason: StopReason,
    /// How long until the guard will admit an attempt, when it knows; a
    /// zero counts as not knowing.
    pub retry_in: Option<Duration>,
}

impl Refusal {
    /// Creates a refusal.
    pub const fn new(reason: StopReason, retry_in: Option<Duration>) -> Self {
        Refusal { reason, retry_in }
    }
}

impl Guard for () {
    type Permit = ();
    type Denial = Infallible;

    #[inline(always)]
    fn admit(&self) -> Result<(), Infallible> {
        Ok(())
    }

    fn refusal(&self, denial: &Infallible) -> Refusal {
        match *denial {}
    }

    #[inline(always)]
    fn may_refuse(&self) -> bool {
        false
    }
}

impl<T, E> GuardFor<T, E> for () {
    #[inline(always)]
    fn record(&self, _permit: (), _outcome: &Result<T, E>) {}

    fn reject(&self, denial: Infallible) -> E {
        match denial {}
    }
}

impl<G: Guard + ?Sized> Guard for &G {
    type Permit = G::Permit;
    type Denial = G::Denial;

    fn admit(&self) -> Result<Self::Permit, Self::Denial> {
        (**self).admit()
    }

    fn refusal(&self, denial: &Self::Denial) -> Refusal {
        (**self).refusal(denial)
    }

    fn may_refuse(&self) -> bool {
        (**self).may_refuse()
    }

    fn outlook(&self) -> Option<Refusal> {
        (**self).outlook()
    }
}

impl<T, E, G: GuardFor<T, E> + ?Sized> GuardFor<T, E> for &G {
    fn record(&self, permit: Self::Permit, outcome: &Result<T, E>) {
        (**self).record(permit, outcome)
    }

    fn reject(&self, denial: Self::Denial) -> E {
        (**self).reject(denial)
    }
}
