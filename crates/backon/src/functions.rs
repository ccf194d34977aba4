//! The free functions: every call style, the operation first and the
//! policy last.

use backon_core::{
    AsPolicy, BlockingAttempts, BlockingRetry, BlockingRetryWithInput, BlockingWrapped, StdRuntime,
};
#[cfg(feature = "async")]
use {
    crate::default_runtime::{retry_on_default, with_input_on_default},
    crate::{DefaultRuntime, DefaultSleep},
    backon_core::{Attempts, Retry, RetryWithInput, Wrapped},
    core::future::Future,
};

/// Retries an async operation: the free-function form of
/// [`op.retry(&policy)`](crate::Retryable::retry), with the same future.
///
/// The future resolves to the operation's own `Result<T, E>`. It runs on
/// [`DefaultRuntime`]; `.runtime(r)` picks another.
///
/// # Examples
///
/// ```
/// use backon::prelude::*;
/// use std::cell::Cell;
/// use std::time::Duration;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// async fn fetch(calls: &Cell<u32>) -> Result<u32, &'static str> {
///     calls.set(calls.get() + 1);
///     if calls.get() < 2 { Err("not yet") } else { Ok(calls.get()) }
/// }
///
/// let policy = Policy::new(Duration::from_millis(1), after_attempts(3)?);
/// let calls = Cell::new(0);
/// let value = backon::retry(|| async { Ok::<_, &str>(7) }, &policy).await?;
/// assert_eq!(value, 7);
///
/// // `with_report` tells how many attempts a call took.
/// let report = backon::retry(|| fetch(&calls), &policy).with_report().await;
/// assert_eq!((report.result, report.attempts), (Ok(2), 2));
/// # Ok(())
/// # }
/// ```
#[cfg(feature = "async")]
pub fn retry<P, F, Fut, T, E>(op: F, policy: P) -> Retry<P, DefaultRuntime, F, Fut, E, DefaultSleep>
where
    P: AsPolicy,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    retry_on_default(op, policy)
}

/// Retries a blocking operation: the free-function form of
/// [`op.retry(&policy)`](crate::BlockingRetryable::retry); `call()` runs it.
///
/// It sleeps with [`std::thread::sleep`]; `.runtime(r)` picks another
/// runtime.
///
/// # Examples
///
/// ```
/// use backon::prelude::*;
/// use std::time::Duration;
///
/// let policy = Policy::new(Duration::from_millis(1), after_attempts(3)?);
/// let text = backon::retry_blocking(|| std::fs::read_to_string("Cargo.toml"), &policy).call()?;
/// assert!(text.contains("backon"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn retry_blocking<P, F, T, E>(op: F, policy: P) -> BlockingRetry<P, StdRuntime, F>
where
    P: AsPolicy,
    F: FnMut() -> Result<T, E>,
{
    BlockingRetry::new(op, policy, StdRuntime)
}

/// Starts an async attempt loop: the caller writes the loop body, the
/// policy decides when it runs again.
///
/// Each `next().await` sleeps as the policy says and hands out an
/// [`Attempt`](crate::Attempt); the body gives the attempt's outcome to
/// [`report`](crate::Attempt::report), which returns `Break(outcome)` to end
/// the loop with or `Continue(outcome)` to go round. The body may borrow local
/// state mutably and hold it across `.await`, which a closure cannot.
///
/// An attempt dropped without a report ends the call: calling `next()`
/// after that panics, so a forgotten report shows at once. The loop runs on
/// [`DefaultRuntime`]; `.runtime(r)` picks another.
///
/// # Examples
///
/// ```
/// use backon::prelude::*;
/// use backon::testing::VirtualTime;
/// use std::ops::ControlFlow;
/// use std::time::Duration;
///
/// struct Conn { sent: Vec<String> }
///
/// impl Conn {
///     async fn send(&mut self, line: &str) -> Result<usize, &'static str> {
///         self.sent.push(line.to_string());
///         if self.sent.len() < 3 { Err("busy") } else { Ok(line.len()) }
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let policy = Policy::new(Duration::from_secs(1), after_attempts(5)?);
/// let time = VirtualTime::new();
/// let mut conn = Conn { sent: Vec::new() };
///
/// let mut attempts = backon::attempts(&policy).runtime(time.clone());
/// let sent = loop {
///     let attempt = attempts.next().await;
///     if let ControlFlow::Break(outcome) = attempt.report(conn.send("hello").await) {
///         break outcome;
///     }
/// }?;
///
/// assert_eq!(sent, 5);
/// assert_eq!(conn.sent.len(), 3);
/// assert_eq!(time.sleeps(), [Duration::from_secs(1); 2]);
/// # Ok(())
/// # }
/// ```
#[cfg(feature = "async")]
pub fn attempts<P: AsPolicy, E>(policy: P) -> Attempts<P, DefaultRuntime, E> {
    Attempts::new(policy, DefaultRuntime::default())
}

