use backon::retry;

#[retry(retries = 3)]
fn known_elsewhere() -> Result<(), ()> {
    Ok(())
}

#[retry(attempts = 3, colour = blue)]
fn unknown() -> Result<(), ()> {
    Ok(())
}

#[retry(attempts = 3, attempts = 4)]
fn twice() -> Result<(), ()> {
    Ok(())
}

#[retry(attempts)]
fn no_value() -> Result<(), ()> {
    Ok(())
}

#[retry(policy = backon::default_policy(), attempts = 3)]
fn both() -> Result<(), ()> {
    Ok(())
}

#[retry(3)]
fn positional() -> Result<(), ()> {
    Ok(())
}

fn main() {}
