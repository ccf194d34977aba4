#![doc = include_str!("../README.md")]
#![doc(test(attr(deny(warnings))))]

mod adaptive;
mod attempts;
mod delay;
mod error;
mod future;
mod policy;

pub use adaptive::{Adaptive, AdaptiveBuilder};
pub use delay::HedgeDelay;
pub use error::HedgeError;
pub use future::Hedged;
pub use policy::{AsHedgePolicy, HedgePolicy};
