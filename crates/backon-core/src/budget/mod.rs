//! Budgets: a bound on the extra load that retries and hedges add.
//!
//! Retries and hedges multiply the load on a service exactly when it
//! struggles. A [`Budget`] grants them only while they stay a small share
//! of the calls. Two algorithms come with the `std` feature:
//!
//! - [`RatioBudget`]: retries may be a percentage of the calls of a recent
//!   time window, plus a small reserve per second (the Finagle and Envoy
//!   model; 20 %, 10 per second, over 10 s by default);
//! - [`TokenBudget`]: a bucket of tokens; each retry costs some and each
//!   success refunds a fraction of one (the gRPC and AWS model), counted in
//!   exact milli-tokens.
//!
//! A budget is a handle: clones share one budget, so a single value serves
//! many policies, calls and threads. A retry policy draws on one through
//! [`Policy::budget`](crate::Policy::budget); a hedge policy in
//! `backon-hedge` has a method of the same name.
//!
//! # Examples
//!
//! ```
//! use backon_core::budget::{Budget, TokenBudget};
//!
//! let budget = TokenBudget::builder().capacity(2.0).build()?;
//! let shared = budget.clone();
//!
//! assert!(shared.try_withdraw());
//! assert!(budget.try_withdraw());
//! assert!(!budget.try_withdraw());
//! assert_eq!(shared.available(), 0);
//! # Ok::<(), backon_core::budget::BudgetError>(())
//! ```

mod draw;
mod error;
#[cfg(feature = "std")]
mod ratio;
#[cfg(feature = "std")]
mod tokens;
#[cfg(feature = "std")]
mod window;

pub use draw::{Draw, WithBudget};
pub use error::BudgetError;
#[cfg(feature = "std")]
pub use ratio::{RatioBudget, RatioBudgetBuilder};
#[cfg(feature = "std")]
pub use tokens::{TokenBudget, TokenBudgetBuilder};

/// A shared allowance of retries and hedges.
///
/// A call tells its budget when it starts ([`on_call`](Budget::on_call))
/// and when it succeeds ([`on_success`](Budget::on_success)), and asks it
/// before each retry or hedge ([`try_withdraw`](Budget::try_withdraw)).
/// Each algorithm uses the signals it needs and ignores the others.
///
/// `()` is the budget without limit.
///
/// # Examples
///
/// A budget of a fixed number of retries in all:
///
/// ```
/// use backon_core::budget::Budget;
/// use std::sync::atomic::{AtomicU64, Ordering};
///
/// struct Fixed(AtomicU64);
///
/// impl Budget for Fixed {
///     fn try_withdraw(&self) -> bool {
///         self.0.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1)).is_ok()
///     }
///
///     fn available(&self) -> u64 {
///         self.0.load(Ordering::Acquire)
///     }
/// }
///
/// let budget = Fixed(AtomicU64::new(1));
/// assert!(budget.try_withdraw());
/// assert!(!budget.try_withdraw());
/// ```
pub trait Budget {
    /// Spends one retry or hedge and returns `true`, or returns `false`
    /// when the budget has none left.
    fn try_withdraw(&self) -> bool;

    /// Returns how many retries or hedges the budget would grant now.
    fn available(&self) -> u64;

    /// Records that a call starts its first attempt.
    fn on_call(&self) {}

    /// Records that a call ends with an accepted `Ok` value.
    fn on_success(&self) {}
}

/// The budget without limit: every withdrawal is granted.
impl Budget for () {
    #[inline(always)]
    fn try_withdraw(&self) -> bool {
        true
    }

    fn available(&self) -> u64 {
        u64::MAX
    }
}

impl<B: Budget + ?Sized> Budget for &B {
    fn try_withdraw(&self) -> bool {
        (**self).try_withdraw()
    }

    fn available(&self) -> u64 {
        (**self).available()
    }

    fn on_call(&self) {
        (**self).on_call();
    }

    fn on_success(&self) {
        (**self).on_success();
    }
}
