//! Which file registers an app: `stripe-app.json` alone, the way
//! `stripe apps upload` reads it.
//!
//! Stripe knows an app only through an uploaded version ("After you've set
//! `allowed_redirect_uris`, upload a new version of your app",
//! /stripe-apps/install-links), and `stripe apps upload` takes the base
//! manifest alone (Stripe staff, stripe/stripe-apps#841). Extension manifests
//! (`stripe-app.<name>.json` with `"extends": "stripe-app.json"`) are read only
//! by `stripe apps start`, for local UI development. So nothing in an extension
//! manifest ever reaches Stripe, and nothing in one reaches the sandbox either:
//! named an extension manifest, [`register_from`] registers the base it extends
//! and [`Registered::describe`] says so.
//!
//! Invariants:
//! - The file registered never has `extends`; an extension whose base is itself
//!   an extension is refused (the extension schema extends `stripe-app.json`).
//! - A folder means its `stripe-app.json`.
//! - Both faces (the CLI's `sandbox serve`, the desktop's embedded sandbox) call
//!   this one function, so they can't disagree on which file counts.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::config::{parse_lenient, AppRegistration, ManifestError};

/// The base manifest's file name in a Stripe App project.
pub const BASE_MANIFEST: &str = "stripe-app.json";

/// An app read for registration, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registered {
    pub app: AppRegistration,
    /// The file registered: a base manifest.
    pub file: PathBuf,
    /// The extension manifest the caller named instead, if it named one: only
    /// its base was read.
    pub instead_of: Option<PathBuf>,
}

impl Registered {
    /// One sentence for people: which app, from which file, and why that file.
    pub fn describe(&self) -> String {
        match &self.instead_of {
            None => format!(
                "Registered {} from {}, as `stripe apps upload` would read it (extension manifests are only for `stripe apps start`)",
                self.app.id,
                self.file.display()
            ),
            Some(ext) => format!(
                "Registered {} from {}, the manifest {} extends: `stripe apps upload` reads stripe-app.json alone, so an extension manifest changes nothing Stripe (or this sandbox) holds",
                self.app.id,
                self.file.display(),
                ext.display()
            ),
        }
    }
}

/// Why no app could be registered from a path.
#[derive(Debug, thiserror::Error)]
pub enum RegistrationError {
    #[error("cannot read {}: {source}", path.display())]
    Unreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: {source}", path.display())]
    Manifest {
        path: PathBuf,
        #[source]
        source: ManifestError,
    },
    #[error("{} extends {}, which is itself an extension manifest; an extension manifest must extend stripe-app.json", extension.display(), base.display())]
    ChainedExtension { extension: PathBuf, base: PathBuf },
}

/// Reads the app to register from `path` (a manifest or a project folder):
/// the base manifest itself, or the base an extension manifest extends.
pub fn register_from(path: &Path) -> Result<Registered, RegistrationError> {
    let named = if path.is_dir() {
        path.join(BASE_MANIFEST)
    } else {
        path.to_path_buf()
    };
    let (doc, text) = read(&named)?;
    let Some(base) = extends(&doc, &named)? else {
        return finish(named, &text, None);
    };
    let base = named
        .parent()
        .map(|dir| dir.join(&base))
        .unwrap_or_else(|| PathBuf::from(&base));
    let (base_doc, base_text) = read(&base)?;
    if extends(&base_doc, &base)?.is_some() {
        return Err(RegistrationError::ChainedExtension {
            extension: named,
            base,
        });
    }
    finish(base, &base_text, Some(named))
}

fn read(path: &Path) -> Result<(Value, String), RegistrationError> {
    let text = std::fs::read_to_string(path).map_err(|source| RegistrationError::Unreadable {
        path: path.to_path_buf(),
        source,
    })?;
    let doc = parse_lenient(&text).map_err(|source| RegistrationError::Manifest {
        path: path.to_path_buf(),
        source,
    })?;
    Ok((doc, text))
}

/// The `extends` target, if the document is an extension manifest.
fn extends(doc: &Value, path: &Path) -> Result<Option<String>, RegistrationError> {
    match doc.get("extends") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(base)) if !base.trim().is_empty() => Ok(Some(base.clone())),
        Some(_) => Err(RegistrationError::Manifest {
            path: path.to_path_buf(),
            source: ManifestError::BadExtends,
        }),
    }
}

fn finish(
    file: PathBuf,
    text: &str,
    instead_of: Option<PathBuf>,
) -> Result<Registered, RegistrationError> {
    let app = AppRegistration::from_manifest_text(text).map_err(|source| {
        RegistrationError::Manifest {
            path: file.clone(),
            source,
        }
    })?;
    Ok(Registered {
        app,
        file,
        instead_of,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(base: &str, ext: &str) -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join(BASE_MANIFEST), base).unwrap();
        std::fs::write(d.path().join("stripe-app.dev.json"), ext).unwrap();
        d
    }

    #[test]
    fn a_folder_and_the_base_register_the_base() {
        let d = project(
            r#"{"id":"a.b","allowed_redirect_uris":["https://x.example/cb"]}"#,
            r#"{"extends":"stripe-app.json","allowed_redirect_uris":["http://127.0.0.1/cb"]}"#,
        );
        for named in [d.path().to_path_buf(), d.path().join(BASE_MANIFEST)] {
            let r = register_from(&named).unwrap();
            assert_eq!(r.file, d.path().join(BASE_MANIFEST));
            assert_eq!(r.instead_of, None);
            assert_eq!(r.app.redirect_uris, vec!["https://x.example/cb"]);
        }
    }

    #[test]
    fn chained_or_malformed_extends_is_refused() {
        let d = project(
            r#"{"id":"a.b","extends":"stripe-app.dev.json"}"#,
            r#"{"extends":"stripe-app.json"}"#,
        );
        let e = register_from(&d.path().join("stripe-app.dev.json")).unwrap_err();
        assert!(
            matches!(e, RegistrationError::ChainedExtension { .. }),
            "{e}"
        );
        let d = project(r#"{"id":"a.b"}"#, r#"{"extends":42}"#);
        let e = register_from(&d.path().join("stripe-app.dev.json")).unwrap_err();
        assert!(e.to_string().contains("extends"), "{e}");
        let e = register_from(&d.path().join("missing.json")).unwrap_err();
        assert!(matches!(e, RegistrationError::Unreadable { .. }), "{e}");
    }
}
