#![doc = include_str!("../README.md")]
#![doc(test(attr(deny(warnings))))]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod default_runtime;
#[cfg(feature = "wait")]
mod defaults;
mod functions;
#[cfg(feature = "hedge")]
#[cfg_attr(docsrs, doc(cfg(feature = "hedge")))]
pub mod hedge;
#[cfg(not(feature = "async"))]
mod no_runtime;
mod policy_ext;
mod retryable;

pub use backon_core::{
    Admission, AnyError, AsPolicy, Attempt, BlockingAttempts, BlockingRetry,
    BlockingRetryWithInput, BlockingWrapped, Condition, Decision, Engine, Event, Guard, GuardFor,
    Listener, Policy, Progress, Refusal, Report, Step, Stop, StopReason, Verdict, Wait, condition,
};
#[cfg(feature = "async")]
pub use backon_core::{
    Attempts, Next, NoSleep, Retry, RetryWithInput, TryNext, WithReport, Wrapped,
};
#[cfg(feature = "macros")]
#[cfg_attr(docsrs, doc(cfg(feature = "macros")))]
pub use backon_macros::retry;
pub use default_runtime::DefaultRuntime;
#[cfg(feature = "async")]
pub use default_runtime::DefaultSleep;
#[cfg(feature = "wait")]
pub use defaults::{DefaultPolicy, default_policy};
#[cfg(feature = "async")]
pub use functions::{attempts, retry, retry_with_input, wrap};
pub use functions::{attempts_blocking, retry_blocking, retry_with_input_blocking, wrap_blocking};
#[cfg(not(feature = "async"))]
pub use no_runtime::{AsyncRetryEnabled, NeedsRuntime, Retryable, retry, retry_with_input};
pub use policy_ext::PolicyExt;
pub use retryable::BlockingRetryable;
#[cfg(feature = "async")]
pub use retryable::Retryable;

/// Wait strategies: how long to sleep before each retry.
///
/// This is the `backon-wait` crate.
#[cfg(feature = "wait")]
#[cfg_attr(docsrs, doc(cfg(feature = "wait")))]
pub mod wait {
    pub use backon_wait::*;
}

pub use backon_core::budget;

/// The circuit breaker: stops calling a dependency that keeps failing.
///
/// This is the `backon-breaker` crate. A breaker wraps calls on its own, or
/// guards every attempt of a retry: `policy.with_guard(breaker)`.
#[cfg(feature = "breaker")]
#[cfg_attr(docsrs, doc(cfg(feature = "breaker")))]
pub mod breaker {
    pub use backon_breaker::*;
}

/// Stop conditions: when to give up.
///
/// This is the `backon-stop` crate.
pub mod stop {
    pub use backon_stop::*;
}

/// Where time comes from: clocks, sleepers and jitter seeds.
pub mod runtime {
    #[cfg(feature = "async-std")]
    #[cfg_attr(docsrs, doc(cfg(feature = "async-std")))]
    pub use backon_async_std::AsyncStdRuntime;
    pub use backon_core::{BlockingSleeper, Clock, Entropy, Sleeper, StdRuntime};
    #[cfg(feature = "smol")]
    #[cfg_attr(docsrs, doc(cfg(feature = "smol")))]
    pub use backon_smol::SmolRuntime;
    #[cfg(feature = "tokio")]
    #[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
    pub use backon_tokio::TokioRuntime;

    pub use crate::default_runtime::NoRuntime;
}

/// Prometheus metrics: a listener that records retries into a
/// `prometheus-client` registry.
///
/// This is the `backon-metrics-prom` crate; its docs list every
/// instrument.
#[cfg(feature = "metrics-prometheus")]
#[cfg_attr(docsrs, doc(cfg(feature = "metrics-prometheus")))]
pub mod prometheus {
    pub use backon_metrics_prom::*;
}

/// OpenTelemetry metrics: a listener that records retries through an
/// OpenTelemetry `Meter`.
///
/// This is the `backon-metrics-otel` crate; its docs list every
/// instrument.
#[cfg(feature = "metrics-otel")]
#[cfg_attr(docsrs, doc(cfg(feature = "metrics-otel")))]
pub mod otel {
    pub use backon_metrics_otel::*;
}

/// `tracing` for retries: quiet, structured events and a span per call.
///
/// This is the `backon-tracing` crate.
#[cfg(feature = "tracing")]
#[cfg_attr(docsrs, doc(cfg(feature = "tracing")))]
pub mod tracing {
    pub use backon_tracing::*;
}

/// Virtual time and test tools, for testing code that retries.
///
/// This is the `backon-testing` crate.
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing {
    pub use backon_testing::*;
}

/// The traits and functions most code needs: `use backon::prelude::*;`.
pub mod prelude {
    pub use crate::Retryable;
    #[cfg(feature = "hedge")]
    pub use crate::hedge::{Adaptive, HedgePolicy, Hedgeable};
    pub use crate::stop::{after_attempts, never, time_limit};
    #[cfg(feature = "wait")]
    pub use crate::wait::{Constant, Exponential, Jitter, WaitExt};
    pub use crate::{BlockingRetryable, Policy, PolicyExt, condition};
}
