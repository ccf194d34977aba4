//! Invalid budget settings.

use core::fmt;
use core::time::Duration;

/// A budget setting that cannot work, refused when the budget is built.
///
/// Each error names the setting as its builder method is named, and the
/// value given.
///
/// # Examples
///
/// ```
/// use backon_core::budget::{BudgetError, TokenBudget};
///
/// let err = TokenBudget::builder().refund(0.0004).build().unwrap_err();
/// assert_eq!(
///     err,
///     BudgetError::TooSmall { setting: "refund", value: 0.0004, smallest: 0.001 }
/// );
/// assert_eq!(
///     err.to_string(),
///     "refund 0.0004 is below 0.001, the smallest nonzero amount the budget counts"
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum BudgetError {
    /// An amount that is NaN, negative, infinite or above the largest its
    /// setting takes: 1000 for `percent`, 10¹² tokens for the others.
    OutOfRange {
        /// The setting: `"percent"`, `"capacity"`, `"cost"`, `"refund"` or
        /// `"initial"`.
        setting: &'static str,
        /// The value given.
        value: f64,
        /// The largest value the setting takes.
        max: f64,
    },
    /// An amount above zero but below the smallest the budget counts,
    /// which would round to zero or far from the value given: a
    /// thousandth of a token, or a percentage of 0.1.
    TooSmall {
        /// The setting: `"percent"`, `"capacity"`, `"cost"`, `"refund"` or
        /// `"initial"`.
        setting: &'static str,
        /// The value given.
        value: f64,
        /// The smallest value above zero the setting takes.
        smallest: f64,
    },
    /// A `ttl` shorter than 1 s or longer than 60 s.
    Ttl(Duration),
    /// A `cost` of zero tokens, which would grant retries without end.
    ZeroCost,
    /// A `capacity` smaller than the cost of one retry, which would never
    /// grant one.
    CapacityBelowCost {
        /// The capacity given, in tokens.
        capacity: f64,
        /// The cost of one retry, in tokens.
        cost: f64,
    },
    /// An `initial` level above the capacity.
    InitialAboveCapacity {
        /// The initial level given, in tokens.
        initial: f64,
        /// The capacity, in tokens.
        capacity: f64,
    },
}

impl fmt::Display for BudgetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BudgetError::OutOfRange {
                setting,
                value,
                max,
            } => write!(f, "{setting} {} is not between 0 and {max}", Amount(*value)),
            BudgetError::TooSmall {
                setting,
                value,
                smallest,
            } => write!(
                f,
                "{setting} {} is below {smallest}, the smallest nonzero amount the \
                 budget counts",
                Amount(*value)
            ),
            BudgetError::Ttl(ttl) => write!(f, "ttl {ttl:?} is not between 1s and 60s"),
            BudgetError::ZeroCost => {
                f.write_str("cost 0 would grant retries without end; use at least 0.001")
            }
            BudgetError::CapacityBelowCost { capacity, cost } => write!(
                f,
                "capacity {} is below the cost of one retry, {}",
                Amount(*capacity),
                Amount(*cost)
            ),
            BudgetError::InitialAboveCapacity { initial, capacity } => write!(
                f,
                "initial {} is above the capacity, {}",
                Amount(*initial),
                Amount(*capacity)
            ),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for BudgetError {}

/// A number as a user typed it, or close: plain for everyday sizes, in
/// exponent form when plain would print hundreds of digits (`1e-300`).
struct Amount(f64);

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let size = self.0.abs();
        if size == 0.0 || !size.is_finite() || (1e-6..1e16).contains(&size) {
            write!(f, "{}", self.0)
        } else {
            write!(f, "{:e}", self.0)
        }
    }
}
