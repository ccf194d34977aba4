//! Strategies built from two others: a sum and a hand-over.

use core::cmp;
use core::ops::Add;
use core::time::Duration;

use backon_core::Wait;

use crate::nanos::derive_seed;
use crate::{Bounded, Constant, Decorrelated, Exponential, Fibonacci, Linear, Uniform};

/// Waits the sum of two strategies' delays.
///
/// Built with `+` on any strategy of this crate. Both strategies see every
/// attempt number, and the sum saturates at `Duration::MAX`.
///
/// # Examples
///
/// A growing delay plus a random spread of up to 100 ms:
///
/// ```
/// use backon_core::Wait;
/// use backon_wait::{Exponential, Uniform};
/// use std::time::Duration;
///
/// let spread = Uniform::new(Duration::ZERO, Duration::from_millis(100))?;
/// let wait = Exponential::new(Duration::from_millis(200)) + spread;
/// let mut state = wait.start(42);
///
/// // Attempt 2: 400 ms from the exponential, plus 0 to 100 ms.
/// let delay = wait.next(&mut state, 2);
/// let (low, high) = (Duration::from_millis(400), Duration::from_millis(500));
/// assert!(low <= delay && delay <= high);
/// # Ok::<(), backon_wait::WaitError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Sum<A, B> {
    first: A,
    second: B,
}

impl<A: Wait, B: Wait> Wait for Sum<A, B> {
    type State = (A::State, B::State);

    fn start(&self, seed: u64) -> Self::State {
        (
            self.first.start(derive_seed(seed, 0)),
            self.second.start(derive_seed(seed, 1)),
        )
    }

    fn uses_seed(&self) -> bool {
        self.first.uses_seed() || self.second.uses_seed()
    }

    fn next(&self, state: &mut Self::State, attempt: u32) -> Duration {
        let first = self.first.next(&mut state.0, attempt);
        let second = self.second.next(&mut state.1, attempt);

        first.saturating_add(second)
    }

    /// Returns the sum of the two caps, saturating at `Duration::MAX`.
    fn cap(&self) -> Duration {
        self.first.cap().saturating_add(self.second.cap())
    }
}

/// Waits as one strategy for a number of attempts, then as another.
///
/// Built by [`WaitExt::then_after`](crate::WaitExt::then_after). Attempts
/// 1 to `n` use the first strategy. Later attempts use the second, whose
/// attempt numbers start again from 1: attempt `n + 1` is the second
/// strategy's attempt 1, so it begins at its own starting delay rather than
/// part-way along its curve. An `n` of zero uses the second strategy from the
/// start.
///
/// # Examples
///
/// Three quick retries, then a slower exponential backoff:
///
/// ```
/// use backon_core::Wait;
/// use backon_wait::{Constant, Exponential, WaitExt};
/// use std::time::Duration;
///
/// let wait = Constant::new(Duration::from_millis(10))
///     .then_after(3, Exponential::new(Duration::from_secs(1)));
/// let mut state = wait.start(0);
///
/// let delays: Vec<_> = (1..=5).map(|n| wait.next(&mut state, n)).collect();
/// assert_eq!(delays, [10, 10, 10, 1000, 2000].map(Duration::from_millis));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ThenAfter<A, B> {
    first: A,
    attempts: u32,
    then: B,
}

impl<A, B> ThenAfter<A, B> {
    pub(crate) fn new(first: A, attempts: u32, then: B) -> Self {
        Self {
            first,
            attempts,
            then,
        }
    }
}

impl<A: Wait, B: Wait> Wait for ThenAfter<A, B> {
    type State = (A::State, B::State);

    fn start(&self, seed: u64) -> Self::State {
        (
            self.first.start(derive_seed(seed, 0)),
            self.then.start(derive_seed(seed, 1)),
        )
    }

    fn uses_seed(&self) -> bool {
        self.first.uses_seed() || self.then.uses_seed()
    }

    fn next(&self, state: &mut Self::State, attempt: u32) -> Duration {
        // Attempts count from 1; a stray 0 must not reach a strategy that
        // `attempts == 0` promised never to use.
        let attempt = attempt.max(1);
        if attempt <= self.attempts {
            return self.first.next(&mut state.0, attempt);
        }

        self.then.next(&mut state.1, attempt - self.attempts)
    }

    /// Returns the larger of the two caps, or the second strategy's alone
    /// when the first is never used.
    fn cap(&self) -> Duration {
        if self.attempts == 0 {
            return self.then.cap();
        }

        cmp::max(self.first.cap(), self.then.cap())
    }
}

// `+` on every strategy of this crate. A blanket impl over `W: Wait` is not
// allowed for foreign traits, so each type gets its own.

impl<Rhs: Wait> Add<Rhs> for Constant {
    type Output = Sum<Self, Rhs>;

    fn add(self, rhs: Rhs) -> Self::Output {
        Sum {
            first: self,
            second: rhs,
        }
    }
}

impl<Rhs: Wait> Add<Rhs> for Linear {
    type Output = Sum<Self, Rhs>;

    fn add(self, rhs: Rhs) -> Self::Output {
        Sum {
            first: self,
            second: rhs,
        }
    }
}

impl<Rhs: Wait> Add<Rhs> for Exponential {
    type Output = Sum<Self, Rhs>;

    fn add(self, rhs: Rhs) -> Self::Output {
        Sum {
            first: self,
            second: rhs,
        }
    }
}

impl<Rhs: Wait> Add<Rhs> for Fibonacci {
    type Output = Sum<Self, Rhs>;

    fn add(self, rhs: Rhs) -> Self::Output {
        Sum {
            first: self,
            second: rhs,
        }
    }
}

