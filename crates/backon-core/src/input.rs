//! Retrying an operation that consumes its input and gives it back when it
//! fails.

use crate::condition::{Condition, Decision};
use crate::engine::{Admission, Engine, Report, Step};
use crate::event::{Event, Listener};
use crate::guard::{Guard, GuardFor};
use crate::policy::{AsPolicy, Policy};
use crate::time::{BlockingSleeper, Clock, Entropy};
use crate::wait::Wait;
use core::fmt;

/// Runs a blocking operation that consumes its input, and retries it with
/// the input each failed attempt gives back.
///
/// The operation takes the input by value and returns `Ok(value)`, or
/// `Err((error, input))` to hand the input back for the next attempt. The
/// call returns the operation's own `Result<T, (E, I)>`: the first accepted
/// value, or the last error with the input, so that nothing is lost when
/// the policy gives up. `.map_err(|(e, _)| e)?` keeps only the error.
///
/// The policy's retry condition and listeners see each outcome as a
/// `Result<T, E>`, the input set aside. An `Ok` value always ends the call,
/// whatever the retry condition says of it: the attempt has consumed the
/// input, so there is nothing to retry with. To retry some `Ok` values,
/// turn them into errors that carry the input back.
///
/// The policy's guard (a circuit breaker) is asked before every attempt,
/// as for [`BlockingRetry`](crate::BlockingRetry). When it refuses and the
/// call cannot wait for it, the call returns the last attempt's error with
/// the input that attempt gave back; if the first attempt was refused, it
/// returns the guard's error beside the input, which no attempt took.
///
/// The facade crate `backon` creates it with
/// `backon::retry_with_input_blocking`.
///
/// # Examples
///
/// ```
/// use backon_core::{BlockingRetryWithInput, Policy, Progress, StdRuntime, Stop, StopReason, Verdict};
/// use std::time::Duration;
///
/// struct Three;
/// impl Stop for Three {
///     fn check(&self, p: &Progress) -> Verdict {
///         if p.attempts >= 3 { Verdict::Stop(StopReason::Attempts) } else { Verdict::CONTINUE }
///     }
/// }
///
/// // Sending consumes the body; a failed send gives it back.
/// fn send(body: Vec<u8>, tries: &mut u32) -> Result<usize, (&'static str, Vec<u8>)> {
///     *tries += 1;
///     if *tries < 2 { Err(("busy", body)) } else { Ok(body.len()) }
/// }
///
/// let policy = Policy::new(Duration::from_millis(1), Three);
/// let mut tries = 0;
/// let sent = BlockingRetryWithInput::new(
///     b"hello".to_vec(),
///     |body| send(body, &mut tries),
///     &policy,
///     StdRuntime,
/// )
/// .call();
/// assert_eq!(sent, Ok(5));
/// ```
pub struct BlockingRetryWithInput<P, R, F, I> {
    policy: P,
    runtime: R,
    op: F,
    input: I,
}

impl<P: AsPolicy, R, F, I> BlockingRetryWithInput<P, R, F, I> {
    /// Prepares the retry; nothing runs until [`call`](Self::call).
    pub fn new(input: I, op: F, policy: P, runtime: R) -> Self {
        BlockingRetryWithInput {
            policy,
            runtime,
            op,
            input,
        }
    }

    /// Replaces the runtime: the clock, the sleeper and the jitter seeds.
    pub fn runtime<R2>(self, runtime: R2) -> BlockingRetryWithInput<P, R2, F, I> {
        BlockingRetryWithInput::new(self.input, self.op, self.policy, runtime)
    }

    /// Runs the operation until it succeeds or the policy gives up, and
    /// returns that outcome.
    ///
    /// # Errors
    ///
    /// Returns the last error, with the input the last attempt gave back,
    /// when the policy gives up; or the guard's error with the input when
    /// the guard refused the first attempt.
    pub fn call<T, E>(self) -> Result<T, (E, I)>
    where
        P::Condition: Condition<T, E>,
        P::Listener: Listener<E>,
        P::Guard: GuardFor<T, E>,
        R: BlockingSleeper + Clock + Entropy,
        F: FnMut(I) -> Result<T, (E, I)>,
    {
        self.call_with_report().result
    }

