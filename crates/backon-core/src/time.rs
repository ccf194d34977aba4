//! Injected time: the clock, the sleepers and the source of jitter seeds.

use core::future::Future;
use core::time::Duration;

/// A monotonic clock.
///
/// Only differences between readings mean anything, so a virtual clock may
/// start at zero, and a runtime's clock may follow that runtime's notion of
/// time (tokio's paused clock, say).
pub trait Clock {
    /// A point in time on this clock.
    type Instant: Copy;

    /// Returns the current time.
    fn now(&self) -> Self::Instant;

    /// Returns the time passed since `earlier`, or zero if `earlier` is
    /// later than now.
    fn elapsed(&self, earlier: Self::Instant) -> Duration;
}

/// Waits asynchronously.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot sleep asynchronously",
    label = "no async sleeper here",
    note = "async retry needs a runtime: enable the `tokio`, `smol` or `async-std` feature of \
            `backon`, or give this retry a runtime of your own with `.runtime(r)` before \
            awaiting it (on `#[retry]`, with its `runtime = r` argument)"
)]
pub trait Sleeper {
    /// The future returned by [`sleep`](Sleeper::sleep).
    type Sleep: Future<Output = ()>;

    /// Returns a future that completes once `delay` has passed.
    ///
    /// The engine never asks for a zero delay: it skips the sleep instead.
    fn sleep(&self, delay: Duration) -> Self::Sleep;
}

/// Waits by blocking the current thread.
pub trait BlockingSleeper {
    /// Blocks the current thread for `delay`.
    fn sleep(&self, delay: Duration);
}

/// Hands out seeds for the per-call random number generators used by jitter.
///
/// A seed is asked for lazily, at a call's first retry, so a call that
/// succeeds at once never pays for it.
pub trait Entropy {
    /// Returns a fresh seed.
    fn seed(&self) -> u64;
}

impl<T: Clock + ?Sized> Clock for &T {
    type Instant = T::Instant;

    fn now(&self) -> Self::Instant {
        (**self).now()
    }

    fn elapsed(&self, earlier: Self::Instant) -> Duration {
        (**self).elapsed(earlier)
    }
}

impl<T: Sleeper + ?Sized> Sleeper for &T {
    type Sleep = T::Sleep;

    fn sleep(&self, delay: Duration) -> Self::Sleep {
        (**self).sleep(delay)
    }
}

impl<T: BlockingSleeper + ?Sized> BlockingSleeper for &T {
    fn sleep(&self, delay: Duration) {
        (**self).sleep(delay)
    }
}

impl<T: Entropy + ?Sized> Entropy for &T {
    fn seed(&self) -> u64 {
        (**self).seed()
    }
}

#[cfg(feature = "std")]
mod std_impl {
    use super::{BlockingSleeper, Clock, Entropy};
    use core::time::Duration;
    use std::cell::Cell;
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    use std::time::Instant;

    /// The standard library's time: [`Instant`], [`std::thread::sleep`] and
    /// seeds from the process's random hash keys.
    ///
    /// It is the runtime of blocking retries. It has no async sleeper: async
    /// retries take theirs from a runtime crate such as `backon-tokio`.
    ///
    /// With the `testing` feature, [`with_std_time`](crate::with_std_time)
    /// puts other time in its place on one thread, for a test's scope.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon_core::{Clock, StdRuntime};
    ///
    /// let start = StdRuntime.now();
    /// assert!(StdRuntime.elapsed(start) < std::time::Duration::from_secs(60));
    /// ```
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
    pub struct StdRuntime;

    impl Clock for StdRuntime {
        type Instant = Instant;

        fn now(&self) -> Instant {
            #[cfg(feature = "testing")]
            if let Some(now) = crate::std_time::now() {
                return now;
            }
            Instant::now()
        }

        fn elapsed(&self, earlier: Instant) -> Duration {
            #[cfg(feature = "testing")]
            if let Some(now) = crate::std_time::now() {
                return now.saturating_duration_since(earlier);
            }
            earlier.elapsed()
        }
    }

    impl BlockingSleeper for StdRuntime {
        fn sleep(&self, delay: Duration) {
            #[cfg(feature = "testing")]
            if crate::std_time::sleep(delay) {
                return;
            }
            std::thread::sleep(delay);
        }
    }

    impl Entropy for StdRuntime {
        fn seed(&self) -> u64 {
            #[cfg(feature = "testing")]
            if let Some(seed) = crate::std_time::seed() {
                return seed;
            }
            std_seed()
        }
    }

    /// Returns a seed that differs between calls, threads and processes.
    ///
    /// Runtime crates without a randomness source of their own use it for
    /// their [`Entropy`] implementation.
    pub fn std_seed() -> u64 {
        thread_local! {
            static KEYS: RandomState = RandomState::new();
            static COUNTER: Cell<u64> = const { Cell::new(0) };
        }

        // RandomState's keys are random per thread; the counter makes each
        // seed of one thread distinct.
        let n = COUNTER.with(|c| {
            let n = c.get().wrapping_add(1);
            c.set(n);
            n
        });
        KEYS.with(|keys| {
            let mut hasher = keys.build_hasher();
            hasher.write_u64(n);
            hasher.finish()
        })
    }
}

#[cfg(feature = "std")]
pub use std_impl::{StdRuntime, std_seed};
