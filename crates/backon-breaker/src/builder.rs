//! The breaker builder: trip rules, open duration, probes, classifier,
//! listeners and clock.

use crate::breaker::Breaker;
use crate::error::BuildError;
use crate::event::BreakerListener;
use crate::keyed::KeyedBuilder;
use crate::open::MakeOpenFor;
use crate::outcome::ErrorsFail;
use crate::shared::{Consecutive, Shared};
use crate::state::{MAX_COUNTER, State, Word};
use crate::window::{CountWindow, Meter, RatioRule, TimeWindow, Window as Tracker};
use backon_core::{Clock, StdRuntime, Wait};
use core::fmt;
use core::sync::atomic::{AtomicU32, AtomicU64};
use core::time::Duration;
use std::sync::{Arc, Mutex};

/// The failure ratio of the default rule.
const DEFAULT_RATIO: f64 = 0.5;
/// The count window of the default rule.
const DEFAULT_WINDOW: u32 = 100;
/// Calls a window needs before its ratio counts, unless set.
const DEFAULT_MINIMUM: u32 = 20;
/// How long the breaker stays open, unless set.
const DEFAULT_OPEN_FOR: Duration = Duration::from_secs(5);
/// Buckets of a time window, unless set.
const DEFAULT_BUCKETS: u32 = 10;

/// The calls over which a ratio rule is computed: the last N calls, or
/// the last stretch of time.
///
/// A time window's buckets last a whole number of nanoseconds: a length
/// that is not a multiple of the number of buckets, in nanoseconds, is
/// rounded up to the next multiple. A length beyond `u64::MAX` nanoseconds
/// (about 584 years), such as [`Duration::MAX`], is cut to it.
///
/// # Examples
///
/// ```
/// use backon_breaker::Window;
/// use std::time::Duration;
///
/// let calls = Window::calls(100);
/// let time = Window::time(Duration::from_secs(30));
/// let fine = Window::time_in_buckets(Duration::from_secs(30), 30);
/// # let _ = (calls, time, fine);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window(WindowSpec);

#[derive(Debug, Clone, Copy)]
enum WindowSpec {
    Calls(u32),
    Time {
        length: Duration,
        buckets: u32,
        /// Whether `buckets` is the default, for the error that names it.
        default: bool,
    },
}

impl Window {
    /// The most buckets a time window takes.
    ///
    /// Each bucket takes memory in every stripe of the window, and while
    /// the window holds a bad outcome, each outcome sums every bucket.
    pub const MAX_BUCKETS: u32 = 1000;

    /// The last `n` calls.
    ///
    /// Checking it reads no clock. Under concurrent calls its boundary is
    /// exact up to the calls in flight.
    pub const fn calls(n: u32) -> Self {
        Window(WindowSpec::Calls(n))
    }

    /// The last `length` of time on the breaker's clock, counted in 10
    /// buckets: a call leaves the window a whole bucket at a time.
    ///
    /// The length is at least 10 ns, one per bucket; for a shorter one,
    /// use [`time_in_buckets`](Window::time_in_buckets) with fewer
    /// buckets.
    pub const fn time(length: Duration) -> Self {
        Window(WindowSpec::Time {
            length,
            buckets: DEFAULT_BUCKETS,
            default: true,
        })
    }

    /// The last `length` of time, counted in `buckets` buckets, from 1 to
    /// [`MAX_BUCKETS`](Window::MAX_BUCKETS); each bucket lasts at least
    /// 1 ns.
    pub const fn time_in_buckets(length: Duration, buckets: u32) -> Self {
        Window(WindowSpec::Time {
            length,
            buckets,
            default: false,
        })
    }
}

/// Two windows are equal when they count the same calls, whether the
/// number of buckets was given or is the default.
impl PartialEq for WindowSpec {
    fn eq(&self, other: &Self) -> bool {
        match (*self, *other) {
            (WindowSpec::Calls(a), WindowSpec::Calls(b)) => a == b,
            (
                WindowSpec::Time {
                    length, buckets, ..
                },
                WindowSpec::Time {
                    length: other_length,
                    buckets: other_buckets,
                    ..
                },
            ) => length == other_length && buckets == other_buckets,
            _ => false,
        }
    }
}

