//! The state machine behind every handle: the state word, the trip
//! rules, the open timer and the listeners.

use crate::error::BreakerOpen;
use crate::event::{BreakerEvent, BreakerListener, ProbeOutcome, Why};
use crate::open::OpenFor;
use crate::outcome::Outcome;
use crate::permit::Release;
use crate::state::{State, Word};
use crate::window::RatioRule;
use backon_core::Clock;
use core::sync::atomic::Ordering::{AcqRel, Acquire, Relaxed, Release as Publish};
use core::sync::atomic::{AtomicU32, AtomicU64};
use core::time::Duration;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// Everything the handles share.
pub(crate) struct Shared<R: Clock, C> {
    pub(crate) state: AtomicU64,
    /// When an open breaker admits a probe, in nanoseconds on the clock.
    pub(crate) open_until: AtomicU64,
    pub(crate) consecutive: Option<Consecutive>,
    pub(crate) rules: Box<[RatioRule]>,
    /// Whether a closed-state outcome needs the time it ended.
    pub(crate) reads_clock: bool,
    /// Whether a call needs the time it started.
    pub(crate) times_calls: bool,
    pub(crate) probes: u32,
    pub(crate) successes: u32,
    /// Serialises the transitions that arm the open timer.
    pub(crate) opening: Mutex<Box<dyn OpenFor>>,
    pub(crate) listeners: Box<[Arc<dyn BreakerListener>]>,
    pub(crate) classify: C,
    pub(crate) clock: R,
    pub(crate) origin: R::Instant,
}

/// The consecutive-failures rule.
#[derive(Debug)]
pub(crate) struct Consecutive {
    pub(crate) limit: u32,
    pub(crate) count: AtomicU32,
}

impl Consecutive {
    #[inline]
    fn is_clear(&self) -> bool {
        self.count.load(Relaxed) == 0
    }

    #[inline]
    fn record(&self, failure: bool) -> Option<Why> {
        if !failure {
            // Only a change is written: a healthy breaker's successes
            // leave this cache line shared.
            if self.count.load(Relaxed) != 0 {
                self.count.store(0, Relaxed);
            }
            return None;
        }

        let count = self.count.fetch_add(1, Relaxed).saturating_add(1);
        (count >= self.limit).then_some(Why::ConsecutiveFailures { count })
    }
}

