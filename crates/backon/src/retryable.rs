use backon_core::{AsPolicy, BlockingRetry, StdRuntime};

/// Retries an async operation: `(|| fetch(url)).retry(&policy).await`.
///
/// Implemented for every closure that returns a future of a `Result`. The
/// future resolves to the operation's own `Result<T, E>`, so `?` keeps
/// working. It runs on [`DefaultRuntime`](crate::DefaultRuntime);
/// `.runtime(r)` picks another, such as a virtual one in tests.
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
    /// `Arc` of one (for futures that must be `'static`). With no runtime
    /// feature on, the future must be given a runtime with `.runtime(r)`
    /// before it is awaited.
    fn retry<P: AsPolicy>(
        self,
        policy: P,
    ) -> backon_core::Retry<P, crate::DefaultRuntime, Self, Fut, E, crate::DefaultSleep> {
        crate::default_runtime::retry_on_default(self, policy)
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
