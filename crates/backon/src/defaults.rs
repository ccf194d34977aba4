use crate::Policy;
use crate::stop::AfterAttempts;
use crate::wait::{Bounded, Exponential, Jitter, WaitExt};
use core::time::Duration;

/// The type of [`default_policy`].
pub type DefaultPolicy = Policy<Bounded<Exponential>, AfterAttempts>;

/// Returns the policy that `backon` uses when told nothing else.
///
/// # Defaults
///
/// | part | value |
/// |---|---|
/// | attempts | 5 in all: the first call and 4 retries |
/// | wait | exponential from 100 ms, factor 2: 100, 200, 400, 800 ms … |
/// | cap | 30 s per delay |
/// | jitter | full: each delay is drawn uniformly from [0, delay] |
/// | retry condition | every error, never an `Ok` |
///
/// The `backon` command uses the same values.
///
/// # Examples
///
/// ```
/// use backon::prelude::*;
///
/// let policy = backon::default_policy();
/// let report = (|| Err::<(), _>("down"))
///     .retry(&policy)
///     .runtime(backon::testing::VirtualTime::new())
///     .call_with_report();
/// assert_eq!(report.attempts, 5);
/// ```
pub fn default_policy() -> DefaultPolicy {
    let wait = Exponential::new(Duration::from_millis(100))
        .max(Duration::from_secs(30))
        .jitter(Jitter::Full);
    Policy::new(wait, AfterAttempts::default())
}
