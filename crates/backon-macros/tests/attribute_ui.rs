//! Misuse of `#[retry]` is a compile error that points at the offending
//! token and says what to write instead; these cases pin the messages.

#[test]
fn misuse_is_a_compile_error() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
