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

pub use bounded::{Bounded, BoundedState, Jitter};
pub use combine::{Sum, ThenAfter};
pub use constant::Constant;
pub use error::WaitError;
pub use exponential::Exponential;
pub use ext::WaitExt;
pub use fibonacci::Fibonacci;
pub use linear::Linear;
pub use random::{Decorrelated, DecorrelatedState, Uniform, UniformState};
