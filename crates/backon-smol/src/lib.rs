#![doc = include_str!("../README.md")]
#![doc(test(attr(deny(warnings))))]

use async_io::Timer;
use backon_core::{Clock, Entropy, Sleeper, StdRuntime};
use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};
use core::time::Duration;
use std::time::Instant;

/// smol's time for backon: the standard clock, async-io's timer and random
/// seeds.
///
/// Sleeping needs no executor of its own: async-io drives its timers from
/// whichever thread blocks on a future, or from its own reactor thread.
///
/// # Examples
///
/// ```
/// use backon_core::{Clock, Sleeper};
/// use backon_smol::SmolRuntime;
/// use std::time::Duration;
///
/// let start = SmolRuntime.now();
/// smol::block_on(SmolRuntime.sleep(Duration::from_millis(1)));
/// assert!(SmolRuntime.elapsed(start) >= Duration::from_millis(1));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SmolRuntime;

impl Clock for SmolRuntime {
    type Instant = Instant;

    fn now(&self) -> Instant {
        StdRuntime.now()
    }

    fn elapsed(&self, earlier: Instant) -> Duration {
        StdRuntime.elapsed(earlier)
    }
}

impl Sleeper for SmolRuntime {
    type Sleep = SmolSleep;

    fn sleep(&self, delay: Duration) -> SmolSleep {
        SmolSleep {
            timer: Timer::after(delay),
        }
    }
}

impl Entropy for SmolRuntime {
    fn seed(&self) -> u64 {
        backon_core::std_seed()
    }
}

/// The future of [`SmolRuntime`]'s sleep: an [`async_io::Timer`] that
/// resolves to `()`.
///
/// # Cancel safety
///
/// Dropping it removes the timer from the reactor; nothing is left behind.
#[must_use = "futures do nothing unless polled"]
pub struct SmolSleep {
    timer: Timer,
}

impl Future for SmolSleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        Pin::new(&mut self.timer).poll(cx).map(|_| ())
    }
}

impl fmt::Debug for SmolSleep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmolSleep").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn sleeps_for_at_least_the_delay() {
        let start = Instant::now();
        smol::block_on(SmolRuntime.sleep(Duration::from_millis(2)));
        assert!(start.elapsed() >= Duration::from_millis(2));
    }

    #[test]
    fn the_sleep_is_send_and_sync() {
        assert_send_sync::<SmolSleep>();
    }

    #[test]
    fn seeds_differ() {
        assert_ne!(SmolRuntime.seed(), SmolRuntime.seed());
    }
}
