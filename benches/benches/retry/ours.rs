//! This workspace's `backon`, called through its facade as a user would.

use backon::prelude::*;
use backon::runtime::StdRuntime;
use backon::stop::AfterAttempts;
use backon::{BlockingWrapped, DefaultRuntime, Wrapped};
use backon_benches::{ATTEMPTS, Busy, fail_once, fail_once_async, succeed, succeed_async};
use std::cell::Cell;
use std::time::Duration;

/// A policy of three attempts with no delay, built once and borrowed by
/// every call. The delay is a plain `Duration` until `backon-wait` has its
/// exponential strategy; a call that succeeds at once never reads it.
pub(crate) struct Ours {
    policy: Policy<Duration, AfterAttempts>,
}

impl Ours {
    pub(crate) fn new() -> Self {
        let stop = after_attempts(ATTEMPTS).expect("three attempts is a valid stop");
        Ours {
            policy: Policy::new(Duration::ZERO, stop),
        }
    }

    pub(crate) async fn success(&self) -> Result<u64, Busy> {
        succeed_async.retry(&self.policy).await
    }

    pub(crate) async fn fail_once(&self) -> Result<u64, Busy> {
        let calls = Cell::new(0);
        (|| fail_once_async(&calls)).retry(&self.policy).await
    }

    pub(crate) fn success_blocking(&self) -> Result<u64, Busy> {
        succeed.retry(&self.policy).call()
    }

    pub(crate) fn fail_once_blocking(&self) -> Result<u64, Busy> {
        let calls = Cell::new(0);
        (|| fail_once(&calls)).retry(&self.policy).call()
    }

    /// The wrapped callable, built once and called each iteration: the
    /// argument is `()`, borrowed by the attempt.
    pub(crate) fn wrapped(
        &self,
    ) -> Wrapped<
        &Policy<Duration, AfterAttempts>,
        DefaultRuntime,
        impl AsyncFn(&()) -> Result<u64, Busy>,
    > {
        (&self.policy).wrap(async |_: &()| succeed_async().await)
    }

    /// The blocking wrapped callable, built once and called each iteration.
    pub(crate) fn wrapped_blocking(
        &self,
    ) -> BlockingWrapped<
        &Policy<Duration, AfterAttempts>,
        StdRuntime,
        impl Fn(&()) -> Result<u64, Busy>,
    > {
        (&self.policy).wrap_blocking(|_: &()| succeed())
    }
}
