//! Wrapped callables: a function and a policy in one value that retries
//! each call.

use crate::blocking::BlockingRetry;
use crate::condition::Condition;
use crate::engine::Report;
use crate::event::Listener;
use crate::policy::AsPolicy;
use crate::time::{BlockingSleeper, Clock, Entropy};
use core::fmt;

/// A blocking function bundled with a policy: each
/// [`call`](Self::call) runs it and retries it as the policy says.
///
/// The function takes its argument by reference, `Fn(&A) -> Result<T, E>`,
/// so that every attempt sees the same argument without cloning it. A
/// function of several arguments takes a tuple, `Fn(&(A, B))`, and is
/// called with one: `wrapped.call((a, b))`. A function that must own its
/// argument clones what it needs; one that consumes it belongs with
/// `BlockingRetryWithInput`.
///
/// It is `Clone`, `Send` and `Sync` when the function, the policy and the
/// runtime are, so one value can serve many threads.
///
/// The facade crate `backon` creates it with `backon::wrap_blocking`.
///
/// # Examples
///
/// ```
/// use backon_core::{BlockingWrapped, Policy, Progress, StdRuntime, Stop, StopReason, Verdict};
/// use std::time::Duration;
///
/// struct Three;
/// impl Stop for Three {
///     fn check(&self, p: &Progress) -> Verdict {
///         if p.attempts >= 3 { Verdict::Stop(StopReason::Attempts) } else { Verdict::CONTINUE }
///     }
/// }
///
/// let policy = Policy::new(Duration::from_millis(1), Three);
/// let parse = BlockingWrapped::new(
///     |(text, radix): &(&str, u32)| u64::from_str_radix(text, *radix),
///     policy,
///     StdRuntime,
/// );
///
/// assert_eq!(parse.call(("ff", 16)), Ok(255));
/// assert!(parse.call(("zz", 10)).is_err());
/// ```
#[derive(Clone, Copy)]
pub struct BlockingWrapped<P, R, F> {
    policy: P,
    runtime: R,
    f: F,
}

impl<P: AsPolicy, R, F> BlockingWrapped<P, R, F> {
    /// Bundles `f` with `policy`; nothing runs until
    /// [`call`](Self::call).
    pub fn new(f: F, policy: P, runtime: R) -> Self {
        BlockingWrapped { policy, runtime, f }
    }

    /// Replaces the runtime: the clock, the sleeper and the jitter seeds.
    pub fn runtime<R2>(self, runtime: R2) -> BlockingWrapped<P, R2, F> {
        BlockingWrapped::new(self.f, self.policy, runtime)
    }

    /// Calls the function with `args`, retrying it until the policy accepts
    /// its outcome or gives up, and returns that outcome.
    ///
    /// # Errors
    ///
    /// Returns the function's last error when the policy gives up on it.
    #[inline]
    pub fn call<A, T, E>(&self, args: A) -> Result<T, E>
    where
        F: Fn(&A) -> Result<T, E>,
        P::Condition: Condition<T, E>,
        P::Listener: Listener<E>,
        P::Guard: crate::GuardFor<T, E>,
        R: BlockingSleeper + Clock + Entropy,
    {
        self.call_with_report(args).result
    }

    /// Like [`call`](Self::call), and also tells how many attempts it took
    /// and why it gave up, if it did.
    #[inline]
    pub fn call_with_report<A, T, E>(&self, args: A) -> Report<T, E>
    where
        F: Fn(&A) -> Result<T, E>,
        P::Condition: Condition<T, E>,
        P::Listener: Listener<E>,
        P::Guard: crate::GuardFor<T, E>,
        R: BlockingSleeper + Clock + Entropy,
    {
        BlockingRetry::new(|| (self.f)(&args), &self.policy, &self.runtime).call_with_report()
    }
}

impl<P, R: fmt::Debug, F> fmt::Debug for BlockingWrapped<P, R, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlockingWrapped")
            .field("runtime", &self.runtime)
            .finish_non_exhaustive()
    }
}

#[cfg(feature = "async")]
mod async_impl {
    use crate::condition::Condition;
    use crate::engine::Report;
    use crate::event::Listener;
    use crate::future::Retry;
    use crate::policy::AsPolicy;
    use crate::time::{Clock, Entropy, Sleeper};
    use core::fmt;

