//! `#[retry]` on `async fn`: on tokio's paused clock and on virtual time.

use backon::prelude::*;
use backon::retry;
use backon::testing::VirtualTime;
use std::cell::Cell;
use std::fmt::Display;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;
use tokio::time::Instant;

async fn busy_until(calls: &AtomicU32, n: u32) -> Result<u32, &'static str> {
    tokio::task::yield_now().await;
    let call = calls.fetch_add(1, Ordering::Relaxed) + 1;
    if call < n { Err("busy") } else { Ok(call) }
}

#[retry(attempts = 3, delay = "1s", backoff = constant, jitter = none)]
async fn on_tokio(calls: &AtomicU32, ok_at: u32) -> Result<u32, &'static str> {
    busy_until(calls, ok_at).await
}

#[tokio::test(start_paused = true)]
async fn sleeps_on_the_default_runtime() {
    let calls = AtomicU32::new(0);
    let start = Instant::now();

    assert_eq!(on_tokio(&calls, 3).await, Ok(3));
    assert_eq!(start.elapsed(), Duration::from_secs(2));
}

#[tokio::test(start_paused = true)]
async fn gives_up_with_the_last_error() {
    let calls = AtomicU32::new(0);

    assert_eq!(on_tokio(&calls, 10).await, Err("busy"));
    assert_eq!(calls.load(Ordering::Relaxed), 3);
}

#[tokio::test(start_paused = true)]
async fn the_future_is_send_when_the_body_is() {
    fn assert_send<T: Send>(value: T) -> T {
        value
    }

    let calls = AtomicU32::new(0);
    let handle = assert_send(on_tokio(&calls, 1));
    assert_eq!(handle.await, Ok(1));
}

#[derive(Debug, PartialEq)]
enum FetchError {
    Busy,
    NotFound,
}

fn is_busy(error: &FetchError) -> bool {
    *error == FetchError::Busy
}

/// A client whose methods retry, with its own policy and clock.
struct Client {
    time: VirtualTime,
    policy: Policy<Duration, backon::stop::AfterAttempts>,
    replies: Mutex<Vec<Result<String, FetchError>>>,
}

impl Client {
    fn new(replies: Vec<Result<String, FetchError>>) -> Self {
        Client {
            time: VirtualTime::new(),
            policy: Policy::new(Duration::from_secs(1), after_attempts(4).unwrap()),
            replies: Mutex::new(replies),
        }
    }

    async fn next_reply(&self) -> Result<String, FetchError> {
        self.replies.lock().unwrap().remove(0)
    }

    #[retry(attempts = 4, delay = "1s", jitter = none, when = is_busy, runtime = self.time.clone())]
    async fn fetch(&self, key: &str) -> Result<String, FetchError> {
        let body = self.next_reply().await?;
        Ok(format!("{key}={body}"))
    }

    #[retry(policy = &self.policy, runtime = self.time.clone())]
    async fn fetch_with_policy(&self) -> Result<String, FetchError> {
        self.next_reply().await
    }

    #[retry(attempts = 2, delay = "1ms", runtime = self.time.clone())]
    async fn show<T: Display + Sync>(
        &self,
        value: T,
        suffix: impl AsRef<str> + Sync,
    ) -> Result<String, ()> {
        Ok(format!("{value}{}", suffix.as_ref()))
    }
}

#[tokio::test]
async fn methods_on_self_retry_on_virtual_time() {
    let client = Client::new(vec![
        Err(FetchError::Busy),
        Err(FetchError::Busy),
        Ok("v".into()),
    ]);

    assert_eq!(client.fetch("k").await, Ok("k=v".into()));
    assert_eq!(client.time.sleeps(), [1, 2].map(Duration::from_secs));
}

#[tokio::test]
async fn when_returns_other_errors_at_once() {
    let client = Client::new(vec![Err(FetchError::NotFound), Ok("v".into())]);

    assert_eq!(client.fetch("k").await, Err(FetchError::NotFound));
    assert!(client.time.sleeps().is_empty());
}

#[tokio::test]
async fn policy_from_a_field() {
    let replies = (0..4).map(|_| Err(FetchError::NotFound)).collect();
    let client = Client::new(replies);

    assert_eq!(client.fetch_with_policy().await, Err(FetchError::NotFound));
    assert_eq!(client.time.sleeps(), [Duration::from_secs(1); 3]);
}

#[tokio::test]
async fn generic_methods() {
    let client = Client::new(Vec::new());

    assert_eq!(client.show(7, "s").await, Ok("7s".into()));
    assert_eq!(client.show('c', String::from("!")).await, Ok("c!".into()));
}

#[retry(attempts = 3, delay = "1ms", runtime = time.clone())]
async fn local_state(calls: &Cell<u32>, time: &VirtualTime) -> Result<u32, u32> {
    // Each attempt starts from scratch: locals do not carry over.
    let mut n = 0;
    n += 1;
    calls.set(calls.get() + n);
    if calls.get() < 3 {
        Err(calls.get())
    } else {
        Ok(calls.get())
    }
}

#[tokio::test]
async fn futures_that_are_not_send_run_on_one_thread() {
    let (time, calls) = (VirtualTime::new(), Cell::new(0));

    assert_eq!(local_state(&calls, &time).await, Ok(3));
    assert_eq!(time.sleeps().len(), 2);
}
