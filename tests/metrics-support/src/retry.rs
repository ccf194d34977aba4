//! Retried calls on virtual time, each with known counts of attempts,
//! retries and endings.

use backon::Listener;
use backon::budget::TokenBudget;
use backon::condition::when_err;
use backon::prelude::*;
use backon::testing::VirtualTime;
use std::time::Duration;

/// An operation that takes `took` of virtual time and fails `failures`
/// times with `"down"` before it succeeds with the number of its calls.
pub fn flaky(
    time: &VirtualTime,
    failures: u32,
    took: Duration,
) -> impl FnMut() -> Result<u32, &'static str> + use<> {
    let time = time.clone();
    let mut calls = 0;
    move || {
        calls += 1;
        time.advance(took);
        if calls <= failures {
            Err("down")
        } else {
            Ok(calls)
        }
    }
}

/// One retried call of each ending, with `listener` on the policy: a
/// success after one failure, and a give-up after two attempts. In all: 4
/// attempts, 2 retries of 5 ms, 1 success, 1 give-up by the attempt limit.
///
/// # Panics
///
/// Never, but for a policy that does not build.
pub fn retry_each_ending<L: Listener<&'static str>>(listener: L) {
    let policy = Policy::new(Duration::from_millis(5), after_attempts(2).unwrap()).listen(listener);
    let time = VirtualTime::new();

    let mut n = 0;
    let _ = (|| {
        n += 1;
        if n == 1 { Err("once") } else { Ok(()) }
    })
    .retry(&policy)
    .runtime(time.clone())
    .call();
    let _ = (|| Err::<(), _>("down"))
        .retry(&policy)
        .runtime(time)
        .call();
}

/// Three calls that always fail, with `listener` on their policies, each
/// giving up for its own reason: the attempt limit (3 attempts), the time
/// limit (3 attempts, at 0, 1 and 2 s of a 2 s limit), and an error the
/// condition does not retry (1 attempt). In all: 7 attempts, 4 retries of
/// 1 s, 3 give-ups.
///
/// # Panics
///
/// Panics when a call does not fail with `"down"`.
pub fn give_up_each_way<L: Listener<&'static str> + Clone>(listener: L) {
    let time = VirtualTime::new();
    let secs = Duration::from_secs;

    let by_attempts = Policy::new(secs(1), after_attempts(3).unwrap()).listen(listener.clone());
    let by_time = Policy::new(secs(1), time_limit(secs(2)).unwrap()).listen(listener.clone());
    let refusing = Policy::new(secs(1), after_attempts(3).unwrap())
        .retry_when(when_err(|e: &&str| *e != "down"))
        .listen(listener);

    let fail = || flaky(&time, 9, Duration::ZERO);
    let r = fail().retry(&by_attempts).runtime(time.clone()).call();
    assert_eq!(r, Err("down"));
    let r = fail().retry(&by_time).runtime(time.clone()).call();
    assert_eq!(r, Err("down"));
    let r = fail().retry(&refusing).runtime(time.clone()).call();
    assert_eq!(r, Err("down"));
}

/// A call that always fails, under a retry budget of one token, with
/// `listener` on the policy. In all: 2 attempts, 1 retry of 1 s, 1 give-up
/// by the budget.
///
/// # Panics
///
/// Panics when the call does not fail with `"down"`.
pub fn exhaust_a_budget<L: Listener<&'static str>>(listener: L) {
    let budget = TokenBudget::builder()
        .capacity(1.0)
        .refund(0.0)
        .build()
        .unwrap();
    let policy = Policy::new(Duration::from_secs(1), after_attempts(5).unwrap())
        .budget(budget)
        .listen(listener);
    let time = VirtualTime::new();

    // One retry from the budget, then it is empty.
    let r = flaky(&time, 9, Duration::ZERO)
        .retry(&policy)
        .runtime(time.clone())
        .call();
    assert_eq!(r, Err("down"));
}

/// Calls of two operations, each with its listener: `users` makes one call
/// that fails once (2 attempts, 1 retry), `orders` three that succeed at
/// once (3 attempts, no retry).
///
/// # Panics
///
/// Never, but for a policy that does not build.
pub fn two_operations<L: Listener<&'static str>>(users: L, orders: L) {
    let time = VirtualTime::new();
    let users = Policy::new(Duration::from_millis(100), after_attempts(2).unwrap()).listen(users);
    let orders = Policy::new(Duration::from_millis(100), after_attempts(2).unwrap()).listen(orders);

    let _ = flaky(&time, 1, Duration::ZERO)
        .retry(&users)
        .runtime(time.clone())
        .call();
    for _ in 0..3 {
        let _ = flaky(&time, 0, Duration::ZERO)
            .retry(&orders)
            .runtime(time.clone())
            .call();
    }
}

/// Calls of two operations that end apart, each with its listener: `users`
/// makes two calls that succeed at once, each attempt taking 10 ms;
/// `orders` one that fails twice and gives up by the attempt limit, each
/// attempt taking 20 ms, after one retry of 100 ms.
///
/// # Panics
///
/// Panics when a call does not end as described.
pub fn two_operations_end_apart<L: Listener<&'static str>>(users: L, orders: L) {
    let time = VirtualTime::new();
    let users = Policy::new(Duration::from_millis(100), after_attempts(2).unwrap()).listen(users);
    let orders = Policy::new(Duration::from_millis(100), after_attempts(2).unwrap()).listen(orders);

    for _ in 0..2 {
        let r = flaky(&time, 0, Duration::from_millis(10))
            .retry(&users)
            .runtime(time.clone())
            .call();
        assert_eq!(r, Ok(1));
    }
    let r = flaky(&time, 5, Duration::from_millis(20))
        .retry(&orders)
        .runtime(time.clone())
        .call();
    assert_eq!(r, Err("down"));
}

/// 4 threads that share one policy with `listener`, each making 250 calls
/// that fail once. In all: 1,000 successes, 2,000 attempts, 1,000 retries.
///
/// # Panics
///
/// Panics when a call does not succeed on its second attempt.
pub fn retry_on_threads<L: Listener<&'static str> + Sync>(listener: L) {
    let policy = Policy::new(Duration::from_millis(1), after_attempts(2).unwrap()).listen(listener);

    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                let time = VirtualTime::new();
                for _ in 0..250 {
                    let r = flaky(&time, 1, Duration::ZERO)
                        .retry(&policy)
                        .runtime(time.clone())
                        .call();
                    assert_eq!(r, Ok(2));
                }
            });
        }
    });
}

/// An async call, with `listener` on the policy, whose attempts each take
/// 100 ms and fail twice. In all: 3 attempts, 2 retries of 2 s, 1 success.
///
/// # Panics
///
/// Panics when the call does not succeed on its third attempt.
pub async fn fail_twice_async<L: Listener<&'static str>>(listener: L) {
    let policy = Policy::new(Duration::from_secs(2), after_attempts(3).unwrap()).listen(listener);
    let time = VirtualTime::new();

    let clock = time.clone();
    let mut calls = 0;
    let op = || {
        calls += 1;
        let (clock, n) = (clock.clone(), calls);
        async move {
            clock.advance(Duration::from_millis(100));
            if n < 3 { Err("down") } else { Ok(n) }
        }
    };
    assert_eq!(op.retry(&policy).runtime(time.clone()).await, Ok(3));
}
