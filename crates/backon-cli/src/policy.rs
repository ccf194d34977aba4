//! The retry policy, built from the command line with the library's wait
//! strategies and stop conditions.

use crate::args::{Backoff, JitterKind, Settings};
use backon_core::{Policy, Stop, Wait};
use backon_stop::{AfterAttempts, Never, StopError, TimeLimit};
use backon_wait::{Constant, Exponential, Fibonacci, Jitter, Linear, WaitError, WaitExt};
use std::fmt;

/// Something that takes the policy, whatever its wait and stop types.
///
/// Each backoff and each set of limits is a type of its own, so the
/// policy's type is only known inside [`build`]; it hands the policy over
/// through this trait.
pub(crate) trait UsePolicy {
    /// What the user returns.
    type Output;

    /// Uses the policy.
    fn use_policy<W: Wait, S: Stop>(self, policy: Policy<W, S>) -> Self::Output;
}

/// A policy the library refused to build; the settings were checked
/// before, so this means the checks and the library disagree.
#[derive(Debug)]
pub(crate) enum PolicyError {
    Wait(WaitError),
    Stop(StopError),
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyError::Wait(err) => write!(f, "bad backoff: {err}"),
            PolicyError::Stop(err) => write!(f, "bad limit: {err}"),
        }
    }
}

/// Builds the policy the settings describe and hands it to `user`.
///
/// # Errors
///
/// Returns the library's error when it refuses a setting.
pub(crate) fn build<U: UsePolicy>(settings: &Settings, user: U) -> Result<U::Output, PolicyError> {
    // The library's time limit gives up once a run ends past --timeout. Its
    // last, shortened sleep never happens here: a retry that could only
    // start at the limit is refused by the `Deadline` listener instead.
    let attempts = settings.attempts.map(AfterAttempts::new).transpose();
    let time = settings.timeout.map(TimeLimit::new).transpose();

    match (
        attempts.map_err(PolicyError::Stop)?,
        time.map_err(PolicyError::Stop)?,
    ) {
        (Some(attempts), Some(time)) => with_wait(settings, attempts | time, user),
        (Some(attempts), None) => with_wait(settings, attempts, user),
        (None, Some(time)) => with_wait(settings, time, user),
        (None, None) => with_wait(settings, Never, user),
    }
}

fn with_wait<S: Stop, U: UsePolicy>(
    settings: &Settings,
    stop: S,
    user: U,
) -> Result<U::Output, PolicyError> {
    let (delay, cap) = (settings.delay, settings.max_delay);
    let jitter = match settings.jitter {
        JitterKind::None => Jitter::None,
        JitterKind::Full => Jitter::Full,
        JitterKind::Equal => Jitter::Equal,
    };

    Ok(match settings.backoff {
        Backoff::Constant => {
            let wait = Constant::new(delay).max(cap).jitter(jitter);
            user.use_policy(Policy::new(wait, stop))
        }
        Backoff::Linear => {
            let wait = Linear::new(delay, delay).max(cap).jitter(jitter);
            user.use_policy(Policy::new(wait, stop))
        }
        Backoff::Fibonacci => {
            let wait = Fibonacci::new(delay).max(cap).jitter(jitter);
            user.use_policy(Policy::new(wait, stop))
        }
        Backoff::Exponential => {
            let base = Exponential::with_factor(delay, settings.factor);
            let wait = base.map_err(PolicyError::Wait)?.max(cap).jitter(jitter);
            user.use_policy(Policy::new(wait, stop))
        }
    })
}
