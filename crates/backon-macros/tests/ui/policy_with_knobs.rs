use backon::retry;

#[retry(policy = backon::default_policy(), attempts = 3)]
fn both() -> Result<(), ()> {
    Ok(())
}

fn main() {}
