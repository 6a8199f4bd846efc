//! Build script: generates Tauri's context and the app's own ACL manifest.
//!
//! Declaring the app's commands here makes Tauri check every app command against
//! the capabilities (`allow-<command>`), so a command the capability does not
//! name cannot be invoked even if it is registered. Keep this list, the handler
//! in `src/main.rs` and `capabilities/default.json` equal (a test checks).

const COMMANDS: &[&str] = &[
    "launch_project",
    "open_project",
    "recent_projects",
    "load_manifest",
    "validate_manifest_text",
    "preview_edit",
    "save_manifest",
    "apply_edit_and_save",
    "disk_revision",
    "diff_texts",
    "permission_catalog",
    "event_types",
    "advise_events",
    "ui_ready",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .unwrap_or_else(|e| panic!("tauri-build failed: {e:#}"));
}
