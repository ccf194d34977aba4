//! The error returned when a strategy is configured with invalid values.

use core::fmt;
use core::time::Duration;

/// Describes why a wait strategy could not be built.
///
/// Each variant names the field that was refused and carries the values
/// that were given, so the message can say what to change.
///
/// # Examples
///
/// ```
/// use backon_wait::{Exponential, WaitError};
/// use std::time::Duration;
///
/// let base = Duration::from_millis(100);
/// let err = Exponential::with_factor(base, 0.5).unwrap_err();
///
/// assert_eq!(err, WaitError::InvalidFactor { factor: 0.5 });
/// assert_eq!(
///     err.to_string(),
///     "invalid factor 0.5: must be a finite number of at least 1",
/// );
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum WaitError {
    /// The growth factor of an exponential strategy is below 1, NaN or
    /// infinite.
    InvalidFactor {
        /// The factor that was given.
        factor: f64,
    },

    /// The lower end of a uniform range is above its upper end.
    MinAboveMax {
        /// The lower end that was given.
        min: Duration,
        /// The upper end that was given.
        max: Duration,
    },

    /// The floor of a bounded strategy is above its cap.
    FloorAboveCap {
        /// The floor that was given.
        floor: Duration,
        /// The cap that was given.
        cap: Duration,
    },

    /// The base delay of a decorrelated strategy is zero: every delay it
    /// draws would be zero too, since each grows from the previous one.
    ZeroBase,

    /// The base delay of a decorrelated strategy is above its cap.
    BaseAboveCap {
        /// The base that was given.
        base: Duration,
        /// The cap that was given.
        cap: Duration,
    },
}

impl fmt::Display for WaitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidFactor { factor } => {
                write!(
                    f,
                    "invalid factor {factor}: must be a finite number of at least 1"
                )
            }
            Self::MinAboveMax { min, max } => write!(f, "min {min:?} is above max {max:?}"),
            Self::FloorAboveCap { floor, cap } => {
                write!(f, "floor {floor:?} is above cap {cap:?}")
            }
            Self::ZeroBase => {
                f.write_str("base must be above zero: every later delay grows from it")
            }
            Self::BaseAboveCap { base, cap } => write!(f, "base {base:?} is above cap {cap:?}"),
        }
    }
}

impl std::error::Error for WaitError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(millis: u64) -> Duration {
        Duration::from_millis(millis)
    }

    #[test]
    fn messages_name_the_field() {
        let cases = [
            (
                WaitError::InvalidFactor { factor: f64::NAN },
                "invalid factor NaN",
            ),
            (
                WaitError::MinAboveMax {
                    min: ms(2),
                    max: ms(1),
                },
                "min 2ms is above max 1ms",
            ),
            (
                WaitError::FloorAboveCap {
                    floor: ms(2),
                    cap: ms(1),
                },
                "floor 2ms is above cap 1ms",
            ),
            (
                WaitError::BaseAboveCap {
                    base: ms(2),
                    cap: ms(1),
                },
                "base 2ms is above cap 1ms",
            ),
        ];

        for (err, start) in cases {
            let message = err.to_string();
            assert!(
                message.starts_with(start),
                "{message:?} should start with {start:?}"
            );
            assert!(!message.ends_with('.'), "{message:?} ends with a period");
        }
    }

    #[test]
    fn is_a_std_error() {
        let err: Box<dyn std::error::Error + Send + Sync> = Box::new(WaitError::MinAboveMax {
            min: ms(2),
            max: ms(1),
        });

        assert!(err.source().is_none());
    }
}
