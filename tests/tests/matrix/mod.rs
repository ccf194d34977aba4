//! The scenarios' machinery: a scripted operation, a delay recorder, the
//! runtimes as harnesses, and one runner per kind (async or blocking) that
//! takes a script through every call style.

use backon::prelude::*;
use backon::runtime::{
    AsyncStdRuntime, BlockingSleeper, Clock, Entropy, Sleeper, SmolRuntime, TokioRuntime,
};
use backon::{AsPolicy, Condition, Event, GuardFor, Listener, Report, StopReason};
use std::future::Future;
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fail {
    Busy,
    Fatal,
}

/// An operation's script: it fails `failures` times with `error`, then
/// succeeds with the number of calls made.
pub(crate) struct Script {
    failures: u32,
    error: Fail,
    calls: AtomicU32,
}

impl Script {
    pub(crate) fn new(failures: u32, error: Fail) -> Self {
        Script {
            failures,
            error,
            calls: AtomicU32::new(0),
        }
    }

    pub(crate) fn step(&self) -> Result<u32, Fail> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        if n <= self.failures {
            Err(self.error)
        } else {
            Ok(n)
        }
    }
}

/// Records the delays the engine schedules.
#[derive(Debug, Clone, Default)]
pub(crate) struct Delays(Arc<Mutex<Vec<Duration>>>);

impl Delays {
    pub(crate) fn take(&self) -> Vec<Duration> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

impl<E> Listener<E> for Delays {
    fn on_event(&self, event: &Event<'_, E>) {
        if let Event::RetryScheduled { delay, .. } = *event {
            self.0.lock().unwrap().push(delay);
        }
    }
}

/// What one style's call came to.
#[derive(Debug)]
pub(crate) struct Outcome {
    pub(crate) style: &'static str,
    pub(crate) result: Result<u32, Fail>,
    pub(crate) attempts: u32,
    pub(crate) gave_up: Option<StopReason>,
    pub(crate) delays: Vec<Duration>,
    pub(crate) elapsed: Duration,
}

impl Outcome {
    pub(crate) fn new<I>(
        style: &'static str,
        report: Report<u32, I>,
        lift: impl FnOnce(I) -> Fail,
    ) -> Self {
        Outcome {
            style,
            result: report.result.map_err(lift),
            attempts: report.attempts,
            gave_up: report.gave_up,
            delays: Vec::new(),
            elapsed: Duration::ZERO,
        }
    }

    pub(crate) fn timed<R: Clock>(
        mut self,
        delays: &Delays,
        runtime: &R,
        start: R::Instant,
    ) -> Self {
        self.delays = delays.take();
        self.elapsed = runtime.elapsed(start);
        self
    }
}

/// An async runtime the scenarios run on.
pub(crate) trait Harness {
    type Runtime: Sleeper + Clock + Entropy + Clone;
    /// Whether its clock is virtual, so that elapsed time is exact.
    const VIRTUAL: bool;

    fn runtime() -> Self::Runtime;
    fn block_on<F: Future>(future: F) -> F::Output;
}

pub(crate) struct Tokio;
pub(crate) struct AsyncStd;
pub(crate) struct Smol;

impl Harness for Tokio {
    type Runtime = TokioRuntime;
    const VIRTUAL: bool = true;

    fn runtime() -> TokioRuntime {
        TokioRuntime
    }

    fn block_on<F: Future>(future: F) -> F::Output {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .unwrap();
        runtime.block_on(future)
    }
}

impl Harness for AsyncStd {
    type Runtime = AsyncStdRuntime;
    const VIRTUAL: bool = false;

    fn runtime() -> AsyncStdRuntime {
        AsyncStdRuntime
    }

    fn block_on<F: Future>(future: F) -> F::Output {
        async_std::task::block_on(future)
    }
}

impl Harness for Smol {
    type Runtime = SmolRuntime;
    const VIRTUAL: bool = false;

    fn runtime() -> SmolRuntime {
        SmolRuntime
    }

