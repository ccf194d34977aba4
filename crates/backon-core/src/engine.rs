//! The decision engine that every call style drives.

use crate::condition::{Condition, Decision};
use crate::event::{Event, Listener};
use crate::guard::GuardFor;
use crate::policy::Policy;
use crate::stop::{Progress, Stop, StopReason, Verdict};
use crate::time::{Clock, Entropy};
use crate::wait::Wait;
use core::fmt;
use core::marker::PhantomData;
use core::time::Duration;

/// What to do before an attempt, as the policy's [`Guard`](crate::Guard) decides; see
/// [`Engine::admit`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Admission<T, E> {
    /// Run the attempt: call [`Engine::start_attempt`] and the operation.
    Run,
    /// Sleep this long, then ask again.
    Wait(Duration),
    /// Return this report: the guard refused and the call gives up. Its
    /// outcome is the last attempt's, or the guard's error when no attempt
    /// has run.
    Stop(Report<T, E>),
}

/// What to do after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Return the outcome. `None` when it was accepted, or the reason the
    /// call gave up.
    Return(Option<StopReason>),
    /// Sleep this long, then start the next attempt. A zero delay means no
    /// sleep at all: do not touch a timer.
    Retry(Duration),
}

/// The per-call state of a retry and the one place where retry decisions
/// are made.
///
/// The async future, the blocking loop and every other call style hold an
/// `Engine` and tell it when an attempt starts and how it ended; the engine
/// emits the events and answers with a [`Step`]. It allocates nothing, and
/// it reads the clock only when the stop condition or a listener uses it.
///
/// A driver calls [`admit`](Engine::admit) before each attempt: it asks the
/// policy's [`Guard`](crate::Guard) and keeps the permit until
/// [`finish_attempt`](Engine::finish_attempt) records the outcome with it.
/// Dropping the engine drops a permit still held. With the default guard
/// `()` this costs nothing; a driver that skips `admit` runs unguarded.
///
/// A driver keeps the outcome of an attempt that is retried, and lends it
/// to the next `admit`: when the guard ends the call there, that outcome is
/// what the call returns, as if a stop condition had ended it.
///
/// # Examples
///
/// A hand-written blocking loop:
///
/// ```
/// use backon_core::{Admission, Engine, Policy, Progress, StdRuntime, Step, Stop, StopReason, Verdict};
/// use std::time::Duration;
///
/// struct Twice;
/// impl Stop for Twice {
///     fn check(&self, p: &Progress) -> Verdict {
///         if p.attempts >= 2 { Verdict::Stop(StopReason::Attempts) } else { Verdict::CONTINUE }
///     }
/// }
///
/// let policy = Policy::new(Duration::ZERO, Twice);
/// let mut engine = Engine::new();
/// // The outcome of an attempt that is being retried.
/// let mut last = None;
/// let outcome = loop {
///     match engine.admit(&policy, &StdRuntime, &mut last) {
///         Admission::Run => {}
///         Admission::Wait(delay) => { std::thread::sleep(delay); continue; }
///         Admission::Stop(report) => break report.result,
///     }
///     engine.start_attempt(&policy, &StdRuntime);
///     let outcome: Result<(), &str> = Err("down");
///     match engine.finish_attempt(&policy, &StdRuntime, &outcome) {
///         Step::Return(_) => break outcome,
///         Step::Retry(delay) => {
///             last = Some(outcome);
///             std::thread::sleep(delay);
///         }
///     }
/// };
/// assert_eq!(outcome, Err("down"));
/// assert_eq!(engine.attempts(), 2);
/// ```
pub struct Engine<WS, I, E, Pm = ()> {
    attempts: u32,
    start: Option<I>,
    // When the current attempt started, as time since `start`; kept only
    // for listeners that use the clock.
    attempt_start: Duration,
    wait_state: Option<WS>,
    gave_up: Option<StopReason>,
    permit: Option<Pm>,
    // The error type fixes which `Listener<E>` receives the events; `fn`
    // keeps the engine `Send` and `Sync` whatever `E` is.
    error: PhantomData<fn(&E)>,
}

impl<WS, I: Copy, E, Pm> Engine<WS, I, E, Pm> {
    /// Creates the state of a new call.
    pub const fn new() -> Self {
        Engine {
            attempts: 0,
            start: None,
            attempt_start: Duration::ZERO,
            wait_state: None,
            gave_up: None,
            permit: None,
            error: PhantomData,
        }
    }

    /// Attempts started so far.
    pub const fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Why the call gave up, once it has.
    pub const fn gave_up(&self) -> Option<StopReason> {
        self.gave_up
    }

