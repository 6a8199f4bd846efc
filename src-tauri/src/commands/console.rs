//! The API console: send a call as an account or an install, page through
//! lists (one page, or all of them as a job with progress and cancel), the
//! history, copy as curl, the endpoint catalog, the permission guard rails and
//! the session's live-write lock.
//!
//! Invariants: every call sent (`api_send`, each page of `api_fetch_all`) is
//! recorded in the history through core, which never stores a secret; a curl
//! line reads the credential from an environment variable; live-mode writes
//! stay locked until `live_writes(true)`, for this process only.

use std::path::PathBuf;
use std::sync::Arc;

use appdeck_core::console::curl;
use appdeck_core::console::endpoints::{self, Endpoint};
use appdeck_core::console::pages::{self, FetchStop};
use appdeck_core::console::request::{self, ApiRequest, ApiResponse};
use appdeck_core::console::{history, permissions};
use appdeck_core::context::Context;
use appdeck_core::error::{ErrorCode, ErrorPayload};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::State;
use tokio_util::sync::CancellationToken;

use crate::ipc::{off_ui_thread, payload, IpcResult};
use crate::services::{new_id, FetchJob, Services};
use crate::state::Shell;

/// Progress of `api_fetch_all`, sent after each page.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct FetchProgress {
    pub count: usize,
    pub pages: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct FetchJobStarted {
    pub job: String,
}

/// What `api_fetch_wait` answers.
#[derive(Debug, Clone, Serialize)]
pub struct FetchAllResult {
    pub data: Vec<serde_json::Value>,
    /// False when it stopped early (the limit, a cancel, a failed page).
    pub complete: bool,
}

/// Records a call in the history; a failed write is reported on stderr, and
/// never costs the user the response.
fn remember(ctx: &Context, req: &ApiRequest, resp: &ApiResponse) {
    if let Err(e) = history::record(ctx, req, resp) {
        eprintln!("appdeck-desktop: the call was not recorded in the history: {e}");
    }
}

/// Sends the call and records it, as `api_send` does (for tests).
#[cfg(test)]
pub async fn send(svc: &Services, req: &ApiRequest) -> IpcResult<ApiResponse> {
    send_cancellable(svc, req, &CancellationToken::new()).await
}

/// Sends the call and records it, ended early by `cancel` (`api-cancelled`).
/// The shell's logic behind `api_send`.
pub async fn send_cancellable(
    svc: &Services,
    req: &ApiRequest,
    cancel: &CancellationToken,
) -> IpcResult<ApiResponse> {
    let ctx = svc.context();
    let resp = request::send_abortable(&ctx, req, &svc.live, &ctx.retry, cancel)
        .await
        .map_err(payload)?;
    remember(&ctx, req, &resp);
    Ok(resp)
}

/// Sends a call. With `call` (an id the UI picks, unique per call),
/// `api_cancel(call)` ends it while it waits for an answer or between retries.
#[tauri::command]
pub async fn api_send(
    shell: State<'_, Shell>,
    request: ApiRequest,
    call: Option<String>,
) -> IpcResult<ApiResponse> {
    let svc = shell.services().await;
    // A cancel that came first left its (cancelled) token here: keep it.
    let cancel = match &call {
        Some(id) => svc
            .calls
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(id.clone())
            .or_default()
            .clone(),
        None => CancellationToken::new(),
    };
    let sent = send_cancellable(&svc, &request, &cancel).await;
    if let Some(id) = &call {
        svc.calls
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(id);
    }
    let resp = sent?;
    super::qa::note_call(&shell.qa, &svc.context(), &request, &resp);
    Ok(resp)
}

/// Cancels the `api_send` with this `call` id, also one that has not reached
/// the shell yet; one that ended is not an error.
#[tauri::command]
pub async fn api_cancel(shell: State<'_, Shell>, call: String) -> IpcResult<()> {
    let svc = shell.services().await;
    svc.calls
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .entry(call)
        .or_default()
        .cancel();
    Ok(())
}

/// The request for the next page of a list response, or `null` at its end.
#[tauri::command]
pub async fn api_next_page(
    request: ApiRequest,
    response: ApiResponse,
) -> IpcResult<Option<ApiRequest>> {
    off_ui_thread(move || Ok(pages::next_page(&request, &response))).await
}

/// Starts fetching every page (up to `max` objects) as a job; progress goes to
/// `onProgress` after each page, and each page is recorded in the history.
pub fn fetch_all(
    svc: &Arc<Services>,
    request: ApiRequest,
    max: usize,
    on_progress: impl Fn(FetchProgress) + Send + Sync + 'static,
) -> FetchJobStarted {
    let id = new_id("job");
    let cancel = CancellationToken::new();
    let token = cancel.clone();
    let owner = svc.clone();
    let task = tauri::async_runtime::spawn(async move {
        let ctx = owner.context();
        let mut pages = 0;
        let fetched = pages::fetch_all(
            &ctx,
            &request,
            &owner.live,
            max,
            &token,
            |req, resp, count| {
                pages += 1;
                remember(&ctx, req, resp);
                on_progress(FetchProgress { count, pages });
            },
        )
        .await
        .map_err(payload)?;
        Ok(FetchAllResult {
            complete: matches!(fetched.stop, FetchStop::Complete),
            data: fetched.data,
        })
    });
    svc.jobs
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(id.clone(), FetchJob { cancel, task });
    FetchJobStarted { job: id }
}

