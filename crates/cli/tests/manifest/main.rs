//! Integration tests for `appdeck manifest …`, run against the built binary.

#[path = "../support/mod.rs"]
mod support;

mod edit;
mod release;
mod validate;
