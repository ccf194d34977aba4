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

/// The async runtime when no runtime feature is on.
///
/// It reads the standard clock but has no async sleeper, so an async retry
/// on it does not compile; the error names the `tokio`, `smol` and
/// `async-std` features. Enable one, or give the retry a runtime of its own
/// with `.runtime(...)` or the core constructors such as
/// [`Retry::new`](backon_core::Retry::new).
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
