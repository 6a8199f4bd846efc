//! Canned answers for the UI's component tests, written from core's real output.
//!
//! The UI's tests stub the backend per test (`ui/src/test/stubBackend.tsx`).
//! Where a stub answers what core would (a manifest's diagnostics, the
//! permission catalog, an install timeline, a QA report, an API response…),
//! the answer comes from here: each test below runs the real core functions
//! the desktop commands call, over temp dirs and an embedded sandbox on
//! 127.0.0.1:0, and writes `ui/src/test/canned/<area>.json` the way ts-rs
//! writes `ui/src/bindings` on `cargo test`. CI's drift check fails when the
//! committed files differ, so a change in core's answers shows up as a diff a
//! reviewer reads, and the UI's tests run against it.
//!
//! Invariant: the output is deterministic (see `scrub.rs`); each test also
//! asserts the premise its answers illustrate (the manifest "with a problem"
//! has that problem), so a canned file can't silently stop showing it.

mod accounts;
mod canned;
mod console;
mod install;
mod manifest;
mod permissions;
mod project;
mod providers;
mod qa;
mod scrub;
mod secrets;
mod signatures;
mod support;
