//! The futures of scripted and fault-injected async attempts.
//!
//! Neither pins anything in place: an outcome or error is moved out whole,
//! and an operation's own future is boxed, so no unsafe pin projection is
//! needed. This is test code; one allocation per attempt is fine.

use crate::VirtualTime;
use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};
use core::time::Duration;

/// The future of one async call of a [`Script`](crate::Script); see
/// [`Script::call_async`](crate::Script::call_async).
///
/// It completes on its first poll.
///
/// # Cancel safety
///
/// Dropping it before it is polled leaves the virtual time where it was;
/// the step stays played and the call counted.
#[must_use = "futures do nothing unless polled"]
pub struct Scripted<T, E> {
    outcome: Option<Result<T, E>>,
    advance: Option<(VirtualTime, Duration)>,
}

impl<T, E> Scripted<T, E> {
    pub(crate) fn new(outcome: Result<T, E>, advance: Option<(VirtualTime, Duration)>) -> Self {
        Scripted {
            outcome: Some(outcome),
            advance,
        }
    }
}

// No field is ever pinned: the outcome is moved out whole.
impl<T, E> Unpin for Scripted<T, E> {}

impl<T, E> Future for Scripted<T, E> {
    type Output = Result<T, E>;

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Result<T, E>> {
        let this = self.get_mut();
        if let Some((time, takes)) = this.advance.take() {
            time.advance(takes);
        }
        match this.outcome.take() {
            Some(outcome) => Poll::Ready(outcome),
            None => panic!("`Scripted` polled after it completed"),
        }
    }
}

impl<T, E> fmt::Debug for Scripted<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scripted")
            .field("done", &self.outcome.is_none())
            .finish_non_exhaustive()
    }
}

/// The future of one call of an async operation wrapped by
/// [`Faults::wrap_async`](crate::Faults::wrap_async).
///
/// # Cancel safety
///
/// Dropping it drops the operation's future with it. Dropped before its
/// first poll, it leaves the virtual time where it was; the call is counted
/// either way.
#[must_use = "futures do nothing unless polled"]
pub struct Faulty<Fut, E> {
    latency: Option<(Option<VirtualTime>, Duration)>,
    state: State<Fut, E>,
}

impl<Fut, E> Faulty<Fut, E> {
    pub(crate) fn injected(error: E, latency: (Option<VirtualTime>, Duration)) -> Self {
        Faulty {
            latency: Some(latency),
            state: State::Injected(Some(error)),
        }
    }

    pub(crate) fn running(fut: Fut, latency: (Option<VirtualTime>, Duration)) -> Self {
        Faulty {
            latency: Some(latency),
            state: State::Running(Box::pin(fut)),
        }
    }
}

enum State<Fut, E> {
    Injected(Option<E>),
    Running(Pin<Box<Fut>>),
}

// The operation's future is boxed, and the error is moved out whole, so no
// field is ever pinned.
impl<Fut, E> Unpin for Faulty<Fut, E> {}

impl<Fut, T, E> Future for Faulty<Fut, E>
where
    Fut: Future<Output = Result<T, E>>,
{
    type Output = Result<T, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<T, E>> {
        let this = self.get_mut();
        if let Some((time, latency)) = this.latency.take() {
            crate::faults::advance(time.as_ref(), latency);
        }
        match &mut this.state {
            State::Injected(error) => match error.take() {
                Some(error) => Poll::Ready(Err(error)),
                None => panic!("`Faulty` polled after it completed"),
            },
            State::Running(fut) => fut.as_mut().poll(cx),
        }
    }
}

impl<Fut, E> fmt::Debug for Faulty<Fut, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            State::Injected(_) => "injected",
            State::Running(_) => "running",
        };
        f.debug_struct("Faulty")
            .field("state", &state)
            .finish_non_exhaustive()
    }
}
