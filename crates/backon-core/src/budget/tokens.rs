//! The token bucket budget: retries cost tokens, successes refund some.

use super::{Budget, BudgetError};
use core::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Milli-tokens in one token.
const MILLI: f64 = 1000.0;

/// The largest token amount accepted, so that sums of milli-tokens cannot
/// overflow.
const MAX_TOKENS: f64 = 1e12;

/// A budget that keeps a bucket of tokens: each retry costs some, and each
/// success refunds a fraction of one (the gRPC and AWS model).
///
/// Amounts are counted in whole milli-tokens, so fractions are exact: with
/// a refund of 0.6 and a cost of 1, ten successes pay for exactly six
/// retries, never five for want of a rounding error. The level is one
/// atomic: no lock, no clock.
///
/// Clones share the bucket.
///
/// # Defaults
///
/// | setting | default |
/// |---|---|
/// | [`capacity`](TokenBudgetBuilder::capacity) | 10 tokens |
/// | [`cost`](TokenBudgetBuilder::cost) | 1 token per retry |
/// | [`refund`](TokenBudgetBuilder::refund) | 0.1 token per success |
/// | [`initial`](TokenBudgetBuilder::initial) | full: the capacity |
///
/// # Examples
///
/// ```
/// use backon_core::budget::{Budget, TokenBudget};
///
/// let budget = TokenBudget::builder().initial(0.0).refund(0.6).build()?;
/// for _ in 0..10 {
///     budget.on_success();
/// }
/// assert_eq!(budget.milli_tokens(), 6000);
/// assert_eq!((0..10).filter(|_| budget.try_withdraw()).count(), 6);
/// # Ok::<(), backon_core::budget::BudgetError>(())
/// ```
#[derive(Clone)]
pub struct TokenBudget {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    level: AtomicU64,
    capacity: u64,
    cost: u64,
    refund: u64,
}

impl TokenBudget {
    /// Starts a builder with the [defaults](TokenBudget#defaults).
    pub fn builder() -> TokenBudgetBuilder {
        TokenBudgetBuilder {
            capacity: 10.0,
            cost: 1.0,
            refund: 0.1,
            initial: None,
        }
    }

    /// Returns the tokens in the bucket, in thousandths of a token.
    pub fn milli_tokens(&self) -> u64 {
        self.inner.level.load(Ordering::Acquire)
    }
}

impl Default for TokenBudget {
    /// The budget with the [defaults](TokenBudget#defaults).
    fn default() -> Self {
        match TokenBudget::builder().build() {
            Ok(budget) => budget,
            Err(_) => unreachable!("the default settings are valid"),
        }
    }
}

impl Budget for TokenBudget {
    fn try_withdraw(&self) -> bool {
        let inner = &*self.inner;
        inner
            .level
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |level| {
                level.checked_sub(inner.cost)
            })
            .is_ok()
    }

    fn available(&self) -> u64 {
        self.milli_tokens() / self.inner.cost
    }

    fn on_success(&self) {
        let inner = &*self.inner;
        if inner.refund == 0 {
            return;
        }
        let _ = inner
            .level
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |level| {
                Some(level.saturating_add(inner.refund).min(inner.capacity))
            });
    }
}

impl fmt::Debug for TokenBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenBudget")
            .field("milli_tokens", &self.milli_tokens())
            .field("capacity", &self.inner.capacity)
            .field("cost", &self.inner.cost)
            .field("refund", &self.inner.refund)
            .finish()
    }
}

/// Builds a [`TokenBudget`]; see its [defaults](TokenBudget#defaults).
///
/// Amounts are in tokens and kept to a thousandth of a token, rounded to
/// the nearest.
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct TokenBudgetBuilder {
    capacity: f64,
    cost: f64,
    refund: f64,
    initial: Option<f64>,
}

impl TokenBudgetBuilder {
    /// Sets the most tokens the bucket holds.
    pub fn capacity(mut self, tokens: f64) -> Self {
        self.capacity = tokens;
        self
    }

    /// Sets the tokens one retry or hedge costs.
    pub fn cost(mut self, tokens: f64) -> Self {
        self.cost = tokens;
        self
    }

    /// Sets the tokens each success puts back, up to the capacity.
    pub fn refund(mut self, tokens: f64) -> Self {
        self.refund = tokens;
        self
    }

    /// Sets the tokens the bucket starts with.
    pub fn initial(mut self, tokens: f64) -> Self {
        self.initial = Some(tokens);
        self
    }

