//! An async retry with no runtime feature fails to compile, and the message
//! names `tokio`, `smol` and `async-std`.
//!
//! Set `TRYBUILD=overwrite` to rewrite the expected messages after a
//! deliberate change, then read the diff.

#[test]
fn async_retry_without_a_runtime_names_the_features() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
