//! The window's lifecycle as the UI reports it.
//!
//! `ui_ready` is called once by the UI at the first paint of its main screen
//! with its content (the manifest in its editor, or the project picker); the
//! first call prints the time since the process started to stderr as
//! `appdeck-desktop: ui_ready <ms> ms after start`. The first finished page load
//! prints `appdeck-desktop: page_loaded <ms> ms after start` the same way. The
//! startup benchmark (tests/bench/desktop-startup.sh) reads both. Neither
//! changes anything else.

use tauri::webview::{PageLoadEvent, PageLoadPayload};
use tauri::{Manager, Runtime, Webview};

use crate::ipc::IpcResult;
use crate::state::Shell;

/// Hooked to the webview's page loads; reports the first one that finishes.
pub fn page_loaded<R: Runtime>(webview: &Webview<R>, payload: &PageLoadPayload<'_>) {
    if payload.event() != PageLoadEvent::Finished {
        return;
    }
    let shell = webview.state::<Shell>();
    if shell.first_page_load() {
        eprintln!(
            "appdeck-desktop: page_loaded {} ms after start",
            shell.elapsed_ms()
        );
    }
}

/// Milliseconds since the process started; logged on the first call.
pub async fn ui_ready(shell: &Shell) -> IpcResult<u64> {
    let ms = shell.elapsed_ms();
    if shell.first_ui_ready() {
        eprintln!("appdeck-desktop: ui_ready {ms} ms after start");
    }
    Ok(ms)
}
