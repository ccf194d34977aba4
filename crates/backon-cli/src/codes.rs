//! Exit code lists (`1,75,100-110`) and the retry condition built on them.

use crate::child::Failure;
use backon_core::{Condition, Decision};
use std::fmt;

/// A set of exit codes from 1 to 255.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Codes([u64; 4]);

impl Codes {
    /// Returns whether `code` is in the set.
    pub(crate) fn contains(&self, code: u8) -> bool {
        self.0[usize::from(code / 64)] & (1 << (code % 64)) != 0
    }

    /// Returns the codes in both sets.
    pub(crate) fn common(&self, other: &Codes) -> Codes {
        Codes([0, 1, 2, 3].map(|i| self.0[i] & other.0[i]))
    }

    /// Returns whether the set is empty.
    pub(crate) fn is_empty(&self) -> bool {
        self.0 == [0; 4]
    }

    fn insert(&mut self, code: u8) {
        self.0[usize::from(code / 64)] |= 1 << (code % 64);
    }
}

/// Shows the set in the syntax [`parse`] reads, runs folded into ranges.
impl fmt::Display for Codes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        let mut code = 1u16;
        while code <= 255 {
            if !self.contains(code as u8) {
                code += 1;
                continue;
            }

            let start = code;
            while code < 255 && self.contains(code as u8 + 1) {
                code += 1;
            }
            let sep = if first { "" } else { "," };
            first = false;
            if start == code {
                write!(f, "{sep}{start}")?;
            } else {
                write!(f, "{sep}{start}-{code}")?;
            }
            code += 1;
        }
        Ok(())
    }
}

/// Why a code list does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CodesError {
    /// Nothing was given.
    Empty,
    /// A comma with nothing before or after it, as in `1,,2` or `,`.
    EmptyItem,
    /// An item is not a number or a range of numbers.
    NotACode(String),
    /// A number outside 1 to 255.
    OutOfRange(String),
    /// Exit code 0 means success, which is never retried.
    Zero,
    /// A range whose start is above its end.
    Backwards(String),
}

impl fmt::Display for CodesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let syntax = "write exit codes from 1 to 255 as a comma list like 1,75,100-110";
        match self {
            CodesError::Empty => write!(f, "no exit codes given; {syntax}"),
            CodesError::EmptyItem => write!(f, "the list has an empty item; {syntax}"),
            CodesError::NotACode(item) => write!(f, "`{item}` is not an exit code; {syntax}"),
            CodesError::OutOfRange(item) => write!(f, "`{item}` is out of range; {syntax}"),
            CodesError::Zero => f.write_str("0 is success, which is never retried or stopped on"),
            CodesError::Backwards(item) => write!(f, "range `{item}` ends before it starts"),
        }
    }
}

impl std::error::Error for CodesError {}

/// Parses a comma list of exit codes and inclusive ranges: `1,75,100-110`.
pub(crate) fn parse(text: &str) -> Result<Codes, CodesError> {
    let mut codes = Codes::default();
    if text.trim().is_empty() {
        return Err(CodesError::Empty);
    }

    for item in text.split(',').map(str::trim) {
        if item.is_empty() {
            return Err(CodesError::EmptyItem);
        }
        let (low, high) = match item.split_once('-') {
            Some((low, high)) => (code(low.trim(), item)?, code(high.trim(), item)?),
            None => {
                let one = code(item, item)?;
                (one, one)
            }
        };
        if low > high {
            return Err(CodesError::Backwards(item.to_owned()));
        }
        for c in low..=high {
            codes.insert(c);
        }
    }

    Ok(codes)
}

fn code(text: &str, item: &str) -> Result<u8, CodesError> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CodesError::NotACode(item.to_owned()));
    }
    match text.parse::<u8>() {
        Ok(0) => Err(CodesError::Zero),
        Ok(code) => Ok(code),
        Err(_) => Err(CodesError::OutOfRange(item.to_owned())),
    }
}

/// The retry condition: which failed runs are worth another one.
///
/// An exit status is retried when it is in `--retry-on` (or, without it,
/// when it is not zero) and not in `--stop-on`. A run killed by signal N
/// has status 128+N here, as in a shell. A run that outlived
/// `--attempt-timeout` is always retried; anything that stops backon
/// (a signal to it, `--timeout`, a program that cannot start) never is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct RetryCodes {
    pub(crate) retry_on: Option<Codes>,
    pub(crate) stop_on: Option<Codes>,
}

