use backon::retry;

#[retry(delay = "100")]
fn no_unit() -> Result<(), ()> {
    Ok(())
}

#[retry(max_delay = "5sec")]
fn unknown_unit() -> Result<(), ()> {
    Ok(())
}

#[retry(delay = "1m")]
fn above_the_default_cap() -> Result<(), ()> {
    Ok(())
}

#[retry(time_limit = "0s")]
fn zero_time_limit() -> Result<(), ()> {
    Ok(())
}

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
