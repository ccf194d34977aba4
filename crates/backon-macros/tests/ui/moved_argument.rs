use backon::retry;

fn send(body: String) -> Result<(), String> {
    Err(body)
}

// Each attempt needs the body again; the first one moves it away.
#[retry(attempts = 3)]
fn upload(body: String) -> Result<(), String> {
    send(body)
}

fn main() {}
