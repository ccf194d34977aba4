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

/// The smallest token amount above zero: one milli-token.
const MIN_TOKENS: f64 = 0.001;

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
/// Amounts are in tokens, from 0 to 10¹², and kept to a thousandth of a
/// token, rounded to the nearest. An amount above zero is at least 0.001:
/// a smaller one is refused rather than rounded to nothing.
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

    /// Sets the tokens each success puts back, up to the capacity; 0 for
    /// none, so that only the initial tokens are ever spent.
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
    /// Each error names the setting and the value given:
    /// [`BudgetError::OutOfRange`] for an amount that is NaN, negative,
    /// infinite or above 10¹² tokens; [`BudgetError::TooSmall`] for one
    /// above zero but below 0.001; [`BudgetError::ZeroCost`] for a cost of
    /// zero; [`BudgetError::CapacityBelowCost`] and
    /// [`BudgetError::InitialAboveCapacity`] for amounts that do not fit
    /// together.
    pub fn build(self) -> Result<TokenBudget, BudgetError> {
        let capacity = milli("capacity", self.capacity)?;
        let cost = milli("cost", self.cost)?;
        let refund = milli("refund", self.refund)?;
        let initial = match self.initial {
            Some(tokens) => milli("initial", tokens)?,
            None => capacity,
        };

        if cost == 0 {
            return Err(BudgetError::ZeroCost);
        }
        if capacity < cost {
            return Err(BudgetError::CapacityBelowCost {
                capacity: self.capacity,
                cost: self.cost,
            });
        }
        if initial > capacity {
            return Err(BudgetError::InitialAboveCapacity {
                initial: self.initial.unwrap_or(self.capacity),
                capacity: self.capacity,
            });
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

/// Converts the tokens of `setting` to whole milli-tokens, rounding to the
/// nearest.
fn milli(setting: &'static str, tokens: f64) -> Result<u64, BudgetError> {
    // Written so that NaN fails too.
    if !(0.0..=MAX_TOKENS).contains(&tokens) {
        return Err(BudgetError::OutOfRange {
            setting,
            value: tokens,
            max: MAX_TOKENS,
        });
    }
    if tokens > 0.0 && tokens < MIN_TOKENS {
        return Err(BudgetError::TooSmall {
            setting,
            value: tokens,
            smallest: MIN_TOKENS,
        });
    }
    Ok((tokens * MILLI).round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bucket(capacity: f64, cost: f64, refund: f64, initial: f64) -> TokenBudget {
        built(capacity, cost, refund, initial).unwrap()
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

    fn built(
        capacity: f64,
        cost: f64,
        refund: f64,
        initial: f64,
    ) -> Result<TokenBudget, BudgetError> {
        TokenBudget::builder()
            .capacity(capacity)
            .cost(cost)
            .refund(refund)
            .initial(initial)
            .build()
    }

    fn build(capacity: f64, cost: f64, refund: f64, initial: f64) -> Result<(), BudgetError> {
        built(capacity, cost, refund, initial).map(drop)
    }

    #[test]
    fn extreme_amounts_are_quoted_short() {
        let message = |r: Result<(), BudgetError>| r.unwrap_err().to_string();
        assert_eq!(
            message(build(10.0, 1e-300, 0.0, 0.0)),
            "cost 1e-300 is below 0.001, the smallest nonzero amount the budget counts"
        );
        assert_eq!(
            message(build(1e300, 1.0, 0.0, 0.0)),
            "capacity 1e300 is not between 0 and 1000000000000"
        );
        assert_eq!(
            message(build(10.0, 0.0004, 0.0, 0.0)),
            "cost 0.0004 is below 0.001, the smallest nonzero amount the budget counts"
        );
    }

    #[test]
    fn refuses_bad_settings() {
        assert_eq!(
            build(0.5, 1.0, 0.1, 0.0),
            Err(BudgetError::CapacityBelowCost {
                capacity: 0.5,
                cost: 1.0
            })
        );
        assert_eq!(
            build(1.0, 1.0, 0.1, 2.0),
            Err(BudgetError::InitialAboveCapacity {
                initial: 2.0,
                capacity: 1.0
            })
        );
        assert_eq!(
            build(0.5, 1.0, 0.1, 0.0).unwrap_err().to_string(),
            "capacity 0.5 is below the cost of one retry, 1"
        );
        assert_eq!(
            build(1.0, 1.0, 0.1, 2.0).unwrap_err().to_string(),
            "initial 2 is above the capacity, 1"
        );
        assert!(TokenBudget::builder().build().is_ok());
    }

    /// Builds a valid budget with one setting changed.
    fn with(setting: &str, value: f64) -> Result<(), BudgetError> {
        let mut amounts = [10.0, 1.0, 0.1, 0.0];
        let at = ["capacity", "cost", "refund", "initial"]
            .iter()
            .position(|s| *s == setting)
            .unwrap();
        amounts[at] = value;
        let [capacity, cost, refund, initial] = amounts;
        build(capacity, cost, refund, initial)
    }

    #[test]
    fn nan_negative_and_infinite_amounts_are_refused_by_name() {
        for setting in ["capacity", "cost", "refund", "initial"] {
            for value in [f64::NAN, -0.1, f64::NEG_INFINITY, f64::INFINITY, 2e12] {
                let err = with(setting, value).unwrap_err();
                let BudgetError::OutOfRange {
                    setting: named,
                    value: given,
                    max,
                } = err
                else {
                    panic!("{setting} {value}: {err:?}");
                };
                assert_eq!((named, max), (setting, 1e12));
                assert!(given == value || given.is_nan() && value.is_nan());
            }
        }
        assert_eq!(
            build(10.0, f64::NAN, 0.1, 0.0).unwrap_err().to_string(),
            "cost NaN is not between 0 and 1000000000000"
        );
        assert_eq!(
            build(10.0, 1.0, -0.5, 0.0).unwrap_err().to_string(),
            "refund -0.5 is not between 0 and 1000000000000"
        );
    }

    #[test]
    fn amounts_below_a_thousandth_of_a_token_are_refused() {
        let too_small = |setting, value| {
            Err(BudgetError::TooSmall {
                setting,
                value,
                smallest: 0.001,
            })
        };
        assert_eq!(build(0.0004, 1.0, 0.1, 0.0), too_small("capacity", 0.0004));
        assert_eq!(build(10.0, 0.0001, 0.1, 0.0), too_small("cost", 0.0001));
        assert_eq!(build(10.0, 0.0009, 0.1, 0.0), too_small("cost", 0.0009));
        assert_eq!(build(10.0, 1.0, 0.0004, 0.0), too_small("refund", 0.0004));
        assert_eq!(build(10.0, 1.0, 0.1, 1e-9), too_small("initial", 1e-9));
        assert_eq!(
            build(10.0, 0.0001, 0.1, 0.0).unwrap_err().to_string(),
            "cost 0.0001 is below 0.001, the smallest nonzero amount the budget counts"
        );

        // The smallest is accepted, and so is zero where it means none.
        let b = bucket(10.0, 0.001, 0.001, 0.0);
        b.on_success();
        assert_eq!(b.milli_tokens(), 1);
        assert!(b.try_withdraw());
        assert_eq!(build(10.0, 1.0, 0.0, 0.0), Ok(()));
    }

    #[test]
    fn a_zero_cost_is_refused_and_a_zero_refund_refunds_nothing() {
        assert_eq!(build(10.0, 0.0, 0.1, 0.0), Err(BudgetError::ZeroCost));
        assert_eq!(
            BudgetError::ZeroCost.to_string(),
            "cost 0 would grant retries without end; use at least 0.001"
        );

        let b = bucket(10.0, 1.0, 0.0, 1.0);
        b.on_success();
        assert_eq!(b.milli_tokens(), 1000);
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
