//! This workspace's `#[retry]` attribute, called as a user would.
//!
//! `Attribute` borrows the very policy the extension form uses (`ours.rs`),
//! so the two differ only in how the retry is written. The `inline`
//! functions describe the same three attempts with inline arguments, and
//! build that policy on each call: a wait of zero with a cap and no jitter.

use backon::prelude::*;
use backon::retry;
use backon::stop::AfterAttempts;
use backon::wait::Bounded;
use backon_benches::{ATTEMPTS, Busy, succeed, succeed_async};
use std::time::Duration;

// The attribute takes a literal; this keeps it in step with the others.
const _: () = assert!(ATTEMPTS == 3);

/// A policy of three attempts with no delay, as in `ours.rs`.
pub(crate) struct Attribute {
    policy: Policy<Duration, AfterAttempts>,
}

impl Attribute {
    pub(crate) fn new() -> Self {
        let stop = after_attempts(ATTEMPTS).expect("three attempts is a valid stop");
        Attribute {
            policy: Policy::new(Duration::ZERO, stop),
        }
    }

    #[retry(policy = &self.policy)]
    pub(crate) async fn success(&self) -> Result<u64, Busy> {
        succeed_async().await
    }

    #[retry(policy = &self.policy)]
    pub(crate) fn success_blocking(&self) -> Result<u64, Busy> {
        succeed()
    }
}

#[retry(attempts = 3, delay = "0s", backoff = constant, jitter = none)]
pub(crate) async fn success_inline() -> Result<u64, Busy> {
    succeed_async().await
}

#[retry(attempts = 3, delay = "0s", backoff = constant, jitter = none)]
pub(crate) fn success_inline_blocking() -> Result<u64, Busy> {
    succeed()
}

/// The policy that the inline arguments above describe, as the extension
/// form would build it on each call.
fn inline_policy() -> Policy<Bounded<Constant>, AfterAttempts> {
    let stop = after_attempts(ATTEMPTS).expect("three attempts is a valid stop");
    Policy::new(
        Constant::new(Duration::ZERO)
            .max(Duration::from_secs(30))
            .jitter(Jitter::None),
        stop,
    )
}

pub(crate) async fn success_extension_inline() -> Result<u64, Busy> {
    succeed_async.retry(inline_policy()).await
}

pub(crate) fn success_extension_inline_blocking() -> Result<u64, Busy> {
    succeed.retry(inline_policy()).call()
}
