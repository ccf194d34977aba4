//! The percentage budget: retries as a share of recent calls.

use super::window::Window;
use super::{Budget, BudgetError};
use crate::time::{Clock, StdRuntime};
use core::fmt;
use core::time::Duration;
use std::sync::Arc;

/// The window is cut into this many slots; a call leaves the window one
/// slot width (a tenth of it) at a time.
const SLOTS: u32 = 10;

/// Milli-tokens in one retry.
const MILLI: u64 = 1000;

/// The largest percentage: ten retries per call.
const MAX_PERCENT: f64 = 1000.0;

/// The smallest percentage above zero: a thousandth of a retry per call.
const MIN_PERCENT: f64 = 0.1;

/// A budget that grants retries up to a percentage of the calls made in a
/// recent time window, plus a reserve so that a client with few calls can
/// still retry: the Finagle and Envoy model.
///
/// Over any window of `ttl`, it grants at most
/// `min_per_sec × ttl + percent % × calls` retries, where `calls` counts
/// the calls that started in that window. Counts are kept in exact
/// milli-retries and in ten time slots per window, with atomics only: no
/// lock. It reads its clock at each call and each withdrawal.
///
/// Clones share the budget.
///
/// # Defaults
///
/// | setting | default |
/// |---|---|
/// | [`percent`](RatioBudgetBuilder::percent) | 20 % |
/// | [`min_per_sec`](RatioBudgetBuilder::min_per_sec) | 10 |
/// | [`ttl`](RatioBudgetBuilder::ttl) | 10 s |
/// | [`clock`](RatioBudgetBuilder::clock) | [`StdRuntime`] |
///
/// # Examples
///
/// ```
/// use backon_core::budget::{Budget, RatioBudget};
///
/// // No reserve: only a quarter of the calls may be retried.
/// let budget = RatioBudget::builder().percent(25.0).min_per_sec(0).build()?;
/// for _ in 0..8 {
///     budget.on_call();
/// }
/// assert_eq!(budget.available(), 2);
/// assert!(budget.try_withdraw() && budget.try_withdraw());
/// assert!(!budget.try_withdraw());
/// # Ok::<(), backon_core::budget::BudgetError>(())
/// ```
pub struct RatioBudget<C: Clock = StdRuntime> {
    inner: Arc<Inner<C>>,
}

struct Inner<C: Clock> {
    clock: C,
    start: C::Instant,
    slot: Duration,
    reserve: u64,
    per_call: u64,
    calls: Window,
    retries: Window,
}

impl RatioBudget {
    /// Starts a builder with the [defaults](RatioBudget#defaults).
    pub fn builder() -> RatioBudgetBuilder {
        RatioBudgetBuilder {
            percent: 20.0,
            min_per_sec: 10,
            ttl: Duration::from_secs(10),
            clock: StdRuntime,
        }
    }
}

impl Default for RatioBudget {
    /// The budget with the [defaults](RatioBudget#defaults).
    fn default() -> Self {
        match RatioBudget::builder().build() {
            Ok(budget) => budget,
            Err(_) => unreachable!("the default settings are valid"),
        }
    }
}

impl<C: Clock> RatioBudget<C> {
    fn slot_now(&self) -> u64 {
        let inner = &*self.inner;
        let elapsed = inner.clock.elapsed(inner.start).as_nanos();
        (elapsed / inner.slot.as_nanos().max(1)) as u64
    }

    /// Returns the balance in milli-retries at slot `now`.
    fn balance(&self, now: u64) -> i128 {
        let inner = &*self.inner;
        let earned = inner.reserve + inner.calls.sum(now).saturating_mul(inner.per_call);
        let spent = inner.retries.sum(now).saturating_mul(MILLI);
        i128::from(earned) - i128::from(spent)
    }
}

impl<C: Clock> Budget for RatioBudget<C> {
    fn try_withdraw(&self) -> bool {
        let now = self.slot_now();

        // Spend first, then check, and give it back when it overdraws: two
        // threads racing for the last retry can both lose it, never both
        // win it.
        self.inner.retries.add(now);
        if self.balance(now) >= 0 {
            return true;
        }
        self.inner.retries.remove(now);
        false
    }

    fn available(&self) -> u64 {
        let balance = self.balance(self.slot_now()).max(0);
        (balance / i128::from(MILLI)) as u64
    }

