#[cfg(feature = "async")]
use backon_core::{AsPolicy, Retry, RetryWithInput};
use backon_core::{Clock, Entropy, StdRuntime};
use core::time::Duration;

#[doc = include_str!("default_runtime.md")]
#[cfg(feature = "tokio")]
pub type DefaultRuntime = backon_tokio::TokioRuntime;

#[doc = include_str!("default_runtime.md")]
#[cfg(all(feature = "smol", not(feature = "tokio")))]
pub type DefaultRuntime = backon_smol::SmolRuntime;

#[doc = include_str!("default_runtime.md")]
#[cfg(all(feature = "async-std", not(any(feature = "tokio", feature = "smol"))))]
pub type DefaultRuntime = backon_async_std::AsyncStdRuntime;

#[doc = include_str!("default_runtime.md")]
#[cfg(not(any(feature = "tokio", feature = "smol", feature = "async-std")))]
pub type DefaultRuntime = NoRuntime;

/// The sleep future of [`DefaultRuntime`], or
/// [`NoSleep`](backon_core::NoSleep) when no runtime feature is on: then a
/// retry must be given a runtime with `.runtime(r)` before it is awaited.
#[cfg(any(feature = "tokio", feature = "smol", feature = "async-std"))]
pub type DefaultSleep = <DefaultRuntime as backon_core::Sleeper>::Sleep;

/// The sleep future of [`DefaultRuntime`], or
/// [`NoSleep`](backon_core::NoSleep) when no runtime feature is on: then a
/// retry must be given a runtime with `.runtime(r)` before it is awaited.
#[cfg(all(
    feature = "async",
    not(any(feature = "tokio", feature = "smol", feature = "async-std"))
))]
pub type DefaultSleep = backon_core::NoSleep;

/// The async runtime when no runtime feature is on.
///
/// It reads the standard clock but has no async sleeper, so awaiting a
/// retry on it does not compile; the error names the `tokio`, `smol` and
/// `async-std` features. Enable one, or give the retry a runtime of its
/// own with `.runtime(r)`.
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

/// Creates a retry future on the default runtime.
#[cfg(feature = "async")]
pub(crate) fn retry_on_default<P: AsPolicy, F, Fut: core::future::Future, E>(
    op: F,
    policy: P,
) -> Retry<P, DefaultRuntime, F, Fut, E, DefaultSleep> {
    #[cfg(any(feature = "tokio", feature = "smol", feature = "async-std"))]
    return Retry::new(op, policy, DefaultRuntime::default());

    #[cfg(not(any(feature = "tokio", feature = "smol", feature = "async-std")))]
    return Retry::without_sleeper(op, policy, NoRuntime);
}

/// Creates a retry-with-input future on the default runtime.
#[cfg(feature = "async")]
pub(crate) fn with_input_on_default<P: AsPolicy, I, F, Fut, E>(
    input: I,
    op: F,
    policy: P,
) -> RetryWithInput<P, DefaultRuntime, F, Fut, I, E, DefaultSleep> {
    #[cfg(any(feature = "tokio", feature = "smol", feature = "async-std"))]
    return RetryWithInput::new(input, op, policy, DefaultRuntime::default());

    #[cfg(not(any(feature = "tokio", feature = "smol", feature = "async-std")))]
    return RetryWithInput::without_sleeper(input, op, policy, NoRuntime);
}
