//! Ratio rules and their windows: the last N calls, or the last stretch of
//! time in buckets.
//!
//! Both windows are lock-free. A success that leaves a window as it was (a
//! full window with no bad outcome in it) writes nothing, so a healthy
//! breaker's closed path only reads shared memory. The time window must
//! count every call, so it counts them in per-thread stripes, each on its
//! own cache lines, and sums the stripes only when the window holds a bad
//! outcome.

use crate::event::Why;
use core::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};
use core::time::Duration;

/// Which outcomes a ratio rule counts as bad.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Meter {
    Failures,
    /// Calls that took longer than this many nanoseconds.
    SlowCalls(u64),
}

/// The calls in a window, and how many of them were bad.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Counts {
    pub(crate) bad: u64,
    pub(crate) total: u64,
}

/// A ratio that trips the breaker once reached over a window.
#[derive(Debug)]
pub(crate) struct RatioRule {
    pub(crate) meter: Meter,
    pub(crate) ratio: f64,
    pub(crate) minimum: u64,
    pub(crate) window: Window,
}

#[derive(Debug)]
pub(crate) enum Window {
    Calls(CountWindow),
    Time(TimeWindow),
}

impl RatioRule {
    /// Records one counted outcome and says why the breaker trips, if it
    /// does. `elapsed` is the call's duration and `now` the time it ended,
    /// both zero unless some rule reads the clock.
    #[inline]
    pub(crate) fn record(&self, failure: bool, elapsed: u64, now: u64) -> Option<Why> {
        let bad = match self.meter {
            Meter::Failures => failure,
            Meter::SlowCalls(threshold) => elapsed > threshold,
        };
        let counts = match &self.window {
            Window::Calls(window) => window.record(bad)?,
            Window::Time(window) => window.record(bad, now)?,
        };
        self.trips(counts)
    }

    /// Whether a success would leave this rule as it is: true only for a
    /// count window that is full and holds no bad outcome. A time window
    /// counts every call, and a success may still be slow.
    #[inline]
    pub(crate) fn is_clear(&self) -> bool {
        match (&self.meter, &self.window) {
            (Meter::Failures, Window::Calls(window)) => window.is_clear(),
            _ => false,
        }
    }

    fn trips(&self, counts: Counts) -> Option<Why> {
        let Counts { bad, total } = counts;

        // Integer counts against a float threshold: exact for any window
        // below 2^53 calls.
        let reached = total >= self.minimum.max(1) && bad as f64 >= self.ratio * total as f64;
        if !reached {
            return None;
        }
        Some(match self.meter {
            Meter::Failures => Why::FailureRatio {
                failures: bad,
                calls: total,
            },
            Meter::SlowCalls(_) => Why::SlowCallRatio {
                slow: bad,
                calls: total,
            },
        })
    }

    pub(crate) fn reads_clock(&self) -> bool {
        matches!(self.window, Window::Time(_)) || matches!(self.meter, Meter::SlowCalls(_))
    }

    pub(crate) fn times_calls(&self) -> bool {
        matches!(self.meter, Meter::SlowCalls(_))
    }

    pub(crate) fn reset(&self) {
        match &self.window {
            Window::Calls(window) => window.reset(),
            Window::Time(window) => window.reset(),
        }
    }
}

/// The last `size` calls, one bit each in a ring.
#[derive(Debug)]
pub(crate) struct CountWindow {
    size: u64,
    /// Calls recorded since the last reset; the next slot is `pos % size`.
    pos: AtomicU64,
    /// Bad outcomes in the ring.
    bad: AtomicU64,
    bits: Box<[AtomicU64]>,
}

impl CountWindow {
    pub(crate) fn new(size: u32) -> Self {
        let words = u64::from(size).div_ceil(64) as usize;
        CountWindow {
            size: u64::from(size),
            pos: AtomicU64::new(0),
            bad: AtomicU64::new(0),
            bits: (0..words).map(|_| AtomicU64::new(0)).collect(),
        }
    }

    /// Whether the window is full and holds no bad outcome, so that a good
    /// outcome pushing a good one out changes nothing.
    #[inline]
    fn is_clear(&self) -> bool {
        self.bad.load(Relaxed) == 0 && self.pos.load(Relaxed) >= self.size
    }

