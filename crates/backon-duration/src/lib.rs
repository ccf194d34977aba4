#![doc = include_str!("../README.md")]
#![doc(test(attr(deny(warnings))))]

use std::fmt;
use std::time::Duration;

/// The units, largest first; a unit's rank is its place here, and `us`
/// and `µs` share one.
const UNITS: [(&str, u128, u8); 7] = [
    ("h", 3_600_000_000_000, 0),
    ("m", 60_000_000_000, 1),
    ("s", 1_000_000_000, 2),
    ("ms", 1_000_000, 3),
    ("us", 1_000, 4),
    ("µs", 1_000, 4),
    ("ns", 1, 5),
];

/// Why a duration does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DurationError {
    /// Nothing was given.
    Empty,
    /// A minus sign: no wait or limit is negative.
    Negative(String),
    /// A number has no unit after it, as in `5` or `1m30`.
    MissingUnit(String),
    /// A unit nobody knows, as in `5sec`.
    UnknownUnit(String),
    /// Something that is not a number where one should be.
    BadNumber(String),
    /// A unit given twice, as in `1s1s`.
    RepeatedUnit(String),
    /// A unit after a smaller one, as in `1ms1s`.
    UnitOrder {
        /// The smaller unit, which came first.
        before: String,
        /// The larger unit, which came after it.
        after: String,
    },
    /// A part finer than a nanosecond, as in `0.1ns`.
    BelowNanosecond(String),
    /// More than `Duration` can hold.
    TooLong,
    /// A space inside the duration, as in `1m 30s` or `10 ms`.
    InnerSpace(String),
}

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let units =
            "use a number with one of the units ns, us, ms, s, m, h (as in 250ms, 2s, 1m30s)";
        match self {
            DurationError::Empty => write!(f, "empty duration; {units}"),
            DurationError::Negative(text) => {
                write!(f, "`{text}` is negative; a duration is zero or more")
            }
            DurationError::MissingUnit(n) => write!(f, "`{n}` has no unit; {units}"),
            DurationError::UnknownUnit(u) => write!(f, "unknown unit `{u}`; {units}"),
            DurationError::BadNumber(n) => write!(f, "`{n}` is not a number; {units}"),
            DurationError::RepeatedUnit(u) => {
                write!(
                    f,
                    "unit `{u}` given twice; give each unit once, as in 1m30s"
                )
            }
            DurationError::UnitOrder { before, after } => write!(
                f,
                "`{after}` comes after the smaller `{before}`; write larger units first, \
                 as in 1m30s"
            ),
            DurationError::BelowNanosecond(part) => {
                write!(f, "`{part}` is finer than a nanosecond, the smallest step")
            }
            DurationError::TooLong => f.write_str("duration too long"),
            DurationError::InnerSpace(text) => write!(
                f,
                "`{text}` has a space inside; write it without spaces, as in {}",
                text.split_whitespace().collect::<String>()
            ),
        }
    }
}

impl std::error::Error for DurationError {}

/// Parses a duration: one or more numbers, each followed by its unit.
///
/// Numbers may have a fraction (`1.5s`); a bare number is refused, since
/// whether `5` means seconds or milliseconds is anybody's guess. Each unit
/// comes at most once, larger units first (`1h2m3s`), and no part may be
/// finer than a nanosecond. Spaces around the whole are ignored; spaces
/// inside it are refused.
///
/// # Errors
///
/// Returns a [`DurationError`] saying what is wrong with `text`: nothing
/// given, a negative duration, a number without a unit, an unknown unit, a
/// malformed number, a unit repeated or out of order, a part finer than a
/// nanosecond, a space inside, or more than [`Duration`] holds.
///
/// ```
/// use std::time::Duration;
///
/// assert_eq!(backon_duration::parse("250ms"), Ok(Duration::from_millis(250)));
/// assert!(backon_duration::parse("1ms1s").is_err());
/// ```
pub fn parse(text: &str) -> Result<Duration, DurationError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(DurationError::Empty);
    }
    if text.contains(char::is_whitespace) {
        return Err(DurationError::InnerSpace(text.to_owned()));
    }
    if text.starts_with('-') && text[1..].starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return Err(DurationError::Negative(text.to_owned()));
    }

    let mut rest = text;
    let mut nanos: u128 = 0;
    let mut last: Option<(&str, u8)> = None;
    while !rest.is_empty() {
        let (number, unit, after) = split_part(rest);
        if number.is_empty() {
            return Err(DurationError::BadNumber(unit.to_owned()));
        }
        if unit.is_empty() {
            return Err(DurationError::MissingUnit(text.to_owned()));
        }
        let (scale, rank) = UNITS
            .iter()
            .find(|(name, _, _)| *name == unit)
            .map(|&(_, scale, rank)| (scale, rank))
            .ok_or_else(|| DurationError::UnknownUnit(unit.to_owned()))?;
        check_order(last, unit, rank)?;

        let part = scaled(number, scale).map_err(|err| match err {
            DurationError::BelowNanosecond(_) => {
                DurationError::BelowNanosecond(format!("{number}{unit}"))
            }
            other => other,
        })?;
        nanos = nanos.checked_add(part).ok_or(DurationError::TooLong)?;
        last = Some((unit, rank));
        rest = after;
    }

    to_duration(nanos)
}

