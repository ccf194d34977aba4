//! Blocking retry.

use crate::condition::Condition;
use crate::engine::{Admission, Engine, Report, Step};
use crate::event::Listener;
use crate::guard::{Guard, GuardFor};
use crate::policy::AsPolicy;
use crate::time::{BlockingSleeper, Clock, Entropy};
use core::fmt;

/// Runs a blocking operation and retries it as a policy says.
///
/// The facade crate `backon` creates it with `op.retry(&policy)` on a
/// closure that returns a `Result`; [`call`](BlockingRetry::call) runs it.
///
/// # Examples
///
/// ```
/// use backon_core::{BlockingRetry, Policy, StdRuntime, Progress, Stop, StopReason, Verdict};
/// use std::time::Duration;
///
/// struct Attempts(u32);
/// impl Stop for Attempts {
///     fn check(&self, p: &Progress) -> Verdict {
///         if p.attempts >= self.0 { Verdict::Stop(StopReason::Attempts) } else { Verdict::CONTINUE }
///     }
/// }
///
/// let policy = Policy::new(Duration::from_millis(1), Attempts(3));
/// let report = BlockingRetry::new(|| Err::<(), _>("down"), &policy, StdRuntime).call_with_report();
/// assert_eq!(report.attempts, 3);
/// assert_eq!(report.gave_up, Some(StopReason::Attempts));
/// ```
pub struct BlockingRetry<P, R, F> {
    policy: P,
    runtime: R,
    op: F,
}

impl<P: AsPolicy, R, F> BlockingRetry<P, R, F> {
    /// Prepares the retry; nothing runs until [`call`](Self::call).
    pub fn new(op: F, policy: P, runtime: R) -> Self {
        BlockingRetry {
            policy,
            runtime,
            op,
        }
    }

    /// Replaces the runtime: the clock, the sleeper and the jitter seeds.
    pub fn runtime<R2>(self, runtime: R2) -> BlockingRetry<P, R2, F> {
        BlockingRetry {
            policy: self.policy,
            runtime,
            op: self.op,
        }
    }

    /// Runs the operation until the policy accepts its outcome or gives up,
    /// and returns that outcome.
    ///
    /// When the policy's guard (a circuit breaker) ends the call, the call
    /// returns the last attempt's outcome, or the guard's error if the
    /// first attempt was refused.
    ///
    /// # Errors
    ///
    /// Returns the operation's last error when the policy gives up on it,
    /// or the guard's error when the guard refused the first attempt.
    #[inline]
    pub fn call<T, E>(self) -> Result<T, E>
    where
        P::Condition: Condition<T, E>,
        P::Listener: Listener<E>,
        P::Guard: GuardFor<T, E>,
        R: BlockingSleeper + Clock + Entropy,
        F: FnMut() -> Result<T, E>,
    {
        self.call_with_report().result
    }

    /// Like [`call`](Self::call), and also tells how many attempts it took
    /// and why it gave up, if it did.
    #[inline]
    pub fn call_with_report<T, E>(mut self) -> Report<T, E>
    where
        P::Condition: Condition<T, E>,
        P::Listener: Listener<E>,
        P::Guard: GuardFor<T, E>,
        R: BlockingSleeper + Clock + Entropy,
        F: FnMut() -> Result<T, E>,
    {
        let policy = self.policy.as_policy();
        let mut engine = Engine::new();
        // A retried outcome, kept in case the guard ends the call next.
        let mut last = None;

        loop {
            match engine.admit(policy, &self.runtime, &mut last) {
                Admission::Run => {}
                Admission::Wait(delay) => {
                    self.runtime.sleep(delay);
                    continue;
                }
                Admission::Stop(report) => return report,
            }

            engine.start_attempt(policy, &self.runtime);
            let outcome = (self.op)();

            match engine.finish_attempt(policy, &self.runtime, &outcome) {
                Step::Return(gave_up) => {
                    return Report {
                        result: outcome,
                        attempts: engine.attempts(),
                        gave_up,
                    };
                }
                Step::Retry(delay) => {
                    last = policy.guard().may_refuse().then_some(outcome);
                    if !delay.is_zero() {
                        self.runtime.sleep(delay);
                    }
                }
            }
        }
    }
}

impl<P, R: fmt::Debug, F> fmt::Debug for BlockingRetry<P, R, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlockingRetry")
            .field("runtime", &self.runtime)
            .finish_non_exhaustive()
    }
}
