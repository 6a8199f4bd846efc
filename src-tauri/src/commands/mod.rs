//! The commands the webview may invoke, one module per area of the UI.
//!
//! Invariant: each command is a 3–10 line adapter that takes typed arguments
//! (camelCase in `invoke`, snake_case here; Tauri converts), calls one
//! appdeck-core function off the UI thread and maps its error to `{code, message}`.
//! No domain rule lives here: a rule fixed in core is fixed for the CLI too.
//! Every command must also be listed in `build.rs` and allowed in
//! `capabilities/default.json` (a test in `main.rs` checks the three agree).
//! Commands that keep something running (install flows, fetch jobs) put their
//! logic in plain functions over [`crate::services::Services`] beside the
//! command, so tests drive them without a window.

pub mod accounts;
pub mod apps;
pub mod catalog;
pub mod console;
pub mod install;
pub mod lifecycle;
pub mod manifest;
pub mod project;
pub mod providers;
pub mod qa;
pub mod sandbox;
pub mod secrets;
pub mod signature;
