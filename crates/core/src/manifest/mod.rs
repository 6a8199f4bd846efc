//! The manifest engine: parse `stripe-app.json` with positions, validate it
//! against Stripe's rules, and edit it with minimal, formatting-preserving changes.
//!
//! Layout: `parse` (text → positioned tree), `rules/` (one file per area of the
//! manifest), `validate` (runs the rules), `extension` (stripe-app.<name>.json),
//! `edit` (minimal text edits), `document` (atomic, conflict-checked saves),
//! `advisor` (events → permissions), `release` (the release check: upload and
//! review refusals, and the comparison with the version last uploaded).

pub mod advisor;
mod cst;
pub mod diagnostic;
pub mod diff;
pub mod document;
pub mod edit;
#[cfg(test)]
mod edit_tests;
pub mod extension;
pub mod ops;
pub mod parse;
pub mod release;
pub mod rules;
pub mod suggest;
pub mod validate;

pub use diagnostic::{Diagnostic, Severity};
pub use document::{ManifestDocument, ManifestError};
pub use edit::{apply_edit, EditOutcome, ManifestEdit};
pub use release::{
    release_check, release_check_file, PermissionRequest, ReleaseError, ReleaseReport,
    VersionComparison, VersionOrdering,
};
pub use validate::{
    load_state, validate_at, validate_file, validate_text, ManifestState, ValidateOptions,
    ValidationReport,
};

/// The file name Stripe's CLI looks for at an app's root.
pub const MANIFEST_FILE_NAME: &str = "stripe-app.json";
pub use advisor::{
    advise, advise_at, advise_text, granted_permissions, granted_permissions_at, EventAdvice,
};
pub use diff::{diff_lines, DiffLine};
