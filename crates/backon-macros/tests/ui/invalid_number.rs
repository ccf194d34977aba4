use backon::retry;

#[retry(attempts = 0)]
fn no_attempt() -> Result<(), ()> {
    Ok(())
}

#[retry(factor = 0.5)]
fn shrinking() -> Result<(), ()> {
    Ok(())
}

#[retry(backoff = linear, factor = 3)]
fn factor_of_linear() -> Result<(), ()> {
    Ok(())
}

fn main() {}
