use backon::runtime::{NoRuntime, Sleeper};

fn sleeps_asynchronously<S: Sleeper>(_runtime: S) {}

fn main() {
    sleeps_asynchronously(NoRuntime);
}
