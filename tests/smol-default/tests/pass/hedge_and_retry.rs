//! A hedged call and a retry awaited on smol, with no runtime named.

use backon::prelude::*;
use std::future::pending;
use std::time::Duration;

fn main() {
    smol::block_on(async {
        // The primary never answers, so only the hedge, started after
        // 2 ms on smol's timer, can end the call.
        let policy = HedgePolicy::new(Duration::from_millis(2));
        let won = (|replica: u32| async move {
            if replica == 0 {
                pending::<()>().await;
            }
            Ok::<_, std::io::Error>(replica)
        })
        .hedge(&policy)
        .await;
        assert_eq!(won.unwrap(), 1);

        // Two failures, each followed by a 1 ms sleep on smol's timer.
        let policy = Policy::new(Duration::from_millis(1), after_attempts(3).unwrap());
        let mut calls = 0;
        let report = (|| {
            calls += 1;
            let outcome = if calls < 3 { Err("busy") } else { Ok(calls) };
            async move { outcome }
        })
        .retry(&policy)
        .with_report()
        .await;
        assert_eq!(report.result, Ok(3));
        assert_eq!(report.attempts, 3);
    });
}
