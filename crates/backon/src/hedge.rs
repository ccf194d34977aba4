//! Hedged calls: a backup attempt when the first is slow, the first
//! acceptable outcome wins, the others are dropped.
//!
//! This is the `backon-hedge` crate, plus [`Hedgeable`], which runs a
//! hedged call on the runtime the features select (tokio by default, else
//! smol, else async-std):
//! `(|i: u32| fetch(i)).hedge(&policy).await`.
//!
//! # Examples
//!
//! ```
//! use backon::prelude::*;
//! use std::time::Duration;
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() {
//! async fn fetch(replica: u32) -> Result<&'static str, std::io::Error> {
//!     // The primary is stuck for a second; the hedge answers in 5 ms.
//!     let took = if replica == 0 { 1000 } else { 5 };
//!     tokio::time::sleep(Duration::from_millis(took)).await;
//!     Ok(if replica == 0 { "primary" } else { "hedge" })
//! }
//!
//! let policy = HedgePolicy::new(Duration::from_millis(50));
//! let start = tokio::time::Instant::now();
//!
//! let body = (|i: u32| fetch(i)).hedge(&policy).await;
//!
//! assert_eq!(body.unwrap(), "hedge");
//! assert_eq!(start.elapsed(), Duration::from_millis(55));
//! # }
//! ```

pub use backon_hedge::*;

use core::future::Future;

/// Hedges an async operation: `(|i: u32| fetch(i)).hedge(&policy).await`.
///
/// Implemented for every closure that takes the attempt's index (0 for the
/// primary) and returns a future of a `Result`. The future resolves to the
/// operation's own `Result<T, E>`. It runs on
/// [`DefaultRuntime`](crate::DefaultRuntime): tokio, smol or async-std, as
/// the features select. Without any of them there is no default runtime:
/// build the future with [`Hedged::new`] and a runtime of your own.
///
/// Name the index's type (`|i: u32|`) when the closure's body does not fix
/// it, as with `|_: u32|`.
///
/// # Examples
///
/// ```
/// use backon::prelude::*;
/// use std::time::Duration;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let policy = HedgePolicy::new(Duration::from_millis(10));
/// let value = (|_: u32| async { Ok::<_, ()>(7) }).hedge(&policy).await;
/// assert_eq!(value, Ok(7));
/// # }
/// ```
pub trait Hedgeable<Fut, T, E>: FnMut(u32) -> Fut + Sized
where
    Fut: Future<Output = Result<T, E>>,
{
    /// Returns a future that runs the operation hedged as `policy` says.
    ///
    /// `policy` may be a [`HedgePolicy`], a reference to one, or an `Arc`
    /// of one (for futures that must be `'static`).
    #[cfg(any(feature = "tokio", feature = "smol", feature = "async-std"))]
    fn hedge<P: AsHedgePolicy>(self, policy: P) -> Hedged<P, crate::DefaultRuntime, Self, Fut> {
        Hedged::new(self, policy, crate::DefaultRuntime::default())
    }

    /// Does not compile: no runtime feature is on. Build the future with
    /// [`Hedged::new`] and a runtime, or enable `tokio`, `smol` or
    /// `async-std`.
    #[cfg(not(any(feature = "tokio", feature = "smol", feature = "async-std")))]
    fn hedge<P>(self, _policy: P) -> core::convert::Infallible
    where
        Self: HedgeRuntimeEnabled,
    {
        Self::enabled()
    }
}

impl<F, Fut, T, E> Hedgeable<Fut, T, E> for F
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
}

/// Holds for no type while no runtime feature is on; its message tells
/// which feature to turn on.
#[cfg(not(any(feature = "tokio", feature = "smol", feature = "async-std")))]
#[diagnostic::on_unimplemented(
    message = "hedging has no default runtime in `backon`",
    label = "needs an async runtime",
    note = "enable the `tokio` (on by default), `smol` or `async-std` feature of `backon`, or \
            build the future with `Hedged::new(op, &policy, runtime)` and a runtime of your own"
)]
pub trait HedgeRuntimeEnabled {
    /// Never called.
    fn enabled() -> core::convert::Infallible;
}
