//! A seam for tests: other time in place of `StdRuntime`'s on one thread.

use crate::time::{BlockingSleeper, Clock, Entropy};
use core::time::Duration;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Instant;

/// Runs `f` with `time` in place of [`StdRuntime`](crate::StdRuntime)'s
/// clock, sleeper and seeds, on the current thread only.
///
/// Code under test that retries on the standard runtime (what
/// `op.retry(&policy).call()` uses) then sleeps on `time` instead of the
/// real clock. Other threads, including threads that `f` spawns, keep real
/// time. When `f` returns or panics, the previous time comes back; calls
/// nest. `backon-testing`'s `VirtualTime::in_scope` is the usual way in.
///
/// # Examples
///
/// ```
/// use backon_core::{BlockingSleeper, Clock, Entropy, StdRuntime, with_std_time};
/// use std::sync::{Arc, Mutex};
/// use std::time::Duration;
///
/// // A clock that only moves when something sleeps on it.
/// #[derive(Clone, Default)]
/// struct Fake(Arc<Mutex<Duration>>);
/// impl Clock for Fake {
///     type Instant = Duration;
///     fn now(&self) -> Duration { *self.0.lock().unwrap() }
///     fn elapsed(&self, earlier: Duration) -> Duration { self.now().saturating_sub(earlier) }
/// }
/// impl BlockingSleeper for Fake {
///     fn sleep(&self, delay: Duration) { *self.0.lock().unwrap() += delay }
/// }
/// impl Entropy for Fake {
///     fn seed(&self) -> u64 { 7 }
/// }
///
/// let fake = Fake::default();
/// with_std_time(fake.clone(), || {
///     let start = StdRuntime.now();
///     BlockingSleeper::sleep(&StdRuntime, Duration::from_secs(3600));
///     assert_eq!(StdRuntime.elapsed(start), Duration::from_secs(3600));
/// });
/// assert_eq!(fake.now(), Duration::from_secs(3600));
/// ```
pub fn with_std_time<R, T>(time: R, f: impl FnOnce() -> T) -> T
where
    R: Clock<Instant = Duration> + BlockingSleeper + Entropy + 'static,
{
    let start = time.now();
    let substitute = Substitute {
        base: Instant::now(),
        start,
        time: Box::new(time),
    };
    let previous = CURRENT.with(|current| current.replace(Some(Rc::new(substitute))));

    // Restores the previous time on the way out, panics included.
    let _restore = Restore(previous);
    f()
}

thread_local! {
    static CURRENT: RefCell<Option<Rc<Substitute>>> = const { RefCell::new(None) };
}

struct Substitute {
    // The real instant that stands for `start` on the substitute's clock.
    base: Instant,
    start: Duration,
    time: Box<dyn StdTime>,
}

// The three traits as one object-safe trait, so that one box holds them.
trait StdTime {
    fn now(&self) -> Duration;
    fn sleep(&self, delay: Duration);
    fn seed(&self) -> u64;
}

impl<R: Clock<Instant = Duration> + BlockingSleeper + Entropy> StdTime for R {
    fn now(&self) -> Duration {
        Clock::now(self)
    }

    fn sleep(&self, delay: Duration) {
        BlockingSleeper::sleep(self, delay);
    }

    fn seed(&self) -> u64 {
        Entropy::seed(self)
    }
}

struct Restore(Option<Rc<Substitute>>);

impl Drop for Restore {
    fn drop(&mut self) {
        let previous = self.0.take();
        // During thread teardown the slot may be gone; nothing to restore.
        let _ = CURRENT.try_with(|current| current.replace(previous));
    }
}

fn current() -> Option<Rc<Substitute>> {
    CURRENT
        .try_with(|current| current.borrow().clone())
        .ok()
        .flatten()
}

/// The substitute's time as an `Instant`, when one is in place.
pub(crate) fn now() -> Option<Instant> {
    let substitute = current()?;
    let passed = substitute.time.now().saturating_sub(substitute.start);

    // Past what `Instant` can hold (centuries of virtual time), time stops.
    let base = substitute.base;
    Some(base.checked_add(passed).unwrap_or(base))
}

/// Sleeps on the substitute and returns `true`, when one is in place.
pub(crate) fn sleep(delay: Duration) -> bool {
    match current() {
        Some(substitute) => {
            substitute.time.sleep(delay);
            true
        }
        None => false,
    }
}

/// A seed from the substitute, when one is in place.
pub(crate) fn seed() -> Option<u64> {
    current().map(|substitute| substitute.time.seed())
}
