use backon::prelude::*;
use std::time::Duration;

fn main() {
    let policy = Policy::new(Duration::from_millis(1), after_attempts(3).unwrap());
    let _fut = async {
        let _ = (|| async { Ok::<(), ()>(()) }).retry(&policy).await;
    };
}
