//! The async retry future.

use crate::condition::Condition;
use crate::engine::{Admission, Engine, Report, Step};
use crate::event::Listener;
use crate::guard::{Guard, GuardFor};
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
    /// A future that runs an async operation and retries it as a policy says.
    ///
    /// It resolves to the operation's own `Result<T, E>`: the first accepted
    /// outcome, or the last one when the policy gives up. When the policy's
    /// guard (a circuit breaker) ends the call, that is still the last
    /// attempt's outcome; only a call refused before its first attempt
    /// resolves to the guard's error. Call
    /// [`with_report`](Retry::with_report) to learn how many attempts it took
    /// and why it gave up.
    ///
    /// The facade crate `backon` creates it with `op.retry(&policy)`, on the
    /// runtime its features select.
    ///
    /// It allocates nothing, and it is `Send` when the operation, its future
    /// and outcome, the policy and the runtime's sleep are: between a retried
    /// attempt and the next one it holds the retried outcome.
    ///
    /// `S` is the runtime's sleep future. It is a parameter of its own so
    /// that a retry can be built before a sleeper is chosen (see
    /// [`without_sleeper`](Retry::without_sleeper)); awaiting still needs
    /// one.
    ///
    /// # Cancel safety
    ///
    /// Dropping it at any point drops the running attempt or sleep with it,
    /// and the guard's permit of the running attempt if the policy has a
    /// guard; nothing is left behind.
    #[must_use = "futures do nothing unless polled"]
    pub struct Retry<P, R, F, Fut, E, S = <R as Sleeper>::Sleep>
    where
        P: AsPolicy,
        R: Clock,
        Fut: Future,
    {
        policy: P,
        runtime: R,
        op: F,
        engine: Engine<WaitState<P>, R::Instant, E, Permit<P>>,
        // The outcome of a retried attempt, kept until the next one starts:
        // the call returns it if the guard ends the call first. Beside the
        // state rather than in it, so that an unguarded retry, which never
        // fills it, moves no larger state on its success path.
        last: Option<Fut::Output>,
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
    }
}

impl<P, R, F, Fut, E> Retry<P, R, F, Fut, E>
where
    P: AsPolicy,
    R: Sleeper + Clock,
    Fut: Future,
{
    /// Creates the future; nothing runs until it is polled.
    pub fn new(op: F, policy: P, runtime: R) -> Self {
        Retry {
            policy,
            runtime,
            op,
            engine: Engine::new(),
            last: None,
            state: State::Idle,
        }
    }
}

impl<P, R, F, Fut, E> Retry<P, R, F, Fut, E, NoSleep>
where
    P: AsPolicy,
    R: Clock,
    Fut: Future,
{
    /// Creates the future on a runtime that cannot sleep, to be given one
    /// with [`runtime`](Retry::runtime) before it is awaited.
    ///
    /// The facade uses it when no runtime feature is on, so that
    /// `op.retry(&policy).runtime(r)` still works and a bare
    /// `op.retry(&policy).await` fails to compile with a message about the
    /// missing runtime.
    pub fn without_sleeper(op: F, policy: P, runtime: R) -> Self {
        Retry {
            policy,
            runtime,
            op,
            engine: Engine::new(),
            last: None,
            state: State::Idle,
        }
    }
}

/// The sleep type of a [`Retry`] built with
/// [`without_sleeper`](Retry::without_sleeper): it never exists.
#[derive(Debug)]
pub enum NoSleep {}

impl Future for NoSleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        match *self {}
    }
}

impl<P, R, F, Fut, E, S> Retry<P, R, F, Fut, E, S>
where
    P: AsPolicy,
    R: Clock,
    Fut: Future,
{
    /// Replaces the runtime: the clock, the sleeper and the jitter seeds.
    ///
    /// A virtual runtime from `backon-testing` makes a retry run on virtual
    /// time in tests. Call it before the first poll: a call already under
    /// way is dropped and starts over on the new runtime.
    pub fn runtime<R2: Sleeper + Clock>(self, runtime: R2) -> Retry<P, R2, F, Fut, E> {
        Retry::new(self.op, self.policy, runtime)
    }

    /// Resolves to a [`Report`] instead of the bare outcome: the outcome,
    /// the attempts made and why the call gave up, if it did.
    pub fn with_report(self) -> WithReport<Self> {
        WithReport { inner: self }
    }
}

