//! Runs every rule over a manifest and gathers diagnostics, sorted by position.
//!
//! A base manifest (`stripe-app.json`) is checked as Stripe checks an upload; an
//! extension manifest (`stripe-app.<name>.json` with `extends`) is checked as a
//! set of overrides, and then merged over its base and the result checked too,
//! each diagnostic pointing into the file it belongs to (see `extension`).

use std::path::{Path, PathBuf};

use serde::Serialize;
use ts_rs::TS;

use super::diagnostic::Diagnostic;
use super::document::{ManifestDocument, ManifestError};
use super::parse::parse;
use super::rules;
use super::view::{self, ManifestRead};
use crate::catalog::Catalog;

/// What the rules need besides the text.
#[derive(Debug, Clone, Default)]
pub struct ValidateOptions {
    /// The folder holding the manifest, to resolve `icon`. `None` skips that check.
    pub base_dir: Option<PathBuf>,
    /// Check as an extension manifest: every field optional.
    pub extension: bool,
    /// Check the result of merging an extension over its base: rules that only
    /// concern what ships in a base manifest are skipped.
    pub merged: bool,
    /// Check as the version sent to `stripe apps upload` and app review: what
    /// is fine while developing (a loopback redirect URI, a refused name word)
    /// becomes an error. See `release`.
    pub release: bool,
}

impl ValidateOptions {
    /// Options for a file at `path` (extension-ness decided from its name).
    pub fn for_path(path: &Path) -> Self {
        Self {
            base_dir: path.parent().map(|p| {
                if p.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    p.to_path_buf()
                }
            }),
            extension: is_extension_file_name(path),
            merged: false,
            release: false,
        }
    }
}

/// `stripe-app.<name>.json` (but not `stripe-app.json`).
pub fn is_extension_file_name(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_prefix("stripe-app."))
        .and_then(|n| n.strip_suffix(".json"))
        .is_some_and(|inner| !inner.is_empty())
}

/// One file's result, as `appdeck manifest validate --json` prints it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export, export_to = "ValidationReport.ts")]
pub struct ValidationReport {
    pub file: String,
    pub valid: bool,
    pub diagnostics: Vec<Diagnostic>,
}

/// A loaded manifest and what the validator says of it: what the UI shows.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export, export_to = "ManifestState.ts")]
pub struct ManifestState {
    pub document: ManifestDocument,
    pub diagnostics: Vec<Diagnostic>,
    /// The document's fields as forms and lists show them, or why not.
    pub read: ManifestRead,
}

impl ManifestState {
    /// A document and its diagnostics, with the view of its text.
    pub fn new(document: ManifestDocument, diagnostics: Vec<Diagnostic>) -> Self {
        let read = view::read(&document.text);
        Self {
            document,
            diagnostics,
            read,
        }
    }
}

/// What core says of unsaved text (the editor's buffer, as the user types):
/// the validator's diagnostics and the fields' view, in one answer.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export, export_to = "TextCheck.ts")]
pub struct TextCheck {
    pub diagnostics: Vec<Diagnostic>,
    pub read: ManifestRead,
}

/// [`validate_at`] and [`view::read`] of unsaved text as the file at `path`.
pub fn check_at(path: &Path, text: &str) -> TextCheck {
    TextCheck {
        diagnostics: validate_at(path, text),
        read: view::read(text),
    }
}

/// Validates text on its own (no merge with a base manifest).
pub fn validate_text(text: &str, opts: &ValidateOptions) -> Vec<Diagnostic> {
    let mut out = match parse(text) {
        Ok(parsed) => rules::run(&parsed, Catalog::embedded(), opts),
        Err(syntax) => vec![*syntax],
    };
    sort(&mut out);
    out
}

/// Validates text as the file at `path` would be: an extension manifest is also
/// merged over the base it `extends` (read from disk) and the result checked.
pub fn validate_at(path: &Path, text: &str) -> Vec<Diagnostic> {
    let opts = ValidateOptions::for_path(path);
    let mut out = validate_text(text, &opts);
    if opts.extension && !out.iter().any(|d| d.code.starts_with("json-")) {
        out.extend(super::extension::validate_merged(path, text));
        sort(&mut out);
    }
    out
}

/// Reads and validates one file.
pub fn validate_file(path: &Path) -> Result<ValidationReport, ManifestError> {
    let doc = ManifestDocument::load(path)?;
    let diagnostics = validate_at(path, &doc.text);
    Ok(ValidationReport {
        file: path.display().to_string(),
        valid: !diagnostics.iter().any(Diagnostic::is_error),
        diagnostics,
    })
}

/// Loads a manifest and validates it: the state the UI opens with.
pub fn load_state(path: &Path) -> Result<ManifestState, ManifestError> {
    let document = ManifestDocument::load(path)?;
    let diagnostics = validate_at(path, &document.text);
    Ok(ManifestState::new(document, diagnostics))
}

pub(crate) fn sort(out: &mut [Diagnostic]) {
    out.sort_by(|a, b| {
        (a.file.is_some(), a.line, a.column, a.severity).cmp(&(
            b.file.is_some(),
            b.line,
            b.column,
            b.severity,
        ))
    });
}
