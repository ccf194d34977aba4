//! A real breaker on virtual time.

use backon::breaker::{Breaker, BreakerListener, BreakerOpen};
use backon::testing::VirtualTime;
use std::time::Duration;

/// An operation's error that a breaker's rejection converts into, and
/// that allocates nothing.
#[derive(Debug)]
pub enum Error {
    /// The operation failed.
    Down,
    /// The breaker rejected the call.
    Open,
}

impl From<BreakerOpen> for Error {
    fn from(_: BreakerOpen) -> Self {
        Error::Open
    }
}

/// Trips a real breaker on virtual time, with `listener` attached: two
/// failures open it, two calls are rejected, a failed probe re-opens it, a
/// third call is rejected, and a good probe closes it. In all: transitions
/// closed→open 1, open→half_open 2, half_open→open 1, half_open→closed 1;
/// rejections 3; the breaker ends closed.
///
/// # Panics
///
/// Panics when a call does not end as described.
pub fn trip_a_breaker<L>(listener: L)
where
    L: BreakerListener + 'static,
{
    let time = VirtualTime::new();
    let breaker = Breaker::builder()
        .clock(time.clone())
        .consecutive_failures(2)
        .open_for(Duration::from_secs(5))
        .probes(1)
        .successes_to_close(1)
        .listen(listener)
        .build()
        .expect("the breaker builds");
    let fail = || breaker.call(|| Err::<(), _>(Error::Down));
    let succeed = || breaker.call(|| Ok::<(), Error>(()));

    assert!(matches!(fail(), Err(Error::Down)));
    assert!(matches!(fail(), Err(Error::Down)));
    assert!(matches!(succeed(), Err(Error::Open)));
    assert!(matches!(succeed(), Err(Error::Open)));
    time.advance(Duration::from_secs(5));
    assert!(matches!(fail(), Err(Error::Down)), "the probe runs");
    assert!(matches!(succeed(), Err(Error::Open)));
    time.advance(Duration::from_secs(5));
    assert!(matches!(succeed(), Ok(())), "the probe runs");
    assert!(matches!(succeed(), Ok(())), "closed again");
}

/// Two breakers, each with its listener: `users` goes through
/// [`trip_a_breaker`]; `orders` opens on its first failure and stays open.
/// In all for `orders`: one transition closed→open, no rejection.
///
/// # Panics
///
/// Panics when a call does not end as described.
pub fn two_breakers<L>(users: L, orders: L)
where
    L: BreakerListener + 'static,
{
    trip_a_breaker(users);

    let breaker = Breaker::builder()
        .clock(VirtualTime::new())
        .consecutive_failures(1)
        .listen(orders)
        .build()
        .expect("the breaker builds");
    let r = breaker.call(|| Err::<(), _>(std::io::Error::other("down")));
    assert!(r.is_err());
}
