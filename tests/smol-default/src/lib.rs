//! Run-pass tests of `backon` with smol as its only runtime: the extension
//! methods that await on the default runtime work there as on tokio.
//!
//! The cases live in `tests/pass/`; `tests/smol_default.rs` builds and runs
//! them with trybuild, outside the workspace's feature unification.
