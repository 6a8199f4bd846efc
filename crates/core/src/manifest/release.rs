//! The release check: everything `validate` says, plus what `stripe apps
//! upload` or app review refuses, and, given the manifest of the version last
//! uploaded, whether the version moves forward and which permissions change.
//!
//! One function ([`release_check`]) serves `appdeck manifest validate
//! --release` and the desktop's Release check view, so both say the same.
//! Invariants: the report has the shape of a [`ValidationReport`] (`valid` is
//! false exactly when a diagnostic is an error) plus the comparison; the
//! previous manifest is only read, never validated (it was already uploaded).
//!
//! Why these rules: Stripe accepts only the redirect URIs of an uploaded
//! version and `stripe apps upload` reads stripe-app.json alone (Stripe staff,
//! stripe/stripe-apps#841), so development values live in that file while a
//! test version is tried and must leave before review; the rules themselves
//! sit with their fields (`rules/`), made errors by `ValidateOptions::release`.
//! Versions: Stripe "doesn't enforce a specific versioning schema" and orders
//! releases by upload, but recommends semantic versioning
//! (/stripe-apps/versions-and-releases). We compare semver when both parse,
//! dotted numbers when both are that, and otherwise read "can't tell" as "not
//! greater" (the stricter reading). Changing permissions prompts installed
//! users to re-authorize (same page), so the diff is reported as what
//! installers will be asked to approve and what is no longer requested.

use std::cmp::Ordering;
use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

use super::diagnostic::{Diagnostic, Severity};
use super::document::{ManifestDocument, ManifestError};
use super::parse::{parse, Node, Parsed, Value};
use super::validate::{is_extension_file_name, sort, validate_at, validate_text, ValidateOptions};
use crate::error::{Coded, ErrorCode};

/// One permission as a version requests it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, export_to = "PermissionRequest.ts")]
pub struct PermissionRequest {
    pub permission: String,
    /// The purpose installers read (a localized purpose gives its `en-US` text,
    /// else its first); `None` when the entry has none.
    pub purpose: Option<String>,
}

/// How the version compares with the previous one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export, export_to = "VersionOrdering.ts")]
pub enum VersionOrdering {
    Greater,
    Equal,
    Lower,
    /// Neither semantic versions nor dotted numbers, and different.
    Unordered,
    /// One of the two has no version string.
    Missing,
}

/// This manifest against the one of the version last uploaded.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export, export_to = "VersionComparison.ts")]
pub struct VersionComparison {
    pub previous_file: String,
    pub previous_version: Option<String>,
    pub version: Option<String>,
    pub ordering: VersionOrdering,
    /// Requested now and not before: installers will be asked to approve these.
    pub added: Vec<PermissionRequest>,
    /// Requested before and not now.
    pub removed: Vec<PermissionRequest>,
    /// Any permission change prompts installed users to re-authorize the app.
    pub reauthorization: bool,
}

/// What the release check says of one file.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export, export_to = "ReleaseReport.ts")]
pub struct ReleaseReport {
    pub file: String,
    pub valid: bool,
    pub diagnostics: Vec<Diagnostic>,
    pub comparison: Option<VersionComparison>,
}

#[derive(Debug, thiserror::Error)]
pub enum ReleaseError {
    #[error(transparent)]
    Current(ManifestError),
    #[error("the previous version's manifest (--previous): {0}")]
    Previous(ManifestError),
    #[error("the previous version's manifest {path} is not valid JSON (line {line}, column {column}: {message}); point --previous at the stripe-app.json you last uploaded")]
    PreviousSyntax {
        path: String,
        line: u32,
        column: u32,
        message: String,
    },
}

impl Coded for ReleaseError {
    fn code(&self) -> ErrorCode {
        match self {
            ReleaseError::Current(e) | ReleaseError::Previous(e) => e.code(),
            ReleaseError::PreviousSyntax { .. } => ErrorCode::ManifestSyntax,
        }
    }
}

