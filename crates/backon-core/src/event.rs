//! Events and listeners: how a call reports what it does.

use crate::stop::StopReason;
use core::fmt;
use core::time::Duration;

/// One thing that happened during a retried call.
///
/// Attempts are numbered from 1. For every call the events come in this
/// order: for each attempt an [`AttemptStarted`](Event::AttemptStarted),
/// then either [`Succeeded`](Event::Succeeded), or
/// [`AttemptFailed`](Event::AttemptFailed) followed by exactly one of
/// [`RetryScheduled`](Event::RetryScheduled) (a sleep, possibly zero, and
/// another attempt) or [`GaveUp`](Event::GaveUp).
///
/// With a [`Guard`](crate::Guard) in the policy, an attempt the guard
/// refuses does not start: a [`Refused`](Event::Refused) comes instead of
/// its `AttemptStarted`, and either the call waits and asks again, or a
/// [`GaveUp`](Event::GaveUp) follows.
///
/// When a listener [uses the clock](Listener::uses_clock), an
/// [`AttemptEnded`](Event::AttemptEnded) with the attempt's duration comes
/// between each `AttemptStarted` and the event that follows it.
///
/// A hedged group (the `backon-hedge` crate) reports with the `Hedge*`
/// events instead, its attempts numbered by index from 0, the primary: a
/// [`HedgeLaunched`](Event::HedgeLaunched) for each attempt really started,
/// a [`HedgeFailed`](Event::HedgeFailed) for each one that ends with an
/// outcome it does not accept, at most one
/// [`HedgeSkipped`](Event::HedgeSkipped), and, when one is accepted, a
/// [`HedgeWon`](Event::HedgeWon) followed by
/// [`HedgesCancelled`](Event::HedgesCancelled) when others were still
/// running.
#[derive(Debug)]
#[non_exhaustive]
pub enum Event<'a, E> {
    /// An attempt is about to run.
    AttemptStarted {
        /// The attempt's number, from 1.
        attempt: u32,
    },
    /// An attempt's outcome was not accepted: an error, or an `Ok` value the
    /// retry condition rejected.
    AttemptFailed {
        /// The attempt's number.
        attempt: u32,
        /// The error, or `None` when an `Ok` value was rejected.
        error: Option<&'a E>,
        /// Time since the call started, when the clock is in use.
        elapsed: Option<Duration>,
    },
    /// The engine will sleep for `delay` and then start another attempt.
    ///
    /// It fires once per retry, never after the last attempt.
    RetryScheduled {
        /// The number of the attempt that failed.
        attempt: u32,
        /// How long the call sleeps before the next attempt.
        delay: Duration,
    },
    /// The call returns its last outcome without retrying further.
    GaveUp {
        /// Attempts made.
        attempts: u32,
        /// Why it stopped.
        reason: StopReason,
    },
    /// The call returns an accepted outcome.
    Succeeded {
        /// Attempts made, this one included.
        attempts: u32,
    },
    /// The policy's guard (a circuit breaker) refused to start an attempt.
    Refused {
        /// The number the attempt would have had.
        attempt: u32,
        /// The reason the call gives up with if it does not wait.
        reason: StopReason,
        /// How long the call waits before asking the guard again; `None`
        /// when it gives up instead, and a [`GaveUp`](Event::GaveUp)
        /// follows.
        wait: Option<Duration>,
    },
    /// An attempt returned, and this is how long it ran.
    ///
    /// It fires only when a listener [uses the clock](Listener::uses_clock),
    /// right after the attempt and before its
    /// [`Succeeded`](Event::Succeeded) or
    /// [`AttemptFailed`](Event::AttemptFailed).
    AttemptEnded {
        /// The attempt's number.
        attempt: u32,
        /// The time from the attempt's start to its end.
        duration: Duration,
        /// Whether the outcome was accepted: a
        /// [`Succeeded`](Event::Succeeded) follows.
        accepted: bool,
    },
    /// An attempt of a hedged group starts.
    ///
    /// It fires exactly once per attempt started, the primary included.
    HedgeLaunched {
        /// The attempt's index: 0 for the primary, then 1, 2 …
        index: u32,
        /// The hedge delay that ran out before this attempt started; zero
        /// for the primary, for a zero delay, and for an attempt started at
        /// once because every running attempt had failed.
        delay: Duration,
    },
    /// An attempt of a hedged group ended with an outcome the group does
    /// not accept: an error, or an `Ok` value its condition rejects.
    HedgeFailed {
        /// The attempt's index.
        index: u32,
        /// The error, or `None` when an `Ok` value was rejected.
        error: Option<&'a E>,
    },
    /// A hedged group will start no further attempt although its policy
    /// allows more; the attempts already running go on.
    HedgeSkipped {
        /// The index the next attempt would have had.
        index: u32,
        /// Why: [`StopReason::BudgetExhausted`] when the budget said no.
        reason: StopReason,
    },
    /// An attempt's outcome was accepted: the hedged group returns it.
    HedgeWon {
        /// The winning attempt's index.
        index: u32,
    },
    /// The attempts still running when another one won were dropped,
    /// which cancelled them; it fires after they are gone.
    HedgesCancelled {
        /// How many were dropped, at least 1.
        count: u32,
    },
}