/// Starts a blocking attempt loop: the caller writes the loop body, the
/// policy decides when it runs again.
///
/// Each [`next`](crate::BlockingAttempts::next) sleeps as the policy says
/// and hands out an [`Attempt`](crate::Attempt); the body gives the
/// attempt's outcome to [`report`](crate::Attempt::report), which returns
/// `Break(outcome)` to end the loop with or `Continue(outcome)` to go round. The
/// body may borrow local state mutably, which a closure makes painful.
///
/// An attempt dropped without a report ends the call: calling `next()`
/// after that panics. It sleeps with [`std::thread::sleep`]; `.runtime(r)`
/// picks another runtime.
///
/// # Examples
///
/// ```
/// use backon::prelude::*;
/// use std::ops::ControlFlow;
/// use std::time::Duration;
///
/// let policy = Policy::new(Duration::from_millis(1), after_attempts(3)?);
/// let mut lines = vec!["", "", "ready"].into_iter();
/// let mut seen = Vec::new();
///
/// let mut attempts = backon::attempts_blocking(&policy);
/// let line = loop {
///     let attempt = attempts.next();
///     let line = lines.next().unwrap_or_default();
///     seen.push(attempt.number());
///     let outcome = if line.is_empty() { Err("empty") } else { Ok(line) };
///     if let ControlFlow::Break(outcome) = attempt.report(outcome) {
///         break outcome;
///     }
/// }?;
///
/// assert_eq!(line, "ready");
/// assert_eq!(seen, [1, 2, 3]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn attempts_blocking<P: AsPolicy, E>(policy: P) -> BlockingAttempts<P, StdRuntime, E> {
    BlockingAttempts::new(policy, StdRuntime)
}

/// Bundles an async function with a policy into a value called like the
/// function, that retries each call.
///
/// The function takes its argument by reference,
/// `AsyncFn(&A) -> Result<T, E>`, so every attempt sees the same argument
/// and nothing is cloned; several arguments travel as a tuple:
/// `wrapped.call((a, b)).await`. The value is `Clone`, `Send` and `Sync`
/// when its parts are. It runs on [`DefaultRuntime`]; `.runtime(r)` picks
/// another.
///
/// # Examples
///
/// ```
/// use backon::prelude::*;
/// use std::sync::Arc;
/// use std::time::Duration;
///
/// async fn get(host: &str, port: u16) -> Result<String, std::io::Error> {
///     Ok(format!("{host}:{port}"))
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let policy = Policy::new(Duration::from_millis(10), after_attempts(3)?);
/// let get = Arc::new(backon::wrap(
///     async |(host, port): &(String, u16)| get(host, *port).await,
///     policy,
/// ));
///
/// // Shared by tasks: each call is retried on its own.
/// let task = tokio::spawn({
///     let get = get.clone();
///     async move { get.call(("127.0.0.1".to_string(), 80)).await }
/// });
/// assert_eq!(task.await??, "127.0.0.1:80");
/// assert_eq!(get.call(("localhost".to_string(), 8080)).await?, "localhost:8080");
/// # Ok(())
/// # }
/// ```
#[cfg(feature = "async")]
pub fn wrap<P: AsPolicy, F>(f: F, policy: P) -> Wrapped<P, DefaultRuntime, F> {
    Wrapped::new(f, policy, DefaultRuntime::default())
}

/// Bundles a blocking function with a policy into a value called like the
/// function, that retries each call.
///
/// The function takes its argument by reference, `Fn(&A) -> Result<T, E>`,
/// so every attempt sees the same argument and nothing is cloned; several
/// arguments travel as a tuple: `wrapped.call((a, b))`. The value is
/// `Clone`, `Send` and `Sync` when its parts are.
///
/// # Examples
///
/// ```
/// use backon::prelude::*;
/// use std::time::Duration;
///
/// let policy = Policy::new(Duration::from_millis(1), after_attempts(3)?);
/// let read = backon::wrap_blocking(|path: &&str| std::fs::read_to_string(path), policy);
///
/// let thread = std::thread::spawn({
///     let read = read.clone();
///     move || read.call("Cargo.toml").map(|text| text.len())
/// });
/// assert!(thread.join().unwrap()? > 0);
/// assert!(read.call("no such file").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn wrap_blocking<P: AsPolicy, F>(f: F, policy: P) -> BlockingWrapped<P, StdRuntime, F> {
    BlockingWrapped::new(f, policy, StdRuntime)
}

