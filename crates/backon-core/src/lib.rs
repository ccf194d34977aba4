#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]
#![doc(test(attr(deny(warnings))))]

mod attempts;
#[cfg(feature = "async")]
mod attempts_async;
mod blocking;
pub mod budget;
pub mod condition;
mod engine;
mod event;
#[cfg(feature = "async")]
mod future;
mod guard;
mod input;
#[cfg(feature = "async")]
mod input_future;
mod ops;
mod policy;
mod splitmix;
#[cfg(feature = "testing")]
mod std_time;
mod stop;
mod time;
mod wait;
mod wrap;

pub use attempts::{Attempt, BlockingAttempts};
#[cfg(feature = "async")]
pub use attempts_async::{Attempts, Next, TryNext};
pub use blocking::BlockingRetry;
pub use condition::{AnyError, Condition, Decision};
pub use engine::{Admission, Engine, Report, Step};
pub use event::{BeforeSleep, Event, Listener, OnError, OnGiveUp};
#[cfg(feature = "async")]
pub use future::{NoSleep, Retry, WithReport};
pub use guard::{Guard, GuardFor, Refusal};
pub use input::BlockingRetryWithInput;
#[cfg(feature = "async")]
pub use input_future::RetryWithInput;
pub use ops::{And, Not, Or};
pub use policy::{AsPolicy, Policy};
// Shared by `backon-wait` and `backon-testing` so that their seeded
// sequences stay identical; not for users (see the module's comment).
#[doc(hidden)]
pub use splitmix::splitmix64;
#[cfg(feature = "testing")]
pub use std_time::with_std_time;
pub use stop::{Progress, Stop, StopReason, Verdict};
pub use time::{BlockingSleeper, Clock, Entropy, Sleeper};
#[cfg(feature = "std")]
pub use time::{StdRuntime, std_seed};
pub use wait::Wait;
pub use wrap::BlockingWrapped;
#[cfg(feature = "async")]
pub use wrap::Wrapped;
