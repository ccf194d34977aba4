#![doc = include_str!("../README.md")]
#![doc(test(attr(deny(warnings))))]

mod breaker;
mod builder;
mod error;
mod event;
mod future;
mod guard;
mod keyed;
mod open;
mod outcome;
mod permit;
mod shared;
mod state;
mod window;

pub use breaker::Breaker;
pub use builder::{Builder, Window};
pub use error::{BreakerOpen, BuildError};
pub use event::{BreakerEvent, BreakerListener, ProbeOutcome, Why};
pub use future::Guarded;
pub use keyed::{KeyedBreakers, KeyedBuilder};
pub use outcome::{Classify, ErrorsFail, Outcome};
pub use permit::Permit;
pub use state::State;
