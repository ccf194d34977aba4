//! Retry conditions: which outcomes are worth another attempt.

use crate::impl_condition_combinators;
use core::fmt;
use core::time::Duration;

/// What a retry condition says about one outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Return this outcome to the caller.
    Return,
    /// Retry after the delay the wait strategy gives.
    Retry,
    /// Retry after this delay, as the server asked (a Retry-After); the
    /// engine clamps it to the wait strategy's cap and the time limit.
    RetryAfter(Duration),
}

/// Decides whether an outcome is retried.
///
/// Conditions combine with `|` (retry when either asks), `&` (retry only
/// when both ask) and `!` (retry what the condition returns, and the
/// reverse). When a side asks to retry after a server's delay
/// ([`Decision::RetryAfter`], from [`hint`]), a combination that retries
/// keeps that delay, the left side's first.
///
/// # Examples
///
/// ```
/// use backon_core::condition::{Condition, Decision, when_err, when_ok};
///
/// let transient = when_err(|e: &&str| *e == "busy") | when_ok(|v: &u32| *v == 0);
/// assert_eq!(transient.check(&Err("busy")), Decision::Retry);
/// assert_eq!(transient.check(&Err("denied")), Decision::Return);
/// assert_eq!(transient.check(&Ok(0)), Decision::Retry);
/// assert_eq!(transient.check(&Ok(7)), Decision::Return);
/// ```
pub trait Condition<T, E> {
    /// Returns what to do with `outcome`.
    fn check(&self, outcome: &Result<T, E>) -> Decision;
}

impl<T, E, C: Condition<T, E> + ?Sized> Condition<T, E> for &C {
    fn check(&self, outcome: &Result<T, E>) -> Decision {
        (**self).check(outcome)
    }
}

/// Retries every error and no `Ok` value: the default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AnyError;

impl<T, E> Condition<T, E> for AnyError {
    fn check(&self, outcome: &Result<T, E>) -> Decision {
        match outcome {
            Ok(_) => Decision::Return,
            Err(_) => Decision::Retry,
        }
    }
}

/// Retries the errors for which a predicate holds; see [`when_err`].
#[derive(Clone, Copy)]
pub struct ErrIf<F>(F);

/// Retries the `Ok` values for which a predicate holds; see [`when_ok`].
#[derive(Clone, Copy)]
pub struct OkIf<F>(F);

/// Retries every error, after the delay the error asks for; see [`hint`].
#[derive(Clone, Copy)]
pub struct Hint<F>(F);

/// Returns a condition that retries the errors for which `f` returns `true`
/// and no `Ok` value.
///
/// # Examples
///
/// ```
/// use backon_core::condition::{Condition, Decision, when_err};
/// use std::io::{Error, ErrorKind};
///
/// let transient = when_err(|e: &Error| e.kind() == ErrorKind::TimedOut);
///
/// let timed_out = Err::<(), _>(Error::from(ErrorKind::TimedOut));
/// let missing = Err::<(), _>(Error::from(ErrorKind::NotFound));
/// assert_eq!(transient.check(&timed_out), Decision::Retry);
/// assert_eq!(transient.check(&missing), Decision::Return);
/// ```
pub fn when_err<F>(f: F) -> ErrIf<F> {
    ErrIf(f)
}

/// Returns a condition that retries the `Ok` values for which `f` returns
/// `true` and no error.
///
/// Combine it with an error condition to retry both:
/// `when_ok(is_empty) | AnyError`.
///
/// # Examples
///
/// ```
/// use backon_core::condition::{AnyError, Condition, Decision, when_ok};
///
/// // Retry an empty page as well as any error.
/// let c = when_ok(|page: &Vec<u8>| page.is_empty()) | AnyError;
///
/// assert_eq!(c.check(&Ok::<_, ()>(vec![])), Decision::Retry);
/// assert_eq!(c.check(&Ok::<_, ()>(vec![1])), Decision::Return);
/// assert_eq!(c.check(&Err::<Vec<u8>, _>(())), Decision::Retry);
/// ```
pub fn when_ok<F>(f: F) -> OkIf<F> {
    OkIf(f)
}

/// Returns a condition that retries every error and takes the next delay
/// from `f` where it returns one (a server's Retry-After, say).
///
/// Combine it with `&` to retry only some errors while honouring hints:
/// `when_err(is_transient) & hint(retry_after)`.
///
/// # Examples
///
/// ```
/// use backon_core::condition::{Condition, Decision, hint};
/// use std::time::Duration;
///
/// let c = hint(|e: &Option<u64>| e.map(Duration::from_secs));
/// assert_eq!(c.check(&Err::<(), _>(Some(3))), Decision::RetryAfter(Duration::from_secs(3)));
/// assert_eq!(c.check(&Err::<(), _>(None)), Decision::Retry);
/// ```
pub fn hint<F>(f: F) -> Hint<F> {
    Hint(f)
}

impl<T, E, F: Fn(&E) -> bool> Condition<T, E> for ErrIf<F> {
    fn check(&self, outcome: &Result<T, E>) -> Decision {
        match outcome {
            Err(e) if (self.0)(e) => Decision::Retry,
            _ => Decision::Return,
        }
    }
}

impl<T, E, F: Fn(&T) -> bool> Condition<T, E> for OkIf<F> {
    fn check(&self, outcome: &Result<T, E>) -> Decision {
        match outcome {
            Ok(v) if (self.0)(v) => Decision::Retry,
            _ => Decision::Return,
        }
    }
}

impl<T, E, F: Fn(&E) -> Option<Duration>> Condition<T, E> for Hint<F> {
    fn check(&self, outcome: &Result<T, E>) -> Decision {
        match outcome {
            Ok(_) => Decision::Return,
            Err(e) => match (self.0)(e) {
                Some(delay) => Decision::RetryAfter(delay),
                None => Decision::Retry,
            },
        }
    }
}

impl<F> fmt::Debug for ErrIf<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ErrIf(..)")
    }
}

impl<F> fmt::Debug for OkIf<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OkIf(..)")
    }
}

impl<F> fmt::Debug for Hint<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Hint(..)")
    }
}

impl_condition_combinators!(AnyError, ErrIf<F>, OkIf<F>, Hint<F>);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_retries_errors_only() {
        assert_eq!(
            Condition::<u8, u8>::check(&AnyError, &Err(1)),
            Decision::Retry
        );
        assert_eq!(
            Condition::<u8, u8>::check(&AnyError, &Ok(1)),
            Decision::Return
        );
    }

    #[test]
    fn not_inverts() {
        let c = !when_err(|e: &u8| *e > 5);
        assert_eq!(c.check(&Err::<(), _>(9)), Decision::Return);
        assert_eq!(c.check(&Err::<(), _>(1)), Decision::Retry);
    }

    #[test]
    fn and_keeps_the_hint() {
        let c = when_err(|e: &u64| *e != 0) & hint(|e: &u64| Some(Duration::from_secs(*e)));
        assert_eq!(c.check(&Err::<(), _>(0)), Decision::Return);
        assert_eq!(
            c.check(&Err::<(), _>(4)),
            Decision::RetryAfter(Duration::from_secs(4))
        );
    }

    #[test]
    fn or_takes_either() {
        let c = when_err(|e: &u8| *e == 1) | when_err(|e: &u8| *e == 2);
        assert_eq!(c.check(&Err::<(), _>(2)), Decision::Retry);
        assert_eq!(c.check(&Err::<(), _>(3)), Decision::Return);
    }
}
