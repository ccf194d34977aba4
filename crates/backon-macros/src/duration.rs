//! Durations written as strings: `"250ms"`, `"2s"`, `"1m30s"`, `"1.5h"`.
//!
//! The grammar is the `backon` command's, so a policy reads the same on the
//! command line and in an attribute.

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

const HINT: &str = "write a number with one of the units ns, us, ms, s, m, h, as in \"250ms\", \
                    \"2s\" or \"1m30s\"";

/// Parses a duration: one or more numbers, each followed by its unit.
///
/// Numbers may have a fraction (`1.5s`). A bare number is refused, since
/// whether `5` means seconds or milliseconds is anybody's guess. The error
/// is a sentence for a compile error.
pub(crate) fn parse(text: &str) -> Result<Duration, String> {
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err(format!("empty duration; {HINT}"));
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
            return Err(format!("`{unit}` is not a number; {HINT}"));
        }
        if unit.is_empty() {
            return Err(format!("`{}` has no unit; {HINT}", text.trim()));
        }
        let Some((_, scale)) = UNITS.iter().find(|(name, _)| *name == unit) else {
            return Err(format!("unknown unit `{unit}`; {HINT}"));
        };

        let part = scaled(number, *scale)?;
        nanos = nanos.checked_add(part).ok_or_else(too_long)?;
        rest = after;
    }

    to_duration(nanos)
}

/// Multiplies a decimal number like `1.25` by `scale` nanoseconds, exactly;
/// digits below a nanosecond are dropped.
fn scaled(number: &str, scale: u128) -> Result<u128, String> {
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && fraction.is_empty() || fraction.contains('.') {
        return Err(format!("`{number}` is not a number; {HINT}"));
    }

    let whole: u128 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| too_long())?
    };
    let mut total = whole.checked_mul(scale).ok_or_else(too_long)?;

    let mut place = scale;
    for digit in fraction.bytes() {
        place /= 10;
        total = total.saturating_add(u128::from(digit - b'0') * place);
    }
    Ok(total)
}

/// The macro writes durations as `Duration::from_nanos(u64)`, so that is
/// the longest it takes: about 584 years.
fn to_duration(nanos: u128) -> Result<Duration, String> {
    let nanos = u64::try_from(nanos).map_err(|_| too_long())?;
    Ok(Duration::from_nanos(nanos))
}

fn too_long() -> String {
    "duration too long; the longest is about 584 years".to_owned()
}

/// Shows a duration in the syntax [`parse`] accepts, for error messages:
/// `100ms`, `1.5s`, `2m5s`.
pub(crate) fn show(d: Duration) -> String {
    let nanos = d.as_nanos();
    for (unit, scale) in [("h", 3_600_000_000_000), ("m", 60_000_000_000)] {
        if nanos >= scale && nanos % scale == 0 {
            return format!("{}{unit}", nanos / scale);
        }
    }

    if nanos >= 1_000_000_000 {
        let fraction = format!("{:09}", d.subsec_nanos());
        let fraction = fraction.trim_end_matches('0');
        if fraction.is_empty() {
            return format!("{}s", d.as_secs());
        }
        return format!("{}.{fraction}s", d.as_secs());
    }

    match nanos {
        0 => "0s".to_owned(),
        n if n % 1_000_000 == 0 => format!("{}ms", n / 1_000_000),
        n if n % 1_000 == 0 => format!("{}us", n / 1_000),
        n => format!("{n}ns"),
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
        assert_eq!(parse(" 2s "), Ok(ms(2000)));
        assert_eq!(parse("0s"), Ok(Duration::ZERO));
    }

    #[test]
    fn refuses_nonsense_with_a_hint() {
        for text in [
            "", "5", "1m30", "5sec", "5d", "s", "-1s", "1.2.3s", ".s", "1 s",
        ] {
            let message = parse(text).unwrap_err();
            assert!(message.contains("\"250ms\""), "{text}: {message}");
        }
        assert!(parse("5").unwrap_err().starts_with("`5` has no unit"));
        assert!(parse("5sec").unwrap_err().starts_with("unknown unit `sec`"));
    }

    #[test]
    fn refuses_what_nanoseconds_cannot_hold() {
        assert!(parse("18446744073709551616ns").is_err());
        assert!(parse("99999999999999999999999h").is_err());
        assert_eq!(
            parse("18446744073709551615ns"),
            Ok(Duration::from_nanos(u64::MAX))
        );
    }

    #[test]
    fn shows_what_it_parses() {
        for (d, text) in [
            (Duration::ZERO, "0s"),
            (Duration::from_nanos(7), "7ns"),
            (Duration::from_micros(250), "250us"),
            (ms(100), "100ms"),
            (ms(1500), "1.5s"),
            (Duration::from_secs(30), "30s"),
            (Duration::from_secs(90), "90s"),
            (Duration::from_secs(120), "2m"),
            (Duration::from_secs(7200), "2h"),
        ] {
            assert_eq!(show(d), text);
            assert_eq!(parse(text), Ok(d));
        }
    }
}
