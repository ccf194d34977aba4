//! `tokio-retry2`: async only; its operations return `RetryError`.

use backon_benches::{ATTEMPTS, Busy, fail_once_async, succeed_async};
use std::cell::Cell;
use std::time::Duration;
use tokio_retry2::strategy::{ExponentialBackoff, FixedInterval};
use tokio_retry2::{Retry, RetryError};

const RETRIES: usize = (ATTEMPTS - 1) as usize;

/// Exponential backoff from 10 ms, two retries.
pub(crate) async fn success() -> Result<u64, Busy> {
    let strategy = ExponentialBackoff::from_millis(10).take(RETRIES);
    Retry::spawn(strategy, || async {
        succeed_async().await.map_err(RetryError::transient)
    })
    .await
}

/// A zero fixed interval, two retries. It sleeps on tokio's timer even for
/// a zero delay.
pub(crate) async fn fail_once() -> Result<u64, Busy> {
    let calls = Cell::new(0);
    let strategy = FixedInterval::new(Duration::ZERO).take(RETRIES);
    Retry::spawn(strategy, || async {
        fail_once_async(&calls).await.map_err(RetryError::transient)
    })
    .await
}
