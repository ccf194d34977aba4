//! The async retry of an operation that consumes its input.

use crate::condition::Condition;
use crate::engine::{Admission, Engine, Report, Step};
use crate::event::Listener;
use crate::future::{NoSleep, WithReport};
use crate::guard::{Guard, GuardFor};
use crate::input::{report, split, view, with_input};
use crate::policy::AsPolicy;
use crate::time::{Clock, Entropy, Sleeper};
use crate::wait::Wait;
use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, ready};
use pin_project_lite::pin_project;

type WaitState<P> = <<P as AsPolicy>::Wait as Wait>::State;
type Permit<P> = <<P as AsPolicy>::Guard as Guard>::Permit;

pin_project! {
    /// A future that runs an async operation that consumes its input, and
    /// retries it with the input each failed attempt gives back.
    ///
    /// The operation takes the input by value and resolves to `Ok(value)`,
    /// or `Err((error, input))` to hand the input back for the next
    /// attempt. The future resolves to the operation's own
    /// `Result<T, (E, I)>`: the first accepted value, or the last error with
    /// the input, so that nothing is lost when the policy gives up.
    /// `.map_err(|(e, _)| e)?` keeps only the error.
    ///
    /// The policy's retry condition and listeners see each outcome as a
    /// `Result<T, E>`, the input set aside. An `Ok` value always ends the
    /// call, whatever the retry condition says of it: the attempt has
    /// consumed the input, so there is nothing to retry with.
    ///
    /// The policy's guard (a circuit breaker) is asked before every
    /// attempt, as for [`Retry`](crate::Retry). When it refuses and the call
    /// cannot wait for it, the call resolves to the last attempt's error
    /// with the input that attempt gave back; if the first attempt was
    /// refused, to the guard's error beside the input, which no attempt
    /// took.
    ///
    /// The facade crate `backon` creates it with `backon::retry_with_input`.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon_core::{Policy, Progress, RetryWithInput, Stop, StopReason, Verdict};
    /// use backon_testing::VirtualTime;
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
    /// async fn send(body: String) -> Result<usize, (&'static str, String)> {
    ///     Err(("busy", body))
    /// }
    ///
    /// # async fn run() {
    /// let policy = Policy::new(Duration::from_secs(1), Three);
    /// let report = RetryWithInput::new("hello".to_string(), send, &policy, VirtualTime::new())
    ///     .with_report()
    ///     .await;
    ///
    /// // The body comes back with the last error.
    /// assert_eq!(report.result, Err(("busy", "hello".to_string())));
    /// assert_eq!(report.attempts, 3);
    /// # }
    /// # let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    /// # assert!(std::future::Future::poll(std::pin::pin!(run()), &mut cx).is_ready());
    /// ```
    ///
    /// # Cancel safety
    ///
    /// Dropping it drops the running attempt or sleep, and the input with
    /// it; nothing is left behind.
    ///
    /// `S` is the runtime's sleep future, a parameter of its own as for
    /// [`Retry`](crate::Retry): see
    /// [`without_sleeper`](RetryWithInput::without_sleeper).
    #[must_use = "futures do nothing unless polled"]
    pub struct RetryWithInput<P, R, F, Fut, I, E, S = <R as Sleeper>::Sleep>
    where
        P: AsPolicy,
        R: Clock,
    {
        policy: P,
        runtime: R,
        op: F,
        input: Option<I>,
        engine: Engine<WaitState<P>, R::Instant, E, Permit<P>>,
        // The error of a retried attempt, kept until the next one starts:
        // the call returns it if the guard ends the call first. Beside the
        // state, as in `Retry`, so that an unguarded call moves no larger
        // state.
        last: Option<E>,
        #[pin]
        state: State<Fut, S>,
    }
}

