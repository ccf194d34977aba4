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

/// async-std's time for backon: the standard clock, the timer behind
/// `async_std::task::sleep` and random seeds.
///
/// # Examples
///
/// ```
/// use backon_async_std::AsyncStdRuntime;
/// use backon_core::{Clock, Sleeper};
/// use std::time::Duration;
///
/// let start = AsyncStdRuntime.now();
/// async_std::task::block_on(AsyncStdRuntime.sleep(Duration::from_millis(1)));
/// assert!(AsyncStdRuntime.elapsed(start) >= Duration::from_millis(1));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AsyncStdRuntime;

impl Clock for AsyncStdRuntime {
    type Instant = Instant;

    fn now(&self) -> Instant {
        StdRuntime.now()
    }

    fn elapsed(&self, earlier: Instant) -> Duration {
        StdRuntime.elapsed(earlier)
    }
}

impl Sleeper for AsyncStdRuntime {
    type Sleep = AsyncStdSleep;

    fn sleep(&self, delay: Duration) -> AsyncStdSleep {
        AsyncStdSleep {
            timer: Timer::after(delay),
        }
    }
}

impl Entropy for AsyncStdRuntime {
    fn seed(&self) -> u64 {
        backon_core::std_seed()
    }
}

/// The future of [`AsyncStdRuntime`]'s sleep.
///
/// # Cancel safety
///
/// Dropping it cancels the timer; nothing is left behind.
#[must_use = "futures do nothing unless polled"]
pub struct AsyncStdSleep {
    timer: Timer,
}

impl Future for AsyncStdSleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        Pin::new(&mut self.timer).poll(cx).map(|_| ())
    }
}

impl fmt::Debug for AsyncStdSleep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncStdSleep").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sleeps_inside_an_async_std_task() {
        let slept = async_std::task::block_on(async_std::task::spawn(async {
            let start = Instant::now();
            AsyncStdRuntime.sleep(Duration::from_millis(2)).await;
            start.elapsed()
        }));
        assert!(slept >= Duration::from_millis(2));
    }

    #[test]
    fn seeds_differ() {
        assert_ne!(AsyncStdRuntime.seed(), AsyncStdRuntime.seed());
    }
}