    fn block_on<F: Future>(future: F) -> F::Output {
        smol::block_on(future)
    }
}

/// Runs the script through every async style, each with a fresh script.
pub(crate) async fn every_style<P, R>(
    policy: &P,
    delays: &Delays,
    runtime: R,
    script: (u32, Fail),
) -> Vec<Outcome>
where
    P: AsPolicy,
    P::Condition: Condition<u32, Fail>,
    P::Listener: Listener<Fail>,
    P::Guard: GuardFor<u32, Fail> + GuardFor<(), Fail>,
    R: Sleeper + Clock + Entropy + Clone,
{
    let mut outcomes = Vec::new();
    let fresh = || Script::new(script.0, script.1);

    let op = fresh();
    let start = runtime.now();
    let report = (|| async { op.step() })
        .retry(policy)
        .runtime(runtime.clone())
        .with_report()
        .await;
    outcomes.push(Outcome::new("extension", report, |e| e).timed(delays, &runtime, start));

    let op = fresh();
    let start = runtime.now();
    let mut attempts = backon::attempts(policy).runtime(runtime.clone());
    let result = loop {
        let attempt = match attempts.try_next().await {
            Ok(attempt) => attempt,
            Err(refused) => break Err(refused),
        };
        if let ControlFlow::Break(result) = attempt.report(op.step()) {
            break result;
        }
    };
    let report = (result, attempts.made(), attempts.gave_up());
    outcomes.push(Outcome::from_loop("attempt loop", report).timed(delays, &runtime, start));

    let op = fresh();
    let start = runtime.now();
    let wrapped = backon::wrap(async |factor: &u32| op.step().map(|n| n * factor), policy)
        .runtime(runtime.clone());
    let report = wrapped.call_with_report(1).await;
    outcomes.push(Outcome::new("wrapped", report, |e| e).timed(delays, &runtime, start));

    let op = &fresh();
    let start = runtime.now();
    let report = backon::retry_with_input(
        String::from("body"),
        |body| async move { op.step().map_err(|e| (e, body)) },
        policy,
    )
    .runtime(runtime.clone())
    .with_report()
    .await;
    let lift = |(e, body): (Fail, String)| {
        assert_eq!(body, "body", "the input comes back");
        e
    };
    outcomes.push(Outcome::new("with input", report, lift).timed(delays, &runtime, start));

    outcomes
}

/// Runs the script through every blocking style, each with a fresh script.
pub(crate) fn every_blocking_style<P, R>(
    policy: &P,
    delays: &Delays,
    runtime: R,
    script: (u32, Fail),
) -> Vec<Outcome>
where
    P: AsPolicy,
    P::Condition: Condition<u32, Fail>,
    P::Listener: Listener<Fail>,
    P::Guard: GuardFor<u32, Fail> + GuardFor<(), Fail>,
    R: BlockingSleeper + Clock + Entropy + Clone,
{
    let mut outcomes = Vec::new();
    let fresh = || Script::new(script.0, script.1);

    let op = fresh();
    let start = runtime.now();
    let report = (|| op.step())
        .retry(policy)
        .runtime(runtime.clone())
        .call_with_report();
    outcomes.push(Outcome::new("extension", report, |e| e).timed(delays, &runtime, start));

    let op = fresh();
    let start = runtime.now();
    let mut attempts = backon::attempts_blocking(policy).runtime(runtime.clone());
    let result = loop {
        let attempt = match attempts.try_next() {
            Ok(attempt) => attempt,
            Err(refused) => break Err(refused),
        };
        if let ControlFlow::Break(result) = attempt.report(op.step()) {
            break result;
        }
    };
    let report = (result, attempts.made(), attempts.gave_up());
    outcomes.push(Outcome::from_loop("attempt loop", report).timed(delays, &runtime, start));

    let op = fresh();
    let start = runtime.now();
    let wrapped = backon::wrap_blocking(|factor: &u32| op.step().map(|n| n * factor), policy)
        .runtime(runtime.clone());
    let report = wrapped.call_with_report(1);
    outcomes.push(Outcome::new("wrapped", report, |e| e).timed(delays, &runtime, start));

    let op = fresh();
    let start = runtime.now();
    let report = backon::retry_with_input_blocking(
        String::from("body"),
        |body| op.step().map_err(|e| (e, body)),
        policy,
    )
    .runtime(runtime.clone())
    .call_with_report();
    let lift = |(e, body): (Fail, String)| {
        assert_eq!(body, "body", "the input comes back");
        e
    };
    outcomes.push(Outcome::new("with input", report, lift).timed(delays, &runtime, start));

    outcomes
}

impl Outcome {
    pub(crate) fn from_loop(
        style: &'static str,
        report: (Result<u32, Fail>, u32, Option<StopReason>),
    ) -> Self {
        let (result, attempts, gave_up) = report;
        Outcome {
            style,
            result,
            attempts,
            gave_up,
            delays: Vec::new(),
            elapsed: Duration::ZERO,
        }
    }
}

pub(crate) fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}