/// Splits `250ms1s` into `250`, `ms` and the rest, `1s`.
fn split_part(text: &str) -> (&str, &str, &str) {
    let is_number = |c: char| c.is_ascii_digit() || c == '.';
    let number_len = text.find(|c| !is_number(c)).unwrap_or(text.len());
    let (number, after) = text.split_at(number_len);
    let unit_len = after.find(is_number).unwrap_or(after.len());
    let (unit, after) = after.split_at(unit_len);
    (number, unit, after)
}

/// Refuses a unit that is not smaller than the one before it.
fn check_order(last: Option<(&str, u8)>, unit: &str, rank: u8) -> Result<(), DurationError> {
    match last {
        Some((_, last_rank)) if last_rank == rank => {
            Err(DurationError::RepeatedUnit(unit.to_owned()))
        }
        Some((before, last_rank)) if last_rank > rank => Err(DurationError::UnitOrder {
            before: before.to_owned(),
            after: unit.to_owned(),
        }),
        _ => Ok(()),
    }
}

/// Multiplies a decimal number like `1.25` by `scale` nanoseconds, exactly.
///
/// # Errors
///
/// Refuses a number that is not one, one too large, and one with a
/// non-zero digit below a nanosecond.
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
    for digit in fraction.bytes().map(|b| u128::from(b - b'0')) {
        place /= 10;
        if place == 0 && digit != 0 {
            return Err(DurationError::BelowNanosecond(number.to_owned()));
        }
        total = total.saturating_add(digit * place);
    }
    Ok(total)
}

fn to_duration(nanos: u128) -> Result<Duration, DurationError> {
    let secs = u64::try_from(nanos / 1_000_000_000).map_err(|_| DurationError::TooLong)?;
    let sub = (nanos % 1_000_000_000) as u32;
    Ok(Duration::new(secs, sub))
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
    fn parses_each_unit() {
        assert_eq!(parse("7ns"), Ok(ns(7)));
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
        assert_eq!(parse("1h5ns"), Ok(Duration::new(3600, 5)));
        assert_eq!(parse("1.5s"), Ok(ms(1500)));
        assert_eq!(parse(".25s"), Ok(ms(250)));
        assert_eq!(parse("0.1ms"), Ok(Duration::from_micros(100)));
        assert_eq!(parse("1.000000001s"), Ok(Duration::new(1, 1)));
        assert_eq!(parse("1.5000000000s"), Ok(ms(1500)));
        assert_eq!(parse("2.0ns"), Ok(ns(2)));
        assert_eq!(parse(" 2s "), Ok(ms(2000)));
        assert_eq!(parse("0s"), Ok(Duration::ZERO));
    }

    #[test]
    fn refuses_spaces_inside() {
        assert_eq!(
            parse("10 ms"),
            Err(DurationError::InnerSpace("10 ms".into()))
        );
        assert_eq!(
            parse(" 1m 30s ").unwrap_err().to_string(),
            "`1m 30s` has a space inside; write it without spaces, as in 1m30s"
        );
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
        assert_eq!(parse("-q"), Err(DurationError::BadNumber("-q".into())));
        assert_eq!(
            parse("1.2.3s"),
            Err(DurationError::BadNumber("1.2.3".into()))
        );
        assert_eq!(parse(".s"), Err(DurationError::BadNumber(".".into())));
        assert_eq!(parse("1 s"), Err(DurationError::InnerSpace("1 s".into())));
    }

    #[test]
    fn refuses_negative_durations() {
        assert_eq!(parse("-1s"), Err(DurationError::Negative("-1s".into())));
        assert_eq!(parse("-.5s"), Err(DurationError::Negative("-.5s".into())));
        let message = parse("-1s").unwrap_err().to_string();
        assert!(message.contains("`-1s` is negative"), "{message}");
    }

    #[test]
    fn refuses_repeated_and_misordered_units() {
        assert_eq!(parse("1s1s"), Err(DurationError::RepeatedUnit("s".into())));
        assert_eq!(
            parse("1us1µs"),
            Err(DurationError::RepeatedUnit("µs".into()))
        );
        assert_eq!(
            parse("1ms1s"),
            Err(DurationError::UnitOrder {
                before: "ms".into(),
                after: "s".into()
            })
        );
        assert_eq!(
            parse("30s1m"),
            Err(DurationError::UnitOrder {
                before: "s".into(),
                after: "m".into()
            })
        );
        let message = parse("1ms1s").unwrap_err().to_string();
        assert!(message.contains("larger units first"), "{message}");
    }

    #[test]
    fn refuses_parts_below_a_nanosecond() {
        assert_eq!(
            parse("0.1ns"),
            Err(DurationError::BelowNanosecond("0.1ns".into()))
        );
        assert_eq!(
            parse("1s1.5ns"),
            Err(DurationError::BelowNanosecond("1.5ns".into()))
        );
        assert_eq!(
            parse("1.0000000009s"),
            Err(DurationError::BelowNanosecond("1.0000000009s".into()))
        );
        assert_eq!(
            parse("0.0001us"),
            Err(DurationError::BelowNanosecond("0.0001us".into()))
        );
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
}
