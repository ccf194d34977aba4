//! A future run under a breaker.

use crate::breaker::Breaker;
use crate::error::BreakerOpen;
use crate::outcome::Classify;
use crate::permit::Permit;
use backon_core::Clock;
use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, ready};
use pin_project_lite::pin_project;

pin_project! {
    /// A future that runs its inner future if the breaker admits it, and
    /// records the outcome; from [`Breaker::run`].
    ///
    /// It asks the breaker when first polled. When rejected it resolves to
    /// [`BreakerOpen`] converted into the future's error type, and the inner
    /// future is dropped unpolled with it.
    ///
    /// # Cancel safety
    ///
    /// Dropping it before it completes gives a half-open probe's permit back:
    /// the call counts neither as a success nor as a failure, and another
    /// probe may run.
    #[must_use = "futures do nothing unless polled"]
    pub struct Guarded<'a, R: Clock, C, F> {
        breaker: &'a Breaker<R, C>,
        permit: Option<Permit>,
        asked: bool,
        #[pin]
        future: F,
    }
}

impl<'a, R: Clock, C, F> Guarded<'a, R, C, F> {
    pub(crate) fn new(breaker: &'a Breaker<R, C>, future: F) -> Self {
        Guarded {
            breaker,
            permit: None,
            asked: false,
            future,
        }
    }
}

impl<R, C, F, T, E> Future for Guarded<'_, R, C, F>
where
    R: Clock + Send + Sync + 'static,
    R::Instant: Send + Sync,
    C: Classify<T, E> + Send + Sync + 'static,
    F: Future<Output = Result<T, E>>,
    E: From<BreakerOpen>,
{
    type Output = Result<T, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        if !*this.asked {
            *this.asked = true;
            match this.breaker.permit() {
                Ok(permit) => *this.permit = Some(permit),
                Err(open) => return Poll::Ready(Err(E::from(open))),
            }
        }

        let outcome = ready!(this.future.poll(cx));
        if let Some(permit) = this.permit.take() {
            this.breaker.record(permit, &outcome);
        }
        Poll::Ready(outcome)
    }
}

impl<R: Clock, C, F> fmt::Debug for Guarded<'_, R, C, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Guarded")
            .field("breaker", &self.breaker)
            .field("permit", &self.permit)
            .finish_non_exhaustive()
    }
}