    /// Like [`call`](Self::call), and also tells how many attempts it took
    /// and why it gave up, if it did.
    pub fn call_with_report<T, E>(mut self) -> Report<T, (E, I)>
    where
        P::Condition: Condition<T, E>,
        P::Listener: Listener<E>,
        P::Guard: GuardFor<T, E>,
        R: BlockingSleeper + Clock + Entropy,
        F: FnMut(I) -> Result<T, (E, I)>,
    {
        let policy = view(self.policy.as_policy());
        let mut engine = Engine::new();
        let mut input = self.input;
        // A retried outcome (always an error), kept in case the guard ends
        // the call next.
        let mut last = None;

        loop {
            match engine.admit(&policy, &self.runtime, &mut last) {
                Admission::Run => {}
                Admission::Wait(delay) => {
                    self.runtime.sleep(delay);
                    continue;
                }
                Admission::Stop(refused) => return with_input(refused, input),
            }
            engine.start_attempt(&policy, &self.runtime);
            let (outcome, back) = split((self.op)(input));

            match (
                engine.finish_attempt(&policy, &self.runtime, &outcome),
                back,
            ) {
                (Step::Retry(delay), Some(back)) => {
                    input = back;
                    last = policy.guard().may_refuse().then_some(outcome);
                    if !delay.is_zero() {
                        self.runtime.sleep(delay);
                    }
                }
                (step, back) => return report(outcome, back, step, engine.attempts()),
            }
        }
    }
}

/// The policy as a call with input sees it: the same parts, with every
/// `Ok` ending the call.
pub(crate) type View<'a, W, S, C, L, G> =
    Policy<&'a W, &'a S, OkEnds<&'a C>, ((), ByRef<'a, L>), &'a G>;

/// Borrows `policy` as a call with input runs it, guard included: a
/// refusal hands the input back beside the last error, or the guard's.
pub(crate) fn view<W: Wait, S: crate::Stop, C, L, G: crate::Guard>(
    policy: &Policy<W, S, C, L, G>,
) -> View<'_, W, S, C, L, G> {
    Policy::new(policy.wait(), policy.stop())
        .retry_when(OkEnds(policy.condition()))
        .listen(ByRef(policy.listener()))
        .with_guard(policy.guard())
}

/// Puts the input back beside the error of a call that its guard ended:
/// the last attempt's error with the input it gave back, or the guard's
/// error with the input no attempt took.
pub(crate) fn with_input<T, E, I>(refused: Report<T, E>, input: I) -> Report<T, (E, I)> {
    Report {
        result: refused.result.map_err(|error| (error, input)),
        attempts: refused.attempts,
        gave_up: refused.gave_up,
    }
}

/// Sets the input an error carries aside, so that the engine sees the
/// operation's outcome as `Result<T, E>`.
pub(crate) fn split<T, E, I>(outcome: Result<T, (E, I)>) -> (Result<T, E>, Option<I>) {
    match outcome {
        Ok(value) => (Ok(value), None),
        Err((error, input)) => (Err(error), Some(input)),
    }
}

/// Puts the input back beside the error of the final outcome.
pub(crate) fn report<T, E, I>(
    outcome: Result<T, E>,
    input: Option<I>,
    step: Step,
    attempts: u32,
) -> Report<T, (E, I)> {
    let gave_up = match step {
        Step::Return(gave_up) => gave_up,
        Step::Retry(_) => None,
    };
    let result = match (outcome, input) {
        (Ok(value), _) => Ok(value),
        (Err(error), Some(input)) => Err((error, input)),
        // `split` gives every error its input back.
        (Err(_), None) => unreachable!("an error always carries its input"),
    };

    Report {
        result,
        attempts,
        gave_up,
    }
}

/// A retry condition that returns every `Ok` and asks `C` about errors.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OkEnds<C>(C);

impl<T, E, C: Condition<T, E>> Condition<T, E> for OkEnds<C> {
    fn check(&self, outcome: &Result<T, E>) -> Decision {
        match outcome {
            Ok(_) => Decision::Return,
            Err(_) => self.0.check(outcome),
        }
    }
}

/// A listener borrowed from a policy.
pub(crate) struct ByRef<'a, L>(&'a L);

impl<E, L: Listener<E>> Listener<E> for ByRef<'_, L> {
    fn on_event(&self, event: &Event<'_, E>) {
        self.0.on_event(event);
    }

    fn uses_clock(&self) -> bool {
        self.0.uses_clock()
    }
}

impl<P, R: fmt::Debug, F, I> fmt::Debug for BlockingRetryWithInput<P, R, F, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlockingRetryWithInput")
            .field("runtime", &self.runtime)
            .finish_non_exhaustive()
    }
}