impl Eq for WindowSpec {}

#[derive(Debug, Clone, Copy, PartialEq)]
struct RuleSpec {
    meter: Meter,
    ratio: f64,
    window: Window,
    /// Whether no rule was set and this is the one a breaker gets then.
    default: bool,
}

impl RuleSpec {
    /// The rule a breaker gets when no rule is set.
    fn default_rule() -> RuleSpec {
        RuleSpec {
            meter: Meter::Failures,
            ratio: DEFAULT_RATIO,
            window: Window::calls(DEFAULT_WINDOW),
            default: true,
        }
    }

    /// The builder method that set the rule, for its errors.
    fn setting(&self) -> &'static str {
        match self.meter {
            _ if self.default => "the default failure_ratio",
            Meter::Failures => "failure_ratio",
            Meter::SlowCalls(_) => "slow_call_ratio",
        }
    }
}

/// Builds a [`Breaker`]; from [`Breaker::builder`].
///
/// Trip rules combine: the breaker opens as soon as any of them trips.
/// Every rule is evaluated on every counted outcome, a success included,
/// so that with a window of 10 calls and a 50% threshold, 9 failures and
/// then a success trip it at the 10th call.
///
/// # Defaults
///
/// | setting | ours | Polly | resilience4j |
/// |---|---|---|---|
/// | rule | failure ratio 0.5 | ratio 0.1 | ratio 0.5 |
/// | window | last 100 calls | 30 s of time | last 100 calls |
/// | minimum calls | 20 (at most the window) | 100 | 100 |
/// | open for | 5 s, fixed | 5 s | 60 s |
/// | half-open probes | 1 at a time | 1 | 10 |
/// | successes to close | 1 | 1 | ratio over the 10 |
/// | failure | every `Err` | every exception | every exception |
/// | slow calls | not counted | — | 100% over 60 s |
/// | clock | [`StdRuntime`] | system | system |
///
/// Why: half the calls failing is a broken dependency, while one in ten is
/// a degraded one that a breaker should not cut off for everyone. A count
/// window reacts at the same speed at any traffic and reads no clock; 20
/// calls are enough to tell 50% apart from noise and let a quiet service
/// trip before 100 calls have failed. Five seconds open costs one probe
/// per five seconds and recovers 55 s sooner than a minute; grow it with a
/// wait strategy from `backon-wait` when a dependency stays down. One
/// probe at a time keeps the load on a recovering service minimal.
///
/// Setting any rule replaces the default rule. The minimum number of calls
/// applies to every ratio rule; by default it is 20, or the size of a
/// smaller count window.
///
/// # Errors
///
/// [`build`](Builder::build) refuses a ratio outside `(0, 1]`, a window of
/// zero calls or time, a time window whose buckets do not fit it (zero,
/// more than [`Window::MAX_BUCKETS`], or shorter than 1 ns each), a minimum
/// above a count window, zero consecutive failures, zero probes or zero
/// successes to close; see [`BuildError`]. The errors of a ratio rule name
/// it: `failure_ratio` or `slow_call_ratio`.
///
/// # Examples
///
/// ```
/// use backon_breaker::{Breaker, Window};
/// use std::time::Duration;
///
/// let breaker = Breaker::builder()
///     .consecutive_failures(5)
///     .failure_ratio(0.5, Window::time(Duration::from_secs(30)))
///     .slow_call_ratio(0.8, Duration::from_secs(2), Window::calls(50))
///     .minimum_calls(10)
///     .open_for(Duration::from_secs(10))
///     .probes(3)
///     .successes_to_close(3)
///     .build()?;
/// # let _ = breaker;
/// # Ok::<(), backon_breaker::BuildError>(())
/// ```
pub struct Builder<R = StdRuntime, C = ErrorsFail> {
    clock: R,
    classify: C,
    consecutive: Option<u32>,
    rules: Vec<RuleSpec>,
    minimum: Option<u32>,
    open_for: Arc<dyn MakeOpenFor>,
    probes: u32,
    successes: u32,
    listeners: Vec<Arc<dyn BreakerListener>>,
    seed: Option<u64>,
}