/// Receives every [`Event`] of the calls made with a policy.
///
/// `()` is the listener that does nothing, at no cost. A tuple `(A, B)`
/// delivers to both. A closure `Fn(&Event<'_, E>)` is a listener.
///
/// # Examples
///
/// ```
/// use backon_core::{Event, Listener};
/// use std::sync::atomic::{AtomicU32, Ordering};
///
/// #[derive(Default)]
/// struct CountRetries(AtomicU32);
///
/// impl<E> Listener<E> for CountRetries {
///     fn on_event(&self, event: &Event<'_, E>) {
///         if let Event::RetryScheduled { .. } = event {
///             self.0.fetch_add(1, Ordering::Relaxed);
///         }
///     }
/// }
/// # let l = CountRetries::default();
/// # Listener::<()>::on_event(&l, &Event::RetryScheduled { attempt: 1, delay: Default::default() });
/// # assert_eq!(l.0.load(Ordering::Relaxed), 1);
/// ```
pub trait Listener<E> {
    /// Handles one event.
    fn on_event(&self, event: &Event<'_, E>);

    /// Returns whether this listener wants [`Event::AttemptFailed`] to carry
    /// the elapsed time and [`Event::AttemptEnded`] to report each attempt's
    /// duration; when nothing does, the engine never reads the clock.
    fn uses_clock(&self) -> bool {
        false
    }
}

impl<E> Listener<E> for () {
    #[inline(always)]
    fn on_event(&self, _event: &Event<'_, E>) {}
}

impl<E, A: Listener<E>, B: Listener<E>> Listener<E> for (A, B) {
    fn on_event(&self, event: &Event<'_, E>) {
        self.0.on_event(event);
        self.1.on_event(event);
    }

    fn uses_clock(&self) -> bool {
        self.0.uses_clock() || self.1.uses_clock()
    }
}

impl<E, F: Fn(&Event<'_, E>)> Listener<E> for F {
    fn on_event(&self, event: &Event<'_, E>) {
        self(event)
    }
}

/// A listener that calls a closure before each sleep, with the number of
/// the failed attempt and the delay; see
/// [`Policy::before_sleep`](crate::Policy::before_sleep).
#[derive(Clone, Copy)]
pub struct BeforeSleep<F>(pub(crate) F);

impl<E, F: Fn(u32, Duration)> Listener<E> for BeforeSleep<F> {
    fn on_event(&self, event: &Event<'_, E>) {
        if let Event::RetryScheduled { attempt, delay } = *event {
            (self.0)(attempt, delay);
        }
    }
}

/// A listener that calls a closure when a call gives up, with the attempts
/// made and the reason; see [`Policy::on_give_up`](crate::Policy::on_give_up).
#[derive(Clone, Copy)]
pub struct OnGiveUp<F>(pub(crate) F);

impl<E, F: Fn(u32, StopReason)> Listener<E> for OnGiveUp<F> {
    fn on_event(&self, event: &Event<'_, E>) {
        if let Event::GaveUp { attempts, reason } = *event {
            (self.0)(attempts, reason);
        }
    }
}

/// A listener that calls a closure with each error that failed an attempt;
/// see [`Policy::on_error`](crate::Policy::on_error).
#[derive(Clone, Copy)]
pub struct OnError<F>(pub(crate) F);

impl<E, F: Fn(u32, &E)> Listener<E> for OnError<F> {
    fn on_event(&self, event: &Event<'_, E>) {
        if let Event::AttemptFailed {
            attempt,
            error: Some(error),
            ..
        } = *event
        {
            (self.0)(attempt, error);
        }
    }
}

impl<F> fmt::Debug for BeforeSleep<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BeforeSleep(..)")
    }
}

impl<F> fmt::Debug for OnGiveUp<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OnGiveUp(..)")
    }
}

impl<F> fmt::Debug for OnError<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OnError(..)")
    }
}
