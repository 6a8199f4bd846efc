//! Reading, validating, editing and saving one manifest.
//!
//! Invariant: the text and the revision it was read at travel with every call
//! (the UI owns the buffer); saves go through core's conflict-checked atomic
//! write, so a change made in another editor since is refused with
//! `manifest-changed-on-disk` instead of being overwritten.

use std::path::PathBuf;

use appdeck_core::manifest::{
    diff_lines, ops, release_check, validate_at, Diagnostic, DiffLine, EditOutcome,
    ManifestDocument, ManifestEdit, ManifestState, ReleaseReport,
};

use crate::ipc::{off_ui_thread, payload, IpcResult};

/// Reads and validates the manifest at `path`.
pub async fn load_manifest(path: String) -> IpcResult<ManifestState> {
    off_ui_thread(move || ops::open(&PathBuf::from(path)).map_err(payload)).await
}

/// Validates unsaved text as if it were the file at `path`.
pub async fn validate_manifest_text(path: String, text: String) -> IpcResult<Vec<Diagnostic>> {
    off_ui_thread(move || Ok(validate_at(&PathBuf::from(path), &text))).await
}

/// The release check of unsaved text as the file at `path`, compared with the
/// manifest of the version last uploaded when the user picked one (the shell
/// reads that file; only its version and permissions reach the UI).
pub async fn manifest_release_check(
    path: String,
    text: String,
    previous_path: Option<String>,
) -> IpcResult<ReleaseReport> {
    off_ui_thread(move || {
        let previous = previous_path.map(PathBuf::from);
        release_check(&PathBuf::from(path), &text, previous.as_deref()).map_err(payload)
    })
    .await
}

/// Applies an edit to unsaved text; nothing touches disk.
pub async fn preview_edit(
    path: String,
    text: String,
    edit: ManifestEdit,
) -> IpcResult<EditOutcome> {
    off_ui_thread(move || ops::preview(&PathBuf::from(path), &text, &edit).map_err(payload)).await
}

/// Writes `text` if the file still holds `expected_revision`.
pub async fn save_manifest(
    path: String,
    expected_revision: String,
    text: String,
) -> IpcResult<ManifestState> {
    off_ui_thread(move || {
        ops::save(&PathBuf::from(path), &expected_revision, &text).map_err(payload)
    })
    .await
}

/// Edits the file on disk in one step if it still holds `expected_revision`.
pub async fn apply_edit_and_save(
    path: String,
    expected_revision: String,
    edit: ManifestEdit,
) -> IpcResult<ManifestState> {
    off_ui_thread(move || {
        ops::edit_on_disk(&PathBuf::from(path), Some(&expected_revision), &edit).map_err(payload)
    })
    .await
}

/// The revision on disk now (`None` when the file is gone): the UI polls it to
/// notice changes made outside the app.
pub async fn disk_revision(path: String) -> IpcResult<Option<String>> {
    off_ui_thread(move || Ok(ManifestDocument::disk_revision(&PathBuf::from(path)))).await
}

/// The save preview: changed lines with three lines of context.
pub async fn diff_texts(old_text: String, new_text: String) -> IpcResult<Vec<DiffLine>> {
    off_ui_thread(move || Ok(diff_lines(&old_text, &new_text, 3))).await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The desktop's Release check answers exactly what core's release check
    /// (which `appdeck manifest validate --release` prints) answers, and turns
    /// an unreadable previous file into its coded error.
    #[test]
    fn release_check_is_cores_release_check() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("stripe-app.json");
        let prev = dir.path().join("previous.json");
        let text = r#"{"id": "com.example.a", "version": "1.0.0", "name": "A",
  "allowed_redirect_uris": ["http://127.0.0.1:8765/callback"],
  "permissions": [{"permission": "customer_read", "purpose": "x"}]}"#;
        std::fs::write(&path, text).unwrap();
        std::fs::write(&prev, text.replace("customer_read", "invoice_read")).unwrap();
        let run = |previous: Option<String>| {
            tauri::async_runtime::block_on(manifest_release_check(
                path.display().to_string(),
                text.to_string(),
                previous,
            ))
        };
        let shell = run(Some(prev.display().to_string())).unwrap();
        let core = release_check(&path, text, Some(&prev)).unwrap();
        assert_eq!(
            serde_json::to_value(&shell).unwrap(),
            serde_json::to_value(&core).unwrap()
        );
        assert!(
            !shell.valid,
            "same version and a loopback URI fail the release"
        );
        let missing = run(Some(dir.path().join("nope.json").display().to_string())).unwrap_err();
        assert_eq!(
            serde_json::to_value(missing.code).unwrap(),
            "manifest-unreadable"
        );
    }
}
