//! Saturating conversions from nanosecond counts to durations, and the random
//! draws and seed derivation that the random strategies share.

use core::time::Duration;

use rand::rngs::SmallRng;
use rand::{RngExt, SeedableRng};

const NANOS_PER_SEC: u128 = 1_000_000_000;

/// Converts a count of nanoseconds to a duration, saturating at
/// `Duration::MAX`.
pub(crate) fn from_nanos(nanos: u128) -> Duration {
    let secs = nanos / NANOS_PER_SEC;
    let subsec = (nanos % NANOS_PER_SEC) as u32;

    match u64::try_from(secs) {
        Ok(secs) => Duration::new(secs, subsec),
        Err(_) => Duration::MAX,
    }
}

/// Converts a non-negative floating count of nanoseconds to a duration,
/// saturating at `Duration::MAX`.
pub(crate) fn from_nanos_f64(nanos: f64) -> Duration {
    // NaN only comes from an infinite product times zero; the callers rule
    // that out, but treating it as overflow keeps the result at the top.
    if nanos.is_nan() {
        return Duration::MAX;
    }

    // The cast saturates at u128::MAX, and `from_nanos` saturates the rest.
    from_nanos(nanos as u128)
}

/// Creates the random number generator of one call from its seed.
pub(crate) fn rng(seed: u64) -> SmallRng {
    SmallRng::seed_from_u64(seed)
}

/// Draws a duration uniformly from `[low, high]`; `low` must not be above
/// `high`.
pub(crate) fn sample(rng: &mut SmallRng, low: Duration, high: Duration) -> Duration {
    debug_assert!(low <= high, "empty range {low:?}..={high:?}");

    let (low, high) = (low.as_nanos(), high.as_nanos());

    // Delays below 584 years fit in u64 nanoseconds, and a u64 draw takes one
    // word from the generator where a u128 draw takes two.
    let nanos = match (u64::try_from(low), u64::try_from(high)) {
        (Ok(low), Ok(high)) => u128::from(rng.random_range(low..=high)),
        _ => rng.random_range(low..=high),
    };

    from_nanos(nanos)
}

/// Derives the seed of a composite's `index`-th part from the composite's own
/// seed.
///
/// Each part of a sum or a bounded layer gets its own stream of numbers, so
/// two random parts never repeat each other's draws, however deeply they are
/// nested.
pub(crate) fn derive_seed(seed: u64, index: u64) -> u64 {
    // The `index`-th output of SplitMix64 started at the composite's seed.
    backon_core::splitmix64(seed, index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_nanos_keeps_exact_values() {
        assert_eq!(from_nanos(0), Duration::ZERO);
        assert_eq!(from_nanos(1_500_000_001), Duration::new(1, 500_000_001));
        assert_eq!(from_nanos(Duration::MAX.as_nanos()), Duration::MAX);
    }

    #[test]
    fn from_nanos_saturates() {
        assert_eq!(from_nanos(Duration::MAX.as_nanos() + 1), Duration::MAX);
        assert_eq!(from_nanos(u128::MAX), Duration::MAX);
    }

    #[test]
    fn from_nanos_f64_saturates() {
        assert_eq!(from_nanos_f64(2.5e9), Duration::from_millis(2500));
        assert_eq!(from_nanos_f64(1e40), Duration::MAX);
        assert_eq!(from_nanos_f64(f64::INFINITY), Duration::MAX);
        assert_eq!(from_nanos_f64(f64::NAN), Duration::MAX);
    }

    #[test]
    fn sample_stays_in_range() {
        let mut rng = rng(7);
        let (low, high) = (Duration::from_millis(10), Duration::from_millis(20));

        for _ in 0..1000 {
            let drawn = sample(&mut rng, low, high);
            assert!(low <= drawn && drawn <= high, "{drawn:?}");
        }
    }

    #[test]
    fn sample_handles_the_widest_ranges() {
        let mut rng = rng(7);

        assert_eq!(
            sample(&mut rng, Duration::MAX, Duration::MAX),
            Duration::MAX
        );
        for _ in 0..100 {
            let drawn = sample(&mut rng, Duration::ZERO, Duration::MAX);
            assert!(drawn <= Duration::MAX);
        }
    }

    #[test]
    fn derived_seeds_are_pinned() {
        // Seeded jitter repeats across versions only while these hold.
        assert_eq!(derive_seed(0, 0), 0);
        assert_eq!(derive_seed(42, 3), 0x4752_6757_130F_9F52);
        assert_eq!(derive_seed(u64::MAX, 7), 0xF14F_2CF8_0208_3FA5);
    }

    #[test]
    fn derived_seeds_differ() {
        let seeds = [
            derive_seed(0, 0),
            derive_seed(0, 1),
            derive_seed(0, 2),
            derive_seed(1, 1),
        ];

        for (i, a) in seeds.iter().enumerate() {
            for b in &seeds[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }
}
