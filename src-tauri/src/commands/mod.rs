//! The commands the webview may invoke, one module per area of the UI.
//!
//! Invariant: each command is a 3–10 line adapter: a plain `pub async fn`
//! that takes typed arguments (and `&Shell` when it needs the state), calls
//! one appdeck-core function off the UI thread and maps its error to `{code,
//! message}`. No domain rule lives here: a rule fixed in core is fixed for the
//! CLI too. The command table (`crate::command_table`) makes each one a Tauri
//! command; tests call these functions directly, without a window. Commands
//! that keep something running (install flows, fetch jobs, QA runs) keep it in
//! the job registry (`crate::services::jobs`) and put their logic in plain
//! functions over [`crate::services::Services`] beside the command.
//!
//! Layering: commands use `services` and `state`, never the other way round
//! (`tests/shell/layers.rs`).

pub mod accounts;
pub mod apps;
pub mod catalog;
pub mod console;
pub mod install;
mod install_options;
pub mod lifecycle;
pub mod manifest;
pub mod project;
pub mod providers;
pub mod qa;
pub mod sandbox;
pub mod signature;
