//! `#[retry]` on blocking functions, on virtual time.

use backon::prelude::*;
use backon::retry;
use backon::testing::VirtualTime;
use backon::wait::Fibonacci;
use std::cell::Cell;
use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::Duration;

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// Fails with `"busy"` until the `n`th call, then returns the call count.
fn busy_until(calls: &Cell<u32>, n: u32) -> Result<u32, &'static str> {
    calls.set(calls.get() + 1);
    if calls.get() < n {
        Err("busy")
    } else {
        Ok(calls.get())
    }
}

#[retry(attempts = 3, delay = "1s", backoff = constant, jitter = none, runtime = time.clone())]
fn constant(calls: &Cell<u32>, ok_at: u32, time: &VirtualTime) -> Result<u32, &'static str> {
    busy_until(calls, ok_at)
}

#[test]
fn retries_until_ok() {
    let (time, calls) = (VirtualTime::new(), Cell::new(0));

    assert_eq!(constant(&calls, 3, &time), Ok(3));
    assert_eq!(time.sleeps(), [secs(1); 2]);
}

#[test]
fn gives_up_with_the_last_error() {
    let (time, calls) = (VirtualTime::new(), Cell::new(0));

    assert_eq!(constant(&calls, 10, &time), Err("busy"));
    assert_eq!(calls.get(), 3);
}

#[test]
fn succeeds_at_once_without_sleeping() {
    let (time, calls) = (VirtualTime::new(), Cell::new(0));

    assert_eq!(constant(&calls, 1, &time), Ok(1));
    assert!(time.sleeps().is_empty());
}

#[retry(runtime = time.clone())]
fn with_defaults(calls: &Cell<u32>, time: &VirtualTime) -> Result<u32, &'static str> {
    busy_until(calls, u32::MAX)
}

#[test]
fn no_argument_means_the_default_policy() {
    let (time, calls) = (VirtualTime::with_seed(7), Cell::new(0));
    assert_eq!(with_defaults(&calls, &time), Err("busy"));

    let expected = VirtualTime::with_seed(7);
    let report = (|| Err::<u32, _>("busy"))
        .retry(backon::default_policy())
        .runtime(expected.clone())
        .call_with_report();

    assert_eq!(calls.get(), report.attempts);
    assert_eq!(time.sleeps(), expected.sleeps());
}

#[retry(
    attempts = 6,
    delay = "50ms",
    max_delay = "200ms",
    backoff = fibonacci,
    jitter = equal,
    runtime = time.clone()
)]
fn fibonacci(time: &VirtualTime) -> Result<(), &'static str> {
    Err("busy")
}

#[test]
fn inline_arguments_build_the_library_policy() {
    let time = VirtualTime::with_seed(3);
    assert_eq!(fibonacci(&time), Err("busy"));

    let wait = Fibonacci::new(Duration::from_millis(50))
        .max(Duration::from_millis(200))
        .jitter(Jitter::Equal);
    let policy = Policy::new(wait, after_attempts(6).unwrap());
    let expected = VirtualTime::with_seed(3);
    let _ = (|| Err::<(), _>("busy"))
        .retry(&policy)
        .runtime(expected.clone())
        .call();

    assert_eq!(time.sleeps(), expected.sleeps());
    assert_eq!(time.sleeps().len(), 5);
}

#[retry(attempts = 4, delay = "1s", factor = 3, jitter = none, runtime = time.clone())]
fn tripling(time: &VirtualTime) -> Result<(), ()> {
    Err(())
}

#[retry(
    attempts = 5,
    delay = "1s",
    max_delay = "3s",
    backoff = linear,
    jitter = none,
    runtime = time.clone()
)]
fn linear(time: &VirtualTime) -> Result<(), ()> {
    Err(())
}

#[test]
fn backoffs_grow_as_documented() {
    let time = VirtualTime::new();
    assert_eq!(tripling(&time), Err(()));
    assert_eq!(time.sleeps(), [1, 3, 9].map(secs));

    let time = VirtualTime::new();
    assert_eq!(linear(&time), Err(()));
    assert_eq!(time.sleeps(), [1, 2, 3, 3].map(secs));
}

#[retry(
    attempts = 100,
    delay = "2s",
    backoff = constant,
    jitter = none,
    time_limit = "5s",
    runtime = time.clone()
)]
fn limited(calls: &Cell<u32>, time: &VirtualTime) -> Result<u32, &'static str> {
    busy_until(calls, u32::MAX)
}

#[test]
fn time_limit_stops_before_the_attempts_do() {
    let (time, calls) = (VirtualTime::new(), Cell::new(0));

    assert_eq!(limited(&calls, &time), Err("busy"));
    assert!(calls.get() < 100);
    assert_eq!(time.now(), secs(5));
}

#[derive(Debug, PartialEq)]
enum ApiError {
    Busy,
    Denied,
}

fn is_transient(error: &ApiError) -> bool {
    *error == ApiError::Busy
}

#[retry(attempts = 5, delay = "1ms", when = is_transient, runtime = time.clone())]
fn call_api(replies: &Cell<[Option<ApiError>; 3]>, time: &VirtualTime) -> Result<(), ApiError> {
    let mut all = replies.take();
    let next = all.iter_mut().find_map(Option::take);
    replies.set(all);
    next.map_or(Ok(()), Err)
}

