//! Invalid budget settings.

use core::fmt;

/// A budget setting that cannot work, refused when the budget is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BudgetError {
    /// A percentage below 0, above 1000 or NaN.
    Percent,
    /// A time window shorter than 1 s or longer than 60 s.
    Ttl,
    /// A token amount that is negative, NaN, or too large to count.
    Tokens,
    /// A cost of zero tokens, which would grant retries without end.
    ZeroCost,
    /// A capacity smaller than the cost of one retry, which would never
    /// grant one.
    CapacityBelowCost,
    /// An initial level above the capacity.
    InitialAboveCapacity,
}

impl fmt::Display for BudgetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            BudgetError::Percent => "budget percentage must be between 0 and 1000",
            BudgetError::Ttl => "budget window must be between 1 s and 60 s",
            BudgetError::Tokens => "token amount must be finite, at least 0 and at most 1e12",
            BudgetError::ZeroCost => "a retry must cost more than zero tokens",
            BudgetError::CapacityBelowCost => "token capacity is below the cost of one retry",
            BudgetError::InitialAboveCapacity => "initial tokens exceed the capacity",
        };
        f.write_str(text)
    }
}

#[cfg(feature = "std")]
impl std::error::Error for BudgetError {}
