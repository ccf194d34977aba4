#![doc = include_str!("../README.md")]
#![doc(test(attr(deny(warnings))))]

mod bounded;
mod combine;
mod constant;
mod error;
mod exponential;
mod ext;
mod fibonacci;
mod linear;
mod nanos;
mod random;
#[cfg(test)]
mod test_util;

pub use bounded::{Bounded, BoundedState, Jitter};
pub use combine::{Sum, ThenAfter};
pub use constant::Constant;
pub use error::WaitError;
pub use exponential::Exponential;
pub use ext::WaitExt;
pub use fibonacci::Fibonacci;
pub use linear::Linear;
pub use random::{Decorrelated, DecorrelatedState, Uniform, UniformState};

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_strategy<W: Clone + Copy + Send + Sync + std::fmt::Debug + 'static>() {}

    fn assert_state<S: Clone + Send + Sync + std::fmt::Debug + 'static>() {}

    // Policies are shared across threads and each call's state lives inside a
    // future that may move between threads.
    #[test]
    fn strategies_are_shareable_values() {
        assert_strategy::<Constant>();
        assert_strategy::<Linear>();
        assert_strategy::<Exponential>();
        assert_strategy::<Fibonacci>();
        assert_strategy::<Uniform>();
        assert_strategy::<Decorrelated>();
        assert_strategy::<Bounded<Exponential>>();
        assert_strategy::<Sum<Exponential, Uniform>>();
        assert_strategy::<ThenAfter<Constant, Decorrelated>>();
        assert_strategy::<Jitter>();
        assert_strategy::<WaitError>();

        assert_state::<UniformState>();
        assert_state::<DecorrelatedState>();
        assert_state::<BoundedState<DecorrelatedState>>();
    }
}