impl Builder {
    pub(crate) fn new() -> Self {
        Builder {
            clock: StdRuntime,
            classify: ErrorsFail,
            consecutive: None,
            rules: Vec::new(),
            minimum: None,
            open_for: Arc::new(DEFAULT_OPEN_FOR),
            probes: 1,
            successes: 1,
            listeners: Vec::new(),
            seed: None,
        }
    }
}

impl<R, C> Builder<R, C> {
    /// Trips after `n` failures in a row; a success starts the count over.
    pub fn consecutive_failures(mut self, n: u32) -> Self {
        self.consecutive = Some(n);
        self
    }

    /// Trips when failures make up at least `ratio` of the calls in
    /// `window`, once it holds the minimum number of calls.
    pub fn failure_ratio(mut self, ratio: f64, window: Window) -> Self {
        self.rules.push(RuleSpec {
            meter: Meter::Failures,
            ratio,
            window,
            default: false,
        });
        self
    }

    /// Trips when calls that took longer than `slower_than` make up at least
    /// `ratio` of the calls in `window`, whether they succeeded or failed.
    ///
    /// Timing a call reads the clock when it starts and when it ends.
    pub fn slow_call_ratio(mut self, ratio: f64, slower_than: Duration, window: Window) -> Self {
        let threshold = u64::try_from(slower_than.as_nanos()).unwrap_or(u64::MAX);
        self.rules.push(RuleSpec {
            meter: Meter::SlowCalls(threshold),
            ratio,
            window,
            default: false,
        });
        self
    }

    /// Sets how many calls a window must hold before its ratio can trip.
    pub fn minimum_calls(mut self, n: u32) -> Self {
        self.minimum = Some(n);
        self
    }

    /// Sets how long the breaker stays open: a `Duration`, or a wait
    /// strategy whose delay grows each time the breaker re-opens without
    /// closing in between, and starts over when it closes.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon_breaker::Breaker;
    /// use backon_wait::{Exponential, WaitExt};
    /// use std::time::Duration;
    ///
    /// // 1 s, then 2, 4, 8 … up to a minute while probes keep failing.
    /// let breaker = Breaker::builder()
    ///     .open_for(Exponential::new(Duration::from_secs(1)).max(Duration::from_secs(60)))
    ///     .build()?;
    /// # let _ = breaker;
    /// # Ok::<(), backon_breaker::BuildError>(())
    /// ```
    pub fn open_for<W>(mut self, wait: W) -> Self
    where
        W: Wait + Clone + Send + Sync + 'static,
        W::State: Send,
    {
        self.open_for = Arc::new(wait);
        self
    }

    /// Sets how many probes a half-open breaker admits at a time.
    pub fn probes(mut self, n: u32) -> Self {
        self.probes = n;
        self
    }

    /// Sets how many probe successes close a half-open breaker.
    pub fn successes_to_close(mut self, n: u32) -> Self {
        self.successes = n;
        self
    }

