//! Install flows and fetch jobs between their start and their end, kept by
//! id so the UI can wait for them, hand them a pasted URL, or cancel them.

use appdeck_core::oauth::install::{FlowFailure, InstallOutcome, Prepared};
use tokio_util::sync::CancellationToken;

use crate::ipc::IpcResult;

/// An install flow between `install_start` and its end.
pub enum FlowTask {
    /// Waiting for the loopback callback; the task ends with the outcome.
    Loopback(tauri::async_runtime::JoinHandle<Result<InstallOutcome, FlowFailure>>),
    /// A redirect URI that isn't loopback: waiting for the pasted URL.
    Paste(Box<Prepared>),
    /// An install the app's backend completes: the task watches Stripe's
    /// events (`task` is taken by `install_wait_backend`); pasted landing
    /// URLs go to it on `pasted`, as a second signal.
    Backend {
        task: Option<
            tauri::async_runtime::JoinHandle<
                Result<appdeck_core::oauth::backend::BackendOutcome, FlowFailure>,
            >,
        >,
        pasted: tokio::sync::mpsc::UnboundedSender<String>,
    },
}

pub struct Flow {
    pub cancel: CancellationToken,
    /// Taken out by `install_wait` (or `install_paste_url`) while it awaits.
    pub task: Option<FlowTask>,
}

/// `api_fetch_all` between its start and `api_fetch_wait`.
pub struct FetchJob {
    pub cancel: CancellationToken,
    pub task: tauri::async_runtime::JoinHandle<IpcResult<crate::commands::console::FetchAllResult>>,
}
