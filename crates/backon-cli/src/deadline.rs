//! The `--timeout` deadline, and the one retry decision the command adds
//! to the library's.

use backon_core::{Event, Listener};
use std::cell::Cell;
use std::time::{Duration, Instant};

/// When `--timeout` expires, and whether backon gave up because a retry
/// could not start before then.
///
/// The library's time limit shortens the last sleep so that one last
/// attempt starts exactly at the limit, which suits an operation that the
/// limit does not interrupt. The command kills a run at the limit, so that
/// attempt would be killed as it starts. As a listener placed before the
/// reporter, the deadline looks at each retry the engine schedules, and
/// refuses one that could only start at or after the limit: the sleep then
/// ends at once, and the attempt after it fails with `--timeout` without
/// running, which the retry condition never retries.
#[derive(Debug)]
pub(crate) struct Deadline {
    limit: Option<Duration>,
    at: Option<Instant>,
    refused: Cell<bool>,
}

impl Deadline {
    /// Creates the deadline of a `limit` counted from `start`; `None`
    /// means no limit.
    pub(crate) fn new(limit: Option<Duration>, start: Instant) -> Self {
        Deadline {
            limit,
            at: limit.and_then(|limit| start.checked_add(limit)),
            refused: Cell::new(false),
        }
    }

    /// The `--timeout` given.
    pub(crate) fn limit(&self) -> Option<Duration> {
        self.limit
    }

    /// When the limit passes; `None` without one (or past the end of time).
    pub(crate) fn at(&self) -> Option<Instant> {
        self.at
    }

    /// Returns whether a retry was refused for want of time.
    pub(crate) fn refused(&self) -> bool {
        self.refused.get()
    }

    /// Returns whether a run may no longer start at `now`: the limit has
    /// passed, or a retry was refused.
    pub(crate) fn passed(&self, now: Instant) -> bool {
        self.refused() || self.at.is_some_and(|at| now >= at)
    }

    /// Decides about a retry scheduled at `now` to start after `delay`:
    /// refuses it, for good, when it would start at or after the limit.
    /// Returns whether it may go ahead.
    pub(crate) fn admit(&self, now: Instant, delay: Duration) -> bool {
        let late = match (self.at, now.checked_add(delay)) {
            (Some(at), Some(start)) => start >= at,
            (Some(_), None) => true,
            (None, _) => false,
        };
        if late {
            self.refused.set(true);
        }
        !self.refused()
    }
}

impl<E> Listener<E> for &Deadline {
    fn on_event(&self, event: &Event<'_, E>) {
        if let Event::RetryScheduled { delay, .. } = *event {
            self.admit(Instant::now(), delay);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn admits_a_retry_that_starts_before_the_limit() {
        let start = Instant::now();
        let deadline = Deadline::new(Some(300 * MS), start);

        assert!(deadline.admit(start + 2 * MS, 250 * MS));
        assert!(deadline.admit(start + 299 * MS, Duration::ZERO));
        assert!(!deadline.refused());
        assert!(!deadline.passed(start + 299 * MS));
        assert!(deadline.passed(start + 300 * MS));
    }

    #[test]
    fn refuses_a_retry_that_starts_at_or_after_the_limit() {
        let start = Instant::now();
        let at_the_limit = Deadline::new(Some(300 * MS), start);
        assert!(!at_the_limit.admit(start + 254 * MS, 46 * MS));
        assert!(at_the_limit.refused());

        let after_it = Deadline::new(Some(300 * MS), start);
        assert!(!after_it.admit(start + 254 * MS, 250 * MS));

        let past_the_end_of_time = Deadline::new(Some(300 * MS), start);
        assert!(!past_the_end_of_time.admit(start, Duration::MAX));
    }

    #[test]
    fn a_refusal_is_for_good() {
        let start = Instant::now();
        let deadline = Deadline::new(Some(300 * MS), start);

        assert!(!deadline.admit(start + 100 * MS, 200 * MS));
        assert!(!deadline.admit(start + 100 * MS, MS));
        assert!(deadline.passed(start));
    }

    #[test]
    fn no_limit_admits_everything() {
        let start = Instant::now();
        let deadline = Deadline::new(None, start);

        assert!(deadline.admit(start, Duration::MAX));
        assert!(!deadline.passed(start + 1000 * MS));
        assert_eq!((deadline.limit(), deadline.at()), (None, None));
    }

    #[test]
    fn listens_to_scheduled_retries_only() {
        let deadline = Deadline::new(Some(MS), Instant::now());
        let listener = &deadline;

        Listener::<()>::on_event(&listener, &Event::AttemptStarted { attempt: 1 });
        assert!(!deadline.refused());
        let late = Event::RetryScheduled {
            attempt: 1,
            delay: 10 * MS,
        };
        Listener::<()>::on_event(&listener, &late);
        assert!(deadline.refused());
    }
}
