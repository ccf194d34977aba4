use backon::retry;

struct Counter {
    calls: u32,
}

impl Counter {
    #[retry(attempts = 3)]
    fn bump(&mut self) -> Result<u32, ()> {
        self.calls += 1;
        Ok(self.calls)
    }

    #[retry(attempts = 3)]
    fn take(mut self) -> Result<u32, ()> {
        self.calls += 1;
        Ok(self.calls)
    }
}

fn main() {}