    /// Asks the policy's guard whether the next attempt may run.
    ///
    /// `last` is the outcome of the previous attempt, which the driver
    /// keeps when [`finish_attempt`](Engine::finish_attempt) retries it, or
    /// `None` before the first attempt (or in a driver that hands each
    /// outcome to its user instead).
    ///
    /// On [`Admission::Run`] the engine keeps the guard's permit for
    /// `finish_attempt` and drops `last`: the attempt about to run replaces
    /// it. On a refusal the attempt does not count. The engine answers
    /// [`Admission::Wait`] when the guard will admit again no later than the
    /// stop condition's deadline (a time limit), leaving `last` in place.
    /// Otherwise it gives up with the guard's reason, and the report's
    /// outcome is `last`, taken from the driver, or the guard's error when
    /// `last` is `None`: without a time limit, a refusal ends the call at
    /// once.
    pub fn admit<W, S, C, L, G, R, T>(
        &mut self,
        policy: &Policy<W, S, C, L, G>,
        runtime: &R,
        last: &mut Option<Result<T, E>>,
    ) -> Admission<T, E>
    where
        W: Wait<State = WS>,
        S: Stop,
        L: Listener<E>,
        G: GuardFor<T, E, Permit = Pm>,
        R: Clock<Instant = I>,
    {
        self.start_clock(policy, runtime);
        let denial = match policy.guard().admit() {
            Ok(permit) => {
                self.permit = Some(permit);
                // Only a guard that may refuse ever leaves an outcome here.
                if policy.guard().may_refuse() {
                    *last = None;
                }
                return Admission::Run;
            }
            Err(denial) => denial,
        };

        let refusal = policy.guard().refusal(&denial);
        let elapsed = self
            .start
            .map_or(Duration::ZERO, |start| runtime.elapsed(start));

        // Like a sleep, a wait for the guard may end at the time limit but
        // not past it. The deadline comes from `Stop::deadline`, not from
        // `check`, which may spend a retry budget.
        let wait = match (refusal.retry_in, policy.stop().deadline()) {
            (Some(wait), Some(deadline))
                if !wait.is_zero() && elapsed.saturating_add(wait) <= deadline =>
            {
                Some(wait)
            }
            _ => None,
        };
        policy.listener().on_event(&Event::Refused {
            attempt: self.attempts.saturating_add(1),
            reason: refusal.reason,
            wait,
        });
        if let Some(wait) = wait {
            return Admission::Wait(wait);
        }

        self.give_up(policy.listener(), refusal.reason);

        // The guard's error is made only when no attempt left an outcome:
        // converting it may cost an allocation.
        let result = match last.take() {
            Some(outcome) => outcome,
            None => Err(policy.guard().reject(denial)),
        };
        Admission::Stop(Report {
            result,
            attempts: self.attempts,
            gave_up: Some(refusal.reason),
        })
    }

    /// Time since the first attempt started, read from `runtime` now; `None`
    /// unless the engine keeps time (a part of the policy uses the clock).
    pub fn elapsed<R: Clock<Instant = I>>(&self, runtime: &R) -> Option<Duration> {
        self.start.map(|start| runtime.elapsed(start))
    }

    /// Records that an attempt starts.
    ///
    /// Call [`admit`](Engine::admit) first when the policy has a guard.
    pub fn start_attempt<W, S, C, L, G, R>(&mut self, policy: &Policy<W, S, C, L, G>, runtime: &R)
    where
        W: Wait<State = WS>,
        S: Stop,
        L: Listener<E>,
        R: Clock<Instant = I>,
    {
        let listener_clock = policy.listener().uses_clock();
        // A guard's admission may have started the clock already.
        if self.start.is_none() && (policy.stop().uses_clock() || listener_clock) {
            self.start = Some(runtime.now());
        } else if let (true, Some(start)) = (listener_clock, self.start) {
            self.attempt_start = runtime.elapsed(start);
        }
        self.attempts = self.attempts.saturating_add(1);
        policy.listener().on_event(&Event::AttemptStarted {
            attempt: self.attempts,
        });
    }

