//! Minimal, formatting-preserving edits to a manifest.
//!
//! Each [`ManifestEdit`] becomes a change to the concrete syntax tree of
//! jsonc-parser, which keeps every untouched token (whitespace, key order,
//! indentation, the final newline) byte for byte. Invariant: an edit that would
//! introduce an error the text did not already have is refused with that
//! diagnostic and the text is returned unchanged; errors already elsewhere in
//! the file do not block unrelated edits (users fix one thing at a time).

use jsonc_parser::cst::{CstArray, CstInputValue, CstNode, CstObject, CstRootNode};
use jsonc_parser::ParseOptions;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::diagnostic::Diagnostic;
use super::validate::{validate_text, ValidateOptions};
use crate::error::{Coded, ErrorCode};

/// One change a user can make, mirroring `stripe apps grant/revoke/set`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[ts(export, export_to = "ManifestEdit.ts")]
pub enum ManifestEdit {
    GrantPermission {
        permission: String,
        purpose: String,
    },
    RevokePermission {
        permission: String,
    },
    SetPermissionPurpose {
        permission: String,
        purpose: String,
    },
    /// Adds a CSP `connect-src` URL; sets the CSP purpose when one is given.
    GrantConnectSrc {
        url: String,
        purpose: Option<String>,
    },
    RevokeConnectSrc {
        url: String,
    },
    GrantImageSrc {
        url: String,
    },
    RevokeImageSrc {
        url: String,
    },
    SetCspPurpose {
        purpose: String,
    },
    SetDistribution {
        value: String,
    },
    SetAccessType {
        value: String,
    },
    SetName {
        value: String,
    },
    SetVersion {
        value: String,
    },
    SetIcon {
        value: String,
    },
    SetId {
        value: String,
    },
    SetSandboxInstallCompatible {
        value: bool,
    },
    AddView {
        viewport: String,
        component: String,
    },
    RemoveView {
        viewport: String,
        component: String,
    },
    AddRedirectUri {
        uri: String,
    },
    RemoveRedirectUri {
        uri: String,
    },
    /// `action_type` `None` writes `null`; `url` only goes with `external`.
    SetPostInstallAction {
        action_type: Option<String>,
        url: Option<String>,
    },
}

/// The result of applying an edit: the new text and what the validator says of it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export, export_to = "EditOutcome.ts")]
pub struct EditOutcome {
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
    /// True when the edit left the text as it was (e.g. granting a permission
    /// that is already granted with the same purpose).
    pub unchanged: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error("{message}")]
    Refused {
        message: String,
        diagnostics: Vec<Diagnostic>,
    },
    #[error("{0}")]
    NotApplicable(String),
    #[error("the manifest is not valid JSON ({0}); fix the syntax error before editing")]
    Syntax(String),
}

impl Coded for EditError {
    fn code(&self) -> ErrorCode {
        match self {
            EditError::Refused { .. } => ErrorCode::EditRefused,
            EditError::NotApplicable(_) => ErrorCode::EditNotApplicable,
            EditError::Syntax(_) => ErrorCode::ManifestSyntax,
        }
    }
}

/// Applies `edit` to `text` (the file at `path`, for icon and extension checks).
pub fn apply_edit(
    path: &std::path::Path,
    text: &str,
    edit: &ManifestEdit,
) -> Result<EditOutcome, EditError> {
    let _ = (path, text, edit, validate_text, ValidateOptions::default());
    let _: Option<(
        CstArray,
        CstInputValue,
        CstNode,
        CstObject,
        CstRootNode,
        ParseOptions,
    )> = None;
    Err(EditError::NotApplicable("not yet".into()))
}
