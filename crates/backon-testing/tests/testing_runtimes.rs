//! One scenario, three ways to run it: blocking, on tokio's current-thread
//! runtime, and by a bare poll with a no-op waker. The kit gives the same
//! log, delays and virtual time on each.

use backon::prelude::*;
use backon::testing::{Faults, Recorder, Script, VirtualTime, preview};
use backon::{Policy, StopReason};
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[derive(Debug, Clone, PartialEq)]
enum ApiError {
    Injected,
    Busy,
}

/// What a run leaves behind, to compare across runtimes.
#[derive(Debug, PartialEq)]
struct Trace {
    result: Result<u32, ApiError>,
    log: String,
    sleeps: Vec<Duration>,
    now: Duration,
    script_calls: u32,
    injected: u32,
}

struct Kit {
    time: VirtualTime,
    recorder: Recorder,
    script: Script<u32, ApiError>,
    faults: Faults<fn() -> ApiError>,
}

fn kit() -> Kit {
    let time = VirtualTime::with_seed(3);
    let script = Script::new()
        .time(&time)
        .err(ApiError::Busy)
        .taking(ms(300))
        .err(ApiError::Busy)
        .ok(42)
        .taking(ms(50));
    let faults = Faults::fail_with((|| ApiError::Injected) as fn() -> ApiError)
        .fail_first(1)
        .latency(ms(10))
        .time(&time);
    Kit {
        time,
        recorder: Recorder::new(),
        script,
        faults,
    }
}

type TestPolicy = Policy<
    backon::wait::Bounded<Exponential>,
    backon::stop::AfterAttempts,
    backon::AnyError,
    ((), Recorder),
>;

fn policy(recorder: &Recorder) -> TestPolicy {
    let wait = Exponential::new(ms(100)).jitter(Jitter::Full);
    Policy::new(wait, after_attempts(6).unwrap()).listen(recorder.clone())
}

fn trace(kit: &Kit, result: Result<u32, ApiError>) -> Trace {
    Trace {
        result,
        log: kit.recorder.to_string(),
        sleeps: kit.time.sleeps(),
        now: kit.time.now(),
        script_calls: kit.script.calls(),
        injected: kit.faults.injected(),
    }
}

fn blocking() -> Trace {
    let kit = kit();
    let policy = policy(&kit.recorder);
    let op = kit.faults.wrap(|| kit.script.call());
    let result = op.retry(&policy).runtime(kit.time.clone()).call();
    trace(&kit, result)
}

async fn asynchronous() -> Trace {
    let kit = kit();
    let policy = policy(&kit.recorder);
    let op = kit.faults.wrap_async(|| kit.script.call_async());
    let result = op.retry(&policy).runtime(kit.time.clone()).await;
    trace(&kit, result)
}

fn poll_once<F: Future>(fut: F) -> F::Output {
    let mut fut = pin!(fut);
    match fut.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("nothing on virtual time should wait"),
    }
}

#[test]
fn blocking_run() {
    let trace = blocking();

    assert_eq!(trace.result, Ok(42));
    assert_eq!((trace.script_calls, trace.injected), (3, 1));
    assert_eq!(trace.sleeps.len(), 3);
    // Four attempts of 10 ms latency, two of them slow, and the sleeps.
    let slept: Duration = trace.sleeps.iter().sum();
    assert_eq!(trace.now, ms(4 * 10 + 300 + 50) + slept);

    // The delays are those the preview promises for the same seed.
    let recorder = Recorder::new();
    let schedule = preview(&policy(&recorder), 3);
    assert_eq!(trace.sleeps, schedule.delays()[..3]);
    assert_eq!(schedule.stop_reason(), Some(StopReason::Attempts));
}

#[tokio::test(flavor = "current_thread")]
async fn tokio_current_thread_run() {
    assert_eq!(asynchronous().await, blocking());
}

#[test]
fn bare_poll_run() {
    assert_eq!(poll_once(asynchronous()), blocking());
}

#[test]
fn the_log_reads_as_it_happened() {
    let trace = blocking();
    let lines: Vec<&str> = trace.log.lines().collect();
    assert_eq!(lines[0], "call 1");
    assert_eq!(lines[2], "  attempt 1 failed: Injected");
    assert_eq!(lines[5], "  attempt 2 failed: Busy");
    assert_eq!(lines.last(), Some(&"  succeeded on attempt 4"));
}
