//! `appdeck manifest …`: check and edit `stripe-app.json`.
//!
//! `validate` reports; `grant`/`revoke`/`set` edit (see `manifest/edit.rs`).
//! Both are thin over `appdeck_core::manifest`, so the desktop app and the CLI
//! agree on every rule and every byte an edit writes.

pub mod edit;
pub mod validate;

use std::path::PathBuf;

use appdeck_core::manifest::MANIFEST_FILE_NAME;

/// The manifest a verb uses when none is named: `stripe-app.json` in the
/// current directory, as Stripe's CLI does.
pub fn default_manifest() -> PathBuf {
    PathBuf::from(MANIFEST_FILE_NAME)
}
