//! Small pieces of the kit's messages and tables.

use core::fmt;
use core::time::Duration;

/// A duration as `Debug` writes it ("250ms", "1.5s"), but zero as "0s".
pub(crate) struct Time(pub(crate) Duration);

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_zero() {
            f.pad("0s")
        } else {
            f.pad(&format!("{:?}", self.0))
        }
    }
}

/// A list of durations: "[1s, 0s, 250ms]".
pub(crate) fn times(delays: &[Duration]) -> String {
    let items: Vec<String> = delays.iter().map(|d| Time(*d).to_string()).collect();
    format!("[{}]", items.join(", "))
}

/// "1 attempt", "3 attempts".
pub(crate) fn attempts(n: u32) -> String {
    match n {
        1 => "1 attempt".to_owned(),
        n => format!("{n} attempts"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_is_seconds() {
        assert_eq!(Time(Duration::ZERO).to_string(), "0s");
        assert_eq!(Time(Duration::from_millis(1500)).to_string(), "1.5s");
        assert_eq!(format!("{:>5}", Time(Duration::from_secs(2))), "   2s");
        assert_eq!(
            times(&[Duration::ZERO, Duration::from_millis(5)]),
            "[0s, 5ms]"
        );
        assert_eq!(times(&[]), "[]");
    }

    #[test]
    fn counts_attempts() {
        assert_eq!(attempts(1), "1 attempt");
        assert_eq!(attempts(0), "0 attempts");
    }
}
