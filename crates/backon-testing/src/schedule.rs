//! The result of a schedule preview, and its table.

use crate::text::Time;
use backon_core::StopReason;
use core::fmt;
use core::time::Duration;

/// What a policy would do if every attempt failed: when each attempt
/// starts, the delay after each, and why it stops; from [`preview`] or
/// [`Preview::run`].
///
/// `Display` prints it as a small table, for snapshot tests and for
/// documentation. Times are virtual, from the start of the first attempt.
///
/// [`preview`]: crate::preview
/// [`Preview::run`]: crate::Preview::run
///
/// # Examples
///
/// ```
/// use backon::prelude::*;
/// use backon::StopReason;
/// use backon::testing::preview;
/// use std::time::Duration;
///
/// let policy = Policy::new(Duration::from_secs(4), time_limit(Duration::from_secs(10))?);
/// let schedule = preview(&policy, 0);
///
/// assert_eq!(schedule.attempts(), 4);
/// assert_eq!(schedule.starts(), [0, 4, 8, 10].map(Duration::from_secs));
/// assert_eq!(schedule.delays(), [4, 4, 2].map(Duration::from_secs));
/// assert_eq!(schedule.total_delay(), Duration::from_secs(10));
/// assert_eq!(schedule.stop_reason(), Some(StopReason::TimeLimit));
/// assert!(!schedule.truncated());
/// assert_eq!(
///     schedule.to_string(),
///     "\
/// attempt  starts at  then
///       1         0s  sleeps 4s
///       2         4s  sleeps 4s
///       3         8s  sleeps 2s
///       4        10s  gives up: time limit reached
/// "
/// );
/// # Ok::<(), backon::stop::StopError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Schedule {
    starts: Vec<Duration>,
    delays: Vec<Duration>,
    end: Duration,
    stop: Option<StopReason>,
}

impl Schedule {
    pub(crate) fn new(
        starts: Vec<Duration>,
        delays: Vec<Duration>,
        end: Duration,
        stop: Option<StopReason>,
    ) -> Self {
        Schedule {
            starts,
            delays,
            end,
            stop,
        }
    }

    /// Returns the attempts made.
    pub fn attempts(&self) -> u32 {
        u32::try_from(self.starts.len()).unwrap_or(u32::MAX)
    }

    /// Returns when each attempt starts.
    pub fn starts(&self) -> &[Duration] {
        &self.starts
    }

    /// Returns the delay after each failed attempt that is retried: one
    /// fewer than the attempts when the policy stops, as many when the
    /// preview was truncated.
    pub fn delays(&self) -> &[Duration] {
        &self.delays
    }

    /// Returns the sum of the delays.
    pub fn total_delay(&self) -> Duration {
        self.delays
            .iter()
            .fold(Duration::ZERO, |sum, d| sum.saturating_add(*d))
    }

    /// Returns when the last attempt ends: the time the call would take.
    pub fn total_time(&self) -> Duration {
        self.end
    }

    /// Returns why the policy stops; `None` when the preview was truncated
    /// first.
    pub fn stop_reason(&self) -> Option<StopReason> {
        self.stop
    }

    /// Returns whether the preview ended at its attempt limit while the
    /// policy would have gone on.
    pub fn truncated(&self) -> bool {
        self.stop.is_none()
    }
}

/// A table: one row per attempt with when it starts and what follows.
impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const ATTEMPT: &str = "attempt";
        const STARTS: &str = "starts at";

        let starts: Vec<String> = self.starts.iter().map(|d| Time(*d).to_string()).collect();
        let width = starts
            .iter()
            .map(String::len)
            .fold(STARTS.len(), usize::max);
        let number_width = self.starts.len().to_string().len().max(ATTEMPT.len());

        writeln!(f, "{ATTEMPT:>number_width$}  {STARTS:>width$}  then")?;
        for (i, start) in starts.iter().enumerate() {
            write!(f, "{:>number_width$}  {start:>width$}  ", i + 1)?;
            match (self.delays.get(i), self.stop) {
                (Some(delay), _) => writeln!(f, "sleeps {}", Time(*delay))?,
                (None, Some(reason)) => writeln!(f, "gives up: {reason}")?,
                (None, None) => writeln!(f)?,
            }
        }
        if self.truncated() {
            writeln!(
                f,
                "(preview truncated after {} attempts: the policy had not stopped)",
                self.attempts()
            )?;
        }
        Ok(())
    }
}
