//! appdeck-core: every domain rule of Appdeck, shared by the desktop shell and the CLI.
//!
//! Invariants: nothing here depends on Tauri (CI checks `cargo tree`), nothing here
//! reads global state; operations take what they touch (paths, text, a catalog).
//! Why: the desktop app and the CLI are two thin faces over one core, so a rule
//! fixed here is fixed in both.

pub mod accounts;
pub mod apps;
pub mod catalog;
pub mod config;
pub mod console;
pub mod context;
pub mod error;
pub mod http;
pub mod installs;
pub mod keychain;
pub mod local;
pub mod manifest;
pub mod markup;
pub mod oauth;
pub mod project;
pub mod qa;
pub mod secret;
pub mod signature;
pub mod status;
pub mod store;
pub mod textpos;

pub use error::{ErrorCode, ErrorPayload};
