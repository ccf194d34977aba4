//! The `backon` crate from crates.io (1.x), renamed `crates-backon` here.

use backon_benches::{ATTEMPTS, Busy, fail_once, fail_once_async, succeed, succeed_async};
use crates_backon::{BlockingRetryable, ConstantBuilder, ExponentialBuilder, Retryable};
use std::cell::Cell;
use std::time::Duration;

/// Its builders, made once: the default exponential backoff (no jitter)
/// for the success case, a constant zero delay for the fail-once case.
/// `max_times` counts retries, so two retries make three attempts.
pub(crate) struct Upstream {
    exponential: ExponentialBuilder,
    constant: ConstantBuilder,
}

impl Upstream {
    pub(crate) fn new() -> Self {
        let retries = (ATTEMPTS - 1) as usize;
        Upstream {
            exponential: ExponentialBuilder::default().with_max_times(retries),
            constant: ConstantBuilder::default()
                .with_delay(Duration::ZERO)
                .with_max_times(retries),
        }
    }

    pub(crate) async fn success(&self) -> Result<u64, Busy> {
        succeed_async.retry(self.exponential).await
    }

    /// It sleeps on tokio's timer even for a zero delay.
    pub(crate) async fn fail_once(&self) -> Result<u64, Busy> {
        let calls = Cell::new(0);
        (|| fail_once_async(&calls)).retry(self.constant).await
    }

    pub(crate) fn success_blocking(&self) -> Result<u64, Busy> {
        succeed.retry(self.exponential).call()
    }

    pub(crate) fn fail_once_blocking(&self) -> Result<u64, Busy> {
        let calls = Cell::new(0);
        (|| fail_once(&calls)).retry(self.constant).call()
    }
}
