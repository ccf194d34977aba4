//! The permit a call holds while it runs.

use core::fmt;
use std::sync::Arc;

/// What a half-open probe gives back when it ends unrecorded.
pub(crate) trait Release: Send + Sync {
    fn release(&self, generation: u64);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Closed,
    Probe,
    Disabled,
}

/// Leave to run one call, from [`Breaker::permit`](crate::Breaker::permit).
///
/// Give it back with the call's outcome through
/// [`Breaker::record`](crate::Breaker::record). A half-open probe's permit
/// that is dropped instead (the call was cancelled, or it or the
/// classifier panicked) goes back to the breaker and counts neither as a
/// success nor as a failure. A closed-state permit holds no reference to
/// the breaker and costs nothing to drop.
#[must_use = "a permit is given back with the call's outcome through Breaker::record"]
pub struct Permit {
    pub(crate) kind: Kind,
    pub(crate) generation: u64,
    /// When the call started, in nanoseconds on the breaker's clock; zero
    /// unless a slow-call rule times calls.
    pub(crate) started: u64,
    pub(crate) probe: Option<ProbeGuard>,
}

/// What makes a probe's permit give itself back when dropped. Only probes
/// carry one, so a closed-state permit has no drop glue to run.
pub(crate) struct ProbeGuard {
    pub(crate) shared: Option<Arc<dyn Release>>,
    pub(crate) generation: u64,
}

impl ProbeGuard {
    /// Drops the guard without giving anything back.
    fn disarm(mut self) {
        self.shared = None;
    }
}

impl Drop for ProbeGuard {
    fn drop(&mut self) {
        if let Some(shared) = self.shared.take() {
            shared.release(self.generation);
        }
    }
}

impl Permit {
    #[inline]
    pub(crate) const fn new(kind: Kind, generation: u64, started: u64) -> Self {
        Permit {
            kind,
            generation,
            started,
            probe: None,
        }
    }

    /// Returns whether this permit is for a half-open probe.
    #[inline]
    pub fn is_probe(&self) -> bool {
        self.kind == Kind::Probe
    }

    /// Takes the permit apart so that it gives nothing back.
    #[inline]
    pub(crate) fn disarm(self) -> (Kind, u64, u64) {
        let Permit {
            kind,
            generation,
            started,
            probe,
        } = self;
        if let Some(probe) = probe {
            probe.disarm();
        }
        (kind, generation, started)
    }
}

impl fmt::Debug for Permit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Permit")
            .field("kind", &self.kind)
            .field("generation", &self.generation)
            .finish_non_exhaustive()
    }
}
