//! The hedged call's future.

use crate::attempts::Hedges;
use crate::delay::HedgeDelay;
use crate::policy::AsHedgePolicy;
use backon_core::budget::Budget;
use backon_core::{Clock, Condition, Decision, Event, Listener, Sleeper, StopReason};
use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};
use core::time::Duration;
use pin_project_lite::pin_project;

pin_project! {
    #[project = HedgedProj]
    /// A future that runs an operation as a hedged group: the primary, then
    /// a hedge each time the delay passes without an acceptable outcome.
    ///
    /// The operation is called with each attempt's index, 0 for the
    /// primary, so that requests can be tagged. Every attempt runs inside
    /// this future: nothing is spawned, so it works on any executor,
    /// single-threaded ones included. Each wake-up polls every running
    /// attempt, which for a handful of attempts is cheaper than keeping a
    /// waker for each.
    ///
    /// It resolves to the first acceptable outcome. When every attempt
    /// fails, it resolves to the outcome of the attempt that finished
    /// last; each failure was reported to the listeners as
    /// [`Event::HedgeFailed`].
    ///
    /// A group whose primary is ready at its first poll allocates nothing,
    /// reads no clock and starts no timer. Each hedge costs one allocation,
    /// the box that holds its future.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon_hedge::{HedgePolicy, Hedged};
    /// use backon_testing::VirtualTime;
    /// use std::future::pending;
    /// use std::time::Duration;
    ///
    /// let policy = HedgePolicy::new(Duration::from_millis(20));
    ///
    /// // The primary never answers; the hedge does at once.
    /// let op = |index: u32| async move {
    ///     if index == 0 { pending::<()>().await }
    ///     Ok::<_, ()>(index)
    /// };
    /// let winner = futures::executor::block_on(Hedged::new(op, &policy, VirtualTime::new()));
    /// assert_eq!(winner, Ok(1));
    /// ```
    ///
    /// # Panics
    ///
    /// Polling it again after it has completed panics.
    ///
    /// # Cancel safety
    ///
    /// Dropping it drops every running attempt and the timer; nothing is
    /// left behind. Latencies of attempts cancelled that way are not
    /// recorded.
    #[must_use = "futures do nothing unless polled"]
    pub struct Hedged<P, R, F, Fut>
    where
        P: AsHedgePolicy,
        R: Sleeper,
        R: Clock,
        Fut: Future,
    {
        policy: P,
        runtime: R,
        op: F,
        #[pin]
        primary: Option<Fut>,
        hedges: Hedges<Fut>,
        #[pin]
        timer: Option<R::Sleep>,
        group: Group<R::Instant, Fut::Output>,
    }
}

/// The state of one group that is not pinned.
struct Group<I, O> {
    /// Attempts started, the primary included.
    launched: u32,
    /// Attempts started and not yet finished.
    running: u32,
    /// The budget refused a hedge: start no further attempt.
    closed: bool,
    /// Attempts that failed and whose successors are still to start.
    owed: u32,
    done: bool,
    /// The delay of this group, read when first needed.
    delay: Option<Duration>,
    /// When the primary started, while its latency is still to record.
    primary_start: Option<I>,
    /// The outcome of the attempt that failed last.
    last: Option<O>,
}

impl<P, R, F, Fut> Hedged<P, R, F, Fut>
where
    P: AsHedgePolicy,
    R: Sleeper + Clock,
    Fut: Future,
{
    /// Creates the future; nothing runs until it is polled.
    pub fn new(op: F, policy: P, runtime: R) -> Self {
        Hedged {
            policy,
            runtime,
            op,
            primary: None,
            hedges: Hedges::new(),
            timer: None,
            group: Group {
                launched: 0,
                running: 0,
                closed: false,
                owed: 0,
                done: false,
                delay: None,
                primary_start: None,
                last: None,
            },
        }
    }

    /// Replaces the runtime: the clock and the sleeper.
    ///
    /// Call it before the first poll: a group already under way is dropped
    /// and starts over on the new runtime.
    pub fn runtime<R2: Sleeper + Clock>(self, runtime: R2) -> Hedged<P, R2, F, Fut> {
        Hedged::new(self.op, self.policy, runtime)
    }
}

