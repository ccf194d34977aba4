//! Stand-ins for the async entry points when the `async` feature is off, so
//! that using one fails with a message that names the runtime features
//! instead of a missing method.

use backon_core::{AsPolicy, Report};
use core::convert::Infallible;
use core::fmt;
use core::future::Future;
use core::marker::PhantomData;
use core::pin::Pin;
use core::task::{Context, Poll};

/// Holds for no type while the `async` feature is off; its message tells
/// which features to turn on.
#[diagnostic::on_unimplemented(
    message = "async retry needs a runtime: enable the `tokio`, `smol` or `async-std` feature of `backon`",
    label = "`backon` has no async runtime feature enabled",
    note = "`backon` was built without its `tokio`, `smol` and `async-std` features, so async \
            retry is off; enable one of them (`tokio` is on by default)"
)]
pub trait AsyncRetryEnabled {
    /// Never called: no type implements the trait.
    fn enabled() -> Infallible;
}

/// What an async entry point returns while the `async` feature is off; no
/// value of it can exist.
///
/// # Cancel safety
///
/// There is nothing to cancel: it is never created.
#[must_use = "futures do nothing unless polled"]
pub struct NeedsRuntime<T> {
    never: Infallible,
    output: PhantomData<fn() -> T>,
}

impl<T> Future for NeedsRuntime<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<T> {
        match self.never {}
    }
}

impl<T, E> NeedsRuntime<Result<T, E>> {
    /// Stands for `with_report`; never called.
    pub fn with_report(self) -> NeedsRuntime<Report<T, E>> {
        match self.never {}
    }

    /// Stands for `runtime`; never called.
    pub fn runtime<R>(self, _runtime: R) -> Self {
        match self.never {}
    }
}

impl<T> fmt::Debug for NeedsRuntime<T> {
    fn fmt(&self, _f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.never {}
    }
}

/// Retries an async operation; this build has no async feature, so it
/// cannot be used. Enable `tokio`, `smol` or `async-std`.
pub trait Retryable<Fut, T, E>: FnMut() -> Fut + Sized
where
    Fut: Future<Output = Result<T, E>>,
{
    /// Fails to compile: no runtime feature is on.
    fn retry<P: AsPolicy>(self, _policy: P) -> NeedsRuntime<Result<T, E>>
    where
        Self: AsyncRetryEnabled,
    {
        match Self::enabled() {}
    }
}

impl<F, Fut, T, E> Retryable<Fut, T, E> for F
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
}

/// Retries an async operation; this build has no async feature, so it
/// cannot be used. Enable `tokio`, `smol` or `async-std`.
pub fn retry<P, F, Fut, T, E>(_op: F, _policy: P) -> NeedsRuntime<Result<T, E>>
where
    P: AsPolicy,
    F: FnMut() -> Fut + AsyncRetryEnabled,
    Fut: Future<Output = Result<T, E>>,
{
    match F::enabled() {}
}

/// Retries an async operation that consumes its input; this build has no
/// runtime feature, so it cannot be used. Enable `tokio`, `smol` or
/// `async-std`.
pub fn retry_with_input<P, I, F, Fut, T, E>(
    _input: I,
    _op: F,
    _policy: P,
) -> NeedsRuntime<Result<T, (E, I)>>
where
    P: AsPolicy,
    F: FnMut(I) -> Fut + AsyncRetryEnabled,
    Fut: Future<Output = Result<T, (E, I)>>,
{
    match F::enabled() {}
}
