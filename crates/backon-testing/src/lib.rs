#![doc = include_str!("../README.md")]
#![doc(test(attr(deny(warnings))))]

mod call;
mod event;
mod recorder;
mod rng;
mod virtual_time;

pub use call::RecordedCall;
pub use event::RecordedEvent;
pub use recorder::Recorder;
pub use virtual_time::{VirtualSleep, VirtualTime};
