use backon::retry;
use backon::testing::VirtualTime;
use std::cell::Cell;
use std::sync::LazyLock;
use std::time::Duration;

static POLICY: LazyLock<backon::DefaultPolicy> = LazyLock::new(backon::default_policy);
static PLAIN: backon::Policy<Duration, backon::stop::AfterAttempts> = backon::Policy::new(
    Duration::from_millis(1),
    match backon::stop::AfterAttempts::new(3) {
        Ok(s) => s,
        Err(_) => panic!(),
    },
);

#[retry(attempts = 3, delay = "1s", backoff = constant, jitter = none, runtime = time.clone())]
fn flaky(calls: &Cell<u32>, time: &VirtualTime) -> Result<u32, &'static str> {
    calls.set(calls.get() + 1);
    if calls.get() < 3 {
        return Err("busy");
    }
    Ok(calls.get())
}

#[retry(policy = POLICY, runtime = time.clone())]
fn lazy(time: &VirtualTime) -> Result<(), &'static str> {
    Err("x")
}

#[retry(policy = PLAIN, runtime = time.clone())]
fn plain(time: &VirtualTime) -> Result<(), &'static str> {
    Err("x")
}

#[retry(policy = backon::default_policy, runtime = time.clone())]
fn by_fn(time: &VirtualTime) -> Result<(), &'static str> {
    Err("x")
}

#[retry(policy = backon::default_policy(), runtime = time.clone())]
fn by_call(time: &VirtualTime) -> Result<(), &'static str> {
    Err("x")
}

struct Client {
    time: VirtualTime,
    policy: backon::DefaultPolicy,
}
impl Client {
    #[retry(policy = &self.policy, runtime = self.time.clone())]
    async fn get(&self, key: &str) -> Result<String, std::io::Error> {
        let n: u32 = key.parse().map_err(std::io::Error::other)?;
        Ok(format!("{n}"))
    }
    #[retry(runtime = self.time.clone())]
    async fn generic<T: std::fmt::Display>(&self, x: T, y: impl AsRef<str>) -> Result<String, ()> {
        Ok(format!("{x}{}", y.as_ref()))
    }
}

#[test]
fn smoke() {
    let time = VirtualTime::new();
    let calls = Cell::new(0);
    assert_eq!(flaky(&calls, &time), Ok(3));
    assert_eq!(time.sleeps(), [Duration::from_secs(1); 2]);
    for f in [lazy, plain, by_fn, by_call] {
        let time = VirtualTime::new();
        assert_eq!(f(&time), Err("x"));
        assert!(time.sleeps().len() >= 2);
    }
}

#[tokio::test]
async fn smoke_async() {
    let c = Client {
        time: VirtualTime::new(),
        policy: backon::default_policy(),
    };
    assert_eq!(c.get("12").await.unwrap(), "12");
    assert!(c.get("x").await.is_err());
    assert_eq!(c.time.sleeps().len(), 4);
    assert_eq!(c.generic(1, "a").await, Ok("1a".into()));
}
