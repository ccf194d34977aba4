//! Durations on the command line: `250ms`, `2s`, `1m30s`, `1.5h`.

use std::fmt;
use std::time::Duration;

const UNITS: [(&str, u128); 7] = [
    ("ns", 1),
    ("us", 1_000),
    ("µs", 1_000),
    ("ms", 1_000_000),
    ("s", 1_000_000_000),
    ("m", 60_000_000_000),
    ("h", 3_600_000_000_000),
];

/// Why a duration does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DurationError {
    /// Nothing was given.
    Empty,
    /// A number has no unit after it, as in `5` or `1m30`.
    MissingUnit(String),
    /// A unit nobody knows, as in `5sec`.
    UnknownUnit(String),
    /// Something that is not a number where one should be.
    BadNumber(String),
    /// More than `Duration` can hold.
    TooLong,
}

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let units =
            "use a number with one of the units ns, us, ms, s, m, h (as in 250ms, 2s, 1m30s)";
        match self {
            DurationError::Empty => write!(f, "empty duration; {units}"),
            DurationError::MissingUnit(n) => write!(f, "`{n}` has no unit; {units}"),
            DurationError::UnknownUnit(u) => write!(f, "unknown unit `{u}`; {units}"),
            DurationError::BadNumber(n) => write!(f, "`{n}` is not a number; {units}"),
            DurationError::TooLong => f.write_str("duration too long"),
        }
    }
}

impl std::error::Error for DurationError {}

/// Parses a duration: one or more numbers, each followed by its unit.
///
/// Numbers may have a fraction (`1.5s`); a bare number is refused, since
/// whether `5` means seconds or milliseconds is anybody's guess.
pub(crate) fn parse(text: &str) -> Result<Duration, DurationError> {
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err(DurationError::Empty);
    }

    let mut nanos: u128 = 0;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (number, after) = rest.split_at(number_len);
        let unit_len = after
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(after.len());
        let (unit, after) = after.split_at(unit_len);

        if number.is_empty() {
            return Err(DurationError::BadNumber(unit.to_owned()));
        }
        if unit.is_empty() {
            return Err(DurationError::MissingUnit(text.trim().to_owned()));
        }
        let scale = UNITS
            .iter()
            .find(|(name, _)| *name == unit)
            .map(|(_, scale)| *scale)
            .ok_or_else(|| DurationError::UnknownUnit(unit.to_owned()))?;

        let part = scaled(number, scale)?;
        nanos = nanos.checked_add(part).ok_or(DurationError::TooLong)?;
        rest = after;
    }

    to_duration(nanos)
}

/// Multiplies a decimal number like `1.25` by `scale` nanoseconds, exactly;
/// digits below a nanosecond are dropped.
fn scaled(number: &str, scale: u128) -> Result<u128, DurationError> {
    let bad = || DurationError::BadNumber(number.to_owned());
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && fraction.is_empty() || fraction.contains('.') {
        return Err(bad());
    }

    let whole: u128 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| DurationError::TooLong)?
    };
    let mut total = whole.checked_mul(scale).ok_or(DurationError::TooLong)?;

    let mut place = scale;
    for digit in fraction.bytes() {
        place /= 10;
        total = total.saturating_add(u128::from(digit - b'0') * place);
    }
    Ok(total)
}

fn to_duration(nanos: u128) -> Result<Duration, DurationError> {
    let secs = u64::try_from(nanos / 1_000_000_000).map_err(|_| DurationError::TooLong)?;
    let sub = (nanos % 1_000_000_000) as u32;
    Ok(Duration::new(secs, sub))
}

/// Shows a duration the way a person reads it, in the syntax [`parse`]
/// accepts: `212ms`, `1.5s`, `2m5s`, `1h30m`.
///
/// Precision shrinks as the duration grows; nobody waiting two minutes
/// cares about the milliseconds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Human(pub(crate) Duration);

impl fmt::Display for Human {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        let secs = d.as_secs();

        if d.is_zero() {
            f.write_str("0s")
        } else if d < Duration::from_millis(1) {
            write!(f, "{}us", d.as_micros())
        } else if d < Duration::from_secs(1) {
            write!(f, "{}ms", d.as_millis())
        } else if secs < 60 {
            let millis = d.subsec_millis();
            let fraction = format!("{millis:03}");
            let fraction = fraction.trim_end_matches('0');
            if fraction.is_empty() {
                write!(f, "{secs}s")
            } else {
                write!(f, "{secs}.{fraction}s")
            }
        } else if secs < 3600 {
            write!(f, "{}m", secs / 60)?;
            trailing(f, secs % 60, "s")
        } else {
            write!(f, "{}h", secs / 3600)?;
            trailing(f, secs % 3600 / 60, "m")
        }
    }
}

