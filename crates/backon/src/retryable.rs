use backon_core::{AsPolicy, BlockingRetry, Clock, Entropy, StdRuntime};
use core::time::Duration;

/// The runtime that `op.retry(&policy)` uses for async operations, chosen
/// by the crate's features: [`TokioRuntime`](crate::runtime::TokioRuntime)
/// with `tokio` (the default), otherwise [`NoRuntime`], which cannot sleep
/// and makes async retries fail to compile with a message that names the
/// features to turn on.
#[cfg(feature = "tokio")]
pub type DefaultRuntime = backon_tokio::TokioRuntime;

/// The runtime that `op.retry(&policy)` uses for async operations, chosen
/// by the crate's features: `TokioRuntime` with `tokio` (the default),
/// otherwise [`NoRuntime`], which cannot sleep and makes async retries fail
/// to compile with a message that names the features to turn on.
#[cfg(not(feature = "tokio"))]
pub type DefaultRuntime = NoRuntime;

/// The async runtime when no runtime feature is on.
///
/// It reads the standard clock but has no async sleeper, so an async retry
/// on it does not compile; the error names the `tokio` feature. Pass a
/// runtime with `.runtime(...)` instead, or enable one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoRuntime;

impl Clock for NoRuntime {
    type Instant = std::time::Instant;

    fn now(&self) -> Self::Instant {
        StdRuntime.now()
    }

    fn elapsed(&self, earlier: Self::Instant) -> Duration {
        StdRuntime.elapsed(earlier)
    }
}

impl Entropy for NoRuntime {
    fn seed(&self) -> u64 {
        StdRuntime.seed()
    }
}

/// Retries an async operation: `(|| fetch(url)).retry(&policy).await`.
///
/// Implemented for every closure that returns a future of a `Result`. The
/// future resolves to the operation's own `Result<T, E>`, so `?` keeps
/// working. It runs on [`DefaultRuntime`]; `.runtime(r)` picks another, such
/// as a virtual one in tests.
///
/// The operation is a closure called once per attempt, so state it changes
/// between attempts must be captured by an `FnMut` closure returning a
/// future (`|| { n += 1; async move { .. } }`). An `async || ..` closure
/// that mutates its captures is only `AsyncFnMut`, not `FnMut`, and is not
/// accepted.
///
/// # Examples
///
/// ```
/// use backon::prelude::*;
/// use std::time::Duration;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let policy = Policy::new(Duration::from_millis(1), after_attempts(3)?);
///
/// let mut calls = 0;
/// let fetch = || {
///     calls += 1;
///     let n = calls;
///     async move { if n < 2 { Err("not yet") } else { Ok(n) } }
/// };
/// let value = fetch.retry(&policy).await?;
/// assert_eq!(value, 2);
/// # Ok(())
/// # }
/// ```
#[cfg(feature = "async")]
pub trait Retryable<Fut, T, E>: FnMut() -> Fut + Sized
where
    Fut: core::future::Future<Output = Result<T, E>>,
{
    /// Returns a future that runs the operation and retries it as `policy`
    /// says.
    ///
    /// `policy` may be a [`Policy`](crate::Policy), a reference to one, or an
    /// `Arc` of one (for futures that must be `'static`).
    #[cfg(feature = "tokio")]
    fn retry<P: AsPolicy>(self, policy: P) -> backon_core::Retry<P, DefaultRuntime, Self, Fut, E> {
        backon_core::Retry::new(self, policy, DefaultRuntime::default())
    }

    /// Returns a future that runs the operation and retries it as `policy`
    /// says, once given a runtime with `.runtime(r)`: no runtime feature is
    /// on, so awaiting it directly does not compile.
    #[cfg(not(feature = "tokio"))]
    fn retry<P: AsPolicy>(
        self,
        policy: P,
    ) -> backon_core::Retry<P, NoRuntime, Self, Fut, E, backon_core::NoSleep> {
        backon_core::Retry::without_sleeper(self, policy, NoRuntime)
    }
}

#[cfg(feature = "async")]
impl<F, Fut, T, E> Retryable<Fut, T, E> for F
where
    F: FnMut() -> Fut,
    Fut: core::future::Future<Output = Result<T, E>>,
{
}

/// Stands in for the async `Retryable` when the `async` feature is off, so
/// that `op.retry(&policy)` on an async operation explains what to enable
/// instead of reporting a missing method.
#[cfg(not(feature = "async"))]
pub trait Retryable<Fut, T, E>: FnMut() -> Fut + Sized
where
    Fut: core::future::Future<Output = Result<T, E>>,
{
    /// Does not compile: enable a runtime feature for async retry.
    fn retry<P>(self, _policy: P) -> core::convert::Infallible
    where
        Self: AsyncRetryEnabled,
    {
        Self::enabled()
    }
}

#[cfg(not(feature = "async"))]
impl<F, Fut, T, E> Retryable<Fut, T, E> for F
where
    F: FnMut() -> Fut,
    Fut: core::future::Future<Output = Result<T, E>>,
{
}

/// Holds for no type while the `async` feature is off; its message tells
/// which feature to turn on.
#[cfg(not(feature = "async"))]
#[diagnostic::on_unimplemented(
    message = "async retry is not enabled in `backon`",
    label = "needs an async runtime",
    note = "enable the `tokio` feature of `backon` (on by default) for async retry"
)]
pub trait AsyncRetryEnabled {
    /// Never called.
    fn enabled() -> core::convert::Infallible;
}

/// Retries a blocking operation: `(|| read(path)).retry(&policy).call()`.
///
/// Implemented for every closure that returns a `Result`. It sleeps with
/// [`std::thread::sleep`]; `.runtime(r)` picks another runtime, such as a
/// virtual one in tests.
///
/// # Examples
///
/// ```
/// use backon::prelude::*;
/// use std::time::Duration;
///
/// let policy = Policy::new(Duration::from_millis(1), after_attempts(3)?);
///
/// let mut calls = 0;
/// let report = (|| {
///     calls += 1;
///     if calls < 3 { Err("busy") } else { Ok(calls) }
/// })
/// .retry(&policy)
/// .call_with_report();
///
/// assert_eq!(report.result, Ok(3));
/// assert!(report.retried());
/// # Ok::<(), backon::stop::StopError>(())
/// ```
pub trait BlockingRetryable<T, E>: FnMut() -> Result<T, E> + Sized {
    /// Prepares a blocking retry of the operation; `call()` runs it.
    fn retry<P: AsPolicy>(self, policy: P) -> BlockingRetry<P, StdRuntime, Self> {
        BlockingRetry::new(self, policy, StdRuntime)
    }
}

impl<F, T, E> BlockingRetryable<T, E> for F where F: FnMut() -> Result<T, E> {}
