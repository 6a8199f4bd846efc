//! The manifest operations both faces call: one function per user action, each
//! returning a [`ManifestOpError`] that carries its stable code.
//!
//! Why here and not in the shell: the desktop commands and the CLI verbs are
//! 3–10 line adapters over these, so "grant a permission" means the same thing
//! (validate, minimal edit, refuse new errors, conflict-checked atomic save) in both.

use std::path::Path;

use super::document::{ManifestDocument, ManifestError};
use super::edit::{apply_edit, EditError, EditOutcome, ManifestEdit};
use super::validate::{load_state, validate_at, ManifestState};
use super::Diagnostic;
use crate::error::{Coded, ErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum ManifestOpError {
    #[error(transparent)]
    Document(#[from] ManifestError),
    #[error(transparent)]
    Edit(#[from] EditError),
}

impl Coded for ManifestOpError {
    fn code(&self) -> ErrorCode {
        match self {
            ManifestOpError::Document(e) => e.code(),
            ManifestOpError::Edit(e) => e.code(),
        }
    }
}

impl ManifestOpError {
    /// The diagnostics that made an edit refuse, if that is what happened.
    pub fn refusal(&self) -> Option<&[Diagnostic]> {
        match self {
            ManifestOpError::Edit(EditError::Refused { diagnostics, .. }) => Some(diagnostics),
            _ => None,
        }
    }
}

/// Reads and validates the manifest at `path`.
pub fn open(path: &Path) -> Result<ManifestState, ManifestOpError> {
    Ok(load_state(path)?)
}

/// Applies an edit to unsaved text (the editor's buffer); nothing touches disk.
pub fn preview(
    path: &Path,
    text: &str,
    edit: &ManifestEdit,
) -> Result<EditOutcome, ManifestOpError> {
    Ok(apply_edit(path, text, edit)?)
}

/// Saves text over the file if it still holds `expected_revision`.
pub fn save(
    path: &Path,
    expected_revision: &str,
    text: &str,
) -> Result<ManifestState, ManifestOpError> {
    let document = ManifestDocument::save(path, expected_revision, text)?;
    let diagnostics = validate_at(path, &document.text);
    Ok(ManifestState::new(document, diagnostics))
}

/// Edits the file on disk in one step, like `stripe apps grant`: read, edit,
/// save atomically. With `expected_revision`, refuses if the file moved on since
/// the caller read it. An edit that changes nothing writes nothing.
pub fn edit_on_disk(
    path: &Path,
    expected_revision: Option<&str>,
    edit: &ManifestEdit,
) -> Result<ManifestState, ManifestOpError> {
    let doc = ManifestDocument::load(path)?;
    if let Some(expected) = expected_revision {
        if expected != doc.revision {
            return Err(ManifestError::ChangedOnDisk {
                path: path.display().to_string(),
            }
            .into());
        }
    }
    let outcome = apply_edit(path, &doc.text, edit)?;
    if outcome.unchanged {
        return Ok(ManifestState {
            document: doc,
            diagnostics: outcome.diagnostics,
            read: outcome.read,
        });
    }
    let document = ManifestDocument::save(path, &doc.revision, &outcome.text)?;
    Ok(ManifestState {
        document,
        diagnostics: outcome.diagnostics,
        read: outcome.read,
    })
}
