//! The attempt loop: the caller writes the loop, the engine decides.

use crate::condition::Condition;
use crate::engine::{Admission, Engine, Step};
use crate::event::Listener;
use crate::guard::{Guard, GuardFor};
use crate::policy::AsPolicy;
use crate::stop::StopReason;
use crate::time::{BlockingSleeper, Clock, Entropy};
use crate::wait::Wait;
use core::convert::Infallible;
use core::fmt;
use core::ops::ControlFlow;
use core::time::Duration;

type WaitState<P> = <<P as AsPolicy>::Wait as Wait>::State;
type Permit<P> = <<P as AsPolicy>::Guard as Guard>::Permit;

/// Retries a loop body that the caller writes: a blocking attempt loop.
///
/// Each [`next`](Self::next) sleeps as the policy says, then hands out an
/// [`Attempt`]; the body runs the operation and gives its outcome to
/// [`Attempt::report`], which says whether to go round again. Unlike a
/// closure, the body may borrow local state mutably, return early with `?`
/// or `break` out.
///
/// The facade crate `backon` creates it with `backon::attempts_blocking`.
///
/// # Guards
///
/// Each attempt asks the policy's [`Guard`] (a circuit breaker) first, as
/// the other call styles do. A policy without a guard uses
/// [`next`](Self::next), which cannot be refused. A policy with one uses
/// [`try_next`](Self::try_next): when the guard refuses and the policy's
/// time limit leaves room to wait for it, `try_next` sleeps and asks again;
/// otherwise it returns the guard's error (a `BreakerOpen` converted into
/// `E`), the refused attempt counts as no attempt, and the loop has ended
/// with [`gave_up`](Self::gave_up) telling why. The guard learns each
/// outcome from [`Attempt::report`]; it is asked as for an outcome of type
/// `()`, since the loop does not know the outcome's type before the attempt
/// runs.
///
/// Unlike the other call styles, the loop never holds an outcome: the body
/// has each one, and [`Attempt::report`] hands a retried one back in
/// `Continue`. So when the guard ends the loop after some attempts,
/// `try_next` returns only the guard's error, and returning the last
/// attempt's outcome instead is up to the body, which kept it.
///
/// # Examples
///
/// ```
/// use backon_core::{BlockingAttempts, Policy, Progress, StdRuntime, Stop, StopReason, Verdict};
/// use std::ops::ControlFlow;
/// use std::time::Duration;
///
/// struct Three;
/// impl Stop for Three {
///     fn check(&self, p: &Progress) -> Verdict {
///         if p.attempts >= 3 { Verdict::Stop(StopReason::Attempts) } else { Verdict::CONTINUE }
///     }
/// }
///
/// let policy = Policy::new(Duration::from_millis(1), Three);
/// let mut log = Vec::new();
///
/// let mut attempts = BlockingAttempts::new(&policy, StdRuntime);
/// let result = loop {
///     let attempt = attempts.next();
///     log.push(attempt.number());
///     let outcome = if log.len() < 2 { Err("busy") } else { Ok(log.len()) };
///     if let ControlFlow::Break(result) = attempt.report(outcome) {
///         break result;
///     }
/// };
///
/// assert_eq!(result, Ok(2));
/// assert_eq!(log, [1, 2]);
/// ```
pub struct BlockingAttempts<P: AsPolicy, R: Clock, E> {
    inner: Inner<P, R, E>,
}

/// One attempt of an attempt loop, to which the loop body reports the
/// outcome; see [`BlockingAttempts`] and `Attempts`.
///
/// An attempt that is dropped without a report ends the call: the loop is
/// not told how the attempt went, so it cannot decide what comes next, and
/// asking it for another attempt panics.
#[must_use = "report the attempt's outcome with `Attempt::report`"]
pub struct Attempt<'a, P: AsPolicy, R: Clock, E> {
    inner: &'a mut Inner<P, R, E>,
}

/// The state of one call shared by the blocking and async attempt loops.
pub(crate) struct Inner<P: AsPolicy, R: Clock, E> {
    policy: P,
    runtime: R,
    engine: Engine<WaitState<P>, R::Instant, E, Permit<P>>,
    phase: Phase<R::Instant>,
}

/// Where an attempt loop stands.
#[derive(Debug, Clone, Copy)]
enum Phase<I> {
    /// The next attempt starts after `delay`; `since` is when its sleep
    /// began, once it has.
    Waiting {
        delay: Duration,
        // Only an async sleep can be cut short and resumed.
        #[cfg_attr(not(feature = "async"), allow(dead_code))]
        since: Option<I>,
    },
    /// An attempt is out and has not been reported.
    Running,
    /// The call has returned its outcome.
    Ended,
}