    /// Records an outcome and returns the window's counts, or `None` when
    /// nothing changed and nothing can trip.
    #[inline]
    fn record(&self, bad: bool) -> Option<Counts> {
        if !bad && self.is_clear() {
            return None;
        }

        let pos = self.pos.fetch_add(1, Relaxed);
        let slot = pos % self.size;
        let word = &self.bits[(slot / 64) as usize];
        let bit = 1u64 << (slot % 64);
        let previous = if bad {
            word.fetch_or(bit, Relaxed)
        } else {
            word.fetch_and(!bit, Relaxed)
        };

        let was_bad = previous & bit != 0;
        let count = match (was_bad, bad) {
            (false, true) => self.bad.fetch_add(1, Relaxed) + 1,
            (true, false) => decrement(&self.bad),
            _ => self.bad.load(Relaxed),
        };
        Some(Counts {
            bad: count,
            total: (pos + 1).min(self.size),
        })
    }

    fn reset(&self) {
        for word in &self.bits {
            word.store(0, Relaxed);
        }
        self.bad.store(0, Relaxed);
        self.pos.store(0, Relaxed);
    }
}

/// Subtracts one, stopping at zero: a reset racing with a late outcome
/// may leave the count one short, never wrapped.
fn decrement(counter: &AtomicU64) -> u64 {
    let previous = counter
        .fetch_update(Relaxed, Relaxed, |n| Some(n.saturating_sub(1)))
        .unwrap_or(0);
    previous.saturating_sub(1)
}

/// Stripes of the time window: each thread counts into one, so two threads
/// rarely write the same cache line.
const STRIPES: usize = 8;

/// Cells of a cache line.
const CELLS_PER_LINE: usize = 8;

/// Bucket numbers are kept modulo 2^24 beside a 40-bit count in one word.
const EPOCH_SHIFT: u32 = 40;
const EPOCH_MASK: u64 = (1 << 24) - 1;

/// The counts of one bucket in one stripe, each tagged with its bucket.
#[derive(Debug, Default)]
struct Cell {
    total: AtomicU64,
    bad: AtomicU64,
}

#[derive(Debug, Default)]
#[repr(align(128))]
struct Line([Cell; CELLS_PER_LINE]);

/// The last stretch of time, in buckets, on the breaker's clock.
#[derive(Debug)]
pub(crate) struct TimeWindow {
    /// A bucket's length in nanoseconds.
    width: u64,
    buckets: u64,
    lines_per_stripe: usize,
    lines: Box<[Line]>,
    /// The first bucket after the window that holds the latest bad
    /// outcome: before it, the window holds a bad outcome.
    bad_until: AtomicU64,
}

impl TimeWindow {
    /// A window of `length`, cut at `u64::MAX` nanoseconds, in `buckets`
    /// buckets of whole nanoseconds, rounded up.
    pub(crate) fn new(length: Duration, buckets: u32) -> Self {
        let nanos = u64::try_from(length.as_nanos()).unwrap_or(u64::MAX);
        let lines_per_stripe = (buckets as usize).div_ceil(CELLS_PER_LINE);
        TimeWindow {
            width: nanos.div_ceil(u64::from(buckets)).max(1),
            buckets: u64::from(buckets),
            lines_per_stripe,
            lines: (0..lines_per_stripe * STRIPES)
                .map(|_| Line::default())
                .collect(),
            bad_until: AtomicU64::new(0),
        }
    }

    #[inline]
    fn record(&self, bad: bool, now: u64) -> Option<Counts> {
        let bucket = now / self.width;
        let epoch = bucket & EPOCH_MASK;
        let cell = self.cell(stripe(), (bucket % self.buckets) as usize);

        bump(&cell.total, epoch);
        if bad {
            bump(&cell.bad, epoch);
            self.bad_until
                .fetch_max(bucket.saturating_add(self.buckets), Relaxed);
        } else if bucket >= self.bad_until.load(Relaxed) {
            // No bad outcome in the window: the ratio is zero.
            return None;
        }
        Some(self.counts(bucket))
    }

    fn cell(&self, stripe: usize, slot: usize) -> &Cell {
        let line = stripe * self.lines_per_stripe + slot / CELLS_PER_LINE;
        &self.lines[line].0[slot % CELLS_PER_LINE]
    }