impl RetryCodes {
    /// Returns whether a run that ended with `code` is retried.
    pub(crate) fn retries(&self, code: u8) -> bool {
        if code == 0 || self.stop_on.is_some_and(|stop| stop.contains(code)) {
            return false;
        }
        self.retry_on.is_none_or(|retry| retry.contains(code))
    }
}

impl Condition<(), Failure> for RetryCodes {
    fn check(&self, outcome: &Result<(), Failure>) -> Decision {
        let retry = match outcome {
            Ok(()) => false,
            Err(Failure::Exit(status)) => self.retries(status.code()),
            Err(Failure::AttemptTimeout(_)) => true,
            Err(_) => false,
        };
        if retry {
            Decision::Retry
        } else {
            Decision::Return
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(codes: &[u8]) -> Codes {
        let mut set = Codes::default();
        codes.iter().for_each(|&c| set.insert(c));
        set
    }

    #[test]
    fn parses_codes_and_ranges() {
        let codes = parse("1,75,100-103").unwrap();
        assert_eq!(codes, list(&[1, 75, 100, 101, 102, 103]));
        assert_eq!(parse(" 3 , 4 - 5 ").unwrap(), list(&[3, 4, 5]));
        assert_eq!(parse("255").unwrap(), list(&[255]));
        assert_eq!(parse("1-255").unwrap().to_string(), "1-255");
        assert_eq!(parse("7-7").unwrap(), list(&[7]));
    }

    #[test]
    fn refuses_bad_lists() {
        assert_eq!(parse(""), Err(CodesError::Empty));
        assert_eq!(parse(" "), Err(CodesError::Empty));
        assert_eq!(parse(","), Err(CodesError::EmptyItem));
        assert_eq!(parse("1,,2"), Err(CodesError::EmptyItem));
        assert_eq!(parse("1, "), Err(CodesError::EmptyItem));
        assert_eq!(parse("1-"), Err(CodesError::NotACode("1-".into())));
        assert_eq!(parse("abc"), Err(CodesError::NotACode("abc".into())));
        assert_eq!(parse("-1"), Err(CodesError::NotACode("-1".into())));
        assert_eq!(parse("+1"), Err(CodesError::NotACode("+1".into())));
        assert_eq!(parse("1-2-3"), Err(CodesError::NotACode("1-2-3".into())));
        assert_eq!(parse("256"), Err(CodesError::OutOfRange("256".into())));
        assert_eq!(parse("1-300"), Err(CodesError::OutOfRange("1-300".into())));
        assert_eq!(parse("0"), Err(CodesError::Zero));
        assert_eq!(parse("0-3"), Err(CodesError::Zero));
        assert_eq!(parse("9-3"), Err(CodesError::Backwards("9-3".into())));
    }

    #[test]
    fn says_which_item_is_wrong() {
        let message = parse(",").unwrap_err().to_string();
        assert!(
            message.starts_with("the list has an empty item;"),
            "{message}"
        );
        let message = parse("1,x").unwrap_err().to_string();
        assert!(message.starts_with("`x` is not an exit code;"), "{message}");
    }

    #[test]
    fn shows_runs_as_ranges() {
        assert_eq!(list(&[1, 2, 3, 5, 7, 8, 255]).to_string(), "1-3,5,7-8,255");
        assert_eq!(Codes::default().to_string(), "");
    }

    #[test]
    fn finds_overlap() {
        let a = parse("1-10").unwrap();
        let b = parse("5,20").unwrap();
        assert_eq!(a.common(&b), list(&[5]));
        assert!(a.common(&parse("11-20").unwrap()).is_empty());
    }

    #[test]
    fn default_retries_every_failure() {
        let codes = RetryCodes::default();
        assert!(!codes.retries(0));
        assert!(codes.retries(1));
        assert!(codes.retries(255));
    }

    #[test]
    fn retry_on_limits_and_stop_on_excludes() {
        let only = RetryCodes {
            retry_on: Some(parse("75").unwrap()),
            stop_on: None,
        };
        assert!(only.retries(75));
        assert!(!only.retries(1));

        let except = RetryCodes {
            retry_on: None,
            stop_on: Some(parse("2,126-127").unwrap()),
        };
        assert!(except.retries(1));
        assert!(!except.retries(2));
        assert!(!except.retries(127));
    }
}
