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
    "manifest_release_check",
    "preview_edit",
    "save_manifest",
    "apply_edit_and_save",
    "disk_revision",
    "diff_texts",
    "permission_catalog",
    "event_types",
    "advise_events",
    "ui_ready",
    "sandbox_status",
    "sandbox_set_auto_consent",
    "keychain_status",
    "use_session_secrets",
    "retry_keychain",
    "accounts_list",
    "accounts_add",
    "accounts_remove",
    "accounts_use",
    "install_link",
    "install_check",
    "install_start",
    "install_wait",
    "install_wait_backend",
    "install_backend_landed",
    "install_cancel",
    "install_paste_url",
    "installs_list",
    "install_refresh",
    "install_forget",
    "providers_list",
    "providers_add",
    "providers_remove",
    "provider_login",
    "provider_refresh",
    "dashboard_redirect_urls",
    "api_send",
    "api_cancel",
    "api_next_page",
    "api_fetch_all",
    "api_fetch_wait",
    "api_fetch_cancel",
    "api_history",
    "api_curl",
    "api_endpoints",
    "api_precheck",
    "api_missing_permission",
    "live_writes",
    "sign_stripe_signature",
    "verify_stripe_signature",
    "sign_ui_extension",
    "verify_install_signature",
    "qa_flows",
    "qa_flow_file",
    "qa_start",
    "qa_wait",
    "qa_cancel",
    "qa_open_report",
    "qa_record_start",
    "qa_record_stop",
    "qa_record_status",
    "qa_record_save",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .unwrap_or_else(|e| panic!("tauri-build failed: {e:#}"));
}
