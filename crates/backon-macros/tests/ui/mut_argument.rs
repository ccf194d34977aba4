use backon::retry;

#[retry(attempts = 3)]
fn countdown(mut n: u32) -> Result<u32, u32> {
    n -= 1;
    if n > 0 { Err(n) } else { Ok(n) }
}

#[retry(attempts = 3)]
async fn fill(buf: &mut Vec<u8>) -> Result<(), ()> {
    buf.push(1);
    Ok(())
}

fn main() {}
