//! How long the breaker stays open: a wait strategy, stepped once per
//! opening and started over when the breaker closes.

use backon_core::Wait;
use core::fmt;
use core::time::Duration;

/// The open duration with its state, behind the breaker's transition lock.
pub(crate) trait OpenFor: Send {
    /// The duration of the next opening.
    fn next(&mut self) -> Duration;

    /// Starts over: the breaker closed.
    fn reset(&mut self);
}

/// Makes a fresh [`OpenFor`] for each breaker a builder builds.
pub(crate) trait MakeOpenFor: Send + Sync {
    fn make(&self, seed: u64) -> Box<dyn OpenFor>;
}

pub(crate) struct Growing<W: Wait> {
    wait: W,
    seed: u64,
    state: Option<W::State>,
    /// Openings since the breaker last closed.
    openings: u32,
}

impl<W> OpenFor for Growing<W>
where
    W: Wait + Send,
    W::State: Send,
{
    fn next(&mut self) -> Duration {
        self.openings = self.openings.saturating_add(1);
        let (wait, seed) = (&self.wait, self.seed);
        let state = self.state.get_or_insert_with(|| wait.start(seed));
        self.wait.next(state, self.openings)
    }

    fn reset(&mut self) {
        self.state = None;
        self.openings = 0;
    }
}

impl<W> MakeOpenFor for W
where
    W: Wait + Clone + Send + Sync + 'static,
    W::State: Send,
{
    fn make(&self, seed: u64) -> Box<dyn OpenFor> {
        Box::new(Growing {
            wait: self.clone(),
            seed,
            state: None,
            openings: 0,
        })
    }
}

impl fmt::Debug for dyn OpenFor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OpenFor(..)")
    }
}

impl fmt::Debug for dyn MakeOpenFor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MakeOpenFor(..)")
    }
}
