//! Invalid hedging settings.

use core::fmt;

/// A hedging setting that cannot work, refused when it is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum HedgeError {
    /// A percentile that is not above 0 and at most 100, or NaN.
    Percentile,
    /// A window of fewer than 2 samples.
    Window,
    /// A minimum of samples that is 0 or larger than the window.
    MinSamples,
}

impl fmt::Display for HedgeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            HedgeError::Percentile => "percentile must be above 0 and at most 100",
            HedgeError::Window => "latency window must hold at least 2 samples",
            HedgeError::MinSamples => "minimum samples must be between 1 and the window",
        };
        f.write_str(text)
    }
}

impl std::error::Error for HedgeError {}