fn trailing(f: &mut fmt::Formatter<'_>, value: u64, unit: &str) -> fmt::Result {
    if value == 0 {
        Ok(())
    } else {
        write!(f, "{value}{unit}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn parses_each_unit() {
        assert_eq!(parse("7ns"), Ok(Duration::from_nanos(7)));
        assert_eq!(parse("500us"), Ok(Duration::from_micros(500)));
        assert_eq!(parse("500µs"), Ok(Duration::from_micros(500)));
        assert_eq!(parse("250ms"), Ok(ms(250)));
        assert_eq!(parse("2s"), Ok(ms(2000)));
        assert_eq!(parse("3m"), Ok(Duration::from_secs(180)));
        assert_eq!(parse("1h"), Ok(Duration::from_secs(3600)));
    }

    #[test]
    fn parses_compound_and_fractional() {
        assert_eq!(parse("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse("1h2m3s4ms"), Ok(Duration::new(3723, 4_000_000)));
        assert_eq!(parse("1.5s"), Ok(ms(1500)));
        assert_eq!(parse(".25s"), Ok(ms(250)));
        assert_eq!(parse("0.1ms"), Ok(Duration::from_micros(100)));
        assert_eq!(parse("1.0000000009s"), Ok(Duration::from_secs(1)));
        assert_eq!(parse(" 2s "), Ok(ms(2000)));
        assert_eq!(parse("0s"), Ok(Duration::ZERO));
    }

    #[test]
    fn refuses_bare_numbers() {
        assert_eq!(parse("5"), Err(DurationError::MissingUnit("5".into())));
        assert_eq!(
            parse("1m30"),
            Err(DurationError::MissingUnit("1m30".into()))
        );
        let message = parse("5").unwrap_err().to_string();
        assert!(message.contains("ms, s, m, h"), "{message}");
    }

    #[test]
    fn refuses_nonsense() {
        assert_eq!(parse(""), Err(DurationError::Empty));
        assert_eq!(parse("5sec"), Err(DurationError::UnknownUnit("sec".into())));
        assert_eq!(parse("5d"), Err(DurationError::UnknownUnit("d".into())));
        assert_eq!(parse("s"), Err(DurationError::BadNumber("s".into())));
        assert_eq!(parse("-1s"), Err(DurationError::BadNumber("-".into())));
        assert_eq!(
            parse("1.2.3s"),
            Err(DurationError::BadNumber("1.2.3".into()))
        );
        assert_eq!(parse(".s"), Err(DurationError::BadNumber(".".into())));
        assert_eq!(parse("1 s"), Err(DurationError::UnknownUnit(" s".into())));
    }

    #[test]
    fn refuses_overflow() {
        assert_eq!(
            parse("99999999999999999999999h"),
            Err(DurationError::TooLong)
        );
        assert_eq!(parse("18446744073709551616s"), Err(DurationError::TooLong));
        assert_eq!(
            parse("9999999999999999999999999999999999999999999s"),
            Err(DurationError::TooLong)
        );
    }

    #[test]
    fn shows_durations_readably() {
        let show = |d: Duration| Human(d).to_string();
        assert_eq!(show(Duration::ZERO), "0s");
        assert_eq!(show(Duration::from_micros(250)), "250us");
        assert_eq!(show(ms(212)), "212ms");
        assert_eq!(show(ms(1000)), "1s");
        assert_eq!(show(ms(1500)), "1.5s");
        assert_eq!(show(ms(1234)), "1.234s");
        assert_eq!(show(Duration::from_secs(60)), "1m");
        assert_eq!(show(Duration::from_secs(125)), "2m5s");
        assert_eq!(show(Duration::from_secs(5400)), "1h30m");
        assert_eq!(show(Duration::MAX), "5124095576030431h");
    }

    #[test]
    fn shown_durations_parse_back() {
        for d in [
            ms(7),
            ms(1500),
            Duration::from_secs(125),
            Duration::from_secs(5400),
        ] {
            assert_eq!(parse(&Human(d).to_string()), Ok(d));
        }
    }
}
