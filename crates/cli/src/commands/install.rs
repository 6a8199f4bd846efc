//! `appdeck install link|run`: install the app of a manifest into an account,
//! the way a real user would (stripe-apps.md §4–5, oauth-loopback.md).
//!
//! `check` runs the pre-flight checklist; `link` only prints an install link;
//! `run` goes through the whole flow:
//! loopback listener, system browser, consent, code exchange, tokens into the
//! secret store, install recorded. Both read the app (`id`, redirect URIs) from
//! `--manifest` [default: ./stripe-app.json]; an unreadable manifest is exit 2.

pub mod check;
pub mod link;
pub mod run;

use std::path::{Path, PathBuf};

use appdeck_core::error::{Coded, ErrorCode};
use appdeck_core::oauth::install::AppManifest;

use super::manifest::default_manifest;
use crate::exit::Exit;

/// The app of `--manifest`, or the exit status and message of why not:
/// unreadable → 2, not JSON or no `id` → 1.
fn load_app(manifest: Option<&Path>) -> Result<AppManifest, (Exit, ErrorCode, String)> {
    let path: PathBuf = manifest
        .map(Path::to_path_buf)
        .unwrap_or_else(default_manifest);
    AppManifest::load(&path).map_err(|e| {
        let code = e.code();
        let exit = if code == ErrorCode::ManifestUnreadable {
            Exit::Usage
        } else {
            Exit::Findings
        };
        (exit, code, format!("{}: {e}", path.display()))
    })
}
