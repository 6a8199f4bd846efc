//! appdeck-desktop: the Tauri shell of Appdeck.
//!
//! Purpose: open a window on the React UI (ui/dist, embedded at compile time)
//! and expose appdeck-core to it through typed commands. Invariants: the shell
//! holds no domain rule (commands are thin adapters, see `commands`); the
//! webview may call only the commands registered below, each allowed by name in
//! `capabilities/default.json` and listed in `build.rs` (tests check the three
//! lists agree), plus the dialog's "open" and the opener for https and loopback
//! URLs. Why: least privilege for a webview that renders user files.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

#[cfg(test)]
mod bench;
mod commands;
mod ipc;
mod launch;
#[cfg(test)]
mod no_secret_returned;
mod services;
mod state;

use std::sync::Arc;
use std::time::Instant;

use tauri::{Manager, RunEvent};
use tauri_plugin_opener::OpenerExt;

/// Declares the command handler and, from the same list, the names it registers,
/// so the test below can compare them with the capability file.
macro_rules! ipc_commands {
    ($($module:ident :: $name:ident),* $(,)?) => {
        /// Every command the webview may invoke, by name.
        #[cfg(test)]
        const REGISTERED: &[&str] = &[$(stringify!($name)),*];

        fn invoke_handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$(commands::$module::$name),*]
        }
    };
}

ipc_commands![
    project::launch_project,
    project::open_project,
    project::recent_projects,
    manifest::load_manifest,
    manifest::validate_manifest_text,
    manifest::manifest_release_check,
    manifest::preview_edit,
    manifest::save_manifest,
    manifest::apply_edit_and_save,
    manifest::disk_revision,
    manifest::diff_texts,
    catalog::permission_catalog,
    catalog::event_types,
    catalog::advise_events,
    lifecycle::ui_ready,
    sandbox::sandbox_status,
    sandbox::sandbox_set_auto_consent,
    sandbox::keychain_status,
    sandbox::use_session_secrets,
    sandbox::retry_keychain,
    accounts::accounts_list,
    accounts::accounts_add,
    apps::apps_list,
    apps::apps_set,
    accounts::accounts_remove,
    accounts::accounts_use,
    install::install_link,
    install::install_check,
    install::install_start,
    install::install_wait,
    install::install_wait_backend,
    install::install_backend_landed,
    install::install_cancel,
    install::install_paste_url,
    install::installs_list,
    install::install_refresh,
    install::install_forget,
    providers::providers_list,
    providers::providers_add,
    providers::providers_remove,
    providers::provider_login,
    providers::provider_refresh,
    providers::dashboard_redirect_urls,
    console::api_send,
    console::api_cancel,
    console::api_next_page,
    console::api_fetch_all,
    console::api_fetch_wait,
    console::api_fetch_cancel,
    console::api_history,
    console::api_curl,
    console::api_endpoints,
    console::api_precheck,
    console::api_missing_permission,
    console::live_writes,
    secrets::secrets_list,
    secrets::secrets_find,
    secrets::secrets_set,
    secrets::secrets_delete,
    signature::sign_stripe_signature,
    signature::verify_stripe_signature,
    signature::sign_ui_extension,
    signature::verify_install_signature,
    qa::qa_flows,
    qa::qa_flow_file,
    qa::qa_start,
    qa::qa_wait,
    qa::qa_cancel,
    qa::qa_open_report,
    qa::qa_record_start,
    qa::qa_record_stop,
    qa::qa_record_status,
    qa::qa_record_save,
];

/// Startup in the background (the window does not wait): probe the keychain,
/// start the embedded sandbox, then hand the services to the commands.
fn start_services(app: &tauri::App) {
    let handle = app.handle().clone();
    let opener_handle = handle.clone();
    let opener: services::Opener = Arc::new(move |url: &str| {
        opener_handle
            .opener()
            .open_url(url, None::<&str>)
            .map_err(|e| e.to_string())
    });
    tauri::async_runtime::spawn(async move {
        let shell = handle.state::<state::Shell>();
        if let Some(note) = &shell.launch.settings_note {
            eprintln!("appdeck-desktop: {note}");
        }
        let svc = services::Services::start(&shell.launch, opener).await;
        let status = svc.sandbox_status();
        match (&status.base_url, &status.message) {
            (Some(base), _) => eprintln!("appdeck-desktop: sandbox at {base}"),
            (None, Some(why)) => eprintln!("appdeck-desktop: {why}"),
            (None, None) => {}
        }
        shell.set_services(Arc::new(svc));
    });
}

