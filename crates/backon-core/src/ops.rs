//! `|`, `&` and `!` for stop conditions and retry conditions.

use crate::condition::{Condition, Decision};
use crate::stop::{Progress, Stop, Verdict};
use core::time::Duration;

/// Either of two conditions: `a | b`.
///
/// As a stop condition it stops as soon as either stops (the reason is the
/// left one's when both do), and it asks the right side only when the left
/// one continues, so a stateful right side such as a budget is charged only
/// for retries the left side allows. As a retry condition it retries when either
/// asks to, with the left side's hint first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Or<A, B>(pub A, pub B);

/// Both of two conditions: `a & b`.
///
/// As a stop condition it stops only when both stop; while one still
/// continues, that one's deadline applies. As a retry condition it retries
/// only when both ask to, with the left side's hint first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct And<A, B>(pub A, pub B);

/// The opposite of a retry condition: `!c` retries what `c` returns and
/// returns what `c` retries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Not<A>(pub A);

fn earliest(a: Option<Duration>, b: Option<Duration>) -> Option<Duration> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn either(left: Verdict, right: impl FnOnce() -> Verdict) -> Verdict {
    // The right side is not asked once the left one stops: a budget on the
    // right is then not charged for a retry that will not happen.
    let a = match left {
        Verdict::Stop(reason) => return Verdict::Stop(reason),
        Verdict::Continue { deadline } => deadline,
    };
    match right() {
        Verdict::Stop(reason) => Verdict::Stop(reason),
        Verdict::Continue { deadline: b } => Verdict::Continue {
            deadline: earliest(a, b),
        },
    }
}

fn both(left: Verdict, right: Verdict) -> Verdict {
    match (left, right) {
        (Verdict::Stop(reason), Verdict::Stop(_)) => Verdict::Stop(reason),
        (Verdict::Stop(_), going) | (going, Verdict::Stop(_)) => going,
        // Neither limit binds while the other one still holds, so sleeping
        // past either deadline is what `&` asks for.
        (Verdict::Continue { .. }, Verdict::Continue { .. }) => Verdict::CONTINUE,
    }
}

impl<A: Stop, B: Stop> Stop for Or<A, B> {
    fn check(&self, progress: &Progress) -> Verdict {
        either(self.0.check(progress), || self.1.check(progress))
    }

    fn check_dry(&self, progress: &Progress) -> Verdict {
        either(self.0.check_dry(progress), || self.1.check_dry(progress))
    }

    fn uses_clock(&self) -> bool {
        self.0.uses_clock() || self.1.uses_clock()
    }

    fn deadline(&self) -> Option<Duration> {
        earliest(self.0.deadline(), self.1.deadline())
    }
}

impl<A: Stop, B: Stop> Stop for And<A, B> {
    fn check(&self, progress: &Progress) -> Verdict {
        both(self.0.check(progress), self.1.check(progress))
    }

    fn check_dry(&self, progress: &Progress) -> Verdict {
        both(self.0.check_dry(progress), self.1.check_dry(progress))
    }

    fn uses_clock(&self) -> bool {
        self.0.uses_clock() || self.1.uses_clock()
    }

    // Both must stop, so the later deadline binds, and none binds while
    // one side has none.
    fn deadline(&self) -> Option<Duration> {
        match (self.0.deadline(), self.1.deadline()) {
            (Some(a), Some(b)) => Some(a.max(b)),
            _ => None,
        }
    }
}

impl<T, E, A: Condition<T, E>, B: Condition<T, E>> Condition<T, E> for Or<A, B> {
    fn check(&self, outcome: &Result<T, E>) -> Decision {
        match (self.0.check(outcome), self.1.check(outcome)) {
            (Decision::Return, Decision::Return) => Decision::Return,
            (Decision::RetryAfter(d), _) | (_, Decision::RetryAfter(d)) => Decision::RetryAfter(d),
            _ => Decision::Retry,
        }
    }
}

impl<T, E, A: Condition<T, E>, B: Condition<T, E>> Condition<T, E> for And<A, B> {
    fn check(&self, outcome: &Result<T, E>) -> Decision {
        match (self.0.check(outcome), self.1.check(outcome)) {
            (Decision::Return, _) | (_, Decision::Return) => Decision::Return,
            (Decision::RetryAfter(d), _) | (_, Decision::RetryAfter(d)) => Decision::RetryAfter(d),
            _ => Decision::Retry,
        }
    }
}

impl<T, E, A: Condition<T, E>> Condition<T, E> for Not<A> {
    fn check(&self, outcome: &Result<T, E>) -> Decision {
        match self.0.check(outcome) {
            Decision::Return => Decision::Retry,
            Decision::Retry | Decision::RetryAfter(_) => Decision::Return,
        }
    }
}

/// Implements `|` and `&` (and optionally `!`) for condition types, so that
/// combining them yields [`Or`], [`And`] and [`Not`].
///
/// Crates that define stop or retry conditions use it on their own types.
///
/// # Examples
///
/// ```
/// use backon_core::{Progress, Stop, Verdict, impl_combinators};
///
/// #[derive(Debug, Clone, Copy)]
/// struct Never;
///
/// impl Stop for Never {
///     fn check(&self, _: &Progress) -> Verdict {
///         Verdict::CONTINUE
///     }
/// }
///
/// impl_combinators!(Never);
///
/// let both = Never | Never;
/// assert_eq!(both.check(&Progress::new(3, Default::default())), Verdict::CONTINUE);
/// ```
#[macro_export]
macro_rules! impl_combinators {
    ($( $ty:ident $(< $($p:ident),+ >)? ),+ $(,)?) => {
        $(
            impl<$($($p,)+)? Rhs> ::core::ops::BitOr<Rhs> for $ty $(< $($p),+ >)? {
                type Output = $crate::Or<Self, Rhs>;

                fn bitor(self, rhs: Rhs) -> Self::Output {
                    $crate::Or(self, rhs)
                }
            }

            impl<$($($p,)+)? Rhs> ::core::ops::BitAnd<Rhs> for $ty $(< $($p),+ >)? {
                type Output = $crate::And<Self, Rhs>;

                fn bitand(self, rhs: Rhs) -> Self::Output {
                    $crate::And(self, rhs)
                }
            }
        )+
    };
}

/// Like [`impl_combinators!`], and also implements `!`.
#[macro_export]
macro_rules! impl_condition_combinators {
    ($( $ty:ident $(< $($p:ident),+ >)? ),+ $(,)?) => {
        $crate::impl_combinators!($( $ty $(< $($p),+ >)? ),+);
        $(
            impl $(< $($p),+ >)? ::core::ops::Not for $ty $(< $($p),+ >)? {
                type Output = $crate::Not<Self>;

                fn not(self) -> Self::Output {
                    $crate::Not(self)
                }
            }
        )+
    };
}

impl_condition_combinators!(Or<A, B>, And<A, B>, Not<A>);
