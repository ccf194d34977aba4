use backon_core::{AsPolicy, BlockingAttempts, BlockingWrapped, StdRuntime};
#[cfg(feature = "async")]
use {
    crate::DefaultRuntime,
    backon_core::{Attempts, Wrapped},
};

/// The call styles that start from a policy: `policy.wrap(f)` and
/// `policy.attempts()`.
///
/// Implemented for every [`Policy`](crate::Policy), reference to one and
/// `Arc` of one; the same as the free functions [`wrap`](crate::wrap()),
/// [`attempts`](crate::attempts()) and their blocking forms.
///
/// # Examples
///
/// ```
/// use backon::prelude::*;
/// use std::ops::ControlFlow;
/// use std::time::Duration;
///
/// let policy = Policy::new(Duration::from_millis(1), after_attempts(3)?);
///
/// let double = (&policy).wrap_blocking(|n: &u32| n.checked_mul(2).ok_or("overflow"));
/// assert_eq!(double.call(21), Ok(42));
///
/// let mut attempts = policy.attempts_blocking();
/// let attempt = attempts.next();
/// assert_eq!(attempt.report(Ok::<_, ()>(1)), ControlFlow::Break(Ok(1)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait PolicyExt: AsPolicy {
    /// Starts an async attempt loop on the policy; see
    /// [`attempts`](crate::attempts()).
    #[cfg(feature = "async")]
    fn attempts<E>(&self) -> Attempts<&Self, DefaultRuntime, E> {
        Attempts::new(self, DefaultRuntime::default())
    }

    /// Starts a blocking attempt loop on the policy; see
    /// [`attempts_blocking`](crate::attempts_blocking()).
    fn attempts_blocking<E>(&self) -> BlockingAttempts<&Self, StdRuntime, E> {
        BlockingAttempts::new(self, StdRuntime)
    }

    /// Bundles an async function with the policy; see
    /// [`wrap`](crate::wrap()).
    ///
    /// It takes the policy by value: call it on a reference or a clone to
    /// keep the policy, or on an `Arc` to share it.
    #[cfg(feature = "async")]
    fn wrap<F>(self, f: F) -> Wrapped<Self, DefaultRuntime, F>
    where
        Self: Sized,
    {
        Wrapped::new(f, self, DefaultRuntime::default())
    }

    /// Bundles a blocking function with the policy; see
    /// [`wrap_blocking`](crate::wrap_blocking()).
    ///
    /// It takes the policy by value: call it on a reference or a clone to
    /// keep the policy, or on an `Arc` to share it.
    fn wrap_blocking<F>(self, f: F) -> BlockingWrapped<Self, StdRuntime, F>
    where
        Self: Sized,
    {
        BlockingWrapped::new(f, self, StdRuntime)
    }
}

impl<P: AsPolicy + ?Sized> PolicyExt for P {}
