use backon::Policy;
use backon::stop::after_attempts;
use std::time::Duration;

fn main() {
    let policy = Policy::new(Duration::from_millis(1), after_attempts(3).unwrap());
    let _attempts = backon::attempts::<_, ()>(&policy);
}
