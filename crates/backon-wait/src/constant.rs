//! The constant strategy.

use core::time::Duration;

use backon_core::Wait;

/// Waits the same delay before every retry.
///
/// A plain [`Duration`] does the same; `Constant` is the named form, which
/// also supports `+` with other strategies.
///
/// # Examples
///
/// ```
/// use backon_core::Wait;
/// use backon_wait::Constant;
/// use std::time::Duration;
///
/// let wait = Constant::new(Duration::from_millis(250));
/// let mut state = wait.start(0);
///
/// assert_eq!(wait.next(&mut state, 1), Duration::from_millis(250));
/// assert_eq!(wait.next(&mut state, 100), Duration::from_millis(250));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Constant {
    delay: Duration,
}

impl Constant {
    /// Creates a strategy that waits `delay` before every retry.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon_core::Wait;
    /// use backon_wait::Constant;
    /// use std::time::Duration;
    ///
    /// let wait = Constant::new(Duration::from_secs(1));
    ///
    /// assert_eq!(wait.cap(), Duration::from_secs(1));
    /// ```
    pub const fn new(delay: Duration) -> Self {
        Self { delay }
    }
}

impl Wait for Constant {
    type State = ();

    fn start(&self, _seed: u64) {}

    fn uses_seed(&self) -> bool {
        false
    }

    fn next(&self, _state: &mut (), _attempt: u32) -> Duration {
        self.delay
    }

    fn cap(&self) -> Duration {
        self.delay
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yields_the_same_delay_for_every_attempt() {
        let wait = Constant::new(Duration::from_millis(40));

        for attempt in [0, 1, 2, 10_000, u32::MAX] {
            assert_eq!(wait.next(&mut (), attempt), Duration::from_millis(40));
        }
        assert_eq!(wait.cap(), Duration::from_millis(40));
    }

    #[test]
    fn accepts_the_extremes() {
        assert_eq!(
            Constant::new(Duration::ZERO).next(&mut (), 1),
            Duration::ZERO
        );
        assert_eq!(
            Constant::new(Duration::MAX).next(&mut (), u32::MAX),
            Duration::MAX
        );
    }
}
