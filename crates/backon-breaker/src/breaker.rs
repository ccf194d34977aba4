//! The breaker handle: what callers hold and call.

use crate::builder::Builder;
use crate::error::BreakerOpen;
use crate::event::{BreakerEvent, Why};
use crate::future::Guarded;
use crate::outcome::Classify;
use crate::permit::{Kind, Permit, ProbeGuard, Release};
use crate::shared::Shared;
use crate::state::{State, Word};
use backon_core::{Clock, StdRuntime};
use core::fmt;
use core::sync::atomic::Ordering::{AcqRel, Acquire};
use core::time::Duration;
use std::sync::Arc;

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

    /// Whether a call asked for now would be refused, without asking:
    /// `None` when it would be admitted, or when that depends on probes in
    /// flight ending; else how long until a probe is admitted, `None`
    /// inside when only a reset will do (isolated).
    pub(crate) fn refusal_ahead(&self) -> Option<Option<Duration>> {
        match Word(self.shared.state.load(Acquire)).state() {
            State::Closed | State::Disabled | State::HalfOpen => None,
            State::Isolated => Some(None),
            State::Open => self.shared.open_left().map(Some),
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
                    if let Some(wait) = shared.open_left() {
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
        permit.probe = Some(ProbeGuard {
            shared: Some(release),
            generation: to.generation(),
        });
        permit
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
