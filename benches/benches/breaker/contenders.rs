//! The breakers compared, each built once and shared by every call: ours
//! with the consecutive-failures rule, with a count window and with a time
//! window, `failsafe` with its consecutive-failures policy, and `recloser`
//! with its count window. Each call says whether it ran and succeeded.

use backon::breaker::{Breaker, Window};
use backon_benches::{Busy, succeed};
use failsafe::failure_policy::{ConsecutiveFailures, consecutive_failures};
use failsafe::{CircuitBreaker, Config, StateMachine, backoff};
use recloser::Recloser;
use std::time::Duration;

type Failsafe = StateMachine<ConsecutiveFailures<backoff::Constant>, ()>;

pub(crate) struct Contenders {
    consecutive: Breaker,
    count_window: Breaker,
    time_window: Breaker,
    failsafe: Failsafe,
    recloser: Recloser,
}

impl Contenders {
    pub(crate) fn new() -> Self {
        let open_for = Duration::from_secs(5);
        let build = |b: backon::breaker::Builder| b.open_for(open_for).build().expect("valid");

        Contenders {
            consecutive: build(Breaker::builder().consecutive_failures(5)),
            count_window: build(Breaker::builder().failure_ratio(0.5, Window::calls(100))),
            time_window: build(
                Breaker::builder().failure_ratio(0.5, Window::time(Duration::from_secs(30))),
            ),
            failsafe: Config::new()
                .failure_policy(consecutive_failures(5, backoff::constant(open_for)))
                .build(),
            recloser: Recloser::custom()
                .error_rate(0.5)
                .closed_len(100)
                .open_wait(open_for)
                .build(),
        }
    }

    pub(crate) fn consecutive(&self) -> bool {
        ours(&self.consecutive)
    }

    pub(crate) fn count_window(&self) -> bool {
        ours(&self.count_window)
    }

    pub(crate) fn time_window(&self) -> bool {
        ours(&self.time_window)
    }

    pub(crate) fn failsafe(&self) -> bool {
        self.failsafe.call(succeed).is_ok()
    }

    pub(crate) fn recloser(&self) -> bool {
        self.recloser.call(succeed).is_ok()
    }
}

#[derive(Debug)]
enum Error {
    Busy,
    Open,
}

impl From<backon::breaker::BreakerOpen> for Error {
    fn from(_: backon::breaker::BreakerOpen) -> Self {
        Error::Open
    }
}

fn ours(breaker: &Breaker) -> bool {
    breaker
        .call(|| succeed().map_err(|Busy| Error::Busy))
        .is_ok()
}