    /// Sums the buckets of every stripe that lie in the window ending at
    /// `bucket`.
    fn counts(&self, bucket: u64) -> Counts {
        let epoch = bucket & EPOCH_MASK;
        let mut counts = Counts { bad: 0, total: 0 };

        for stripe in 0..STRIPES {
            for slot in 0..self.buckets as usize {
                let cell = self.cell(stripe, slot);
                counts.total += self.current(cell.total.load(Relaxed), epoch);
                counts.bad += self.current(cell.bad.load(Relaxed), epoch);
            }
        }
        counts
    }

    /// A cell's count if its bucket is in the window, else zero.
    fn current(&self, value: u64, epoch: u64) -> u64 {
        let age = epoch.wrapping_sub(value >> EPOCH_SHIFT) & EPOCH_MASK;
        if age < self.buckets {
            value & ((1 << EPOCH_SHIFT) - 1)
        } else {
            0
        }
    }

    fn reset(&self) {
        for line in &self.lines {
            for cell in &line.0 {
                cell.total.store(0, Relaxed);
                cell.bad.store(0, Relaxed);
            }
        }
        self.bad_until.store(0, Relaxed);
    }
}

/// Adds one to a cell's count for bucket `epoch`, starting the count over
/// when the cell still holds an older bucket.
fn bump(cell: &AtomicU64, epoch: u64) {
    let mut value = cell.load(Relaxed);
    loop {
        if value >> EPOCH_SHIFT == epoch {
            // A racing restart may take this one into the newer bucket: a
            // count off by one at a bucket's edge.
            cell.fetch_add(1, Relaxed);
            return;
        }
        match cell.compare_exchange_weak(value, (epoch << EPOCH_SHIFT) | 1, Relaxed, Relaxed) {
            Ok(_) => return,
            Err(current) => value = current,
        }
    }
}

/// This thread's stripe, handed out round-robin at its first use.
fn stripe() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    thread_local! {
        static STRIPE: usize = NEXT.fetch_add(1, Relaxed) % STRIPES;
    }
    STRIPE.with(|stripe| *stripe)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_window_forgets_the_oldest() {
        let window = CountWindow::new(3);
        assert_eq!(window.record(true), Some(Counts { bad: 1, total: 1 }));
        assert_eq!(window.record(false), Some(Counts { bad: 1, total: 2 }));
        assert_eq!(window.record(false), Some(Counts { bad: 1, total: 3 }));
        // The failure leaves the window.
        assert_eq!(window.record(false), Some(Counts { bad: 0, total: 3 }));
        // A clean, full window: nothing to write.
        assert_eq!(window.record(false), None);
        assert_eq!(window.pos.load(Relaxed), 4);
    }

    #[test]
    fn count_window_spans_words() {
        let window = CountWindow::new(130);
        for _ in 0..130 {
            window.record(true);
        }
        assert_eq!(
            window.record(true),
            Some(Counts {
                bad: 130,
                total: 130
            })
        );
        window.reset();
        assert_eq!(window.record(false), Some(Counts { bad: 0, total: 1 }));
    }

    #[test]
    fn time_window_drops_old_buckets() {
        let second = 1_000_000_000;
        let window = TimeWindow::new(Duration::from_secs(10), 10);
        assert_eq!(window.record(true, 0), Some(Counts { bad: 1, total: 1 }));
        assert_eq!(
            window.record(false, 5 * second),
            Some(Counts { bad: 1, total: 2 })
        );
        // At 10 s the first bucket has left the window, and with it the
        // only failure.
        assert_eq!(window.record(false, 10 * second), None);
        assert_eq!(
            window.record(true, 11 * second),
            Some(Counts { bad: 1, total: 3 })
        );
    }

    #[test]
    fn cells_restart_on_a_new_bucket() {
        let cell = AtomicU64::new(0);
        bump(&cell, 3);
        bump(&cell, 3);
        assert_eq!(cell.load(Relaxed), (3 << EPOCH_SHIFT) | 2);
        bump(&cell, 4);
        assert_eq!(cell.load(Relaxed), (4 << EPOCH_SHIFT) | 1);
    }
}
