//! The breaker handle and its state machine.

use crate::builder::Builder;
use crate::error::BreakerOpen;
use crate::event::{BreakerEvent, BreakerListener, ProbeOutcome, Why};
use crate::future::Guarded;
use crate::open::OpenFor;
use crate::outcome::{Classify, Outcome};
use crate::permit::{Kind, Permit, Release};
use crate::state::{State, Word};
use crate::window::RatioRule;
use backon_core::{Clock, StdRuntime};
use core::fmt;
use core::sync::atomic::AtomicU32;
use core::sync::atomic::AtomicU64;
use core::sync::atomic::Ordering::{AcqRel, Acquire, Relaxed, Release as Publish};
use core::time::Duration;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// A circuit breaker: it stops calling a dependency that keeps failing,
/// and tries it again after a while.
///
/// Closed, it runs every call and feeds each outcome to its trip rules;
/// when one trips, it opens and rejects calls with [`BreakerOpen`] for the
/// open duration; then it turns half-open and admits a few probes, whose
/// successes close it and whose failure re-opens it. [`isolate`],
/// [`disable`] and [`reset`] change the state by hand.
///
/// A `Breaker` is a handle: clones share one breaker, across threads
/// (`Send + Sync`). The closed-state path of a call takes no lock and
/// allocates nothing, and a success that changes nothing writes no shared
/// memory.
///
/// Wrap a blocking call with [`call`](Breaker::call), a future with
/// [`run`](Breaker::run), anything else with [`permit`](Breaker::permit)
/// and [`record`](Breaker::record); or put the breaker in a retry policy
/// with `Policy::with_guard`.
///
/// [`isolate`]: Breaker::isolate
/// [`disable`]: Breaker::disable
/// [`reset`]: Breaker::reset
///
/// # Examples
///
/// ```
/// use backon_breaker::{Breaker, State};
/// use backon_testing::VirtualTime;
/// use std::io;
/// use std::time::Duration;
///
/// let time = VirtualTime::new();
/// let breaker = Breaker::builder()
///     .consecutive_failures(3)
///     .open_for(Duration::from_secs(5))
///     .clock(time.clone())
///     .build()?;
///
/// for _ in 0..3 {
///     let _ = breaker.call(|| Err::<(), _>(io::Error::other("down")));
/// }
/// assert_eq!(breaker.state(), State::Open);
///
/// // Rejected without running.
/// let err = breaker.call(|| Ok::<_, io::Error>("never runs")).unwrap_err();
/// assert!(err.to_string().contains("circuit breaker open"));
///
/// // Five seconds later one probe runs, and its success closes it.
/// time.advance(Duration::from_secs(5));
/// assert_eq!(breaker.call(|| Ok::<_, io::Error>("back")).unwrap(), "back");
/// assert_eq!(breaker.state(), State::Closed);
/// # Ok::<(), backon_breaker::BuildError>(())
/// ```
pub struct Breaker<R: Clock = StdRuntime, C = crate::ErrorsFail> {
    shared: Arc<Shared<R, C>>,
}

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

impl Breaker {
    /// Starts building a breaker; see [`Builder`] for the settings and
    /// their defaults.
    pub fn builder() -> Builder {
        Builder::new()
    }
}

