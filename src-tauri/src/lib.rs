//! appdeck-desktop: the Tauri shell of Appdeck, as a library the binary
//! (`main.rs`) runs and tests call.
//!
//! Purpose: open a window on the React UI (ui/dist, embedded at compile time)
//! and expose appdeck-core to it through typed commands. Invariants: the shell
//! holds no domain rule (commands are thin adapters, see `commands`); the
//! webview may call only the commands of the command table (`command_table`),
//! each allowed by name in `capabilities/default.json` (a test checks), plus
//! the dialog's "open" and the opener for https and loopback URLs. Why:
//! least privilege for a webview that renders user files.
//!
//! Layers (checked by `tests/shell/layers.rs`): `services` (what runs in the
//! process: store, sandbox, jobs) depends on neither `state` nor `commands`;
//! `state` (what every command reaches) may hold services; `commands` use
//! both; `ipc` (the edge: results and errors) is below them all, and
//! `command_table` (which makes the commands Tauri's) above them all.
//! Why a library: integration tests (and cross-face tests comparing the
//! desktop with the CLI) call the commands' logic without a window, and
//! test-only modules stay out of the binary.

#[cfg(test)]
mod bench;
pub mod command_table;
pub mod commands;
pub mod ipc;
pub mod launch;
#[cfg(test)]
mod no_secret_returned;
pub mod services;
pub mod state;

use std::sync::Arc;
use std::time::Instant;

use tauri::{Manager, RunEvent};
use tauri_plugin_opener::OpenerExt;

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

/// Reads argv, opens the window and runs until it closes (the binary's `main`).
pub fn run() {
    let started = Instant::now();
    let launch = launch::Launch::from_process();
    let built = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(state::Shell::new(launch, started))
        .invoke_handler(command_table::handler())
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
