//! The operations that the `retry` benchmark retries, shared by every
//! contender so that only the retry machinery differs.
//!
//! Run the benchmarks with `cargo xtask bench`, which also writes the
//! results table to `docs/benchmarks.md`.

use std::cell::Cell;
use std::hint::black_box;
use std::time::Duration;

/// How long criterion measures each benchmark.
pub const MEASUREMENT_TIME: Duration = Duration::from_secs(2);

/// How long criterion warms each benchmark up.
pub const WARM_UP_TIME: Duration = Duration::from_millis(500);

/// Samples criterion takes of each benchmark.
pub const SAMPLE_SIZE: usize = 30;

/// Attempts every contender makes at most: the first one and two retries.
pub const ATTEMPTS: u32 = 3;

/// The error the operations fail with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

impl std::fmt::Display for Busy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("busy")
    }
}

/// An error type, as `tower` asks of a service's errors.
impl std::error::Error for Busy {}

/// Succeeds with a value the optimiser cannot see through.
///
/// Only the branch and the value are hidden, not the whole `Result`: hiding
/// the `Result` sends it through memory as two narrow stores that a wide
/// load then reads back, and that store-forwarding stall (about 3 ns here)
/// would be most of the "bare" time every ratio divides by.
///
/// # Errors
///
/// Never fails; the `Result` is the shape every retried operation has.
#[inline]
pub fn succeed() -> Result<u64, Busy> {
    if black_box(true) {
        Ok(black_box(42))
    } else {
        Err(Busy)
    }
}

/// Fails on its first call and succeeds from then on; `calls` counts the
/// calls of one retried call.
///
/// # Errors
///
/// Returns [`Busy`] on the first call.
#[inline]
pub fn fail_once(calls: &Cell<u32>) -> Result<u64, Busy> {
    let n = black_box(calls.get()) + 1;
    calls.set(n);

    if n < 2 { Err(Busy) } else { succeed() }
}

/// The async form of [`succeed`]: ready at its first poll.
///
/// # Errors
///
/// Never fails.
pub async fn succeed_async() -> Result<u64, Busy> {
    succeed()
}

/// The async form of [`fail_once`]: ready at its first poll.
///
/// # Errors
///
/// Returns [`Busy`] on the first call.
pub async fn fail_once_async(calls: &Cell<u32>) -> Result<u64, Busy> {
    fail_once(calls)
}
