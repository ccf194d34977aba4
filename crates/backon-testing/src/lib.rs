#![doc = include_str!("../README.md")]
#![doc(test(attr(deny(warnings))))]

mod virtual_time;

pub use virtual_time::{VirtualSleep, VirtualTime};