#[tauri::command]
pub async fn api_fetch_all(
    shell: State<'_, Shell>,
    request: ApiRequest,
    max: usize,
    on_progress: Channel<FetchProgress>,
) -> IpcResult<FetchJobStarted> {
    let svc = shell.services().await;
    Ok(fetch_all(&svc, request, max, move |p| {
        let _ = on_progress.send(p);
    }))
}

fn unknown_job(job: &str) -> ErrorPayload {
    ErrorPayload {
        code: ErrorCode::InvalidInput,
        message: format!(
            "no fetch job \"{job}\" is running (it was awaited already, or never started)"
        ),
    }
}

/// What the job fetched; after a cancel, what it had so far.
pub async fn fetch_wait(svc: &Services, job: &str) -> IpcResult<FetchAllResult> {
    let task = svc
        .jobs
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(job)
        .ok_or_else(|| unknown_job(job))?
        .task;
    task.await.unwrap_or_else(|e| {
        Err(ErrorPayload {
            code: ErrorCode::Internal,
            message: format!("the fetch job's task failed: {e}"),
        })
    })
}

#[tauri::command]
pub async fn api_fetch_wait(shell: State<'_, Shell>, job: String) -> IpcResult<FetchAllResult> {
    let svc = shell.services().await;
    fetch_wait(&svc, &job).await
}

/// Stops the job after the page in flight; a job that ended is not an error.
#[tauri::command]
pub async fn api_fetch_cancel(shell: State<'_, Shell>, job: String) -> IpcResult<()> {
    let svc = shell.services().await;
    if let Some(j) = svc.jobs.lock().unwrap_or_else(|p| p.into_inner()).get(&job) {
        j.cancel.cancel();
    }
    Ok(())
}

/// History entries matching every word of `search` (all when absent), newest first.
#[tauri::command]
pub async fn api_history(
    shell: State<'_, Shell>,
    search: Option<String>,
) -> IpcResult<Vec<history::HistoryEntry>> {
    let ctx = shell.services().await.context();
    off_ui_thread(move || history::search(&ctx, search.as_deref().unwrap_or("")).map_err(payload))
        .await
}

/// The call as a curl command line reading the key from `$envVar` (default `STRIPE_API_KEY`).
#[tauri::command]
pub async fn api_curl(
    shell: State<'_, Shell>,
    request: ApiRequest,
    env_var: Option<String>,
) -> IpcResult<String> {
    let ctx = shell.services().await.context();
    off_ui_thread(move || curl::curl_for(&ctx, &request, env_var.as_deref()).map_err(payload)).await
}

/// Catalog routes whose path starts with `prefix` (and of `method`, if given).
#[tauri::command]
pub async fn api_endpoints(method: Option<String>, prefix: String) -> IpcResult<Vec<Endpoint>> {
    off_ui_thread(move || {
        Ok(endpoints::complete(method.as_deref(), &prefix)
            .into_iter()
            .cloned()
            .collect())
    })
    .await
}

/// The permission the manifest at `manifest_path` lacks for this route, if any.
#[tauri::command]
pub async fn api_precheck(
    method: String,
    path: String,
    manifest_path: String,
) -> IpcResult<Option<String>> {
    off_ui_thread(move || {
        permissions::precheck_manifest(&method, &path, &PathBuf::from(&manifest_path))
            .map_err(crate::ipc::payload)
    })
    .await
}

/// After a 403 permission error: the permission to grant in the manifest.
#[tauri::command]
pub async fn api_missing_permission(response: ApiResponse) -> IpcResult<Option<String>> {
    off_ui_thread(move || Ok(permissions::missing_from_error(&response))).await
}

/// Locks (`false`) or unlocks (`true`) live-mode writes for this session.
#[tauri::command]
pub async fn live_writes(shell: State<'_, Shell>, unlock: bool) -> IpcResult<bool> {
    let svc = shell.services().await;
    svc.live.set(unlock);
    Ok(svc.live.is_unlocked())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_response_from_the_ui_round_trips_into_core() {
        let json = serde_json::json!({
            "status": 200, "headers": [["request-id", "req_1"]], "request_id": "req_1",
            "elapsed_ms": 3, "body": "{\"object\":\"list\",\"has_more\":true,\"data\":[{\"id\":\"cus_9\"}]}",
            "stripe_error": null, "mode": "local", "method": "GET",
            "url": "http://127.0.0.1:1/v1/customers", "idempotency_key": null, "refreshed": false,
            "attempts": [{"status": 200, "error": null, "waited_ms": 0, "elapsed_ms": 3}]
        });
        let resp: ApiResponse = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(
            serde_json::to_value(&resp).unwrap(),
            json,
            "every field survives"
        );
    }
}
