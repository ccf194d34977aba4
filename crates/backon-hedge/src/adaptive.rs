//! The adaptive delay: a percentile of recent primary latencies.

use crate::delay::HedgeDelay;
use crate::error::HedgeError;
use core::fmt;
use core::time::Duration;
use hdrhistogram::Histogram;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Latencies are recorded in microseconds from 1 µs to one hour; longer
/// ones count as one hour.
const LOWEST_US: u64 = 1;
const HIGHEST_US: u64 = 3_600_000_000;

/// Two significant digits: each latency is kept within 1 %.
const SIGNIFICANT_DIGITS: u8 = 2;

/// The stored delay while the fallback applies.
const NO_ESTIMATE: u64 = u64::MAX;

/// A hedge delay that follows a percentile of the latencies of recent
/// primary attempts, with a fixed fallback until enough samples exist.
///
/// With the 95th percentile, a group hedges when its primary is slower
/// than 95 % of recent primaries, so about 5 % of calls start a hedge.
///
/// The window slides by halves: when the newer half of the samples is
/// full, the older half is forgotten, so the estimate always covers
/// between half a window and a whole one. It is recomputed every eighth of
/// a window, and at once when the minimum of samples is first reached;
/// reading it is one atomic load.
/// Recording takes a lock briefly; a sample that finds it taken is skipped
/// rather than waited for.
///
/// A primary cancelled because a hedge won has no latency to record, only
/// a lower bound: it ran past the delay. It is recorded as the longer of
/// the time it ran and twice the delay. For the percentile this changes
/// nothing while the delay is at or above it, since the sample counts as
/// slower either way; when the delay is below the true percentile, it lets
/// the estimate climb by up to a factor of two per refresh instead of
/// creeping up by one hedge latency. The estimate may then overshoot, which
/// hedges less, not more, until the window has turned over.
///
/// Histograms come from the `hdrhistogram` crate: constant-time
/// recording, fixed memory (about 26 KiB per `Adaptive`) and 1 % precision
/// from 1 µs to one hour.
///
/// Clones share the window, so one value serves a policy and all its calls.
///
/// # Defaults
///
/// | setting | default |
/// |---|---|
/// | [`percentile`](AdaptiveBuilder::percentile) | 95 |
/// | [`window`](AdaptiveBuilder::window) | 1000 samples |
/// | [`min_samples`](AdaptiveBuilder::min_samples) | 100 |
/// | [`fallback`](AdaptiveBuilder::fallback) | 100 ms |
///
/// # Examples
///
/// ```
/// use backon_hedge::{Adaptive, HedgeDelay};
/// use std::time::Duration;
///
/// let delay = Adaptive::builder()
///     .percentile(90.0)
///     .min_samples(10)
///     .fallback(Duration::from_millis(50))
///     .build()?;
/// assert_eq!(delay.delay(), Duration::from_millis(50));
///
/// // 1 ms, 2 ms … 10 ms: the 90th percentile is 9 ms.
/// for ms in 1..=10 {
///     delay.record(Duration::from_millis(ms));
/// }
/// let p90 = delay.delay();
/// assert!(p90 >= Duration::from_millis(9) && p90 < Duration::from_micros(9100), "{p90:?}");
/// # Ok::<(), backon_hedge::HedgeError>(())
/// ```
#[derive(Clone)]
pub struct Adaptive {
    inner: Arc<Inner>,
}

struct Inner {
    quantile: f64,
    half: u64,
    min_samples: u64,
    refresh: u64,
    fallback: Duration,
    /// The current estimate in nanoseconds, or [`NO_ESTIMATE`].
    estimate: AtomicU64,
    window: Mutex<Window>,
}

/// The samples of the window: all of them, and the newer half alone.
///
/// When the newer half is full, the older half leaves: the newer half
/// becomes the whole window, and an empty one starts. No sample is ever
/// taken out one by one.
struct Window {
    all: Histogram<u32>,
    newer: Histogram<u32>,
    since_refresh: u64,
}

impl Adaptive {
    /// Starts a builder with the [defaults](Adaptive#defaults).
    pub fn builder() -> AdaptiveBuilder {
        AdaptiveBuilder {
            percentile: 95.0,
            window: 1000,
            min_samples: 100,
            fallback: Duration::from_millis(100),
        }
    }

    /// Returns the current estimate of the percentile, or `None` while the
    /// fallback applies.
    pub fn estimate(&self) -> Option<Duration> {
        match self.inner.estimate.load(Ordering::Acquire) {
            NO_ESTIMATE => None,
            nanos => Some(Duration::from_nanos(nanos)),
        }
    }

    fn refresh(&self, window: &mut Window) {
        let inner = &*self.inner;
        window.since_refresh = 0;
        if window.all.len() < inner.min_samples {
            return;
        }

        let micros = window.all.value_at_quantile(inner.quantile);
        let nanos = Duration::from_micros(micros).as_nanos() as u64;
        inner
            .estimate
            .store(nanos.min(NO_ESTIMATE - 1), Ordering::Release);
    }
}

impl Window {
    fn record(&mut self, micros: u64, half: u64) {
        self.all.saturating_record(micros);
        self.newer.saturating_record(micros);
        self.since_refresh += 1;

        if self.newer.len() >= half {
            core::mem::swap(&mut self.all, &mut self.newer);
            self.newer.reset();
        }
    }
}

impl HedgeDelay for Adaptive {
    fn delay(&self) -> Duration {
        self.estimate().unwrap_or(self.inner.fallback)
    }

    fn uses_clock(&self) -> bool {
        true
    }

