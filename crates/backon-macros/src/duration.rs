//! Durations written as strings: `"250ms"`, `"2s"`, `"1m30s"`, `"1.5h"`.
//!
//! The grammar is the `backon` command's, from `backon-duration`, so a policy
//! reads the same on the command line and in an attribute.

use std::time::Duration;

/// Parses a duration with the grammar of `backon-duration`, the command's.
///
/// The macro writes durations as `Duration::from_nanos(u64)`, so on top of
/// that grammar this refuses more than a `u64` of nanoseconds: about 584
/// years. The error is a sentence for a compile error.
pub(crate) fn parse(text: &str) -> Result<Duration, String> {
    let d = backon_duration::parse(text).map_err(|err| err.to_string())?;
    if u64::try_from(d.as_nanos()).is_err() {
        return Err("duration too long; the longest is about 584 years".to_owned());
    }
    Ok(d)
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
    fn uses_the_shared_grammar() {
        assert_eq!(parse("1m30s"), Ok(Duration::from_secs(90)));
        assert!(parse("1s1s").unwrap_err().contains("given twice"));
        assert!(parse("1ms1s").unwrap_err().contains("larger units first"));
        assert!(
            parse("0.1ns")
                .unwrap_err()
                .contains("finer than a nanosecond")
        );
        assert!(parse("5").unwrap_err().starts_with("`5` has no unit"));
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
