use core::fmt;

/// A stop condition that cannot be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StopError {
    /// `attempts` was zero: a call makes at least one attempt.
    ZeroAttempts,
    /// `limit` was zero: no attempt could start.
    ZeroTimeLimit,
}

impl fmt::Display for StopError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StopError::ZeroAttempts => f.write_str("attempts must be at least 1, got 0"),
            StopError::ZeroTimeLimit => f.write_str("time limit must be above zero"),
        }
    }
}

impl std::error::Error for StopError {}
