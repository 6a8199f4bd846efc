//! The window's lifecycle as the UI reports it.
//!
//! `ui_ready` is called once by the UI when its first screen is mounted; the
//! first call prints the time since the process started to stderr as
//! `appdeck-desktop: ui_ready <ms> ms after start`, which the startup benchmark
//! (tests/bench/desktop-startup.sh) reads. It changes nothing else.

use tauri::State;

use crate::ipc::IpcResult;
use crate::state::Shell;

/// Milliseconds since the process started; logged on the first call.
#[tauri::command]
pub async fn ui_ready(shell: State<'_, Shell>) -> IpcResult<u64> {
    let ms = u64::try_from(shell.started.elapsed().as_millis()).unwrap_or(u64::MAX);
    if shell.first_ui_ready() {
        eprintln!("appdeck-desktop: ui_ready {ms} ms after start");
    }
    Ok(ms)
}
