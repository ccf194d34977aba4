//! Hedging on the smol and async-std runtimes, with their real timers kept
//! to a couple of milliseconds.

use backon::hedge::{HedgePolicy, Hedged};
use backon::runtime::{AsyncStdRuntime, SmolRuntime};
use std::future::pending;
use std::time::Duration;

/// The primary never answers; the hedge answers at once with its index.
async fn stuck_primary(index: u32) -> Result<u32, ()> {
    if index == 0 {
        pending::<()>().await;
    }
    Ok(index)
}

#[test]
fn a_hedge_beats_a_stuck_primary_on_smol() {
    let policy = HedgePolicy::new(Duration::from_millis(2));

    let result = smol::block_on(Hedged::new(stuck_primary, &policy, SmolRuntime));

    assert_eq!(result, Ok(1));
}

#[test]
fn a_hedge_beats_a_stuck_primary_on_async_std() {
    let policy = HedgePolicy::new(Duration::from_millis(2));

    let result = async_std::task::block_on(Hedged::new(stuck_primary, &policy, AsyncStdRuntime));

    assert_eq!(result, Ok(1));
}