impl<P: AsPolicy, R: Clock, E> BlockingAttempts<P, R, E> {
    /// Prepares the loop; the first [`next`](Self::next) starts at once.
    pub fn new(policy: P, runtime: R) -> Self {
        BlockingAttempts {
            inner: Inner::new(policy, runtime),
        }
    }

    /// Replaces the runtime: the clock, the sleeper and the jitter seeds.
    ///
    /// Call it before the first attempt: the loop starts over on the new
    /// runtime.
    pub fn runtime<R2: Clock>(self, runtime: R2) -> BlockingAttempts<P, R2, E> {
        BlockingAttempts::new(self.inner.policy(), runtime)
    }

    /// Sleeps as the policy says after the previous attempt, then starts
    /// the next one.
    ///
    /// It serves a policy whose guard never refuses, such as one without a
    /// guard; with a circuit breaker, use [`try_next`](Self::try_next).
    ///
    /// # Panics
    ///
    /// Panics if the previous attempt was dropped without a report, or if
    /// the call has already returned its outcome.
    // A lending iterator: `Iterator` cannot hand out items that borrow it.
    #[allow(clippy::should_implement_trait)]
    #[track_caller]
    pub fn next(&mut self) -> Attempt<'_, P, R, E>
    where
        P::Listener: Listener<E>,
        P::Guard: GuardFor<(), E> + Guard<Denial = Infallible>,
        R: BlockingSleeper,
    {
        match self.try_next() {
            Ok(attempt) => attempt,
            Err(_) => unreachable!("a guard whose denial is `Infallible` admits every attempt"),
        }
    }

    /// Sleeps as the policy says after the previous attempt, asks the
    /// policy's guard, then starts the next attempt.
    ///
    /// # Errors
    ///
    /// Returns the guard's error when the guard refuses and the policy
    /// cannot wait for it (see [Guards](Self#guards)); the loop has ended
    /// then. It is the guard's error even after attempts have run: the last
    /// attempt's outcome is the body's to return.
    ///
    /// # Panics
    ///
    /// Panics if the previous attempt was dropped without a report, or if
    /// the call has already returned its outcome or been refused.
    #[track_caller]
    pub fn try_next(&mut self) -> Result<Attempt<'_, P, R, E>, E>
    where
        P::Listener: Listener<E>,
        P::Guard: GuardFor<(), E>,
        R: BlockingSleeper,
    {
        loop {
            let delay = self.inner.pending_delay();
            if !delay.is_zero() {
                self.inner.runtime.sleep(delay);
            }
            match self.inner.admit() {
                Admission::Run => break,
                Admission::Wait(_) => {}
                Admission::Stop(refused) => return Err(refusal(refused.result)),
            }
        }

        self.inner.start();
        Ok(Attempt::new(&mut self.inner))
    }

    /// Attempts started so far.
    pub fn made(&self) -> u32 {
        self.inner.engine().attempts()
    }

    /// Why the call gave up, once it has.
    pub fn gave_up(&self) -> Option<StopReason> {
        self.inner.engine().gave_up()
    }
}

impl<'a, P: AsPolicy, R: Clock, E> Attempt<'a, P, R, E> {
    pub(crate) fn new(inner: &'a mut Inner<P, R, E>) -> Self {
        Attempt { inner }
    }

    /// The attempt's number, from 1.
    pub fn number(&self) -> u32 {
        self.inner.engine.attempts()
    }

    /// Time since the first attempt started; `None` unless the policy keeps
    /// time (a time limit, or a listener that reads the clock).
    pub fn elapsed(&self) -> Option<Duration> {
        self.inner.engine.elapsed(&self.inner.runtime)
    }

    /// Reports the attempt's outcome and says what the loop does next.
    ///
    /// Returns `Break` with the outcome when the policy accepts it or gives
    /// up: the loop should end with it. Returns `Continue` with the outcome
    /// when the policy retries: the loop goes round and the next attempt
    /// sleeps first. The body may keep that outcome, to return it should a
    /// guard end the loop before the next attempt, or drop it.
    #[must_use = "`Break` carries the call's outcome: end the loop with it"]
    pub fn report<T>(self, outcome: Result<T, E>) -> ControlFlow<Result<T, E>, Result<T, E>>
    where
        P::Condition: Condition<T, E>,
        P::Listener: Listener<E>,
        P::Guard: GuardFor<T, E>,
        R: Entropy,
    {
        match self.inner.finish(&outcome) {
            Step::Return(_) => ControlFlow::Break(outcome),
            Step::Retry(_) => ControlFlow::Continue(outcome),
        }
    }
}

impl<P: AsPolicy, R: Clock, E> Inner<P, R, E> {
    pub(crate) fn new(policy: P, runtime: R) -> Self {
        Inner {
            policy,
            runtime,
            engine: Engine::new(),
            phase: Phase::Waiting {
                delay: Duration::ZERO,
                since: None,
            },
        }
    }

