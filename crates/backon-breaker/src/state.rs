//! The breaker's states, and how they pack into one atomic word.

use core::fmt;

/// The state of a breaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    /// Calls run, and their outcomes feed the trip rules.
    Closed,
    /// Calls are rejected until the open duration has passed.
    Open,
    /// A few probe calls run; their outcomes close or re-open the breaker.
    HalfOpen,
    /// Held open by hand: every call is rejected until a reset.
    Isolated,
    /// Held closed by hand: every call runs and nothing is recorded until a
    /// reset.
    Disabled,
}

impl State {
    /// A short, stable, lowercase name, fit for a metric label.
    pub const fn as_str(self) -> &'static str {
        match self {
            State::Closed => "closed",
            State::Open => "open",
            State::HalfOpen => "half_open",
            State::Isolated => "isolated",
            State::Disabled => "disabled",
        }
    }

    const fn bits(self) -> u64 {
        match self {
            State::Closed => 0,
            State::Open => 1,
            State::HalfOpen => 2,
            State::Isolated => 3,
            State::Disabled => 4,
        }
    }

    const fn from_bits(bits: u64) -> State {
        match bits {
            0 => State::Closed,
            1 => State::Open,
            2 => State::HalfOpen,
            3 => State::Isolated,
            _ => State::Disabled,
        }
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

const KIND_MASK: u64 = 0b111;
const PROBES_SHIFT: u32 = 3;
const SUCCESSES_SHIFT: u32 = 19;
const GENERATION_SHIFT: u32 = 35;
const COUNTER_MASK: u64 = 0xFFFF;
const GENERATION_MASK: u64 = (1 << (64 - GENERATION_SHIFT)) - 1;

/// The largest number of probes, or of successes to close, a word holds.
pub(crate) const MAX_COUNTER: u32 = COUNTER_MASK as u32;

/// The whole state in one `u64`, so that every change is one atomic swap:
/// the state (3 bits), the probes in flight and the probe successes while
/// half-open (16 bits each), and a generation (29 bits) that every
/// transition bumps, so that an outcome from an earlier state is known late
/// and dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Word(pub(crate) u64);

impl Word {
    pub(crate) const fn new(state: State, generation: u64) -> Word {
        Word(state.bits() | ((generation & GENERATION_MASK) << GENERATION_SHIFT))
    }

    pub(crate) const fn state(self) -> State {
        State::from_bits(self.0 & KIND_MASK)
    }

    pub(crate) const fn generation(self) -> u64 {
        self.0 >> GENERATION_SHIFT
    }

    pub(crate) const fn probes(self) -> u32 {
        ((self.0 >> PROBES_SHIFT) & COUNTER_MASK) as u32
    }

    pub(crate) const fn successes(self) -> u32 {
        ((self.0 >> SUCCESSES_SHIFT) & COUNTER_MASK) as u32
    }

    /// The next state: a new generation with both counters at zero.
    pub(crate) const fn next(self, state: State) -> Word {
        Word::new(state, self.generation().wrapping_add(1))
    }

    pub(crate) const fn with_probes(self, probes: u32) -> Word {
        let cleared = self.0 & !(COUNTER_MASK << PROBES_SHIFT);
        Word(cleared | ((probes as u64 & COUNTER_MASK) << PROBES_SHIFT))
    }

    pub(crate) const fn with_successes(self, successes: u32) -> Word {
        let cleared = self.0 & !(COUNTER_MASK << SUCCESSES_SHIFT);
        Word(cleared | ((successes as u64 & COUNTER_MASK) << SUCCESSES_SHIFT))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_round_trip() {
        let word = Word::new(State::HalfOpen, 7)
            .with_probes(MAX_COUNTER)
            .with_successes(3);
        assert_eq!(word.state(), State::HalfOpen);
        assert_eq!(word.generation(), 7);
        assert_eq!(word.probes(), MAX_COUNTER);
        assert_eq!(word.successes(), 3);
        assert_eq!(word.with_probes(1).probes(), 1);
        assert_eq!(word.with_probes(1).successes(), 3);
    }

    #[test]
    fn next_bumps_the_generation_and_wraps() {
        let word = Word::new(State::Closed, GENERATION_MASK).with_probes(2);
        let next = word.next(State::Open);
        assert_eq!(next.state(), State::Open);
        assert_eq!(next.generation(), 0);
        assert_eq!(next.probes(), 0);
    }

    #[test]
    fn every_state_round_trips() {
        for state in [
            State::Closed,
            State::Open,
            State::HalfOpen,
            State::Isolated,
            State::Disabled,
        ] {
            assert_eq!(Word::new(state, 1).state(), state);
        }
    }
}