    /// Records how the current attempt ended and decides what comes next.
    ///
    /// The guard's permit, if [`admit`](Engine::admit) took one, goes back
    /// to the guard with the outcome first.
    pub fn finish_attempt<W, S, C, L, G, R, T>(
        &mut self,
        policy: &Policy<W, S, C, L, G>,
        runtime: &R,
        outcome: &Result<T, E>,
    ) -> Step
    where
        W: Wait<State = WS>,
        S: Stop,
        C: Condition<T, E>,
        L: Listener<E>,
        G: GuardFor<T, E, Permit = Pm>,
        R: Clock<Instant = I> + Entropy,
    {
        if let Some(permit) = self.permit.take() {
            policy.guard().record(permit, outcome);
        }

        let attempt = self.attempts;
        let decision = policy.condition().check(outcome);
        let accepted = matches!((decision, outcome), (Decision::Return, Ok(_)));

        // One clock reading serves both the attempt's duration and, on
        // failure, the call's elapsed time.
        let mut elapsed = None;
        if let (true, Some(start)) = (policy.listener().uses_clock(), self.start) {
            let now = runtime.elapsed(start);
            elapsed = Some(now);
            policy.listener().on_event(&Event::AttemptEnded {
                attempt,
                duration: now.saturating_sub(self.attempt_start),
                accepted,
            });
        }

        // An accepted error is still a failure the caller sees, so it ends
        // the call as a give-up, not a success.
        let hint = match (decision, outcome) {
            (Decision::Return, Ok(_)) => {
                policy
                    .listener()
                    .on_event(&Event::Succeeded { attempts: attempt });
                return Step::Return(None);
            }
            (Decision::Return, Err(_)) => None,
            (Decision::Retry, _) => Some(None),
            (Decision::RetryAfter(delay), _) => Some(Some(delay)),
        };

        let elapsed = elapsed.or_else(|| self.start.map(|start| runtime.elapsed(start)));
        policy.listener().on_event(&Event::AttemptFailed {
            attempt,
            error: outcome.as_ref().err(),
            elapsed,
        });
        let Some(hint) = hint else {
            return self.give_up(policy.listener(), StopReason::NotRetryable);
        };

        let progress = Progress {
            attempts: attempt,
            elapsed: elapsed.unwrap_or_default(),
        };
        let deadline = match policy.stop().check(&progress) {
            Verdict::Stop(reason) => return self.give_up(policy.listener(), reason),
            Verdict::Continue { deadline } => deadline,
        };

        let wait = policy.wait();
        let mut delay = match hint {
            Some(hinted) => hinted.min(wait.cap()),
            None => {
                let state = self
                    .wait_state
                    .get_or_insert_with(|| wait.start(seed_for(wait, runtime)));
                wait.next(state, attempt)
            }
        };

        // A time limit never lets a sleep end past it: the last sleep is
        // shortened so that the final attempt starts at the limit.
        if let Some(deadline) = deadline {
            let left = deadline.saturating_sub(progress.elapsed);
            if left.is_zero() {
                return self.give_up(policy.listener(), StopReason::TimeLimit);
            }
            delay = delay.min(left);
        }

        // Asking the guard after the sleep, as `admit` does, would give up
        // there; a guard that already knows it will still refuse then, with
        // no time left to wait for it, ends the call before the sleep.
        if let Some(refusal) = policy.guard().outlook() {
            let admits_in_time = refusal.retry_in.is_some_and(|ready| {
                ready <= delay
                    || deadline.is_some_and(|limit| progress.elapsed.saturating_add(ready) <= limit)
            });
            if !admits_in_time {
                policy.listener().on_event(&Event::Refused {
                    attempt: attempt.saturating_add(1),
                    reason: refusal.reason,
                    wait: None,
                });
                return self.give_up(policy.listener(), refusal.reason);
            }
        }

        policy
            .listener()
            .on_event(&Event::RetryScheduled { attempt, delay });
        Step::Retry(delay)
    }

    /// Notes when the call started, once, if anything reads elapsed time.
    fn start_clock<W, S, C, L, G, R>(&mut self, policy: &Policy<W, S, C, L, G>, runtime: &R)
    where
        S: Stop,
        L: Listener<E>,
        R: Clock<Instant = I>,
    {
        if self.start.is_none() && (policy.stop().uses_clock() || policy.listener().uses_clock()) {
            self.start = Some(runtime.now());
        }
    }

    fn give_up<L: Listener<E>>(&mut self, listener: &L, reason: StopReason) -> Step {
        self.gave_up = Some(reason);
        listener.on_event(&Event::GaveUp {
            attempts: self.attempts,
            reason,
        });
        Step::Return(Some(reason))
    }
}

fn seed_for<W: Wait, R: Entropy>(wait: &W, runtime: &R) -> u64 {
    // Drawing a seed costs a hash; deterministic waits ignore it.
    if wait.uses_seed() { runtime.seed() } else { 0 }
}

impl<WS, I: Copy, E, Pm> Default for Engine<WS, I, E, Pm> {
    fn default() -> Self {
        Self::new()
    }
}

impl<WS, I: fmt::Debug, E, Pm> fmt::Debug for Engine<WS, I, E, Pm> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Engine")
            .field("attempts", &self.attempts)
            .field("start", &self.start)
            .field("gave_up", &self.gave_up)
            .finish_non_exhaustive()
    }
}

/// The outcome of a retried call with what it took, from
/// `with_report()` on the retry builders.
///
/// For users who ask "did this need retries?".
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Report<T, E> {
    /// The outcome returned by the last attempt; or, when a guard such as
    /// a circuit breaker refused the first attempt, the guard's error.
    pub result: Result<T, E>,
    /// Attempts made, from 1.
    pub attempts: u32,
    /// Why the call gave up; `None` when its outcome was accepted.
    pub gave_up: Option<StopReason>,
}

impl<T, E> Report<T, E> {
    /// Returns whether the call needed more than one attempt.
    pub fn retried(&self) -> bool {
        self.attempts > 1
    }
}