    /// Builds the budget.
    ///
    /// # Errors
    ///
    /// [`BudgetError::Tokens`] for an amount that is negative, NaN or above
    /// 10¹² tokens; [`BudgetError::ZeroCost`] for a cost below a thousandth
    /// of a token; [`BudgetError::CapacityBelowCost`] and
    /// [`BudgetError::InitialAboveCapacity`] for amounts that do not fit
    /// together.
    pub fn build(self) -> Result<TokenBudget, BudgetError> {
        let capacity = milli(self.capacity)?;
        let cost = milli(self.cost)?;
        let refund = milli(self.refund)?;
        let initial = self.initial.map_or(Ok(capacity), milli)?;

        if cost == 0 {
            return Err(BudgetError::ZeroCost);
        }
        if capacity < cost {
            return Err(BudgetError::CapacityBelowCost);
        }
        if initial > capacity {
            return Err(BudgetError::InitialAboveCapacity);
        }

        let inner = Inner {
            level: AtomicU64::new(initial),
            capacity,
            cost,
            refund,
        };
        Ok(TokenBudget {
            inner: Arc::new(inner),
        })
    }
}

/// Converts tokens to whole milli-tokens, rounding to the nearest.
fn milli(tokens: f64) -> Result<u64, BudgetError> {
    if !(0.0..=MAX_TOKENS).contains(&tokens) {
        return Err(BudgetError::Tokens);
    }
    Ok((tokens * MILLI).round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bucket(capacity: f64, cost: f64, refund: f64, initial: f64) -> TokenBudget {
        TokenBudget::builder()
            .capacity(capacity)
            .cost(cost)
            .refund(refund)
            .initial(initial)
            .build()
            .unwrap()
    }

    #[test]
    fn a_ratio_of_point_six_over_ten_calls_allows_six_retries() {
        let b = bucket(100.0, 1.0, 0.6, 0.0);
        for _ in 0..10 {
            b.on_success();
        }
        assert_eq!(b.available(), 6);
        assert_eq!((0..100).filter(|_| b.try_withdraw()).count(), 6);
        assert_eq!(b.milli_tokens(), 0);
    }

    #[test]
    fn fractions_that_floats_get_wrong_stay_exact() {
        // 0.1 added ten times is 0.9999999999999999 in f64.
        let b = bucket(10.0, 1.0, 0.1, 0.0);
        for _ in 0..10 {
            b.on_success();
        }
        assert!(b.try_withdraw());
        assert!(!b.try_withdraw());

        // A fractional cost: 0.3 per retry out of 0.9 is three retries.
        let b = bucket(0.9, 0.3, 0.0, 0.9);
        assert_eq!((0..10).filter(|_| b.try_withdraw()).count(), 3);
    }

    #[test]
    fn refunds_stop_at_the_capacity() {
        let b = bucket(2.0, 1.0, 0.75, 1.5);
        b.on_success();
        assert_eq!(b.milli_tokens(), 2000);
        assert_eq!(b.available(), 2);
    }

    #[test]
    fn refuses_bad_settings() {
        let build = |c: f64, cost: f64, r: f64, i: f64| {
            TokenBudget::builder()
                .capacity(c)
                .cost(cost)
                .refund(r)
                .initial(i)
                .build()
                .map(drop)
        };
        assert_eq!(build(f64::NAN, 1.0, 0.1, 0.0), Err(BudgetError::Tokens));
        assert_eq!(build(10.0, 1.0, -0.1, 0.0), Err(BudgetError::Tokens));
        assert_eq!(
            build(10.0, f64::INFINITY, 0.1, 0.0),
            Err(BudgetError::Tokens)
        );
        assert_eq!(build(10.0, 0.0001, 0.1, 0.0), Err(BudgetError::ZeroCost));
        assert_eq!(
            build(0.5, 1.0, 0.1, 0.0),
            Err(BudgetError::CapacityBelowCost)
        );
        assert_eq!(
            build(1.0, 1.0, 0.1, 2.0),
            Err(BudgetError::InitialAboveCapacity)
        );
        assert!(TokenBudget::builder().build().is_ok());
    }

    #[test]
    fn clones_share_it_across_threads() {
        let b = bucket(1000.0, 1.0, 0.0, 1000.0);
        let granted: usize = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|_| {
                    let b = b.clone();
                    s.spawn(move || (0..1000).filter(|_| b.try_withdraw()).count())
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).sum()
        });
        assert_eq!(granted, 1000);
    }
}
