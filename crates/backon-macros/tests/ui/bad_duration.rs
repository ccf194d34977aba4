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

fn main() {}
