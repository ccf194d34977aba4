//! Helpers shared by the unit tests of every strategy.

use backon_core::Wait;
use core::time::Duration;

pub(crate) fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

/// The delays one call would see for these attempt numbers.
pub(crate) fn delays<W: Wait>(
    wait: &W,
    seed: u64,
    attempts: impl IntoIterator<Item = u32>,
) -> Vec<Duration> {
    let mut state = wait.start(seed);

    attempts
        .into_iter()
        .map(|n| wait.next(&mut state, n))
        .collect()
}
