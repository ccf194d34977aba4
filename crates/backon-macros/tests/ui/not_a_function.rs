use backon::retry;

#[retry]
struct Client;

trait Fetch {
    #[retry]
    fn fetch(&self) -> Result<(), ()>;
}

fn main() {}
