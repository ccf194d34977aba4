//! Which outcomes count as failures.

use core::fmt;

/// How the breaker counts one outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// A success: it resets the consecutive failures and closes a
    /// half-open breaker once enough probes succeed.
    Success,
    /// A failure: it feeds the trip rules and re-opens a half-open breaker.
    Failure,
    /// Neither: nothing is counted, and a probe's permit is given back.
    Ignored,
}

/// Decides how an outcome counts; the breaker's failure predicate.
///
/// Closures `Fn(&Result<T, E>) -> Outcome` are classifiers. The default,
/// [`ErrorsFail`], counts every error as a failure and every `Ok` as a
/// success.
///
/// # Examples
///
/// ```
/// use backon_breaker::{Classify, Outcome};
///
/// // A 404 is the caller's mistake, not a sign that the server is down.
/// let by_status = |r: &Result<u16, u16>| match r {
///     Ok(_) => Outcome::Success,
///     Err(404) => Outcome::Ignored,
///     Err(_) => Outcome::Failure,
/// };
/// assert_eq!(by_status.classify(&Err(404)), Outcome::Ignored);
/// assert_eq!(by_status.classify(&Err(503)), Outcome::Failure);
/// ```
pub trait Classify<T, E> {
    /// Returns how `outcome` counts.
    fn classify(&self, outcome: &Result<T, E>) -> Outcome;
}

/// Counts every error as a failure and every `Ok` as a success: the
/// default classifier.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ErrorsFail;

impl<T, E> Classify<T, E> for ErrorsFail {
    #[inline]
    fn classify(&self, outcome: &Result<T, E>) -> Outcome {
        match outcome {
            Ok(_) => Outcome::Success,
            Err(_) => Outcome::Failure,
        }
    }
}

impl<T, E, F: Fn(&Result<T, E>) -> Outcome> Classify<T, E> for F {
    #[inline]
    fn classify(&self, outcome: &Result<T, E>) -> Outcome {
        self(outcome)
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
            Outcome::Ignored => "ignored",
        };
        f.write_str(text)
    }
}