    /// Seeds the jitter of the open duration's wait strategy; by default
    /// each breaker draws a random seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Adds a listener for the breaker's events.
    pub fn listen<L: BreakerListener + 'static>(mut self, listener: L) -> Self {
        self.listeners.push(Arc::new(listener));
        self
    }

    /// Replaces the classifier, which decides which outcomes are failures,
    /// successes, or ignored.
    ///
    /// # Examples
    ///
    /// ```
    /// use backon_breaker::{Breaker, Outcome, State};
    ///
    /// #[derive(Debug)]
    /// enum ApiError { NotFound, Unavailable }
    /// # impl From<backon_breaker::BreakerOpen> for ApiError {
    /// #     fn from(_: backon_breaker::BreakerOpen) -> Self { ApiError::Unavailable }
    /// # }
    ///
    /// let breaker = Breaker::builder()
    ///     .consecutive_failures(1)
    ///     .classify(|r: &Result<(), ApiError>| match r {
    ///         Err(ApiError::Unavailable) => Outcome::Failure,
    ///         Err(ApiError::NotFound) => Outcome::Ignored,
    ///         Ok(()) => Outcome::Success,
    ///     })
    ///     .build()?;
    ///
    /// let _ = breaker.call(|| Err(ApiError::NotFound));
    /// assert_eq!(breaker.state(), State::Closed);
    /// # Ok::<(), backon_breaker::BuildError>(())
    /// ```
    pub fn classify<C2>(self, classify: C2) -> Builder<R, C2> {
        Builder {
            clock: self.clock,
            classify,
            consecutive: self.consecutive,
            rules: self.rules,
            minimum: self.minimum,
            open_for: self.open_for,
            probes: self.probes,
            successes: self.successes,
            listeners: self.listeners,
            seed: self.seed,
        }
    }

    /// Replaces the clock: `backon_testing::VirtualTime` in tests, a
    /// runtime's clock (tokio's, to follow its paused time) in services.
    pub fn clock<R2: Clock>(self, clock: R2) -> Builder<R2, C> {
        Builder {
            clock,
            classify: self.classify,
            consecutive: self.consecutive,
            rules: self.rules,
            minimum: self.minimum,
            open_for: self.open_for,
            probes: self.probes,
            successes: self.successes,
            listeners: self.listeners,
            seed: self.seed,
        }
    }

    /// Makes a set of breakers, one per key, each built from these
    /// settings; see [`KeyedBuilder`].
    pub fn keyed<K>(self) -> KeyedBuilder<K, R, C> {
        KeyedBuilder::new(self)
    }
}

impl<R, C> Builder<R, C>
where
    R: Clock + Clone + Send + Sync + 'static,
    R::Instant: Send + Sync,
    C: Clone + Send + Sync + 'static,
{
    /// Builds the breaker, closed.
    ///
    /// # Errors
    ///
    /// Returns a [`BuildError`] naming the first setting that cannot work.
    pub fn build(self) -> Result<Breaker<R, C>, BuildError> {
        self.validate()?;
        Ok(self.assemble())
    }

    /// Checks every setting; after it, [`assemble`](Self::assemble)
    /// cannot fail.
    pub(crate) fn validate(&self) -> Result<(), BuildError> {
        if self.consecutive == Some(0) {
            return Err(BuildError::ZeroConsecutiveFailures);
        }
        check_count(self.probes, "probes", BuildError::ZeroProbes)?;
        check_count(
            self.successes,
            "successes to close",
            BuildError::ZeroSuccesses,
        )?;

        for rule in &self.ratio_rules() {
            check_rule(rule, self.minimum)?;
        }
        Ok(())
    }

    /// The ratio rules the breaker gets: those set, or the default one
    /// when no rule at all is set. A minimum of calls applies to the
    /// default rule too, so it is checked against it.
    fn ratio_rules(&self) -> Vec<RuleSpec> {
        if self.rules.is_empty() && self.consecutive.is_none() {
            vec![RuleSpec::default_rule()]
        } else {
            self.rules.clone()
        }
    }

    /// Builds a breaker from validated settings.
    pub(crate) fn assemble(&self) -> Breaker<R, C> {
        let rules: Box<[RatioRule]> = self.ratio_rules().iter().map(|s| self.rule(s)).collect();
        let seed = self.seed.unwrap_or_else(backon_core::std_seed);

        Breaker::from_shared(Shared {
            state: AtomicU64::new(Word::new(State::Closed, 0).0),
            open_until: AtomicU64::new(0),
            consecutive: self.consecutive.map(|limit| Consecutive {
                limit,
                count: AtomicU32::new(0),
            }),
            reads_clock: rules.iter().any(RatioRule::reads_clock),
            times_calls: rules.iter().any(RatioRule::times_calls),
            rules,
            probes: self.probes,
            successes: self.successes,
            opening: Mutex::new(self.open_for.make(seed)),
            listeners: self.listeners.clone().into_boxed_slice(),
            classify: self.classify.clone(),
            origin: self.clock.now(),
            clock: self.clock.clone(),
        })
    }

    fn rule(&self, spec: &RuleSpec) -> RatioRule {
        let (window, size) = match spec.window.0 {
            WindowSpec::Calls(n) => (Tracker::Calls(CountWindow::new(n)), n),
            WindowSpec::Time {
                length, buckets, ..
            } => (Tracker::Time(TimeWindow::new(length, buckets)), u32::MAX),
        };
        RatioRule {
            meter: spec.meter,
            ratio: spec.ratio,
            minimum: u64::from(self.minimum.unwrap_or(DEFAULT_MINIMUM.min(size))),
            window,
        }
    }

    /// Adds a listener shared with other builders.
    pub(crate) fn listen_shared(mut self, listener: Arc<dyn BreakerListener>) -> Self {
        self.listeners.push(listener);
        self
    }
}

