//! The IPC edge: how core results cross to the webview.
//!
//! Invariants: every command returns `Result<T, ErrorPayload>`, so a failure
//! reaches the UI as `{code, message}` with a stable kebab-case code, never as a
//! bare string the UI would have to match on; file and CPU work runs on Tauri's
//! blocking pool, never on the main thread that drives the window.
//! The commands that cross it are listed in `crate::command_table`.

use appdeck_core::error::{Coded, ErrorCode, ErrorPayload};

pub type IpcResult<T> = Result<T, ErrorPayload>;

/// Turns any core module error into the payload the UI receives.
pub fn payload<E: Coded>(error: E) -> ErrorPayload {
    error.to_payload()
}

/// Runs `work` on the blocking pool and hands back its result.
pub async fn off_ui_thread<T, F>(work: F) -> IpcResult<T>
where
    T: Send + 'static,
    F: FnOnce() -> IpcResult<T> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(work)
        .await
        .unwrap_or_else(|e| {
            Err(ErrorPayload {
                code: ErrorCode::Internal,
                message: format!("a background task of the desktop app failed: {e}"),
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_task_becomes_an_internal_error_not_a_crash() {
        let out: IpcResult<()> =
            tauri::async_runtime::block_on(off_ui_thread(|| panic!("boom in a test")));
        assert_eq!(out.unwrap_err().code, ErrorCode::Internal);
    }
}