    fn on_call(&self) {
        self.inner.calls.add(self.slot_now());
    }
}

impl<C: Clock> Clone for RatioBudget<C> {
    fn clone(&self) -> Self {
        RatioBudget {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<C: Clock> fmt::Debug for RatioBudget<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RatioBudget")
            .field("available", &self.available())
            .finish_non_exhaustive()
    }
}

/// Builds a [`RatioBudget`]; see its [defaults](RatioBudget#defaults).
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct RatioBudgetBuilder<C = StdRuntime> {
    percent: f64,
    min_per_sec: u32,
    ttl: Duration,
    clock: C,
}

impl<C> RatioBudgetBuilder<C> {
    /// Sets the retries granted per 100 calls, from 0 to 1000; 20 means
    /// one retry for every five calls, and 0 leaves only the reserve of
    /// [`min_per_sec`](Self::min_per_sec).
    ///
    /// It is kept to a thousandth of a retry per call, rounded to the
    /// nearest: a percentage above zero is at least 0.1, and a smaller one
    /// is refused rather than rounded to nothing.
    pub fn percent(mut self, percent: f64) -> Self {
        self.percent = percent;
        self
    }

    /// Sets the retries per second of the window granted whatever the
    /// number of calls, so that a client making few calls may still retry.
    pub fn min_per_sec(mut self, min_per_sec: u32) -> Self {
        self.min_per_sec = min_per_sec;
        self
    }

    /// Sets how long a call or a retry counts, from 1 s to 60 s.
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// Sets the clock that ages calls and retries out of the window, such
    /// as a virtual one in tests.
    pub fn clock<C2: Clock>(self, clock: C2) -> RatioBudgetBuilder<C2> {
        RatioBudgetBuilder {
            percent: self.percent,
            min_per_sec: self.min_per_sec,
            ttl: self.ttl,
            clock,
        }
    }

