//! `.retry()` and `.hedge()` run on smol when it is the only runtime
//! feature: each case is built and run as its own program.

#[test]
fn the_default_runtime_is_smol() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/pass/*.rs");
}
