//! The console's permission guard rails for calls made as an install: a
//! pre-check against the manifest's permissions before sending, and, after a
//! permission error from the API, the permission to grant (found in the
//! error's message, else from the endpoint catalog), so the UI can offer
//! "grant in manifest" through the manifest engine.
//!
//! One use case for both faces: [`precheck_manifest`] reads the manifest
//! (an extension merged over its base) and answers the missing permission, so
//! the CLI's `api` warning and the API screen's guard say the same.

use std::path::Path;

use super::endpoints;
use super::request::ApiResponse;
use crate::catalog::Catalog;
use crate::error::{Coded, ErrorCode};
use crate::manifest::{granted_permissions_at, ManifestDocument, ManifestError};

/// Why a manifest's permissions could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PrecheckError {
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    /// The manifest is not JSON: "nothing granted" would send the user to fix
    /// the wrong thing, so it is an error, at its position.
    #[error("{file}:{line}:{column}: {message}")]
    Syntax {
        file: String,
        line: u32,
        column: u32,
        message: String,
    },
}

impl Coded for PrecheckError {
    fn code(&self) -> ErrorCode {
        match self {
            PrecheckError::Manifest(e) => e.code(),
            PrecheckError::Syntax { .. } => ErrorCode::ManifestSyntax,
        }
    }
}

/// The permission names the manifest at `path` grants.
pub fn granted(path: &Path) -> Result<Vec<String>, PrecheckError> {
    let doc = ManifestDocument::load(path)?;
    granted_permissions_at(path, &doc.text).map_err(|d| PrecheckError::Syntax {
        file: doc.path.clone(),
        line: d.line,
        column: d.column,
        message: d.message.clone(),
    })
}

/// The permission `method path` needs that the manifest at `manifest` lacks.
pub fn precheck_manifest(
    method: &str,
    path: &str,
    manifest: &Path,
) -> Result<Option<String>, PrecheckError> {
    Ok(precheck(method, path, &granted(manifest)?))
}

/// The permission a call needs that `granted` lacks, if the route is known.
pub fn precheck(method: &str, path: &str, granted: &[String]) -> Option<String> {
    let needed = endpoints::find(method, path)?.permission.clone()?;
    (!endpoints::satisfied(&needed, granted)).then_some(needed)
}

/// After a 403 permission error: the permission to grant.
pub fn missing_from_error(resp: &ApiResponse) -> Option<String> {
    if resp.status != 403 {
        return None;
    }
    let message = resp
        .stripe_error
        .as_ref()?
        .message
        .clone()
        .unwrap_or_default();
    let catalog = Catalog::embedded();
    let named = message
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .find(|w| catalog.is_grantable(w))
        .map(str::to_string);
    named.or_else(|| {
        let path = resp
            .url
            .split("://")
            .nth(1)
            .and_then(|r| r.find('/').map(|i| &r[i..]))
            .unwrap_or("");
        endpoints::find(&resp.method, path)?.permission.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_precheck_reads_the_file_and_places_a_syntax_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("stripe-app.json");
        std::fs::write(
            &path,
            r#"{"id":"a.b","permissions":[{"permission":"customer_read","purpose":"x"}]}"#,
        )
        .unwrap();
        assert_eq!(
            precheck_manifest("POST", "/v1/customers", &path)
                .unwrap()
                .as_deref(),
            Some("customer_write")
        );
        assert_eq!(
            precheck_manifest("GET", "/v1/customers", &path).unwrap(),
            None
        );
        std::fs::write(&path, "{\n  \"id\": ,\n}").unwrap();
        let e = precheck_manifest("GET", "/v1/customers", &path).unwrap_err();
        assert_eq!(e.code(), ErrorCode::ManifestSyntax);
        assert!(e.to_string().contains("stripe-app.json:2:"), "{e}");
        let gone = precheck_manifest("GET", "/v1/customers", &dir.path().join("nope.json"));
        assert_eq!(gone.unwrap_err().code(), ErrorCode::ManifestUnreadable);
    }

    #[test]
    fn precheck_knows_write_implies_read() {
        assert_eq!(
            precheck("POST", "/v1/customers", &["customer_read".into()]).as_deref(),
            Some("customer_write")
        );
        assert_eq!(
            precheck("GET", "/v1/customers", &["customer_write".into()]),
            None
        );
        assert_eq!(precheck("GET", "/v1/unknown", &[]), None);
    }
}