impl<P, R, F, Fut, T, E> Future for Hedged<P, R, F, Fut>
where
    P: AsHedgePolicy,
    P::Condition: Condition<T, E>,
    P::Listener: Listener<E>,
    R: Sleeper + Clock,
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    type Output = Result<T, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        assert!(!this.group.done, "`Hedged` polled after completion");

        if this.group.launched == 0 {
            this.start_primary();
        }

        // A wake-up polls every attempt; a start then polls only the new one.
        let mut from = 0;
        loop {
            if let Some(outcome) = this.poll_attempts(from, cx) {
                return Poll::Ready(outcome);
            }
            from = this.group.launched;

            // A failure starts the next attempt at once.
            if this.group.owed > 0 {
                this.group.owed -= 1;
                if this.launch(Duration::ZERO) {
                    continue;
                }
                this.group.owed = 0;
            }

            // Nothing runs and nothing may start: the group has failed.
            if this.group.running == 0 {
                this.group.done = true;
                let last = this.group.last.take();
                return Poll::Ready(last.expect("a group that ran no attempt cannot end"));
            }

            if !this.can_launch() {
                return Poll::Pending;
            }
            let delay = this.delay();
            if delay.is_zero() {
                this.launch(delay);
                continue;
            }

            if this.timer.is_none() {
                let sleep = this.runtime.sleep(delay);
                this.timer.set(Some(sleep));
            }
            let Some(timer) = this.timer.as_mut().as_pin_mut() else {
                unreachable!("the timer was just set");
            };
            match timer.poll(cx) {
                Poll::Ready(()) => {
                    this.launch(delay);
                }
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

impl<P, R, F, Fut, T, E> HedgedProj<'_, P, R, F, Fut>
where
    P: AsHedgePolicy,
    P::Condition: Condition<T, E>,
    P::Listener: Listener<E>,
    R: Sleeper + Clock,
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    fn start_primary(&mut self) {
        let policy = self.policy.as_hedge_policy();
        policy.budget_of().on_call();
        if policy.delay().uses_clock() {
            self.group.primary_start = Some(self.runtime.now());
        }
        self.launch(Duration::ZERO);
    }

    fn can_launch(&self) -> bool {
        let max = self.policy.as_hedge_policy().max_attempts();
        !self.group.closed && self.group.launched < max
    }

    fn delay(&mut self) -> Duration {
        let policy = self.policy.as_hedge_policy();
        *self
            .group
            .delay
            .get_or_insert_with(|| policy.delay().delay())
    }

    /// Starts the next attempt, if the policy and the budget allow one, and
    /// returns whether it did. `delay` is the delay that ran out before it.
    fn launch(&mut self, delay: Duration) -> bool {
        if !self.can_launch() {
            return false;
        }
        let policy = self.policy.as_hedge_policy();
        let index = self.group.launched;

        if index > 0 && !policy.budget_of().try_withdraw() {
            self.group.closed = true;
            policy.listener().on_event(&Event::HedgeSkipped {
                index,
                reason: StopReason::BudgetExhausted,
            });
            return false;
        }

        policy
            .listener()
            .on_event(&Event::HedgeLaunched { index, delay });
        let fut = (self.op)(index);
        if index == 0 {
            self.primary.set(Some(fut));
        } else {
            self.hedges.push(index, fut);
        }

        // The next delay counts from this start.
        self.timer.set(None);
        self.group.launched += 1;
        self.group.running += 1;
        true
    }

    /// Polls the running attempts from index `from` on, in order, and
    /// returns the first accepted outcome.
    fn poll_attempts(&mut self, from: u32, cx: &mut Context<'_>) -> Option<Result<T, E>> {
        if let Some(primary) = self.primary.as_mut().as_pin_mut().filter(|_| from == 0) {
            if let Poll::Ready(outcome) = primary.poll(cx) {
                self.primary.set(None);
                if let Some(outcome) = self.settle(0, outcome) {
                    return Some(outcome);
                }
            }
        }

        let mut after = from.saturating_sub(1);
        while let Some((index, outcome)) = self.hedges.poll_after(after, cx) {
            after = index;
            if let Some(outcome) = self.settle(index, outcome) {
                return Some(outcome);
            }
        }
        None
    }

    /// Handles one finished attempt: returns its outcome when it wins,
    /// keeps it as the last failure otherwise.
    fn settle(&mut self, index: u32, outcome: Result<T, E>) -> Option<Result<T, E>> {
        let policy = self.policy.as_hedge_policy();
        self.group.running -= 1;

        if let Decision::Return = policy.condition().check(&outcome) {
            self.win(index, &outcome);
            return Some(outcome);
        }

        if index == 0 {
            self.group.primary_start = None;
        }
        policy.listener().on_event(&Event::HedgeFailed {
            index,
            error: outcome.as_ref().err(),
        });
        self.group.last = Some(outcome);
        self.group.owed += 1;
        None
    }

    fn win(&mut self, index: u32, outcome: &Result<T, E>) {
        let policy = self.policy.as_hedge_policy();
        self.group.done = true;
        policy.listener().on_event(&Event::HedgeWon { index });

        // The primary's latency if it won; if it is about to be cancelled,
        // only how long it ran.
        if let Some(start) = self.group.primary_start.take() {
            let ran = self.runtime.elapsed(start);
            match index {
                0 => policy.delay().record(ran),
                _ => policy.delay().record_cancelled(ran),
            }
        }

        self.primary.set(None);
        self.hedges.clear();
        self.timer.set(None);
        let cancelled = core::mem::take(&mut self.group.running);
        if cancelled > 0 {
            policy
                .listener()
                .on_event(&Event::HedgesCancelled { count: cancelled });
        }

        if outcome.is_ok() {
            policy.budget_of().on_success();
        }
    }
}

impl<P, R, F, Fut> fmt::Debug for Hedged<P, R, F, Fut>
where
    P: AsHedgePolicy,
    R: Sleeper + Clock,
    Fut: Future,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hedged")
            .field("launched", &self.group.launched)
            .field("running", &self.group.running)
            .field("done", &self.group.done)
            .finish_non_exhaustive()
    }
}
