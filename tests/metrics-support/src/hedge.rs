//! Hedged calls on tokio's paused clock.

use backon::Listener;
use backon::budget::TokenBudget;
use backon::prelude::*;
use std::time::Duration;

/// Hedged calls on tokio's paused clock, with `listener` on their policies:
/// a hedge that wins, a primary that wins alone, and a budget that refuses
/// a hedge. In all: 2 hedges launched, wins 3 by index 0 and 1 by index 1,
/// 1 hedge refused by the budget.
///
/// # Panics
///
/// Panics when a call does not end as described.
pub fn hedge_a_few<L>(listener: L)
where
    L: Listener<&'static str> + Clone,
{
    let ms = Duration::from_millis;
    // Attempt `i` answers after `took`.
    async fn answer(took: Duration, i: u32) -> Result<u32, &'static str> {
        tokio::time::sleep(took).await;
        Ok(i)
    }

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a paused current-thread runtime builds");

    runtime.block_on(async {
        // The primary is stuck for a second; hedge 1, launched at 50 ms,
        // answers at 60 ms, before hedge 2 is due.
        let policy = HedgePolicy::new(ms(50)).extra(2).listen(listener.clone());
        let slow_primary = |i: u32| answer(if i == 0 { ms(1000) } else { ms(10) }, i);
        assert_eq!(slow_primary.hedge(&policy).await, Ok(1));

        // A primary that answers at once: no hedge.
        assert_eq!((|i: u32| answer(ms(0), i)).hedge(&policy).await, Ok(0));

        // One token: the first call's hedge takes it, the second call's
        // hedge is refused. Both primaries win at 100 ms.
        let budget = TokenBudget::builder()
            .capacity(1.0)
            .refund(0.0)
            .build()
            .unwrap();
        let budgeted = HedgePolicy::new(ms(10))
            .extra(1)
            .budget(budget)
            .listen(listener);
        for _ in 0..2 {
            assert_eq!((|i: u32| answer(ms(100), i)).hedge(&budgeted).await, Ok(0));
        }
    });
}
