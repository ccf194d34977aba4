//! The simulated service of the tail-latency benchmark: seeded, and the
//! same for every contender.

use std::time::Duration;

/// A fast answer, 95 % of attempts.
pub(crate) const FAST: Duration = Duration::from_millis(10);

/// A slow answer, 5 % of attempts.
pub(crate) const SLOW: Duration = Duration::from_secs(1);

/// How long attempt `attempt` (0 for the primary) of call `call` takes.
///
/// A pure function of its arguments, so a hedge of call 7 takes the same
/// time whichever contender sends it.
pub(crate) fn latency(call: u64, attempt: u32) -> Duration {
    if draw(call, attempt) % 100 < 5 {
        SLOW
    } else {
        FAST
    }
}

/// A seeded, well-mixed draw per (call, attempt).
fn draw(call: u64, attempt: u32) -> u64 {
    const SEED: u64 = 0x5EED_0FBA_C0DE;
    let mut z = SEED ^ call.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (u64::from(attempt) << 48);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A request as `tower::hedge` sees it: which call, which attempt.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Request {
    pub(crate) call: u64,
    pub(crate) attempt: u32,
}

/// The `tower::hedge` policy: every request may be hedged once, as the
/// hedge's attempt.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HedgeAll;

impl tower::hedge::Policy<Request> for HedgeAll {
    fn clone_request(&self, req: &Request) -> Option<Request> {
        Some(Request {
            call: req.call,
            attempt: req.attempt + 1,
        })
    }

    fn can_retry(&self, _req: &Request) -> bool {
        true
    }
}