/// Reads the file at `path` and runs [`release_check`] on it.
pub fn release_check_file(
    path: &Path,
    previous: Option<&Path>,
) -> Result<ReleaseReport, ReleaseError> {
    let doc = ManifestDocument::load(path).map_err(ReleaseError::Current)?;
    release_check(path, &doc.text, previous)
}

/// The release check of `text` as the file at `path`, compared with the
/// manifest at `previous` (read here, by the caller's side of the IPC edge).
pub fn release_check(
    path: &Path,
    text: &str,
    previous: Option<&Path>,
) -> Result<ReleaseReport, ReleaseError> {
    let previous = match previous {
        Some(p) => Some((
            p.display().to_string(),
            ManifestDocument::load(p)
                .map_err(ReleaseError::Previous)?
                .text,
        )),
        None => None,
    };
    let mut diagnostics = release_diagnostics(path, text);
    let mut comparison = None;
    if let (Some((prev_file, prev_text)), Ok(current)) = (&previous, parse(text)) {
        let prev = parse(prev_text).map_err(|d| ReleaseError::PreviousSyntax {
            path: prev_file.clone(),
            line: d.line,
            column: d.column,
            message: d.message.clone(),
        })?;
        let (c, found) = compare(&current, &prev, prev_file);
        diagnostics.extend(found);
        comparison = Some(c);
    } else if let Some((prev_file, prev_text)) = &previous {
        // The current text does not parse (its syntax error is reported);
        // still refuse a previous file that is not a manifest.
        if let Err(d) = parse(prev_text) {
            return Err(ReleaseError::PreviousSyntax {
                path: prev_file.clone(),
                line: d.line,
                column: d.column,
                message: d.message.clone(),
            });
        }
    }
    sort(&mut diagnostics);
    Ok(ReleaseReport {
        file: path.display().to_string(),
        valid: !diagnostics.iter().any(Diagnostic::is_error),
        diagnostics,
        comparison,
    })
}

/// The validator's diagnostics with the release rules on. An extension
/// manifest never reaches Stripe, so it is checked as usual and told so.
fn release_diagnostics(path: &Path, text: &str) -> Vec<Diagnostic> {
    if is_extension_file_name(path) {
        let mut out = validate_at(path, text);
        out.push(Diagnostic {
            severity: Severity::Info,
            code: "release-extension-manifest".into(),
            message: "`stripe apps upload` reads stripe-app.json alone, so nothing in an extension manifest reaches Stripe; run the release check on stripe-app.json".into(),
            pointer: String::new(),
            line: 1,
            column: 1,
            start: 0,
            end: 0,
            suggestion: None,
            file: None,
        });
        return out;
    }
    let opts = ValidateOptions {
        release: true,
        ..ValidateOptions::for_path(path)
    };
    validate_text(text, &opts)
}

