use backon::retry;

#[retry(attempts = "5")]
fn attempts_as_text() -> Result<(), ()> {
    Ok(())
}

#[retry(delay = 100)]
fn delay_as_number() -> Result<(), ()> {
    Ok(())
}

#[retry(backoff = "linear")]
fn backoff_in_quotes() -> Result<(), ()> {
    Ok(())
}

#[retry(jitter = some)]
fn unknown_jitter() -> Result<(), ()> {
    Ok(())
}

#[retry(when = "timeout")]
fn when_as_text() -> Result<(), ()> {
    Ok(())
}

fn main() {}
