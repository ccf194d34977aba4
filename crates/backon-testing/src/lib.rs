#![doc = include_str!("../README.md")]
#![doc(test(attr(deny(warnings))))]

mod assert;
mod call;
mod event;
mod faults;
mod future;
mod preview;
mod recorder;
mod rng;
mod schedule;
mod script;
#[cfg(test)]
mod test_util;
mod text;
mod virtual_time;

pub use call::RecordedCall;
pub use event::RecordedEvent;
pub use faults::Faults;
pub use future::{Faulty, Scripted};
pub use preview::{Preview, preview};
pub use recorder::Recorder;
pub use schedule::Schedule;
pub use script::Script;
pub use virtual_time::{VirtualSleep, VirtualTime};