/// The comparison, and the diagnostics it yields (placed in `current`).
fn compare(
    current: &Parsed<'_>,
    prev: &Parsed<'_>,
    prev_file: &str,
) -> (VersionComparison, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let version_node = current.root.get("version");
    let version = version_node.and_then(Node::as_str).map(str::to_string);
    let previous_version = prev
        .root
        .get("version")
        .and_then(Node::as_str)
        .map(str::to_string);
    let ordering = match (&version, &previous_version) {
        (Some(v), Some(p)) => order(v, p),
        _ => VersionOrdering::Missing,
    };
    if let (Some(node), Some(v), Some(p)) = (version_node, &version, &previous_version) {
        let name = Path::new(prev_file)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| prev_file.to_string());
        let message = match ordering {
            VersionOrdering::Equal => Some(format!("\"{v}\" is the version of {name}, the one last uploaded; each upload needs a new version: raise it")),
            VersionOrdering::Lower => Some(format!("\"{v}\" is lower than \"{p}\" in {name}, the version last uploaded; Stripe releases in upload order and recommends semantic versioning, so raise it above \"{p}\"")),
            VersionOrdering::Unordered => Some(format!("cannot tell whether \"{v}\" comes after \"{p}\" in {name} (neither are semantic versions); the release check reads that as not greater. Use a semantic version (Stripe recommends them) above the last uploaded one")),
            _ => None,
        };
        if let Some(message) = message {
            out.push(current.diag(
                Severity::Error,
                "release-version-not-greater",
                "/version",
                (node.start, node.end),
                message,
                next_version(p),
            ));
        }
    }
    let now = requests(&current.root);
    let before = requests(&prev.root);
    let added: Vec<PermissionRequest> = now
        .iter()
        .filter(|r| !before.iter().any(|b| b.permission == r.permission))
        .cloned()
        .collect();
    let removed: Vec<PermissionRequest> = before
        .iter()
        .filter(|b| !now.iter().any(|r| r.permission == b.permission))
        .cloned()
        .collect();
    let reauthorization = !added.is_empty() || !removed.is_empty();
    if reauthorization {
        let node = current.root.get("permissions").unwrap_or(&current.root);
        let names = |list: &[PermissionRequest]| {
            list.iter()
                .map(|r| r.permission.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut parts = Vec::new();
        if !added.is_empty() {
            parts.push(format!(
                "installers will be asked to approve {}",
                names(&added)
            ));
        }
        if !removed.is_empty() {
            parts.push(format!("no longer requested: {}", names(&removed)));
        }
        out.push(current.diag(
            Severity::Info,
            "release-permissions-changed",
            if current.root.get("permissions").is_some() { "/permissions" } else { "" },
            (node.start, node.start + 1),
            format!(
                "this version changes the permissions, so installed users are prompted to re-authorize the app; {}",
                parts.join("; ")
            ),
            None,
        ));
    }
    (
        VersionComparison {
            previous_file: prev_file.to_string(),
            previous_version,
            version,
            ordering,
            added,
            removed,
            reauthorization,
        },
        out,
    )
}

/// `v` against `p`: semver when both parse, dotted numbers when both are that.
pub fn order(v: &str, p: &str) -> VersionOrdering {
    let by = |o: Ordering| match o {
        Ordering::Greater => VersionOrdering::Greater,
        Ordering::Equal => VersionOrdering::Equal,
        Ordering::Less => VersionOrdering::Lower,
    };
    if let (Ok(a), Ok(b)) = (semver::Version::parse(v), semver::Version::parse(p)) {
        return by(a.cmp(&b));
    }
    if let (Some(a), Some(b)) = (dotted(v), dotted(p)) {
        let len = a.len().max(b.len());
        let pad = |x: &[u64]| {
            (0..len)
                .map(|i| x.get(i).copied().unwrap_or(0))
                .collect::<Vec<_>>()
        };
        return by(pad(&a).cmp(&pad(&b)));
    }
    if v == p {
        VersionOrdering::Equal
    } else {
        VersionOrdering::Unordered
    }
}

fn dotted(v: &str) -> Option<Vec<u64>> {
    v.split('.').map(|s| s.parse::<u64>().ok()).collect()
}

/// The next patch version after `p`, when it is a semantic version.
fn next_version(p: &str) -> Option<String> {
    let mut v = semver::Version::parse(p).ok()?;
    v.patch += 1;
    v.pre = semver::Prerelease::EMPTY;
    v.build = semver::BuildMetadata::EMPTY;
    Some(v.to_string())
}

/// The permissions a manifest requests, in order, first entry per name.
fn requests(root: &Node) -> Vec<PermissionRequest> {
    let mut out: Vec<PermissionRequest> = Vec::new();
    for item in root
        .get("permissions")
        .and_then(Node::as_array)
        .unwrap_or_default()
    {
        let Some(name) = item.get("permission").and_then(Node::as_str) else {
            continue;
        };
        if out.iter().any(|r| r.permission == name) {
            continue;
        }
        let purpose = item.get("purpose").and_then(|p| match &p.value {
            Value::String(s) => Some(s.clone()),
            Value::Object(locales) => locales
                .iter()
                .find(|l| l.key == "en-US")
                .or_else(|| locales.first())
                .and_then(|l| l.value.as_str().map(str::to_string)),
            _ => None,
        });
        out.push(PermissionRequest {
            permission: name.to_string(),
            purpose,
        });
    }
    out
}

#[cfg(test)]
#[path = "release_tests.rs"]
mod tests;
