//! What the breaker-guard tests share: an error type that carries a
//! refusal, and a breaker on virtual time.

use backon::breaker::{Breaker, BreakerOpen};
use backon::testing::VirtualTime;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Error {
    /// The operation failed; the number says which attempt failed, so that
    /// a test can tell the last error from the others.
    Down(u32),
    Open(BreakerOpen),
}

impl From<BreakerOpen> for Error {
    fn from(open: BreakerOpen) -> Self {
        Error::Open(open)
    }
}

pub(crate) fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// A breaker that opens for 5 s after two failures in a row.
pub(crate) fn breaker(time: &VirtualTime) -> Breaker<VirtualTime> {
    tripping_after(2, time)
}

/// A breaker that opens for 5 s after `failures` failures in a row.
pub(crate) fn tripping_after(failures: u32, time: &VirtualTime) -> Breaker<VirtualTime> {
    Breaker::builder()
        .consecutive_failures(failures)
        .open_for(secs(5))
        .clock(time.clone())
        .build()
        .unwrap()
}
