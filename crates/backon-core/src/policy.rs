//! The policy: wait, stop, retry condition and listeners in one value.

use crate::condition::AnyError;
use crate::event::{BeforeSleep, OnError, OnGiveUp};
use crate::guard::Guard;
use crate::stop::{Stop, StopReason};
use crate::wait::Wait;
use core::time::Duration;

/// How a call is retried: a wait strategy, a stop condition, a retry
/// condition, listeners and, optionally, a guard such as a circuit breaker.
///
/// A policy is an immutable value. Build it once and use it for any number
/// of calls, on any thread, at the same time: everything that changes
/// during a call lives in that call. It is `Clone`, `Send` and `Sync`
/// whenever its parts are.
///
/// # Defaults
///
/// [`Policy::new`] takes the wait strategy and the stop condition. The retry
/// condition defaults to [`AnyError`] (retry every error, never an `Ok`),
/// there are no listeners, and the guard is `()`, which admits every
/// attempt at no cost.
///
/// # Examples
///
/// ```
/// use backon_core::{BlockingRetry, Policy, StdRuntime, Stop, Progress, Verdict, StopReason};
/// use std::time::Duration;
///
/// // backon-stop has ready-made stop conditions; this one allows 3 attempts.
/// struct Three;
/// impl Stop for Three {
///     fn check(&self, p: &Progress) -> Verdict {
///         if p.attempts >= 3 { Verdict::Stop(StopReason::Attempts) } else { Verdict::CONTINUE }
///     }
/// }
///
/// let policy = Policy::new(Duration::ZERO, Three)
///     .before_sleep(|attempt, delay| assert!(attempt < 3 && delay.is_zero()));
///
/// let mut calls = 0;
/// let result: Result<u32, &str> = BlockingRetry::new(
///     || { calls += 1; if calls < 3 { Err("flaky") } else { Ok(calls) } },
///     &policy,
///     StdRuntime,
/// )
/// .call();
/// assert_eq!(result, Ok(3));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Policy<W, S, C = AnyError, L = (), G = ()> {
    wait: W,
    stop: S,
    condition: C,
    listener: L,
    guard: G,
}

impl<W: Wait, S: Stop> Policy<W, S> {
    /// Creates a policy from a wait strategy and a stop condition.
    ///
    /// Both were validated when they were built, so this cannot fail.
    pub const fn new(wait: W, stop: S) -> Self {
        Policy {
            wait,
            stop,
            condition: AnyError,
            listener: (),
            guard: (),
        }
    }
}

impl<W, S, C, L, G> Policy<W, S, C, L, G> {
    /// Replaces the retry condition.
    ///
    /// See [`condition`](crate::condition) for the building blocks and how
    /// they combine.
    pub fn retry_when<C2>(self, condition: C2) -> Policy<W, S, C2, L, G> {
        Policy {
            wait: self.wait,
            stop: self.stop,
            condition,
            listener: self.listener,
            guard: self.guard,
        }
    }

    /// Replaces the wait strategy.
    pub fn with_wait<W2: Wait>(self, wait: W2) -> Policy<W2, S, C, L, G> {
        Policy {
            wait,
            stop: self.stop,
            condition: self.condition,
            listener: self.listener,
            guard: self.guard,
        }
    }

    /// Replaces the stop condition.
    pub fn with_stop<S2: Stop>(self, stop: S2) -> Policy<W, S2, C, L, G> {
        Policy {
            wait: self.wait,
            stop,
            condition: self.condition,
            listener: self.listener,
            guard: self.guard,
        }
    }

    /// Adds a listener; every event goes to the earlier listeners first.
    pub fn listen<L2>(self, listener: L2) -> Policy<W, S, C, (L, L2), G> {
        Policy {
            wait: self.wait,
            stop: self.stop,
            condition: self.condition,
            listener: (self.listener, listener),
            guard: self.guard,
        }
    }

    /// Adds a hook called before each sleep with the number of the attempt
    /// that failed and the delay.
    ///
    /// It fires exactly once per retry and never after the last attempt.
    pub fn before_sleep<F>(self, f: F) -> Policy<W, S, C, (L, BeforeSleep<F>), G>
    where
        F: Fn(u32, Duration),
    {
        self.listen(BeforeSleep(f))
    }

