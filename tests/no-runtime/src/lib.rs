//! Compile-fail tests of `backon` built with `default-features = false`: an
//! async retry must fail with a message that names the runtime features.
//!
//! The cases live in `tests/ui/`; `tests/no_runtime.rs` runs them with
//! trybuild.
