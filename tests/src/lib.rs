//! Workspace-level tests live in `tests/tests/`. This library only compiles the README's
//! Rust examples as doctests, so the README stays true.

#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