pin_project! {
    #[project = StateProj]
    enum State<Fut, Sl> {
        Idle,
        Running { #[pin] fut: Fut },
        Sleeping { #[pin] sleep: Sl },
        Done,
    }
}

impl<P, R, F, Fut, I, E> RetryWithInput<P, R, F, Fut, I, E>
where
    P: AsPolicy,
    R: Sleeper + Clock,
{
    /// Creates the future; nothing runs until it is polled.
    pub fn new(input: I, op: F, policy: P, runtime: R) -> Self {
        RetryWithInput {
            policy,
            runtime,
            op,
            input: Some(input),
            engine: Engine::new(),
            last: None,
            state: State::Idle,
        }
    }
}

impl<P, R, F, Fut, I, E> RetryWithInput<P, R, F, Fut, I, E, NoSleep>
where
    P: AsPolicy,
    R: Clock,
{
    /// Creates the future on a runtime that cannot sleep, to be given one
    /// with [`runtime`](RetryWithInput::runtime) before it is awaited.
    ///
    /// The facade uses it when no runtime feature is on, as for
    /// [`Retry::without_sleeper`](crate::Retry::without_sleeper).
    pub fn without_sleeper(input: I, op: F, policy: P, runtime: R) -> Self {
        RetryWithInput {
            policy,
            runtime,
            op,
            input: Some(input),
            engine: Engine::new(),
            last: None,
            state: State::Idle,
        }
    }
}

impl<P, R, F, Fut, I, E, S> RetryWithInput<P, R, F, Fut, I, E, S>
where
    P: AsPolicy,
    R: Clock,
{
    /// Replaces the runtime: the clock, the sleeper and the jitter seeds.
    ///
    /// Call it before the first poll: a call already under way starts over
    /// on the new runtime, with the input it holds now.
    ///
    /// # Panics
    ///
    /// Panics if the future has already completed or is running an
    /// attempt, which holds the input.
    #[track_caller]
    pub fn runtime<R2: Sleeper + Clock>(self, runtime: R2) -> RetryWithInput<P, R2, F, Fut, I, E> {
        let input = self
            .input
            .expect("`runtime` called while an attempt holds the input");
        RetryWithInput::new(input, self.op, self.policy, runtime)
    }

    /// Resolves to a [`Report`] instead of the bare outcome: the outcome,
    /// the attempts made and why the call gave up, if it did.
    pub fn with_report(self) -> WithReport<Self> {
        WithReport::new(self)
    }
}

impl<P, R, F, Fut, I, T, E> RetryWithInput<P, R, F, Fut, I, E, R::Sleep>
where
    P: AsPolicy,
    P::Condition: Condition<T, E>,
    P::Listener: Listener<E>,
    P::Guard: GuardFor<T, E>,
    R: Sleeper + Clock + Entropy,
    F: FnMut(I) -> Fut,
    Fut: Future<Output = Result<T, (E, I)>>,
{
    fn poll_report(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Report<T, (E, I)>> {
        let mut this = self.project();
        let policy = view(this.policy.as_policy());

        loop {
            match this.state.as_mut().project() {
                StateProj::Idle => {
                    // The engine takes a retried outcome; an error is the
                    // only kind a call with input retries.
                    let mut outcome = this.last.take().map(Err);
                    match this.engine.admit(&policy, &*this.runtime, &mut outcome) {
                        Admission::Run => {}
                        Admission::Wait(delay) => {
                            *this.last = outcome.and_then(Result::err);
                            let sleep = this.runtime.sleep(delay);
                            this.state.set(State::Sleeping { sleep });
                            continue;
                        }
                        Admission::Stop(refused) => {
                            this.state.set(State::Done);
                            let input = this
                                .input
                                .take()
                                .expect("the input is back between attempts");
                            return Poll::Ready(with_input(refused, input));
                        }
                    }
                    let input = this
                        .input
                        .take()
                        .expect("the input is back between attempts");
                    this.engine.start_attempt(&policy, &*this.runtime);
                    let fut = (this.op)(input);
                    this.state.set(State::Running { fut });
                }
                StateProj::Running { fut } => {
                    let (outcome, back) = split(ready!(fut.poll(cx)));
                    let step = this
                        .engine
                        .finish_attempt(&policy, &*this.runtime, &outcome);

                    match (step, back) {
                        (Step::Retry(delay), Some(back)) => {
                            *this.input = Some(back);
                            if policy.guard().may_refuse() {
                                *this.last = outcome.err();
                            }
                            // A zero sleep would still cost a timer tick on
                            // some runtimes.
                            if delay.is_zero() {
                                this.state.set(State::Idle);
                            } else {
                                let sleep = this.runtime.sleep(delay);
                                this.state.set(State::Sleeping { sleep });
                            }
                        }
                        (step, back) => {
                            this.state.set(State::Done);
                            let attempts = this.engine.attempts();
                            return Poll::Ready(report(outcome, back, step, attempts));
                        }
                    }
                }
                StateProj::Sleeping { sleep } => {
                    ready!(sleep.poll(cx));
                    this.state.set(State::Idle);
                }
                StateProj::Done => panic!("`RetryWithInput` polled after completion"),
            }
        }
    }
}

impl<P, R, F, Fut, I, T, E> Future for RetryWithInput<P, R, F, Fut, I, E, R::Sleep>
where
    P: AsPolicy,
    P::Condition: Condition<T, E>,
    P::Listener: Listener<E>,
    P::Guard: GuardFor<T, E>,
    R: Sleeper + Clock + Entropy,
    F: FnMut(I) -> Fut,
    Fut: Future<Output = Result<T, (E, I)>>,
{
    type Output = Result<T, (E, I)>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.poll_report(cx).map(|report| report.result)
    }
}

impl<P, R, F, Fut, I, T, E> Future for WithReport<RetryWithInput<P, R, F, Fut, I, E, R::Sleep>>
where
    P: AsPolicy,
    P::Condition: Condition<T, E>,
    P::Listener: Listener<E>,
    P::Guard: GuardFor<T, E>,
    R: Sleeper + Clock + Entropy,
    F: FnMut(I) -> Fut,
    Fut: Future<Output = Result<T, (E, I)>>,
{
    type Output = Report<T, (E, I)>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.inner().poll_report(cx)
    }
}

impl<P, R, F, Fut, I, E, S> fmt::Debug for RetryWithInput<P, R, F, Fut, I, E, S>
where
    P: AsPolicy,
    R: Clock,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            State::Idle => "idle",
            State::Running { .. } => "running",
            State::Sleeping { .. } => "sleeping",
            State::Done => "done",
        };
        f.debug_struct("RetryWithInput")
            .field("attempts", &self.engine.attempts())
            .field("state", &state)
            .finish_non_exhaustive()
    }
}