impl<R, C> Breaker<R, C>
where
    R: Clock + Send + Sync + 'static,
    R::Instant: Send + Sync,
    C: Send + Sync + 'static,
{
    pub(crate) fn from_shared(shared: Shared<R, C>) -> Self {
        Breaker {
            shared: Arc::new(shared),
        }
    }

    /// Runs `op` if the breaker admits it, and records its outcome.
    ///
    /// # Errors
    ///
    /// Returns the breaker's [`BreakerOpen`], converted into `E`, when it
    /// rejects the call, and `op`'s own error otherwise.
    pub fn call<T, E, F>(&self, op: F) -> Result<T, E>
    where
        F: FnOnce() -> Result<T, E>,
        E: From<BreakerOpen>,
        C: Classify<T, E>,
    {
        let permit = self.permit()?;
        let outcome = op();
        self.record(permit, &outcome);
        outcome
    }

    /// Returns a future that runs `future` if the breaker admits it when
    /// first polled, and records its outcome.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon_breaker::Breaker;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # async fn fetch() -> Result<String, std::io::Error> { Ok("page".into()) }
    /// let breaker = Breaker::builder().build()?;
    /// let page = breaker.run(fetch()).await?;
    /// # assert_eq!(page, "page");
    /// # Ok(())
    /// # }
    /// ```
    pub fn run<F>(&self, future: F) -> Guarded<'_, R, C, F> {
        Guarded::new(self, future)
    }

    /// Asks for leave to run one call.
    ///
    /// Give the permit back with the outcome through
    /// [`record`](Breaker::record). Dropping it instead counts the call
    /// neither way.
    ///
    /// # Errors
    ///
    /// Returns [`BreakerOpen`] when the breaker is open, isolated, or
    /// half-open with every probe in flight.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon_breaker::Breaker;
    ///
    /// let breaker = Breaker::builder().build()?;
    /// let permit = breaker.permit()?;
    /// let outcome: Result<u32, &str> = Ok(7);
    /// breaker.record(permit, &outcome);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn permit(&self) -> Result<Permit, BreakerOpen> {
        let word = Word(self.shared.state.load(Acquire));
        match word.state() {
            State::Closed => Ok(Permit::new(
                Kind::Closed,
                word.generation(),
                self.shared.started(),
            )),
            State::Disabled => Ok(Permit::new(Kind::Disabled, word.generation(), 0)),
            _ => self.admit_slow(word),
        }
    }

    /// Records the outcome of a call admitted with `permit`.
    ///
    /// An outcome that arrives after the breaker changed state belongs to
    /// the earlier state and is dropped: the breaker opens once per
    /// opening, however many late failures follow.
    #[inline]
    pub fn record<T, E>(&self, permit: Permit, outcome: &Result<T, E>)
    where
        C: Classify<T, E>,
    {
        // A panicking classifier drops the permit, which gives a probe's
        // permit back.
        let class = self.shared.classify.classify(outcome);
        let (kind, generation, started) = permit.disarm();

        match kind {
            Kind::Closed => self.shared.on_closed(generation, started, class),
            Kind::Probe => self.shared.on_probe(generation, class),
            Kind::Disabled => {}
        }
    }

    /// Holds the breaker open: every call is rejected until
    /// [`reset`](Breaker::reset).
    pub fn isolate(&self) {
        self.shared.force(State::Isolated);
    }

    /// Holds the breaker closed: every call runs and no outcome is counted
    /// until [`reset`](Breaker::reset).
    pub fn disable(&self) {
        self.shared.force(State::Disabled);
    }

    /// Closes the breaker and forgets every count, and the growth of the
    /// open duration.
    pub fn reset(&self) {
        self.shared.force(State::Closed);
    }

    #[cold]
    fn admit_slow(&self, mut word: Word) -> Result<Permit, BreakerOpen> {
        let shared = &self.shared;
        loop {
            let next = match word.state() {
                State::Closed | State::Disabled => return self.permit(),
                State::Isolated => return Err(shared.reject(State::Isolated, None)),
                State::Open => {
                    let now = shared.now();
                    let until = shared.open_until.load(Relaxed);
                    if now < until {
                        let wait = Duration::from_nanos(until - now);
                        return Err(shared.reject(State::Open, Some(wait)));
                    }
                    word.next(State::HalfOpen).with_probes(1)
                }
                State::HalfOpen if word.probes() >= shared.probes => {
                    return Err(shared.reject(State::HalfOpen, None));
                }
                State::HalfOpen => word.with_probes(word.probes() + 1),
            };

            match shared
                .state
                .compare_exchange(word.0, next.0, AcqRel, Acquire)
            {
                Ok(_) => return Ok(self.probe(word, next)),
                Err(current) => word = Word(current),
            }
        }
    }

    /// A probe's permit, after `from` became `to`.
    fn probe(&self, from: Word, to: Word) -> Permit {
        if from.state() == State::Open {
            self.shared.emit(&BreakerEvent::Transition {
                from: State::Open,
                to: State::HalfOpen,
                why: Why::OpenElapsed,
            });
        }

        let mut permit = Permit::new(Kind::Probe, to.generation(), self.shared.started());
        let release: Arc<dyn Release> = self.shared.clone();
        permit.probe = Some(release);
        permit
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

    #[inline]
    fn started(&self) -> u64 {
        if self.times_calls { self.now() } else { 0 }
    }

    #[inline]
    fn on_closed(&self, generation: u64, started: u64, class: Outcome) {
        let failure = match class {
            Outcome::Success => false,
            Outcome::Failure => true,
            Outcome::Ignored => return,
        };
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
    fn on_probe(&self, generation: u64, class: Outcome) {
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

    fn force(&self, to: State) {
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

    fn reject(&self, state: State, retry_in: Option<Duration>) -> BreakerOpen {
        self.emit(&BreakerEvent::Rejected { state, retry_in });
        BreakerOpen::new(state, retry_in)
    }

    fn emit(&self, event: &BreakerEvent) {
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

impl<R: Clock, C> Breaker<R, C> {
    /// Returns the current state.
    pub fn state(&self) -> State {
        Word(self.shared.state.load(Acquire)).state()
    }
}

impl<R: Clock, C> Clone for Breaker<R, C> {
    fn clone(&self) -> Self {
        Breaker {
            shared: self.shared.clone(),
        }
    }
}

impl<R: Clock, C> fmt::Debug for Breaker<R, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let word = Word(self.shared.state.load(Acquire));
        f.debug_struct("Breaker")
            .field("state", &word.state())
            .field("probes_in_flight", &word.probes())
            .finish_non_exhaustive()
    }
}
