//! Cross-crate integration tests for backon live under `tests/`.
//!
//! The repository's README is included here so that its Rust examples run
//! as doc tests.
#![doc = include_str!("../../README.md")]
