//! Helpers shared by the unit tests.

use core::future::Future;
use core::task::{Context, Poll, Waker};

/// Polls `fut` once with a waker that does nothing: no runtime at all.
///
/// Everything on virtual time completes on its first poll, so a pending
/// future here is a bug.
pub(crate) fn poll_once<F: Future>(fut: F) -> F::Output {
    let mut fut = core::pin::pin!(fut);
    match fut.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("nothing on virtual time should wait"),
    }
}