impl<Rhs: Wait> Add<Rhs> for Uniform {
    type Output = Sum<Self, Rhs>;

    fn add(self, rhs: Rhs) -> Self::Output {
        Sum {
            first: self,
            second: rhs,
        }
    }
}

impl<Rhs: Wait> Add<Rhs> for Decorrelated {
    type Output = Sum<Self, Rhs>;

    fn add(self, rhs: Rhs) -> Self::Output {
        Sum {
            first: self,
            second: rhs,
        }
    }
}

impl<W: Wait, Rhs: Wait> Add<Rhs> for Bounded<W> {
    type Output = Sum<Self, Rhs>;

    fn add(self, rhs: Rhs) -> Self::Output {
        Sum {
            first: self,
            second: rhs,
        }
    }
}

impl<A: Wait, B: Wait, Rhs: Wait> Add<Rhs> for Sum<A, B> {
    type Output = Sum<Self, Rhs>;

    fn add(self, rhs: Rhs) -> Self::Output {
        Sum {
            first: self,
            second: rhs,
        }
    }
}

impl<A: Wait, B: Wait, Rhs: Wait> Add<Rhs> for ThenAfter<A, B> {
    type Output = Sum<Self, Rhs>;

    fn add(self, rhs: Rhs) -> Self::Output {
        Sum {
            first: self,
            second: rhs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{delays, ms};
    use crate::{Jitter, WaitExt};

    #[test]
    fn sum_adds_step_by_step() {
        let wait = Exponential::new(ms(100)) + Linear::new(ms(1), ms(1));

        assert_eq!(delays(&wait, 0, 1..=4), [101, 202, 403, 804].map(ms));
    }

    #[test]
    fn sum_accepts_a_plain_duration() {
        let wait = Constant::new(ms(10)) + ms(5);

        assert_eq!(delays(&wait, 0, [1, 2]), [ms(15); 2]);
        assert_eq!(wait.cap(), ms(15));
    }

    #[test]
    fn sums_chain() {
        let wait = Constant::new(ms(1)) + Constant::new(ms(2)) + Constant::new(ms(4));

        assert_eq!(delays(&wait, 0, [1]), [ms(7)]);
    }

    #[test]
    fn sum_saturates() {
        let wait = Exponential::new(ms(100)) + Constant::new(Duration::MAX);

        assert_eq!(delays(&wait, 0, [1, u32::MAX]), [Duration::MAX; 2]);
        assert_eq!(wait.cap(), Duration::MAX);
    }

    #[test]
    fn sum_cap_adds_the_caps() {
        let wait = Exponential::new(ms(100)).max(ms(1000)) + Uniform::new(ms(0), ms(50)).unwrap();

        assert_eq!(wait.cap(), ms(1050));
    }

    #[test]
    fn sum_gives_each_random_part_its_own_stream() {
        let uniform = Uniform::new(ms(0), ms(1000)).unwrap();
        let wait = uniform + uniform;

        let mut state = wait.start(4);
        let (first, second): (Vec<_>, Vec<_>) = (1..=20)
            .map(|n| (uniform.next(&mut state.0, n), uniform.next(&mut state.1, n)))
            .unzip();
        assert_ne!(first, second);
    }

    #[test]
    fn sum_of_jittered_strategies_repeats_for_the_same_seed() {
        let wait =
            Exponential::new(ms(10)).jitter(Jitter::Full) + Uniform::new(ms(0), ms(9)).unwrap();

        assert_eq!(delays(&wait, 1, 1..=20), delays(&wait, 1, 1..=20));
        assert_ne!(delays(&wait, 1, 1..=20), delays(&wait, 2, 1..=20));
    }

    #[test]
    fn then_after_hands_over_and_restarts_attempts() {
        let wait = Constant::new(ms(10)).then_after(2, Linear::new(ms(100), ms(100)));

        assert_eq!(delays(&wait, 0, 1..=5), [10, 10, 100, 200, 300].map(ms));
    }

    #[test]
    fn then_after_zero_uses_the_second_from_the_start() {
        let wait = Constant::new(ms(10)).then_after(0, Exponential::new(ms(100)));

        assert_eq!(delays(&wait, 0, 1..=3), [100, 200, 400].map(ms));
        assert_eq!(wait.cap(), Duration::MAX);
    }

    #[test]
    fn then_after_zero_treats_attempt_zero_as_the_first() {
        let wait = Constant::new(Duration::MAX).then_after(0, Constant::new(ms(10)));

        assert_eq!(delays(&wait, 0, [0]), [ms(10)]);
    }

    #[test]
    fn then_after_never_hands_over_at_the_largest_count() {
        let wait = Constant::new(ms(10)).then_after(u32::MAX, Constant::new(ms(99)));

        assert_eq!(delays(&wait, 0, [1, u32::MAX]), [ms(10); 2]);
    }

    #[test]
    fn then_after_cap_is_the_larger_cap() {
        let quick_then_slow = Constant::new(ms(10)).then_after(3, Constant::new(ms(500)));
        let slow_then_quick = Constant::new(ms(500)).then_after(3, Constant::new(ms(10)));
        let never_first = Constant::new(ms(500)).then_after(0, Constant::new(ms(10)));

        assert_eq!(quick_then_slow.cap(), ms(500));
        assert_eq!(slow_then_quick.cap(), ms(500));
        assert_eq!(never_first.cap(), ms(10));
    }

    #[test]
    fn then_after_adds_like_any_strategy() {
        let wait = Constant::new(ms(10)).then_after(1, Constant::new(ms(20))) + ms(1);

        assert_eq!(delays(&wait, 0, 1..=2), [11, 21].map(ms));
    }
}