impl<P, R, F, Fut, T, E> Retry<P, R, F, Fut, E, R::Sleep>
where
    P: AsPolicy,
    P::Condition: Condition<T, E>,
    P::Listener: Listener<E>,
    P::Guard: GuardFor<T, E>,
    R: Sleeper + Clock + Entropy,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    fn poll_report(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Report<T, E>> {
        let mut this = self.project();
        let policy = this.policy.as_policy();

        loop {
            match this.state.as_mut().project() {
                StateProj::Idle => match this.engine.admit(policy, &*this.runtime, this.last) {
                    Admission::Run => {
                        this.engine.start_attempt(policy, &*this.runtime);
                        let fut = (this.op)();
                        this.state.set(State::Running { fut });
                    }
                    Admission::Wait(delay) => {
                        let sleep = this.runtime.sleep(delay);
                        this.state.set(State::Sleeping { sleep });
                    }
                    Admission::Stop(report) => return Poll::Ready(report),
                },
                StateProj::Running { fut } => {
                    let outcome = ready!(fut.poll(cx));
                    match this.engine.finish_attempt(policy, &*this.runtime, &outcome) {
                        Step::Return(gave_up) => {
                            this.state.set(State::Idle);
                            return Poll::Ready(Report {
                                result: outcome,
                                attempts: this.engine.attempts(),
                                gave_up,
                            });
                        }
                        Step::Retry(delay) => {
                            if policy.guard().may_refuse() {
                                *this.last = Some(outcome);
                            }
                            // A zero sleep would still cost a timer tick on
                            // some runtimes (a whole millisecond on tokio).
                            if delay.is_zero() {
                                this.state.set(State::Idle);
                            } else {
                                let sleep = this.runtime.sleep(delay);
                                this.state.set(State::Sleeping { sleep });
                            }
                        }
                    }
                }
                StateProj::Sleeping { sleep } => {
                    ready!(sleep.poll(cx));
                    this.state.set(State::Idle);
                }
            }
        }
    }
}

impl<P, R, F, Fut, T, E> Future for Retry<P, R, F, Fut, E, R::Sleep>
where
    P: AsPolicy,
    P::Condition: Condition<T, E>,
    P::Listener: Listener<E>,
    P::Guard: GuardFor<T, E>,
    R: Sleeper + Clock + Entropy,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    type Output = Result<T, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.poll_report(cx).map(|report| report.result)
    }
}

pin_project! {
    /// A retry future that resolves to a [`Report`]; see
    /// [`Retry::with_report`].
    ///
    /// # Cancel safety
    ///
    /// As for [`Retry`]: dropping it drops the running attempt or sleep.
    #[must_use = "futures do nothing unless polled"]
    #[derive(Debug)]
    pub struct WithReport<Inner> {
        #[pin]
        inner: Inner,
    }
}

impl<Inner> WithReport<Inner> {
    pub(crate) fn new(inner: Inner) -> Self {
        WithReport { inner }
    }

    pub(crate) fn inner(self: Pin<&mut Self>) -> Pin<&mut Inner> {
        self.project().inner
    }
}

impl<P, R, F, Fut, T, E> Future for WithReport<Retry<P, R, F, Fut, E, R::Sleep>>
where
    P: AsPolicy,
    P::Condition: Condition<T, E>,
    P::Listener: Listener<E>,
    P::Guard: GuardFor<T, E>,
    R: Sleeper + Clock + Entropy,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    type Output = Report<T, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.project().inner.poll_report(cx)
    }
}

impl<P, R, F, Fut, E> fmt::Debug for Retry<P, R, F, Fut, E>
where
    P: AsPolicy,
    R: Sleeper + Clock,
    Fut: Future,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            State::Idle => "idle",
            State::Running { .. } => "running",
            State::Sleeping { .. } => "sleeping",
        };
        f.debug_struct("Retry")
            .field("attempts", &self.engine.attempts())
            .field("state", &state)
            .finish_non_exhaustive()
    }
}