#[test]
fn when_picks_the_errors_to_retry() {
    let time = VirtualTime::new();
    let replies = Cell::new([Some(ApiError::Busy), Some(ApiError::Denied), None]);

    assert_eq!(call_api(&replies, &time), Err(ApiError::Denied));
    assert_eq!(time.sleeps().len(), 1);
}

#[retry(attempts = 3, delay = "1ms", when = |e| *e == "busy", runtime = time.clone())]
fn closure_condition(calls: &Cell<u32>, time: &VirtualTime) -> Result<u32, &'static str> {
    calls.set(calls.get() + 1);
    Err("gone")
}

#[test]
fn when_takes_a_closure_too() {
    let (time, calls) = (VirtualTime::new(), Cell::new(0));

    assert_eq!(closure_condition(&calls, &time), Err("gone"));
    assert_eq!(calls.get(), 1);
}

#[retry(attempts = 3, delay = "1ms", runtime = time.clone())]
fn early_return(calls: &Cell<u32>, time: &VirtualTime) -> Result<u32, String> {
    calls.set(calls.get() + 1);
    if calls.get() == 1 {
        return Err("first".to_owned());
    }
    let n: u32 = "7".parse().map_err(|_| "not a number".to_owned())?;
    Ok(n + calls.get())
}

#[test]
fn return_and_question_mark_end_one_attempt() {
    let (time, calls) = (VirtualTime::new(), Cell::new(0));

    assert_eq!(early_return(&calls, &time), Ok(9));
}

#[retry(attempts = 3, delay = "1ms", runtime = time.clone())]
fn parse_when_ready<T: FromStr>(
    texts: &Cell<[&'static str; 2]>,
    time: &VirtualTime,
) -> Result<T, T::Err> {
    let [first, second] = texts.get();
    texts.set([second, second]);
    first.parse()
}

#[test]
fn generic_functions() {
    let time = VirtualTime::new();

    let texts = Cell::new(["x", "42"]);
    assert_eq!(parse_when_ready::<u8>(&texts, &time), Ok(42));

    let texts = Cell::new(["x", "y"]);
    assert!(parse_when_ready::<f64>(&texts, &time).is_err());
}

#[retry(attempts = 2, delay = "1ms", runtime = time.clone())]
fn by_value(
    name: String,
    parts: (u8, u8),
    label: impl AsRef<str>,
    time: &VirtualTime,
) -> Result<String, ()> {
    // Each attempt borrows the arguments; it does not consume them.
    Ok(format!("{name}{}{}{}", parts.0, parts.1, label.as_ref()))
}

#[test]
fn by_value_arguments_are_borrowed_by_each_attempt() {
    let time = VirtualTime::new();

    assert_eq!(by_value("a".into(), (1, 2), "b", &time), Ok("a12b".into()));
}

static SHARED: LazyLock<Policy<Duration, backon::stop::AfterAttempts>> =
    LazyLock::new(|| Policy::new(secs(1), after_attempts(2).unwrap()));

fn two_attempts() -> Policy<Duration, backon::stop::AfterAttempts> {
    Policy::new(secs(2), after_attempts(2).unwrap())
}

struct Client {
    policy: Arc<Policy<Duration, backon::stop::AfterAttempts>>,
    time: VirtualTime,
    calls: AtomicU32,
}

impl Client {
    #[retry(policy = SHARED, runtime = self.time.clone())]
    fn from_static(&self) -> Result<(), ()> {
        self.fail()
    }

    #[retry(policy = two_attempts, runtime = self.time.clone())]
    fn from_fn(&self) -> Result<(), ()> {
        self.fail()
    }

    #[retry(policy = two_attempts(), runtime = self.time.clone())]
    fn from_call(&self) -> Result<(), ()> {
        self.fail()
    }

    #[retry(policy = &self.policy, runtime = self.time.clone())]
    fn from_field(&self) -> Result<(), ()> {
        self.fail()
    }

    #[retry(policy = self.policy.clone(), runtime = self.time.clone())]
    fn from_arc(self: &Arc<Self>) -> Result<(), ()> {
        self.fail()
    }

    fn fail(&self) -> Result<(), ()> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        Err(())
    }
}

#[test]
fn policy_takes_a_static_a_fn_a_call_or_a_field() {
    let client = Arc::new(Client {
        policy: Arc::new(Policy::new(secs(3), after_attempts(2).unwrap())),
        time: VirtualTime::new(),
        calls: AtomicU32::new(0),
    });

    assert_eq!(client.from_static(), Err(()));
    assert_eq!(client.from_fn(), Err(()));
    assert_eq!(client.from_call(), Err(()));
    assert_eq!(client.from_field(), Err(()));
    assert_eq!(client.from_arc(), Err(()));

    assert_eq!(client.calls.load(Ordering::Relaxed), 10);
    assert_eq!(client.time.sleeps(), [1, 2, 2, 3, 3].map(secs));
}

struct Names {
    names: Vec<String>,
}

impl Names {
    #[retry(attempts = 2, delay = "1ms")]
    fn first(&self) -> Result<&str, &'static str> {
        self.names.first().map(String::as_str).ok_or("empty")
    }

    #[retry(attempts = 2, delay = "1ms")]
    fn parse(text: &str) -> Result<Self, std::num::ParseIntError> {
        let count: usize = text.parse()?;
        Ok(Names {
            names: vec![String::new(); count],
        })
    }
}

#[test]
fn borrowed_results_and_constructors() {
    let names = Names::parse("2").unwrap();
    assert_eq!(names.names.len(), 2);
    assert_eq!(names.first(), Ok(""));
}