/// Retries an async operation that consumes its input, such as a request
/// body, with the input each failed attempt gives back.
///
/// The operation takes the input by value and resolves to `Ok(value)` or
/// `Err((error, input))`. The future resolves to that same
/// `Result<T, (E, I)>`: the last error comes back with the input, so that
/// nothing is lost when the policy gives up; `.map_err(|(e, _)| e)?` keeps
/// the error alone. The policy's retry condition and listeners see
/// `Result<T, E>`, and an `Ok` value always ends the call, since its input
/// is spent. It runs on [`DefaultRuntime`]; `.runtime(r)` picks another.
///
/// # Examples
///
/// ```
/// use backon::prelude::*;
/// use std::time::Duration;
///
/// /// A send that consumes its body and hands it back when it fails.
/// async fn send(body: Vec<u8>, up: bool) -> Result<usize, (std::io::Error, Vec<u8>)> {
///     if up { Ok(body.len()) } else { Err((std::io::ErrorKind::ConnectionRefused.into(), body)) }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let policy = Policy::new(Duration::from_millis(1), after_attempts(3)?);
///
/// let mut up = [false, true].into_iter();
/// let sent = backon::retry_with_input(
///     b"payload".to_vec(),
///     |body| send(body, up.next().unwrap_or(true)),
///     &policy,
/// )
/// .await
/// .map_err(|(error, _body)| error)?;
/// assert_eq!(sent, 7);
///
/// // When the policy gives up, the body comes back with the error.
/// let failed = backon::retry_with_input(b"payload".to_vec(), |b| send(b, false), &policy).await;
/// let (_error, body) = failed.unwrap_err();
/// assert_eq!(body, b"payload");
/// # Ok(())
/// # }
/// ```
#[cfg(feature = "async")]
pub fn retry_with_input<P, I, F, Fut, T, E>(
    input: I,
    op: F,
    policy: P,
) -> RetryWithInput<P, DefaultRuntime, F, Fut, I, E, DefaultSleep>
where
    P: AsPolicy,
    F: FnMut(I) -> Fut,
    Fut: Future<Output = Result<T, (E, I)>>,
{
    with_input_on_default(input, op, policy)
}

/// Retries a blocking operation that consumes its input, with the input
/// each failed attempt gives back; `call()` runs it.
///
/// The operation takes the input by value and returns `Ok(value)` or
/// `Err((error, input))`; `call()` returns that same `Result<T, (E, I)>`,
/// the last error with the input. The policy's retry condition and
/// listeners see `Result<T, E>`, and an `Ok` value always ends the call.
///
/// # Examples
///
/// ```
/// use backon::prelude::*;
/// use std::sync::mpsc;
/// use std::time::Duration;
///
/// let policy = Policy::new(Duration::from_millis(1), after_attempts(3)?);
/// let (tx, rx) = mpsc::sync_channel::<String>(1);
/// tx.send("first".into())?; // The channel is full until a receive.
///
/// let message = "second".to_string();
/// let report = backon::retry_with_input_blocking(
///     message,
///     |m| tx.try_send(m).map_err(|e| match e {
///         mpsc::TrySendError::Full(m) => { let _ = rx.try_recv(); ("full", m) }
///         mpsc::TrySendError::Disconnected(m) => ("gone", m),
///     }),
///     &policy,
/// )
/// .call_with_report();
///
/// assert_eq!(report.result, Ok(()));
/// assert_eq!(report.attempts, 2);
/// assert_eq!(rx.recv()?, "second");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn retry_with_input_blocking<P, I, F, T, E>(
    input: I,
    op: F,
    policy: P,
) -> BlockingRetryWithInput<P, StdRuntime, F, I>
where
    P: AsPolicy,
    F: FnMut(I) -> Result<T, (E, I)>,
{
    BlockingRetryWithInput::new(input, op, policy, StdRuntime)
}
