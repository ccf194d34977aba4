#![doc = include_str!("../README.md")]
#![doc(test(attr(deny(warnings))))]

use backon_core::{Clock, Entropy, Sleeper};
use core::time::Duration;
use tokio::time::{Instant, Sleep};

/// Tokio's time for backon: its clock, its timer and random seeds.
///
/// The clock is [`tokio::time::Instant`], so a retry follows tokio's paused
/// clock in tests (`#[tokio::test(start_paused = true)]`): sleeps complete
/// as soon as the runtime is idle, and elapsed time is virtual.
///
/// Sleeping needs a tokio runtime with the time driver enabled, as for
/// [`tokio::time::sleep`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TokioRuntime;

impl Clock for TokioRuntime {
    type Instant = Instant;

    fn now(&self) -> Instant {
        Instant::now()
    }

    fn elapsed(&self, earlier: Instant) -> Duration {
        earlier.elapsed()
    }
}

impl Sleeper for TokioRuntime {
    type Sleep = Sleep;

    fn sleep(&self, delay: Duration) -> Sleep {
        tokio::time::sleep(delay)
    }
}

impl Entropy for TokioRuntime {
    fn seed(&self) -> u64 {
        backon_core::std_seed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn follows_the_paused_clock() {
        let start = TokioRuntime.now();
        TokioRuntime.sleep(Duration::from_secs(3600)).await;
        assert_eq!(TokioRuntime.elapsed(start), Duration::from_secs(3600));
    }

    #[test]
    fn seeds_differ() {
        assert_ne!(TokioRuntime.seed(), TokioRuntime.seed());
    }
}