    fn record(&self, latency: Duration) {
        let Ok(mut window) = self.inner.window.try_lock() else {
            return;
        };
        let micros = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
        window.record(micros.clamp(LOWEST_US, HIGHEST_US), self.inner.half);

        if window.since_refresh >= self.inner.refresh || self.estimate().is_none() {
            self.refresh(&mut window);
        }
    }

    /// Records the longer of `ran` and twice the current delay.
    fn record_cancelled(&self, ran: Duration) {
        self.record(ran.max(self.delay().saturating_mul(2)));
    }
}

impl fmt::Debug for Adaptive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Adaptive")
            .field("percentile", &(self.inner.quantile * 100.0))
            .field("window", &(self.inner.half * 2))
            .field("min_samples", &self.inner.min_samples)
            .field("fallback", &self.inner.fallback)
            .field("estimate", &self.estimate())
            .finish()
    }
}

/// Builds an [`Adaptive`] delay; see its [defaults](Adaptive#defaults).
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct AdaptiveBuilder {
    percentile: f64,
    window: u64,
    min_samples: u64,
    fallback: Duration,
}

impl AdaptiveBuilder {
    /// Sets the percentile of recent latencies to wait for, above 0 and at
    /// most 100: 95 hedges the slowest 5 % of calls.
    pub fn percentile(mut self, percentile: f64) -> Self {
        self.percentile = percentile;
        self
    }

    /// Sets how many recent samples the estimate covers, at least 2.
    pub fn window(mut self, samples: u64) -> Self {
        self.window = samples;
        self
    }

    /// Sets how many samples are needed before the estimate replaces the
    /// fallback, from 1 to the window.
    pub fn min_samples(mut self, samples: u64) -> Self {
        self.min_samples = samples;
        self
    }

    /// Sets the delay used until enough samples exist.
    pub fn fallback(mut self, delay: Duration) -> Self {
        self.fallback = delay;
        self
    }

    /// Builds the delay, with no samples yet.
    ///
    /// # Errors
    ///
    /// [`HedgeError::Percentile`], [`HedgeError::Window`] or
    /// [`HedgeError::MinSamples`] for a setting out of its range.
    pub fn build(self) -> Result<Adaptive, HedgeError> {
        if !(self.percentile > 0.0 && self.percentile <= 100.0) {
            return Err(HedgeError::Percentile);
        }
        if self.window < 2 {
            return Err(HedgeError::Window);
        }
        if self.min_samples == 0 || self.min_samples > self.window {
            return Err(HedgeError::MinSamples);
        }

        let inner = Inner {
            quantile: self.percentile / 100.0,
            half: self.window / 2,
            min_samples: self.min_samples,
            refresh: (self.window / 8).max(1),
            fallback: self.fallback,
            estimate: AtomicU64::new(NO_ESTIMATE),
            window: Mutex::new(Window {
                all: histogram(),
                newer: histogram(),
                since_refresh: 0,
            }),
        };
        Ok(Adaptive {
            inner: Arc::new(inner),
        })
    }
}

fn histogram() -> Histogram<u32> {
    match Histogram::new_with_bounds(LOWEST_US, HIGHEST_US, SIGNIFICANT_DIGITS) {
        Ok(histogram) => histogram,
        Err(_) => unreachable!("the bounds are constant and valid"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adaptive(percentile: f64, window: u64, min: u64) -> Adaptive {
        Adaptive::builder()
            .percentile(percentile)
            .window(window)
            .min_samples(min)
            .fallback(Duration::from_secs(1))
            .build()
            .unwrap()
    }

    fn within_one_percent(d: Duration, ms: u64) -> bool {
        let target = Duration::from_millis(ms);
        d >= target.mul_f64(0.99) && d <= target.mul_f64(1.01)
    }

    #[test]
    fn the_fallback_holds_until_enough_samples() {
        let a = adaptive(50.0, 100, 5);
        for _ in 0..4 {
            a.record(Duration::from_millis(10));
        }
        assert_eq!(a.delay(), Duration::from_secs(1));
        a.record(Duration::from_millis(10));
        assert!(within_one_percent(a.delay(), 10), "{:?}", a.delay());
    }

    #[test]
    fn old_samples_slide_out() {
        let a = adaptive(50.0, 32, 1);
        for _ in 0..32 {
            a.record(Duration::from_millis(10));
        }
        for _ in 0..32 {
            a.record(Duration::from_millis(200));
        }
        assert!(within_one_percent(a.delay(), 200), "{:?}", a.delay());
    }

    #[test]
    fn latencies_past_an_hour_count_as_an_hour() {
        let a = adaptive(100.0, 2, 1);
        a.record(Duration::MAX);
        let hour = Duration::from_secs(3600);
        assert!(a.delay() >= hour && a.delay() <= hour.mul_f64(1.01));
    }

    #[test]
    fn refuses_bad_settings() {
        let build = |p: f64, w: u64, m: u64| {
            Adaptive::builder()
                .percentile(p)
                .window(w)
                .min_samples(m)
                .build()
                .map(drop)
        };
        assert_eq!(build(0.0, 10, 1), Err(HedgeError::Percentile));
        assert_eq!(build(100.1, 10, 1), Err(HedgeError::Percentile));
        assert_eq!(build(f64::NAN, 10, 1), Err(HedgeError::Percentile));
        assert_eq!(build(95.0, 1, 1), Err(HedgeError::Window));
        assert_eq!(build(95.0, 10, 0), Err(HedgeError::MinSamples));
        assert_eq!(build(95.0, 10, 11), Err(HedgeError::MinSamples));
        assert_eq!(build(100.0, 2, 2), Ok(()));
    }
}
