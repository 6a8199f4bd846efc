//! Reading, validating, editing and saving one manifest.
//!
//! Invariant: the text and the revision it was read at travel with every call
//! (the UI owns the buffer); saves go through core's conflict-checked atomic
//! write, so a change made in another editor since is refused with
//! `manifest-changed-on-disk` instead of being overwritten.

use std::path::PathBuf;

use appdeck_core::manifest::{
    diff_lines, ops, validate_at, Diagnostic, DiffLine, EditOutcome, ManifestDocument,
    ManifestEdit, ManifestState,
};

use crate::ipc::{off_ui_thread, payload, IpcResult};

/// Reads and validates the manifest at `path`.
#[tauri::command]
pub async fn load_manifest(path: String) -> IpcResult<ManifestState> {
    off_ui_thread(move || ops::open(&PathBuf::from(path)).map_err(payload)).await
}

/// Validates unsaved text as if it were the file at `path`.
#[tauri::command]
pub async fn validate_manifest_text(path: String, text: String) -> IpcResult<Vec<Diagnostic>> {
    off_ui_thread(move || Ok(validate_at(&PathBuf::from(path), &text))).await
}

/// Applies an edit to unsaved text; nothing touches disk.
#[tauri::command]
pub async fn preview_edit(
    path: String,
    text: String,
    edit: ManifestEdit,
) -> IpcResult<EditOutcome> {
    off_ui_thread(move || ops::preview(&PathBuf::from(path), &text, &edit).map_err(payload)).await
}

/// Writes `text` if the file still holds `expected_revision`.
#[tauri::command]
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
#[tauri::command]
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
#[tauri::command]
pub async fn disk_revision(path: String) -> IpcResult<Option<String>> {
    off_ui_thread(move || Ok(ManifestDocument::disk_revision(&PathBuf::from(path)))).await
}

/// The save preview: changed lines with three lines of context.
#[tauri::command]
pub async fn diff_texts(old: String, new: String) -> IpcResult<Vec<DiffLine>> {
    off_ui_thread(move || Ok(diff_lines(&old, &new, 3))).await
}
