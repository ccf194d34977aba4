//! The async attempt loop and the future of its next attempt.

use crate::attempts::{Attempt, Inner, refusal};
use crate::engine::Admission;
use crate::event::Listener;
use crate::guard::{Guard, GuardFor};
use crate::policy::AsPolicy;
use crate::stop::StopReason;
use crate::time::{Clock, Sleeper};
use core::convert::Infallible;
use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, ready};
use pin_project_lite::pin_project;

/// Retries a loop body that the caller writes: an async attempt loop.
///
/// Each `next().await` sleeps on the runtime as the policy says, then hands
/// out an [`Attempt`]; the body runs the operation and gives its outcome to
/// [`Attempt::report`], which says whether to go round again. Unlike a
/// closure, the body may borrow local state mutably, hold it across
/// `.await`, return early with `?` or `break` out.
///
/// The facade crate `backon` creates it with `backon::attempts`, on the
/// runtime its features select.
///
/// # Guards
///
/// Each attempt asks the policy's [`Guard`] (a circuit breaker) first, as
/// the other call styles do. A policy without a guard uses
/// [`next`](Self::next), which cannot be refused. A policy with one uses
/// [`try_next`](Self::try_next): when the guard refuses and the policy's
/// time limit leaves room to wait for it, `try_next` sleeps and asks again;
/// otherwise it resolves to the guard's error (a `BreakerOpen` converted
/// into `E`), the refused attempt counts as no attempt, and the loop has
/// ended with [`gave_up`](Self::gave_up) telling why. The guard learns each
/// outcome from [`Attempt::report`]; it is asked as for an outcome of type
/// `()`, since the loop does not know the outcome's type before the attempt
/// runs.
///
/// Unlike the other call styles, the loop never holds an outcome: the body
/// has each one, and [`Attempt::report`] hands a retried one back in
/// `Continue`. So when the guard ends the loop after some attempts,
/// `try_next` resolves only to the guard's error, and returning the last
/// attempt's outcome instead is up to the body, which kept it.
///
/// # Examples
///
/// ```
/// use backon_core::{Attempts, Policy, Progress, Stop, StopReason, Verdict};
/// use backon_testing::VirtualTime;
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
/// # async fn run() {
/// let time = VirtualTime::new();
/// let policy = Policy::new(Duration::from_secs(1), Three);
///
/// let mut attempts = Attempts::new(&policy, time.clone());
/// let result: Result<(), &str> = loop {
///     let attempt = attempts.next().await;
///     if let ControlFlow::Break(result) = attempt.report(Err("down")) {
///         break result;
///     }
/// };
///
/// assert_eq!(result, Err("down"));
/// assert_eq!(attempts.gave_up(), Some(StopReason::Attempts));
/// assert_eq!(time.sleeps(), [Duration::from_secs(1); 2]);
/// # }
/// # let waker = std::task::Waker::noop();
/// # let mut cx = std::task::Context::from_waker(waker);
/// # let fut = std::pin::pin!(run());
/// # assert!(std::future::Future::poll(fut, &mut cx).is_ready());
/// ```
pub struct Attempts<P: AsPolicy, R: Clock, E> {
    inner: Inner<P, R, E>,
}

impl<P: AsPolicy, R: Clock, E> Attempts<P, R, E> {
    /// Prepares the loop; the first [`next`](Self::next) is ready at once.
    pub fn new(policy: P, runtime: R) -> Self {
        Attempts {
            inner: Inner::new(policy, runtime),
        }
    }

    /// Replaces the runtime: the clock, the sleeper and the jitter seeds.
    ///
    /// A virtual runtime from `backon-testing` runs the loop on virtual time
    /// in tests. Call it before the first attempt: the loop starts over on
    /// the new runtime.
    pub fn runtime<R2: Clock>(self, runtime: R2) -> Attempts<P, R2, E> {
        Attempts::new(self.inner.policy(), runtime)
    }

    /// Returns a future that sleeps as the policy says after the previous
    /// attempt, then starts the next one.
    ///
    /// It serves a policy whose guard never refuses, such as one without a
    /// guard; with a circuit breaker, use [`try_next`](Self::try_next).
    ///
    /// # Panics
    ///
    /// Panics if the previous attempt was dropped without a report, or if
    /// the call has already returned its outcome.
    // A lending stream: no standard trait can hand out items that borrow it.
    #[allow(clippy::should_implement_trait)]
    #[track_caller]
    pub fn next(&mut self) -> Next<'_, P, R, E>
    where
        P::Listener: Listener<E>,
        P::Guard: GuardFor<(), E> + Guard<Denial = Infallible>,
        R: Sleeper,
    {
        Next {
            inner: self.try_next(),
        }
    }

