//! One call's share of a recorder's log.

use crate::event::RecordedEvent;
use crate::text::attempts as plural;
use backon_core::StopReason;
use core::fmt;
use core::time::Duration;

/// The events of one call, from a [`Recorder`](crate::Recorder)'s
/// [`calls`](crate::Recorder::calls).
///
/// # Examples
///
/// ```
/// use backon::prelude::*;
/// use backon::testing::{Recorder, VirtualTime};
/// use std::time::Duration;
///
/// let recorder = Recorder::new();
/// let policy = Policy::new(Duration::from_secs(1), after_attempts(3)?).listen(recorder.clone());
/// let mut calls = 0;
/// let _ = (|| { calls += 1; if calls < 2 { Err("busy") } else { Ok(calls) } })
///     .retry(&policy)
///     .runtime(VirtualTime::new())
///     .call();
///
/// let call = &recorder.calls()[0];
/// assert!(call.finished() && call.succeeded());
/// assert_eq!(call.attempts(), 2);
/// assert_eq!(call.delays(), [Duration::from_secs(1)]);
/// assert_eq!(call.errors(), [r#""busy""#]);
/// assert_eq!(call.stop_reason(), None);
/// assert_eq!(call.events().len(), 5);
/// # Ok::<(), backon::stop::StopError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RecordedCall {
    events: Vec<RecordedEvent>,
}

impl RecordedCall {
    /// Splits a log into calls, each starting at its first attempt, at the
    /// guard's refusal of it, or at a hedged group's primary that is not
    /// an attempt of a retry.
    pub(crate) fn split(log: &[RecordedEvent]) -> Vec<RecordedCall> {
        let mut calls: Vec<RecordedCall> = Vec::new();
        let mut previous = None;
        for event in log {
            match calls.last_mut() {
                Some(call) if !opens_a_call(previous, event) => call.events.push(event.clone()),
                _ => calls.push(RecordedCall {
                    events: vec![event.clone()],
                }),
            }
            previous = Some(event);
        }
        calls
    }

    /// Returns the call's events, in order.
    pub fn events(&self) -> &[RecordedEvent] {
        &self.events
    }

    /// Returns the attempts the call started.
    pub fn attempts(&self) -> u32 {
        attempts(&self.events)
    }

    /// Returns the delay of each retry the call scheduled, in order.
    pub fn delays(&self) -> Vec<Duration> {
        delays(&self.events)
    }

    /// Returns the `Debug` text of each error that failed an attempt.
    pub fn errors(&self) -> Vec<String> {
        errors(&self.events)
    }

    /// Returns why the call gave up, if it did.
    pub fn stop_reason(&self) -> Option<StopReason> {
        self.events.iter().find_map(|event| match event {
            RecordedEvent::GaveUp { reason, .. } => Some(*reason),
            _ => None,
        })
    }

    /// Returns whether the call succeeded.
    pub fn succeeded(&self) -> bool {
        self.events
            .iter()
            .any(|event| matches!(event, RecordedEvent::Succeeded { .. }))
    }

    /// Returns whether the call ended, by success or by giving up; a call
    /// still running, or dropped midway, has not.
    pub fn finished(&self) -> bool {
        self.succeeded() || self.stop_reason().is_some()
    }
}

/// The call's events, one a line.
impl fmt::Display for RecordedCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for event in &self.events {
            writeln!(f, "{event}")?;
        }
        Ok(())
    }
}

/// Whether `event` is the first of a call: its first attempt starts or is
/// refused, and the call before was not waiting for the guard to let that
/// same first attempt in.
fn opens_a_call(previous: Option<&RecordedEvent>, event: &RecordedEvent) -> bool {
    match event {
        RecordedEvent::AttemptStarted { attempt: 1 }
        | RecordedEvent::Refused { attempt: 1, .. } => {
            let waiting = matches!(
                previous,
                Some(RecordedEvent::Refused {
                    attempt: 1,
                    wait: Some(_),
                    ..
                })
            );
            !waiting
        }
        // A hedged group's primary opens a call of its own, unless the
        // group is an attempt of a retry that this recorder hears too: the
        // attempt's start then comes just before it.
        RecordedEvent::HedgeLaunched { index: 0, .. } => {
            !matches!(previous, Some(RecordedEvent::AttemptStarted { .. }))
        }
        _ => false,
    }
}

pub(crate) fn attempts(log: &[RecordedEvent]) -> u32 {
    let started = log
        .iter()
        .filter(|event| matches!(event, RecordedEvent::AttemptStarted { .. }))
        .count();
    u32::try_from(started).unwrap_or(u32::MAX)
}

pub(crate) fn delays(log: &[RecordedEvent]) -> Vec<Duration> {
    log.iter()
        .filter_map(|event| match event {
            RecordedEvent::RetryScheduled { delay, .. } => Some(*delay),
            _ => None,
        })
        .collect()
}

pub(crate) fn errors(log: &[RecordedEvent]) -> Vec<String> {
    log.iter()
        .filter_map(|event| match event {
            RecordedEvent::AttemptFailed {
                error: Some(error), ..
            } => Some(error.clone()),
            _ => None,
        })
        .collect()
}

/// How a call ended, as the end of a sentence: "it succeeded on attempt 2".
pub(crate) fn ending(call: Option<&RecordedCall>) -> String {
    let Some(call) = call else {
        return "no call was recorded".to_owned();
    };
    let attempts = call.attempts();
    if call.succeeded() {
        format!("it succeeded on attempt {attempts}")
    } else if let Some(reason) = call.stop_reason() {
        format!("it gave up after {}: {reason}", plural(attempts))
    } else {
        format!("it had not ended after {}", plural(attempts))
    }
}
