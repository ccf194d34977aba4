use backon::retry;

fn is_transient(error: &String) -> bool {
    error.starts_with("busy")
}

#[retry(when = is_transient)]
fn fetch() -> Result<(), std::io::Error> {
    Ok(())
}

fn main() {}
