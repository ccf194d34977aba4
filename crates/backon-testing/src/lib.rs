#![doc = include_str!("../README.md")]
#![doc(test(attr(deny(warnings))))]

mod call;
mod event;
mod faults;
mod preview;
mod recorder;
mod rng;
mod schedule;
mod script;
mod text;
mod virtual_time;

pub use call::RecordedCall;
pub use event::RecordedEvent;
pub use faults::{Faults, Faulty};
pub use preview::{Preview, preview};
pub use recorder::Recorder;
pub use schedule::Schedule;
pub use script::{Script, Scripted};
pub use virtual_time::{VirtualSleep, VirtualTime};
