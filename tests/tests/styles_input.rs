//! Retrying an operation that consumes its input: the input comes back from
//! each failed attempt, and with the final error.

use backon::condition::{when_err, when_ok};
use backon::prelude::*;
use backon::testing::VirtualTime;
use backon::{Event, StopReason};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SendError {
    Busy,
    Rejected,
}

/// A body that records where its bytes live, to show it is moved, never
/// copied.
struct Body(Vec<u8>);

#[test]
fn the_same_input_travels_through_every_attempt() {
    let time = VirtualTime::new();
    let policy = Policy::new(Duration::from_secs(1), after_attempts(3).unwrap());
    let body = Body(b"payload".to_vec());
    let address = body.0.as_ptr();
    let mut seen = Vec::new();

    let report = backon::retry_with_input_blocking(
        body,
        |body: Body| {
            seen.push(body.0.as_ptr());
            Err::<(), _>((SendError::Busy, body))
        },
        &policy,
    )
    .runtime(time.clone())
    .call_with_report();

    let (error, body) = report.result.unwrap_err();
    assert_eq!(error, SendError::Busy);
    assert_eq!(body.0, b"payload");
    assert_eq!(body.0.as_ptr(), address);
    assert_eq!(seen, [address; 3]);
    assert_eq!(report.gave_up, Some(StopReason::Attempts));
    assert_eq!(time.sleeps(), [Duration::from_secs(1); 2]);
}

#[tokio::test(start_paused = true)]
async fn the_condition_and_listeners_see_the_plain_error() {
    let errors = Arc::new(Mutex::new(Vec::new()));
    let sink = errors.clone();
    let policy = Policy::new(Duration::from_secs(1), after_attempts(5).unwrap())
        .retry_when(when_err(|e: &SendError| *e == SendError::Busy))
        .on_error(move |attempt, e: &SendError| sink.lock().unwrap().push((attempt, *e)));
    let mut replies = [SendError::Busy, SendError::Rejected].into_iter();

    let report = backon::retry_with_input(
        String::from("body"),
        |body| {
            let reply = replies.next().unwrap();
            async move { Err::<(), _>((reply, body)) }
        },
        &policy,
    )
    .with_report()
    .await;

    assert_eq!(
        report.result,
        Err((SendError::Rejected, String::from("body")))
    );
    assert_eq!(report.gave_up, Some(StopReason::NotRetryable));
    assert_eq!(
        *errors.lock().unwrap(),
        [(1, SendError::Busy), (2, SendError::Rejected)]
    );
}

#[test]
fn an_ok_value_always_ends_the_call() {
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    // The condition would retry an empty reply, but the body is spent.
    let policy = Policy::new(Duration::ZERO, after_attempts(5).unwrap())
        .retry_when(when_ok(|reply: &&str| reply.is_empty()))
        .listen(move |event: &Event<'_, SendError>| {
            sink.lock().unwrap().push(format!("{event:?}"));
        });

    let report =
        backon::retry_with_input_blocking(vec![1_u8], |_body| Ok::<_, (SendError, _)>(""), &policy)
            .call_with_report();

    assert_eq!(report.result, Ok(""));
    assert_eq!((report.attempts, report.gave_up), (1, None));
    assert_eq!(
        *events.lock().unwrap(),
        ["AttemptStarted { attempt: 1 }", "Succeeded { attempts: 1 }"]
    );
}

#[test]
fn runs_on_virtual_time_in_any_executor() {
    let time = VirtualTime::new();
    let policy = Policy::new(Duration::from_secs(60), after_attempts(4).unwrap());
    let mut failures = 2;

    let sent = async_std::task::block_on(
        backon::retry_with_input(
            vec![0_u8; 3],
            |body| {
                failures -= 1;
                let fail = failures >= 0;
                async move {
                    if fail {
                        Err((SendError::Busy, body))
                    } else {
                        Ok(body.len())
                    }
                }
            },
            &policy,
        )
        .runtime(time.clone()),
    );

    assert_eq!(sent, Ok(3));
    assert_eq!(time.sleeps(), [Duration::from_secs(60); 2]);
}