impl<R, C> Shared<R, C>
where
    R: Clock + Send + Sync + 'static,
    R::Instant: Send + Sync,
    C: Send + Sync + 'static,
{
    /// Nanoseconds since the breaker was built.
    pub(crate) fn now(&self) -> u64 {
        let elapsed = self.clock.elapsed(self.origin).as_nanos();
        u64::try_from(elapsed).unwrap_or(u64::MAX)
    }

    /// How long an open breaker stays open before it admits a probe;
    /// `None` once that time has come.
    pub(crate) fn open_left(&self) -> Option<Duration> {
        let now = self.now();
        let until = self.open_until.load(Relaxed);
        (now < until).then(|| Duration::from_nanos(until - now))
    }

    #[inline]
    pub(crate) fn started(&self) -> u64 {
        if self.times_calls { self.now() } else { 0 }
    }

    #[inline]
    pub(crate) fn on_closed(&self, generation: u64, started: u64, class: Outcome) {
        let failure = match class {
            Outcome::Success => false,
            Outcome::Failure => true,
            Outcome::Ignored => return,
        };
        // The healthy breaker's success: nothing to count and nothing to
        // reset, so neither the state word nor the clock is read again.
        if !failure
            && self.consecutive.as_ref().is_none_or(Consecutive::is_clear)
            && self.rules.iter().all(RatioRule::is_clear)
        {
            return;
        }
        self.count(generation, started, failure);
    }

    /// Feeds one closed-state outcome to the trip rules. Kept out of line
    /// so that the healthy success path above stays small.
    #[inline(never)]
    fn count(&self, generation: u64, started: u64, failure: bool) {
        if !self.is_current(State::Closed, generation) {
            return;
        }

        let now = if self.reads_clock { self.now() } else { 0 };
        let elapsed = now.saturating_sub(started);
        let mut why = self.consecutive.as_ref().and_then(|c| c.record(failure));

        // Every window sees the outcome, even once one rule has tripped.
        for rule in &*self.rules {
            if let Some(tripped) = rule.record(failure, elapsed, now) {
                why.get_or_insert(tripped);
            }
        }
        if let Some(why) = why {
            self.trip(generation, why);
        }
    }

    #[inline]
    fn is_current(&self, state: State, generation: u64) -> bool {
        let word = Word(self.state.load(Relaxed));
        word.state() == state && word.generation() == generation
    }

    /// Opens a closed breaker, once per opening.
    #[cold]
    fn trip(&self, generation: u64, why: Why) {
        let mut opening = self.lock();
        let word = Word(self.state.load(Acquire));
        if word.state() != State::Closed || word.generation() != generation {
            return;
        }

        // Nothing else leaves Closed without this lock, so the state
        // cannot change between the check and the store.
        self.arm(&mut opening);
        self.state.store(word.next(State::Open).0, Publish);
        self.forget();
        drop(opening);

        self.emit(&BreakerEvent::Transition {
            from: State::Closed,
            to: State::Open,
            why,
        });
    }

    /// Sets when the next opening ends; the state store that follows
    /// publishes it.
    fn arm(&self, opening: &mut MutexGuard<'_, Box<dyn OpenFor>>) {
        let open_for = u64::try_from(opening.next().as_nanos()).unwrap_or(u64::MAX);
        let until = self.now().saturating_add(open_for);
        self.open_until.store(until, Relaxed);
    }

    /// Forgets the closed state's counts.
    fn forget(&self) {
        if let Some(consecutive) = &self.consecutive {
            consecutive.count.store(0, Relaxed);
        }
        for rule in &*self.rules {
            rule.reset();
        }
    }

    #[cold]
    pub(crate) fn on_probe(&self, generation: u64, class: Outcome) {
        let probe = match class {
            Outcome::Success => ProbeOutcome::Success,
            Outcome::Failure => ProbeOutcome::Failure,
            Outcome::Ignored => ProbeOutcome::Ignored,
        };
        let mut opening = self.lock();
        let mut word = Word(self.state.load(Acquire));
        let mut armed = false;

        let transition = loop {
            if word.state() != State::HalfOpen || word.generation() != generation {
                return;
            }
            let freed = word.with_probes(word.probes().saturating_sub(1));
            let successes = word.successes() + 1;

            let (next, why) = match class {
                Outcome::Ignored => (freed, None),
                Outcome::Success if successes >= self.successes => (
                    word.next(State::Closed),
                    Some(Why::ProbesSucceeded { successes }),
                ),
                Outcome::Success => (freed.with_successes(successes), None),
                Outcome::Failure => (word.next(State::Open), Some(Why::ProbeFailed)),
            };

            // Armed once, however often the swap is retried: each arming
            // steps the open duration.
            if next.state() == State::Open && !armed {
                self.arm(&mut opening);
                armed = true;
            }
            match self.state.compare_exchange(word.0, next.0, AcqRel, Acquire) {
                Ok(_) => break why.map(|why| (next.state(), why)),
                Err(current) => word = Word(current),
            }
        };

        if let Some((State::Closed, _)) = transition {
            opening.reset();
            self.forget();
        }
        drop(opening);

        self.emit(&BreakerEvent::Probe(probe));
        if let Some((to, why)) = transition {
            self.emit(&BreakerEvent::Transition {
                from: State::HalfOpen,
                to,
                why,
            });
        }
    }

    pub(crate) fn force(&self, to: State) {
        let mut opening = self.lock();
        let mut word = Word(self.state.load(Acquire));
        while let Err(current) =
            self.state
                .compare_exchange(word.0, word.next(to).0, AcqRel, Acquire)
        {
            word = Word(current);
        }

        if to == State::Closed {
            opening.reset();
        }
        self.forget();
        drop(opening);

        self.emit(&BreakerEvent::Transition {
            from: word.state(),
            to,
            why: Why::Manual,
        });
    }

    pub(crate) fn reject(&self, state: State, retry_in: Option<Duration>) -> BreakerOpen {
        self.emit(&BreakerEvent::Rejected { state, retry_in });
        BreakerOpen::new(state, retry_in)
    }

    pub(crate) fn emit(&self, event: &BreakerEvent) {
        for listener in &*self.listeners {
            listener.on_event(event);
        }
    }

    fn lock(&self) -> MutexGuard<'_, Box<dyn OpenFor>> {
        // Only a panicking wait strategy poisons it, and its state is
        // still usable.
        self.opening.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<R, C> Release for Shared<R, C>
where
    R: Clock + Send + Sync + 'static,
    R::Instant: Send + Sync,
    C: Send + Sync + 'static,
{
    fn release(&self, generation: u64) {
        let mut word = Word(self.state.load(Acquire));
        loop {
            if word.state() != State::HalfOpen || word.generation() != generation {
                return;
            }
            let freed = word.with_probes(word.probes().saturating_sub(1));
            match self
                .state
                .compare_exchange(word.0, freed.0, AcqRel, Acquire)
            {
                Ok(_) => break,
                Err(current) => word = Word(current),
            }
        }
        self.emit(&BreakerEvent::Probe(ProbeOutcome::Released));
    }
}
