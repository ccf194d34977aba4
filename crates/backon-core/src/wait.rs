//! The wait strategy trait.

use core::time::Duration;

/// Decides how long to wait before each retry.
///
/// A strategy is an immutable part of a policy and may serve many calls at
/// once, so everything that changes during one call (the previous delay, the
/// random number generator) lives in [`State`](Wait::State), which the engine
/// creates for each call at its first retry and keeps inside that call.
///
/// The strategies themselves live in `backon-wait`.
///
/// # Examples
///
/// A strategy that waits 10 ms per failed attempt:
///
/// ```
/// use backon_core::Wait;
/// use std::time::Duration;
///
/// struct TenPerAttempt;
///
/// impl Wait for TenPerAttempt {
///     type State = ();
///
///     fn start(&self, _seed: u64) {}
///
///     fn next(&self, _state: &mut (), attempt: u32) -> Duration {
///         Duration::from_millis(10).saturating_mul(attempt)
///     }
/// }
///
/// assert_eq!(TenPerAttempt.next(&mut (), 3), Duration::from_millis(30));
/// ```
pub trait Wait {
    /// Per-call state.
    type State;

    /// Creates the state for one call; `seed` feeds its random numbers.
    fn start(&self, seed: u64) -> Self::State;

    /// Returns the delay after failed attempt number `attempt` (from 1).
    fn next(&self, state: &mut Self::State, attempt: u32) -> Duration;

    /// Returns an upper bound on every delay this strategy yields: the cap
    /// the user set where there is one, else the longest delay it reaches.
    ///
    /// The engine clamps a server's hint (a Retry-After) to it, so a
    /// constant 1 s wait caps hints at 1 s, and the same wait with
    /// `.max(60s)` lets them reach 60 s.
    fn cap(&self) -> Duration {
        Duration::MAX
    }

    /// Returns whether [`start`](Wait::start) uses its seed; when it does
    /// not, the engine asks the runtime for none.
    fn uses_seed(&self) -> bool {
        true
    }
}

/// A plain [`Duration`] waits that long before every retry.
impl Wait for Duration {
    type State = ();

    fn start(&self, _seed: u64) {}

    fn next(&self, _state: &mut (), _attempt: u32) -> Duration {
        *self
    }

    fn cap(&self) -> Duration {
        *self
    }

    fn uses_seed(&self) -> bool {
        false
    }
}

impl<W: Wait + ?Sized> Wait for &W {
    type State = W::State;

    fn start(&self, seed: u64) -> Self::State {
        (**self).start(seed)
    }

    fn next(&self, state: &mut Self::State, attempt: u32) -> Duration {
        (**self).next(state, attempt)
    }

    fn cap(&self) -> Duration {
        (**self).cap()
    }

    fn uses_seed(&self) -> bool {
        (**self).uses_seed()
    }
}
