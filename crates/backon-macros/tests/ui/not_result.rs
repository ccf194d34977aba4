use backon::retry;

#[retry]
fn nothing() {}

#[retry]
fn maybe() -> Option<u32> {
    Some(1)
}

#[retry]
fn later() -> impl std::future::Future<Output = Result<(), ()>> {
    async { Ok(()) }
}

fn main() {}
