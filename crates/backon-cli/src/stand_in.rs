// Stand-ins for the part of the `backon-wait` API that the command uses,
// until that crate lands: same names, same shapes. Once it does, delete this
// file and its `mod` line, and import from `backon_wait` in `policy.rs`.

use backon_core::Wait;
use std::fmt;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WaitError {
    FactorBelowOne,
}

impl fmt::Display for WaitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("factor must be a number of at least 1")
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Constant(Duration);

impl Constant {
    pub(crate) fn new(delay: Duration) -> Self {
        Constant(delay)
    }
}

impl Wait for Constant {
    type State = ();

    fn start(&self, _seed: u64) {}

    fn next(&self, _state: &mut (), _attempt: u32) -> Duration {
        self.0
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Linear {
    start: Duration,
    step: Duration,
}

impl Linear {
    pub(crate) fn new(start: Duration, step: Duration) -> Self {
        Linear { start, step }
    }
}

impl Wait for Linear {
    type State = ();

    fn start(&self, _seed: u64) {}

    fn next(&self, _state: &mut (), attempt: u32) -> Duration {
        let steps = attempt.saturating_sub(1);
        self.start.saturating_add(self.step.saturating_mul(steps))
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Exponential {
    base: Duration,
    factor: f64,
}

impl Exponential {
    pub(crate) fn with_factor(base: Duration, factor: f64) -> Result<Self, WaitError> {
        if factor >= 1.0 && factor.is_finite() {
            Ok(Exponential { base, factor })
        } else {
            Err(WaitError::FactorBelowOne)
        }
    }
}

impl Wait for Exponential {
    type State = ();

    fn start(&self, _seed: u64) {}

    fn next(&self, _state: &mut (), attempt: u32) -> Duration {
        let power = i32::try_from(attempt.saturating_sub(1)).unwrap_or(i32::MAX);
        let secs = self.base.as_secs_f64() * self.factor.powi(power);
        Duration::try_from_secs_f64(secs).unwrap_or(Duration::MAX)
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Fibonacci(Duration);

impl Fibonacci {
    pub(crate) fn new(base: Duration) -> Self {
        Fibonacci(base)
    }
}

impl Wait for Fibonacci {
    type State = (Duration, Duration);

    fn start(&self, _seed: u64) -> Self::State {
        (Duration::ZERO, self.0)
    }

    fn next(&self, state: &mut Self::State, _attempt: u32) -> Duration {
        let (previous, current) = *state;
        *state = (current, previous.saturating_add(current));
        current
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Jitter {
    None,
    Full,
    Equal,
}

pub(crate) trait WaitExt: Wait + Sized {
    fn max(self, cap: Duration) -> Bounded<Self> {
        Bounded {
            inner: self,
            cap,
            jitter: Jitter::None,
        }
    }
}

impl<W: Wait> WaitExt for W {}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Bounded<W> {
    inner: W,
    cap: Duration,
    jitter: Jitter,
}

impl<W> Bounded<W> {
    pub(crate) fn jitter(self, jitter: Jitter) -> Self {
        Bounded { jitter, ..self }
    }
}

impl<W: Wait> Wait for Bounded<W> {
    type State = (W::State, u64);

    fn start(&self, seed: u64) -> Self::State {
        (self.inner.start(seed), seed)
    }

    fn next(&self, state: &mut Self::State, attempt: u32) -> Duration {
        let delay = self.inner.next(&mut state.0, attempt).min(self.cap);
        let half = delay / 2;
        match self.jitter {
            Jitter::None => delay,
            Jitter::Full => delay.mul_f64(unit(&mut state.1)),
            Jitter::Equal => half + (delay - half).mul_f64(unit(&mut state.1)),
        }
    }

    fn cap(&self) -> Duration {
        self.cap
    }
}

/// A number in `[0, 1)` from a splitmix64 step.
fn unit(state: &mut u64) -> f64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}