    /// Builds the budget; its window starts now.
    ///
    /// # Errors
    ///
    /// [`BudgetError::OutOfRange`] for a percentage that is NaN or outside
    /// 0 to 1000, [`BudgetError::TooSmall`] for one above zero but below
    /// 0.1, [`BudgetError::Ttl`] for a window outside 1 s to 60 s.
    pub fn build(self) -> Result<RatioBudget<C>, BudgetError>
    where
        C: Clock,
    {
        // Written so that NaN fails too.
        if !(0.0..=MAX_PERCENT).contains(&self.percent) {
            return Err(BudgetError::OutOfRange {
                setting: "percent",
                value: self.percent,
                max: MAX_PERCENT,
            });
        }
        if self.percent > 0.0 && self.percent < MIN_PERCENT {
            return Err(BudgetError::TooSmall {
                setting: "percent",
                value: self.percent,
                smallest: MIN_PERCENT,
            });
        }
        if !(Duration::from_secs(1)..=Duration::from_secs(60)).contains(&self.ttl) {
            return Err(BudgetError::Ttl(self.ttl));
        }

        // 20 % is 200 milli-retries per call; the window is at most 60 s,
        // so the reserve fits easily.
        let per_call = (self.percent * 10.0).round() as u64;
        let reserve = u64::from(self.min_per_sec) * self.ttl.as_millis() as u64;
        let start = self.clock.now();
        let inner = Inner {
            clock: self.clock,
            start,
            slot: self.ttl / SLOTS,
            reserve,
            per_call,
            calls: Window::new(SLOTS as usize),
            retries: Window::new(SLOTS as usize),
        };
        Ok(RatioBudget {
            inner: Arc::new(inner),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    /// A clock that moves only when told, shared by its clones.
    #[derive(Clone, Default)]
    struct Manual(Arc<AtomicU64>);

    impl Manual {
        fn advance(&self, by: Duration) {
            self.0.fetch_add(by.as_nanos() as u64, Ordering::SeqCst);
        }
    }

    impl Clock for Manual {
        type Instant = u64;

        fn now(&self) -> u64 {
            self.0.load(Ordering::SeqCst)
        }

        fn elapsed(&self, earlier: u64) -> Duration {
            Duration::from_nanos(self.now().saturating_sub(earlier))
        }
    }

    fn budget(clock: &Manual, percent: f64, min_per_sec: u32) -> RatioBudget<Manual> {
        RatioBudget::builder()
            .percent(percent)
            .min_per_sec(min_per_sec)
            .clock(clock.clone())
            .build()
            .unwrap()
    }

    #[test]
    fn the_reserve_is_the_floor_times_the_window() {
        let clock = Manual::default();
        let b = budget(&clock, 20.0, 10);
        assert_eq!(b.available(), 100);
        let granted = (0..150).filter(|_| b.try_withdraw()).count();
        assert_eq!(granted, 100);
    }

    #[test]
    fn twenty_percent_of_calls_is_exact() {
        let clock = Manual::default();
        let b = budget(&clock, 20.0, 0);
        for _ in 0..10 {
            b.on_call();
        }
        assert_eq!(b.available(), 2);
        assert!(b.try_withdraw());
        assert!(b.try_withdraw());
        assert!(!b.try_withdraw());
        assert_eq!(b.available(), 0);
    }

    #[test]
    fn calls_and_retries_age_out_of_the_window() {
        let clock = Manual::default();
        let b = budget(&clock, 50.0, 0);
        for _ in 0..4 {
            b.on_call();
        }
        assert!(b.try_withdraw() && b.try_withdraw());
        assert!(!b.try_withdraw());

        clock.advance(Duration::from_secs(10));
        assert_eq!(b.available(), 0);
        for _ in 0..2 {
            b.on_call();
        }
        assert!(b.try_withdraw());
        assert!(!b.try_withdraw());
    }

    #[test]
    fn refuses_bad_settings() {
        let build = |p: f64, ttl: u64| {
            RatioBudget::builder()
                .percent(p)
                .ttl(Duration::from_secs(ttl))
                .build()
                .map(drop)
        };
        let out_of_range = |value| {
            Err(BudgetError::OutOfRange {
                setting: "percent",
                value,
                max: 1000.0,
            })
        };
        assert!(matches!(
            build(f64::NAN, 10),
            Err(BudgetError::OutOfRange { setting: "percent", value, .. }) if value.is_nan()
        ));
        assert_eq!(build(-1.0, 10), out_of_range(-1.0));
        assert_eq!(build(1000.5, 10), out_of_range(1000.5));
        assert_eq!(build(f64::INFINITY, 10), out_of_range(f64::INFINITY));
        assert_eq!(
            build(0.05, 10),
            Err(BudgetError::TooSmall {
                setting: "percent",
                value: 0.05,
                smallest: 0.1
            })
        );
        assert_eq!(build(20.0, 0), Err(BudgetError::Ttl(Duration::ZERO)));
        assert_eq!(
            build(20.0, 61),
            Err(BudgetError::Ttl(Duration::from_secs(61)))
        );
        assert_eq!(build(1000.0, 60), Ok(()));
        assert_eq!(build(0.1, 1), Ok(()));
        assert_eq!(build(0.0, 1), Ok(()));
    }

    #[test]
    fn errors_name_the_setting_and_the_value() {
        let build = |p: f64, ttl: Duration| {
            RatioBudget::builder()
                .percent(p)
                .ttl(ttl)
                .build()
                .unwrap_err()
                .to_string()
        };
        let ten = Duration::from_secs(10);
        assert_eq!(
            build(1000.5, ten),
            "percent 1000.5 is not between 0 and 1000"
        );
        assert_eq!(
            build(f64::NAN, ten),
            "percent NaN is not between 0 and 1000"
        );
        assert_eq!(
            build(0.05, ten),
            "percent 0.05 is below 0.1, the smallest nonzero amount the budget counts"
        );
        assert_eq!(
            build(20.0, Duration::from_millis(500)),
            "ttl 500ms is not between 1s and 60s"
        );
    }

    #[test]
    fn the_smallest_percentage_grants_one_retry_in_a_thousand_calls() {
        let clock = Manual::default();
        let b = budget(&clock, 0.1, 0);
        for _ in 0..999 {
            b.on_call();
        }
        assert_eq!(b.available(), 0);
        b.on_call();
        assert_eq!(b.available(), 1);
    }

    #[test]
    fn clones_share_it_across_threads() {
        let b = budget(&Manual::default(), 0.0, 100);
        let granted: usize = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|_| {
                    let b = b.clone();
                    s.spawn(move || (0..1000).filter(|_| b.try_withdraw()).count())
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).sum()
        });

        // Racing threads may refuse each other the last few, never overdraw.
        let left = (0..1000).filter(|_| b.try_withdraw()).count();
        assert_eq!(granted + left, 1000);
    }
}