fn check_count(n: u32, setting: &'static str, zero: BuildError) -> Result<(), BuildError> {
    if n == 0 {
        Err(zero)
    } else if n > MAX_COUNTER {
        Err(BuildError::TooLarge {
            setting,
            max: MAX_COUNTER,
        })
    } else {
        Ok(())
    }
}

/// The largest count window, in calls.
const MAX_COUNT_WINDOW: u32 = 1_000_000;

fn check_rule(rule: &RuleSpec, minimum: Option<u32>) -> Result<(), BuildError> {
    let setting = rule.setting();

    // Written so that NaN fails too.
    if !(rule.ratio > 0.0 && rule.ratio <= 1.0) {
        return Err(BuildError::InvalidRatio {
            setting,
            ratio: rule.ratio,
        });
    }

    match rule.window.0 {
        WindowSpec::Calls(0) => Err(BuildError::ZeroWindow { setting }),
        // The window keeps every call's outcome and is allocated when the
        // breaker is built, so its size is bounded.
        WindowSpec::Calls(window) if window > MAX_COUNT_WINDOW => Err(BuildError::TooLarge {
            setting: match rule.meter {
                Meter::Failures => "failure_ratio's Window::calls",
                Meter::SlowCalls(_) => "slow_call_ratio's Window::calls",
            },
            max: MAX_COUNT_WINDOW,
        }),
        WindowSpec::Calls(window) => match minimum {
            Some(minimum) if minimum > window => Err(BuildError::MinimumAboveWindow {
                setting,
                minimum,
                window,
            }),
            _ => Ok(()),
        },
        WindowSpec::Time { length, .. } if length.is_zero() => {
            Err(BuildError::ZeroWindow { setting })
        }
        WindowSpec::Time {
            length,
            buckets,
            default,
        } => {
            // Every bucket lasts at least a nanosecond.
            let fits = (1..=Window::MAX_BUCKETS).contains(&buckets)
                && length.as_nanos() >= u128::from(buckets);
            if fits {
                Ok(())
            } else {
                Err(BuildError::InvalidBuckets {
                    setting,
                    length,
                    buckets,
                    default,
                })
            }
        }
    }
}

impl<R: Clone, C: Clone> Clone for Builder<R, C> {
    fn clone(&self) -> Self {
        Builder {
            clock: self.clock.clone(),
            classify: self.classify.clone(),
            consecutive: self.consecutive,
            rules: self.rules.clone(),
            minimum: self.minimum,
            open_for: self.open_for.clone(),
            probes: self.probes,
            successes: self.successes,
            listeners: self.listeners.clone(),
            seed: self.seed,
        }
    }
}

impl<R: fmt::Debug, C> fmt::Debug for Builder<R, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Builder")
            .field("clock", &self.clock)
            .field("consecutive", &self.consecutive)
            .field("rules", &self.rules)
            .field("minimum", &self.minimum)
            .field("probes", &self.probes)
            .field("successes", &self.successes)
            .field("listeners", &self.listeners.len())
            .finish_non_exhaustive()
    }
}
