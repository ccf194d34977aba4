//! The baseline: the operation without a retry library, and for the
//! fail-once case the hand-written single retry a user would write.

use backon_benches::{Busy, fail_once, fail_once_async};
use std::cell::Cell;

/// Calls the operation, and once more if it failed.
pub(crate) async fn retry_once() -> Result<u64, Busy> {
    let calls = Cell::new(0);

    match fail_once_async(&calls).await {
        Ok(value) => Ok(value),
        Err(_) => fail_once_async(&calls).await,
    }
}

/// The blocking form of [`retry_once`].
pub(crate) fn retry_once_blocking() -> Result<u64, Busy> {
    let calls = Cell::new(0);

    match fail_once(&calls) {
        Ok(value) => Ok(value),
        Err(_) => fail_once(&calls),
    }
}
