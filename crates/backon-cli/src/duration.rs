//! Durations on the command line: `250ms`, `2s`, `1m30s`, `1.5h`.

use std::fmt;
use std::time::Duration;

pub(crate) use backon_duration::parse;

/// Shows a duration exactly, in the syntax [`parse`] reads: `999ns`,
/// `1.5us`, `212ms`, `1.25s`, `2m5s`, `1h30m`, `1m500ms`.
///
/// For what the user gave: a limit they set reads back as they wrote it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Exact(pub(crate) Duration);

impl fmt::Display for Exact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        if d.is_zero() {
            return f.write_str("0s");
        }

        let secs = d.as_secs();
        nonzero(f, secs / 3600, "h")?;
        nonzero(f, secs % 3600 / 60, "m")?;

        let rest = Duration::new(secs % 60, d.subsec_nanos());
        if rest.is_zero() {
            Ok(())
        } else {
            below_a_minute(f, rest.as_nanos())
        }
    }
}

/// Shows a duration rounded for a person: three significant digits below
/// a minute (`87.5ms`, `212ms`, `1.23s`), whole seconds from a minute on
/// (`2m5s`), in the syntax [`parse`] reads.
///
/// For the delays backon computes, whose random nanoseconds nobody needs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rounded(pub(crate) Duration);

impl fmt::Display for Rounded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let nanos = self.0.as_nanos();
        let step = if nanos >= 60_000_000_000 {
            1_000_000_000
        } else {
            10u128.pow(nanos.checked_ilog10().unwrap_or(0).saturating_sub(2))
        };

        // Rounding may pass `Duration::MAX` by less than a second; then the
        // maximum, shown exactly, is near enough.
        let rounded = (nanos + step / 2) / step * step;
        Exact(to_duration(rounded).unwrap_or(Duration::MAX)).fmt(f)
    }
}

/// Nanoseconds as a `Duration`, `None` past `Duration::MAX`.
fn to_duration(nanos: u128) -> Option<Duration> {
    let secs = u64::try_from(nanos / 1_000_000_000).ok()?;
    Some(Duration::new(secs, (nanos % 1_000_000_000) as u32))
}

fn nonzero(f: &mut fmt::Formatter<'_>, value: u64, unit: &str) -> fmt::Result {
    if value == 0 {
        Ok(())
    } else {
        write!(f, "{value}{unit}")
    }
}

/// Writes `nanos`, less than a minute and more than zero, in the largest
/// unit it has a whole one of, with the exact fraction.
fn below_a_minute(f: &mut fmt::Formatter<'_>, nanos: u128) -> fmt::Result {
    let (scale, unit) = match nanos {
        1_000_000_000.. => (1_000_000_000, "s"),
        1_000_000.. => (1_000_000, "ms"),
        1_000.. => (1_000, "us"),
        _ => (1, "ns"),
    };

    write!(f, "{}", nanos / scale)?;
    let fraction = nanos % scale;
    if fraction != 0 {
        let width = scale.ilog10() as usize;
        let digits = format!("{fraction:0width$}");
        write!(f, ".{}", digits.trim_end_matches('0'))?;
    }
    f.write_str(unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn ns(n: u64) -> Duration {
        Duration::from_nanos(n)
    }

    #[test]
    fn shows_durations_exactly() {
        let show = |d: Duration| Exact(d).to_string();
        assert_eq!(show(Duration::ZERO), "0s");
        assert_eq!(show(ns(1)), "1ns");
        assert_eq!(show(ns(999)), "999ns");
        assert_eq!(show(ns(1500)), "1.5us");
        assert_eq!(show(ns(1001)), "1.001us");
        assert_eq!(show(Duration::from_micros(250)), "250us");
        assert_eq!(show(ms(212)), "212ms");
        assert_eq!(show(ns(212_000_001)), "212.000001ms");
        assert_eq!(show(ms(1000)), "1s");
        assert_eq!(show(ms(1500)), "1.5s");
        assert_eq!(show(Duration::new(1, 1)), "1.000000001s");
        assert_eq!(show(Duration::from_secs(60)), "1m");
        assert_eq!(show(Duration::from_secs(125)), "2m5s");
        assert_eq!(show(Duration::new(60, 500_000_000)), "1m500ms");
        assert_eq!(show(Duration::from_secs(5400)), "1h30m");
        assert_eq!(show(Duration::new(3600, 5)), "1h5ns");
        assert_eq!(show(Duration::MAX), "5124095576030431h15.999999999s");
    }

    #[test]
    fn rounds_computed_delays_for_reading() {
        let show = |d: Duration| Rounded(d).to_string();
        assert_eq!(show(Duration::ZERO), "0s");
        assert_eq!(show(ns(1)), "1ns");
        assert_eq!(show(ns(999)), "999ns");
        assert_eq!(show(ns(1500)), "1.5us");
        assert_eq!(show(ns(87_460_000)), "87.5ms");
        assert_eq!(show(ns(212_345_678)), "212ms");
        assert_eq!(show(ms(1234)), "1.23s");
        assert_eq!(show(ms(30_000)), "30s");
        assert_eq!(show(ms(59_960)), "1m");
        assert_eq!(show(ms(125_400)), "2m5s");
        assert_eq!(show(Duration::from_secs(5400)), "1h30m");
        assert_eq!(show(Duration::MAX), "5124095576030431h15.999999999s");
    }

    #[test]
    fn shown_durations_parse_back() {
        for d in [
            ns(1),
            ns(1500),
            ms(7),
            ms(1500),
            Duration::new(1, 1),
            Duration::from_secs(125),
            Duration::new(60, 500_000_000),
            Duration::new(3600, 5),
            Duration::from_secs(5400),
            Duration::MAX,
        ] {
            assert_eq!(parse(&Exact(d).to_string()), Ok(d));
        }
    }
}