fn main() {
    let started = Instant::now();
    let launch = launch::Launch::from_process();
    let built = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(state::Shell::new(launch, started))
        .invoke_handler(invoke_handler())
        .on_page_load(commands::lifecycle::page_loaded)
        .setup(|app| {
            start_services(app);
            Ok(())
        })
        .build(tauri::generate_context!());
    let app = match built {
        Ok(app) => app,
        Err(e) => {
            eprintln!("appdeck-desktop: cannot start the window: {e}");
            std::process::exit(1);
        }
    };
    app.run(|handle, event| {
        if let RunEvent::Exit = event {
            // Lets in-flight sandbox requests finish and releases its database.
            if let Some(svc) = handle.state::<state::Shell>().services_now() {
                tauri::async_runtime::block_on(svc.shutdown());
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::REGISTERED;
    use crate::commands::manifest::{load_manifest, save_manifest};

    /// App commands allowed by the capability (`allow-<kebab-name>`), as snake_case names.
    fn allowed_by_capability() -> BTreeSet<String> {
        let cap: serde_json::Value =
            serde_json::from_str(include_str!("../capabilities/default.json")).unwrap();
        cap["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p.as_str())
            .filter(|p| !p.contains(':'))
            .map(|p| {
                p.strip_prefix("allow-")
                    .unwrap_or_else(|| panic!("app permission {p} is not an allow-"))
                    .replace('-', "_")
            })
            .collect()
    }

    /// The names `build.rs` hands to tauri-build's app manifest.
    fn listed_in_build_rs() -> BTreeSet<String> {
        let src = include_str!("../build.rs");
        let list = src
            .split_once("const COMMANDS: &[&str] = &[")
            .and_then(|(_, rest)| rest.split_once("];"))
            .expect("build.rs declares const COMMANDS")
            .0;
        list.split(',')
            .map(|s| s.trim().trim_matches('"').to_string())
            .filter(|s| !s.is_empty())
            .collect()
    }

    #[test]
    fn every_registered_command_is_allowed_and_nothing_else_is() {
        let registered: BTreeSet<String> = REGISTERED.iter().map(|s| s.to_string()).collect();
        assert_eq!(
            registered.len(),
            REGISTERED.len(),
            "a command is registered twice"
        );
        assert_eq!(
            allowed_by_capability(),
            registered,
            "capabilities/default.json vs invoke_handler"
        );
        assert_eq!(
            listed_in_build_rs(),
            registered,
            "build.rs COMMANDS vs invoke_handler"
        );
    }

    #[test]
    fn capability_grants_no_shell_and_only_scoped_opener_urls() {
        let cap = include_str!("../capabilities/default.json");
        assert!(!cap.contains("shell:"), "no shell plugin");
        let json: serde_json::Value = serde_json::from_str(cap).unwrap();
        let opener: Vec<&serde_json::Value> = json["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p.to_string().contains("opener:"))
            .collect();
        assert_eq!(opener.len(), 1, "one opener permission, with a scope");
        let urls: Vec<&str> = opener[0]["allow"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["url"].as_str().unwrap())
            .collect();
        assert_eq!(urls, vec!["https://*", "http://127.0.0.1:*"]);
    }

    #[test]
    fn ipc_errors_reach_the_ui_as_code_and_message_only() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("stripe-app.json");
        let err = tauri::async_runtime::block_on(load_manifest(missing.display().to_string()))
            .unwrap_err();
        let json = serde_json::to_value(&err).unwrap();
        let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
        assert_eq!(keys, vec!["code", "message"]);
        assert_eq!(json["code"], "manifest-unreadable");
        assert!(json["message"]
            .as_str()
            .unwrap()
            .contains("stripe-app.json"));

        std::fs::write(&missing, "{}\n").unwrap();
        let stale = tauri::async_runtime::block_on(save_manifest(
            missing.display().to_string(),
            "not-the-revision".into(),
            "{\"a\":1}\n".into(),
        ))
        .unwrap_err();
        assert_eq!(
            serde_json::to_value(&stale).unwrap()["code"],
            "manifest-changed-on-disk"
        );
        assert_eq!(
            std::fs::read_to_string(&missing).unwrap(),
            "{}\n",
            "refused save wrote nothing"
        );
    }
}