    pub(crate) fn policy(self) -> P {
        self.policy
    }

    #[cfg(feature = "async")]
    pub(crate) fn runtime(&self) -> &R {
        &self.runtime
    }

    pub(crate) fn engine(&self) -> &Engine<WaitState<P>, R::Instant, E, Permit<P>> {
        &self.engine
    }

    /// Returns what is left of the delay before the next attempt, and
    /// notes when that delay began if it had not.
    ///
    /// A wait cut short by a dropped `Next` goes on counting, so the next
    /// `Next` sleeps only the rest of it.
    #[cfg(feature = "async")]
    pub(crate) fn remaining_delay(&mut self) -> Duration {
        let Phase::Waiting { delay, since } = &mut self.phase else {
            return Duration::ZERO;
        };
        if delay.is_zero() {
            return Duration::ZERO;
        }

        match *since {
            None => {
                *since = Some(self.runtime.now());
                *delay
            }
            Some(start) => delay.saturating_sub(self.runtime.elapsed(start)),
        }
    }

    /// Notes that the delay before the next attempt has been slept.
    #[cfg(feature = "async")]
    pub(crate) fn slept(&mut self) {
        self.phase = Phase::Waiting {
            delay: Duration::ZERO,
            since: None,
        };
    }

    /// Returns the delay before the next attempt, or panics if the loop
    /// cannot start one.
    #[track_caller]
    pub(crate) fn pending_delay(&self) -> Duration {
        match self.phase {
            Phase::Waiting { delay, .. } => delay,
            Phase::Running => panic!(
                "attempt {} was dropped without a report: give every attempt's outcome \
                 to `Attempt::report`",
                self.engine.attempts()
            ),
            Phase::Ended => panic!(
                "the attempt loop has already returned its outcome: end the loop when \
                 `Attempt::report` returns `Break`"
            ),
        }
    }

    /// Asks the policy's guard whether the next attempt may run, once its
    /// delay has been slept. A wait for the guard becomes the delay before
    /// the next attempt; a refusal ends the loop with the guard's error.
    pub(crate) fn admit(&mut self) -> Admission<(), E>
    where
        P::Listener: Listener<E>,
        P::Guard: GuardFor<(), E>,
    {
        // The loop keeps no outcome to return: each one was the body's, so
        // a refusal always brings the guard's error.
        let admission = self
            .engine
            .admit(self.policy.as_policy(), &self.runtime, &mut None);
        match admission {
            Admission::Run => {}
            Admission::Wait(delay) => self.phase = Phase::Waiting { delay, since: None },
            Admission::Stop(_) => self.phase = Phase::Ended,
        }
        admission
    }

    /// Starts an attempt.
    pub(crate) fn start(&mut self)
    where
        P::Listener: Listener<E>,
    {
        self.engine
            .start_attempt(self.policy.as_policy(), &self.runtime);
        self.phase = Phase::Running;
    }

    /// Records how the running attempt ended.
    fn finish<T>(&mut self, outcome: &Result<T, E>) -> Step
    where
        P::Condition: Condition<T, E>,
        P::Listener: Listener<E>,
        P::Guard: GuardFor<T, E>,
        R: Entropy,
    {
        let step = self
            .engine
            .finish_attempt(self.policy.as_policy(), &self.runtime, outcome);

        self.phase = match step {
            Step::Return(_) => Phase::Ended,
            Step::Retry(delay) => Phase::Waiting { delay, since: None },
        };
        step
    }
}

/// The guard's error from the result of a refused call, which is always an
/// error.
pub(crate) fn refusal<E>(result: Result<(), E>) -> E {
    match result {
        Err(error) => error,
        Ok(()) => unreachable!("a refusal always carries the guard's error"),
    }
}

impl<P: AsPolicy, R: Clock + fmt::Debug, E> fmt::Debug for BlockingAttempts<P, R, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt_as("BlockingAttempts", f)
    }
}

impl<P: AsPolicy, R: Clock, E> fmt::Debug for Attempt<'_, P, R, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Attempt")
            .field("number", &self.number())
            .finish_non_exhaustive()
    }
}

impl<P: AsPolicy, R: Clock + fmt::Debug, E> Inner<P, R, E> {
    pub(crate) fn fmt_as(&self, name: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let phase = match self.phase {
            Phase::Waiting { .. } => "waiting",
            Phase::Running => "running",
            Phase::Ended => "ended",
        };
        f.debug_struct(name)
            .field("made", &self.engine.attempts())
            .field("phase", &phase)
            .field("runtime", &self.runtime)
            .finish_non_exhaustive()
    }
}
