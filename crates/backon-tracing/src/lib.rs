#![doc = include_str!("../README.md")]
#![doc(test(attr(deny(warnings))))]

mod listener;

pub use listener::{SPAN_NAME, TARGET, TracingListener};