    /// Adds a hook called once when a call gives up, with the attempts made
    /// and the reason.
    pub fn on_give_up<F>(self, f: F) -> Policy<W, S, C, (L, OnGiveUp<F>), G>
    where
        F: Fn(u32, StopReason),
    {
        self.listen(OnGiveUp(f))
    }

    /// Adds a hook called with every error that fails an attempt, the last
    /// one included, with the attempt's number.
    pub fn on_error<F>(self, f: F) -> Policy<W, S, C, (L, OnError<F>), G> {
        self.listen(OnError(f))
    }

    /// Replaces the guard that admits each attempt, such as a circuit
    /// breaker from `backon-breaker`.
    ///
    /// The engine asks the guard before every attempt. A refused attempt
    /// does not run and is not an attempt: the call waits for the guard
    /// when the guard will admit before the time limit, and otherwise gives
    /// up with the guard's reason. It then returns the last attempt's
    /// outcome, as a stop condition would have; only a call refused before
    /// its first attempt returns the guard's error.
    pub fn with_guard<G2: Guard>(self, guard: G2) -> Policy<W, S, C, L, G2> {
        Policy {
            wait: self.wait,
            stop: self.stop,
            condition: self.condition,
            listener: self.listener,
            guard,
        }
    }

    /// Returns the wait strategy.
    pub fn wait(&self) -> &W {
        &self.wait
    }

    /// Returns the stop condition.
    pub fn stop(&self) -> &S {
        &self.stop
    }

    /// Returns the retry condition.
    pub fn condition(&self) -> &C {
        &self.condition
    }

    /// Returns the listeners.
    pub fn listener(&self) -> &L {
        &self.listener
    }

    /// Returns the guard.
    pub fn guard(&self) -> &G {
        &self.guard
    }

    /// Rebuilds the stop condition from the current one.
    pub(crate) fn map_stop<S2: Stop>(self, f: impl FnOnce(S) -> S2) -> Policy<W, S2, C, L, G> {
        Policy {
            wait: self.wait,
            stop: f(self.stop),
            condition: self.condition,
            listener: self.listener,
            guard: self.guard,
        }
    }
}

/// A value that lends a [`Policy`]: the policy itself, a reference to one,
/// or (with the `std` feature) an `Arc` of one.
///
/// It lets a retry borrow its policy for the usual case and own it when the
/// future must be `'static`, as a spawned task needs.
pub trait AsPolicy {
    /// The wait strategy.
    type Wait: Wait;
    /// The stop condition.
    type Stop: Stop;
    /// The retry condition.
    type Condition;
    /// The listeners.
    type Listener;
    /// The guard.
    type Guard: Guard;

    /// Returns the policy.
    // Five parts spelled out read better than an alias that hides them.
    #[allow(clippy::type_complexity)]
    fn as_policy(
        &self,
    ) -> &Policy<Self::Wait, Self::Stop, Self::Condition, Self::Listener, Self::Guard>;
}

impl<W: Wait, S: Stop, C, L, G: Guard> AsPolicy for Policy<W, S, C, L, G> {
    type Wait = W;
    type Stop = S;
    type Condition = C;
    type Listener = L;
    type Guard = G;

    fn as_policy(&self) -> &Self {
        self
    }
}

impl<P: AsPolicy + ?Sized> AsPolicy for &P {
    type Wait = P::Wait;
    type Stop = P::Stop;
    type Condition = P::Condition;
    type Listener = P::Listener;
    type Guard = P::Guard;

    fn as_policy(&self) -> &Policy<P::Wait, P::Stop, P::Condition, P::Listener, P::Guard> {
        (**self).as_policy()
    }
}

#[cfg(feature = "std")]
impl<P: AsPolicy + ?Sized> AsPolicy for std::sync::Arc<P> {
    type Wait = P::Wait;
    type Stop = P::Stop;
    type Condition = P::Condition;
    type Listener = P::Listener;
    type Guard = P::Guard;

    fn as_policy(&self) -> &Policy<P::Wait, P::Stop, P::Condition, P::Listener, P::Guard> {
        (**self).as_policy()
    }
}
