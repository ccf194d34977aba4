use backon::retry;

#[retry(policy = 5)]
fn five() -> Result<(), ()> {
    Ok(())
}

fn main() {}