    /// Returns a future that sleeps as the policy says after the previous
    /// attempt, asks the policy's guard, then starts the next attempt.
    ///
    /// It resolves to the guard's error when the guard refuses and the
    /// policy cannot wait for it (see [Guards](Self#guards)); the loop has
    /// ended then. It is the guard's error even after attempts have run:
    /// the last attempt's outcome is the body's to return.
    ///
    /// # Panics
    ///
    /// Panics if the previous attempt was dropped without a report, or if
    /// the call has already returned its outcome or been refused.
    #[track_caller]
    pub fn try_next(&mut self) -> TryNext<'_, P, R, E>
    where
        P::Listener: Listener<E>,
        P::Guard: GuardFor<(), E>,
        R: Sleeper,
    {
        self.inner.pending_delay();
        TryNext {
            inner: Some(&mut self.inner),
            sleep: None,
        }
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

pin_project! {
    /// The future of [`Attempts::next`]: it sleeps, then hands out the next
    /// [`Attempt`].
    ///
    /// # Cancel safety
    ///
    /// As for [`TryNext`].
    #[must_use = "futures do nothing unless polled"]
    pub struct Next<'a, P, R, E>
    where
        P: AsPolicy,
        R: Sleeper,
        R: Clock,
    {
        #[pin]
        inner: TryNext<'a, P, R, E>,
    }
}

impl<'a, P, R, E> Future for Next<'a, P, R, E>
where
    P: AsPolicy,
    P::Listener: Listener<E>,
    P::Guard: GuardFor<(), E> + Guard<Denial = Infallible>,
    R: Sleeper + Clock,
{
    type Output = Attempt<'a, P, R, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match ready!(self.project().inner.poll(cx)) {
            Ok(attempt) => Poll::Ready(attempt),
            Err(_) => unreachable!("a guard whose denial is `Infallible` admits every attempt"),
        }
    }
}

pin_project! {
    /// The future of [`Attempts::try_next`]: it sleeps, asks the policy's
    /// guard, then hands out the next [`Attempt`], or the guard's error.
    ///
    /// # Cancel safety
    ///
    /// Dropping it drops the sleep and starts no attempt. The delay, or the
    /// wait for the guard, keeps running on the runtime's clock: the next
    /// call sleeps only what is left of it, so a `select!` around it
    /// cannot hold retries back.
    #[must_use = "futures do nothing unless polled"]
    pub struct TryNext<'a, P, R, E>
    where
        P: AsPolicy,
        R: Sleeper,
        R: Clock,
    {
        inner: Option<&'a mut Inner<P, R, E>>,
        #[pin]
        sleep: Option<R::Sleep>,
    }
}

impl<'a, P, R, E> Future for TryNext<'a, P, R, E>
where
    P: AsPolicy,
    P::Listener: Listener<E>,
    P::Guard: GuardFor<(), E>,
    R: Sleeper + Clock,
{
    type Output = Result<Attempt<'a, P, R, E>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();

        loop {
            if let Some(sleep) = this.sleep.as_mut().as_pin_mut() {
                ready!(sleep.poll(cx));
                this.sleep.set(None);
                if let Some(inner) = this.inner.as_deref_mut() {
                    inner.slept();
                }
            }

            let inner = this
                .inner
                .take()
                .expect("`Next` polled after it handed out its attempt");
            let left = inner.remaining_delay();
            if left.is_zero() {
                match inner.admit() {
                    Admission::Run => {
                        inner.start();
                        return Poll::Ready(Ok(Attempt::new(inner)));
                    }
                    Admission::Wait(_) => {
                        *this.inner = Some(inner);
                        continue;
                    }
                    Admission::Stop(refused) => return Poll::Ready(Err(refusal(refused.result))),
                }
            }

            this.sleep.set(Some(inner.runtime().sleep(left)));
            *this.inner = Some(inner);
        }
    }
}

impl<P: AsPolicy, R: Clock + fmt::Debug, E> fmt::Debug for Attempts<P, R, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt_as("Attempts", f)
    }
}

impl<P, R, E> fmt::Debug for Next<'_, P, R, E>
where
    P: AsPolicy,
    R: Sleeper + Clock,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Next")
            .field("sleeping", &self.inner.sleep.is_some())
            .finish_non_exhaustive()
    }
}

impl<P, R, E> fmt::Debug for TryNext<'_, P, R, E>
where
    P: AsPolicy,
    R: Sleeper + Clock,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TryNext")
            .field("sleeping", &self.sleep.is_some())
            .finish_non_exhaustive()
    }
}
