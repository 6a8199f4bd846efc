//! A manifest file on disk: read it, remember what was read, save atomically.
//!
//! Invariants: a save writes a temp file in the same directory, fsyncs it, and
//! renames it over the target, so a crash leaves either the old or the new file,
//! never a torn one; a save refuses to overwrite a file whose bytes changed since
//! they were read (`manifest-changed-on-disk`), so an edit made in another editor
//! is never silently lost. The revision is a SHA-256 of the bytes, not an mtime,
//! because mtimes are coarse and editors restore them.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::{Coded, ErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("cannot read {path}: {reason}. Check the path, or create the manifest with `stripe apps create`.")]
    Unreadable { path: String, reason: String },
    #[error("{path} changed on disk since it was opened; reload it (your unsaved changes can be re-applied) before saving")]
    ChangedOnDisk { path: String },
    #[error("cannot write {path}: {reason}. The file on disk is unchanged.")]
    WriteFailed { path: String, reason: String },
}

impl Coded for ManifestError {
    fn code(&self) -> ErrorCode {
        match self {
            ManifestError::Unreadable { .. } => ErrorCode::ManifestUnreadable,
            ManifestError::ChangedOnDisk { .. } => ErrorCode::ManifestChangedOnDisk,
            ManifestError::WriteFailed { .. } => ErrorCode::ManifestWriteFailed,
        }
    }
}

/// Content hash of a manifest's bytes, hex.
pub fn revision_of(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A manifest as read from disk.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export, export_to = "ManifestDocument.ts")]
pub struct ManifestDocument {
    pub path: String,
    pub text: String,
    /// SHA-256 of the bytes read; saves compare it with what is on disk.
    pub revision: String,
}

impl ManifestDocument {
    pub fn load(path: &Path) -> Result<Self, ManifestError> {
        let bytes = std::fs::read(path).map_err(|e| ManifestError::Unreadable {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        let revision = revision_of(&bytes);
        let text = String::from_utf8(bytes).map_err(|e| ManifestError::Unreadable {
            path: path.display().to_string(),
            reason: format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        })?;
        Ok(Self {
            path: path.display().to_string(),
            text,
            revision,
        })
    }

    /// The revision of the file on disk now (`None` if it is gone).
    pub fn disk_revision(path: &Path) -> Option<String> {
        std::fs::read(path).ok().map(|b| revision_of(&b))
    }

    /// Writes `text` if the file still holds the bytes of `expected_revision`.
    /// Returns the document as now on disk.
    pub fn save(path: &Path, expected_revision: &str, text: &str) -> Result<Self, ManifestError> {
        let current = Self::disk_revision(path);
        if current.as_deref() != Some(expected_revision) {
            return Err(ManifestError::ChangedOnDisk {
                path: path.display().to_string(),
            });
        }
        write_atomically(path, text.as_bytes()).map_err(|e| ManifestError::WriteFailed {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        Ok(Self {
            path: path.display().to_string(),
            text: text.to_string(),
            revision: revision_of(text.as_bytes()),
        })
    }
}

/// Temp file in the target's directory (so the rename stays on one filesystem),
/// fsync, keep the target's permissions, rename, fsync the directory.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir: PathBuf = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".appdeck-save-")
        .tempfile_in(&dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    if let Ok(meta) = std::fs::metadata(path) {
        tmp.as_file().set_permissions(meta.permissions())?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    sweep_stale_temps(&dir);
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(&dir) {
        // Makes the rename itself durable; failure here leaves a valid file.
        let _ = d.sync_all();
    }
    Ok(())
}

/// Temp files of saves killed mid-way (kill -9, power loss) are removed by a
/// later save once they are a minute old (a live save never takes that long).
fn sweep_stale_temps(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let stale = e
            .file_name()
            .to_string_lossy()
            .starts_with(".appdeck-save-")
            && e.metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > std::time::Duration::from_secs(60));
        if stale {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_replaces_content_and_returns_new_revision() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("stripe-app.json");
        std::fs::write(&p, "{}\n").unwrap();
        let doc = ManifestDocument::load(&p).unwrap();
        let saved = ManifestDocument::save(&p, &doc.revision, "{\"a\":1}\n").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "{\"a\":1}\n");
        assert_eq!(saved.revision, revision_of(b"{\"a\":1}\n"));
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temp file left behind");
    }

    #[test]
    fn save_refuses_when_file_changed_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("stripe-app.json");
        std::fs::write(&p, "{}\n").unwrap();
        let doc = ManifestDocument::load(&p).unwrap();
        std::fs::write(&p, "{\"other\":true}\n").unwrap();
        let err = ManifestDocument::save(&p, &doc.revision, "{\"mine\":1}").unwrap_err();
        assert_eq!(err.code(), ErrorCode::ManifestChangedOnDisk);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "{\"other\":true}\n");
    }

    #[test]
    fn load_reports_missing_and_non_utf8_files() {
        let dir = tempfile::tempdir().unwrap();
        let missing = ManifestDocument::load(&dir.path().join("nope.json")).unwrap_err();
        assert_eq!(missing.code(), ErrorCode::ManifestUnreadable);
        let p = dir.path().join("bin.json");
        std::fs::write(&p, [b'{', 0xff, b'}']).unwrap();
        let err = ManifestDocument::load(&p).unwrap_err();
        assert!(err.to_string().contains("offset 1"), "{err}");
    }
}
