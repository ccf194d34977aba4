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

/// Names the runtime an operation retries on: [`DefaultRuntime`], for every
/// operation.
///
/// [`Retryable::retry`] states its need for an async sleeper through this
/// projection rather than the concrete type. That keeps the crate compiling
/// when no runtime feature is on: the missing sleeper is then reported where
/// a retry is written, with a message naming the features.
pub trait RuntimeOf {
    /// The runtime.
    type Runtime: Default;
}

impl<T: ?Sized> RuntimeOf for T {
    type Runtime = DefaultRuntime;
}

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
    fn retry<P: AsPolicy>(
        self,
        policy: P,
    ) -> backon_core::Retry<P, <Self as RuntimeOf>::Runtime, Self, Fut, E>
    where
        <Self as RuntimeOf>::Runtime: backon_core::Sleeper + Clock,
    {
        backon_core::Retry::new(self, policy, Default::default())
    }
}

#[cfg(feature = "async")]
impl<F, Fut, T, E> Retryable<Fut, T, E> for F
where
    F: FnMut() -> Fut,
    Fut: core::future::Future<Output = Result<T, E>>,
{
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