    /// An async function bundled with a policy: each
    /// [`call`](Self::call) runs it and retries it as the policy says.
    ///
    /// The function takes its argument by reference,
    /// `AsyncFn(&A) -> Result<T, E>`: an `async` closure such as
    /// `async |id: &u64| fetch(*id).await`, an `async fn` taking a
    /// reference, or a closure that returns a future. Every attempt sees the
    /// same argument without cloning it. A function of several arguments
    /// takes a tuple and is called with one: `wrapped.call((a, b))`. One
    /// that consumes its argument belongs with `RetryWithInput`.
    ///
    /// It is `Clone`, `Send` and `Sync` when the function, the policy and
    /// the runtime are, so one value (or an `Arc` of it) can serve many
    /// tasks; the future of a call is `Send` when the function's future is.
    ///
    /// The facade crate `backon` creates it with `backon::wrap`, on the
    /// runtime its features select.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon_core::{Policy, Progress, Stop, StopReason, Verdict, Wrapped};
    /// use backon_testing::VirtualTime;
    /// use std::sync::atomic::{AtomicU32, Ordering};
    /// use std::time::Duration;
    ///
    /// struct Three;
    /// impl Stop for Three {
    ///     fn check(&self, p: &Progress) -> Verdict {
    ///         if p.attempts >= 3 { Verdict::Stop(StopReason::Attempts) } else { Verdict::CONTINUE }
    ///     }
    /// }
    ///
    /// # async fn run() {
    /// let calls = AtomicU32::new(0);
    /// let lookup = Wrapped::new(
    ///     async |key: &&str| {
    ///         // Fails once, then answers.
    ///         if calls.fetch_add(1, Ordering::Relaxed) == 0 { Err("busy") } else { Ok(key.len()) }
    ///     },
    ///     Policy::new(Duration::from_secs(1), Three),
    ///     VirtualTime::new(),
    /// );
    ///
    /// assert_eq!(lookup.call("four").await, Ok(4));
    /// assert_eq!(calls.load(Ordering::Relaxed), 2);
    /// # }
    /// # let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    /// # assert!(std::future::Future::poll(std::pin::pin!(run()), &mut cx).is_ready());
    /// ```
    #[derive(Clone, Copy)]
    pub struct Wrapped<P, R, F> {
        policy: P,
        runtime: R,
        f: F,
    }

    impl<P: AsPolicy, R, F> Wrapped<P, R, F> {
        /// Bundles `f` with `policy`; nothing runs until
        /// [`call`](Self::call).
        pub fn new(f: F, policy: P, runtime: R) -> Self {
            Wrapped { policy, runtime, f }
        }

        /// Replaces the runtime: the clock, the sleeper and the jitter
        /// seeds.
        pub fn runtime<R2>(self, runtime: R2) -> Wrapped<P, R2, F> {
            Wrapped::new(self.f, self.policy, runtime)
        }

        /// Calls the function with `args`, retrying it until the policy
        /// accepts its outcome or gives up, and resolves to that outcome.
        ///
        /// # Errors
        ///
        /// Returns the function's last error when the policy gives up on
        /// it.
        ///
        /// # Cancel safety
        ///
        /// Dropping the future drops the running attempt or sleep, and
        /// `args` with it; nothing is left behind.
        pub async fn call<A, T, E>(&self, args: A) -> Result<T, E>
        where
            F: AsyncFn(&A) -> Result<T, E>,
            P::Condition: Condition<T, E>,
            P::Listener: Listener<E>,
            P::Guard: crate::GuardFor<T, E>,
            P::Guard: crate::GuardFor<T, E>,
            R: Sleeper + Clock + Entropy,
        {
            // One future rather than `call_with_report`'s, so the success
            // path costs what the extension form does.
            let args = &args;
            Retry::new(|| (self.f)(args), &self.policy, &self.runtime).await
        }

        /// Like [`call`](Self::call), and also tells how many attempts it
        /// took and why it gave up, if it did.
        ///
        /// # Cancel safety
        ///
        /// As for [`call`](Self::call).
        pub async fn call_with_report<A, T, E>(&self, args: A) -> Report<T, E>
        where
            F: AsyncFn(&A) -> Result<T, E>,
            P::Condition: Condition<T, E>,
            P::Listener: Listener<E>,
            P::Guard: crate::GuardFor<T, E>,
            P::Guard: crate::GuardFor<T, E>,
            R: Sleeper + Clock + Entropy,
        {
            let args = &args;
            Retry::new(|| (self.f)(args), &self.policy, &self.runtime)
                .with_report()
                .await
        }
    }

    impl<P, R: fmt::Debug, F> fmt::Debug for Wrapped<P, R, F> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("Wrapped")
                .field("runtime", &self.runtime)
                .finish_non_exhaustive()
        }
    }
}

#[cfg(feature = "async")]
pub use async_impl::Wrapped;
