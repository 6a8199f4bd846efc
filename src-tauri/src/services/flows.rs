//! What the registries of running install flows and fetch-all jobs keep for
//! their waiters (see [`super::jobs`]): the task to await, or the flow that
//! waits for a pasted URL.

use appdeck_core::console::pages::Fetched;
use appdeck_core::oauth::install::{FlowFailure, InstallOutcome, Prepared};

use super::jobs::Jobs;
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

/// Running install flows; a flow's task is `None` while `install_wait` (or
/// `install_paste_url`) has it.
pub type Flows = Jobs<Option<FlowTask>>;

/// `api_fetch_all` between its start and `api_fetch_wait`, which takes the task.
pub type FetchTask = tauri::async_runtime::JoinHandle<IpcResult<Fetched>>;
pub type Fetches = Jobs<Option<FetchTask>>;
