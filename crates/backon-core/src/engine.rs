//! The decision engine that every call style drives.

use crate::condition::{Condition, Decision};
use crate::event::{Event, Listener};
use crate::policy::Policy;
use crate::stop::{Progress, Stop, StopReason, Verdict};
use crate::time::{Clock, Entropy};
use crate::wait::Wait;
use core::fmt;
use core::marker::PhantomData;
use core::time::Duration;

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
/// # Examples
///
/// A hand-written blocking loop:
///
/// ```
/// use backon_core::{Engine, Policy, Progress, StdRuntime, Step, Stop, StopReason, Verdict};
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
/// let outcome = loop {
///     engine.start_attempt(&policy, &StdRuntime);
///     let outcome: Result<(), &str> = Err("down");
///     match engine.finish_attempt(&policy, &StdRuntime, &outcome) {
///         Step::Return(_) => break outcome,
///         Step::Retry(delay) => std::thread::sleep(delay),
///     }
/// };
/// assert_eq!(outcome, Err("down"));
/// assert_eq!(engine.attempts(), 2);
/// ```
pub struct Engine<WS, I, E> {
    attempts: u32,
    start: Option<I>,
    // When the current attempt started, as time since `start`; kept only
    // for listeners that use the clock.
    attempt_start: Duration,
    wait_state: Option<WS>,
    gave_up: Option<StopReason>,
    // The error type fixes which `Listener<E>` receives the events; `fn`
    // keeps the engine `Send` and `Sync` whatever `E` is.
    error: PhantomData<fn(&E)>,
}

impl<WS, I: Copy, E> Engine<WS, I, E> {
    /// Creates the state of a new call.
    pub const fn new() -> Self {
        Engine {
            attempts: 0,
            start: None,
            attempt_start: Duration::ZERO,
            wait_state: None,
            gave_up: None,
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

    /// Time since the first attempt started, read from `runtime` now; `None`
    /// unless the engine keeps time (a part of the policy uses the clock).
    pub fn elapsed<R: Clock<Instant = I>>(&self, runtime: &R) -> Option<Duration> {
        self.start.map(|start| runtime.elapsed(start))
    }

    /// Records that an attempt starts.
    pub fn start_attempt<W, S, C, L, R>(&mut self, policy: &Policy<W, S, C, L>, runtime: &R)
    where
        W: Wait<State = WS>,
        S: Stop,
        L: Listener<E>,
        R: Clock<Instant = I>,
    {
        let listener_clock = policy.listener().uses_clock();
        if self.attempts == 0 && (policy.stop().uses_clock() || listener_clock) {
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
    pub fn finish_attempt<W, S, C, L, R, T>(
        &mut self,
        policy: &Policy<W, S, C, L>,
        runtime: &R,
        outcome: &Result<T, E>,
    ) -> Step
    where
        W: Wait<State = WS>,
        S: Stop,
        C: Condition<T, E>,
        L: Listener<E>,
        R: Clock<Instant = I> + Entropy,
    {
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

        policy
            .listener()
            .on_event(&Event::RetryScheduled { attempt, delay });
        Step::Retry(delay)
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

impl<WS, I: Copy, E> Default for Engine<WS, I, E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<WS, I: fmt::Debug, E> fmt::Debug for Engine<WS, I, E> {
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
    /// The outcome returned by the last attempt.
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
