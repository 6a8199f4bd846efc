//! The API console: send a call as an account or an install, page through
//! lists (one page, or all of them as a job with progress and cancel), the
//! history, copy as curl, the endpoint catalog, the permission guard rails and
//! the session's live-write lock.
//!
//! Invariants: every call sent (`api_send`, each page of `api_fetch_all`) is
//! recorded in the history through core, which never stores a secret; a curl
//! line reads the credential from an environment variable; live-mode writes
//! stay locked until `live_writes(true)`, for this process only. Calls the UI
//! may cancel and fetch jobs are jobs of the registry (`services::jobs`): a
//! cancel reaches them until they end, also while `api_fetch_wait` waits.

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
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use crate::ipc::{off_ui_thread, payload, IpcResult};
use crate::services::Services;
use crate::state::Shell;

/// Progress of `api_fetch_all`, sent after each page.
#[derive(Debug, Clone, Copy, Serialize, TS)]
#[ts(export, export_to = "FetchProgress.ts")]
pub struct FetchProgress {
    #[ts(type = "number")]
    pub count: usize,
    #[ts(type = "number")]
    pub pages: usize,
}

/// The handle of a fetch job, for `api_fetch_wait` and `api_fetch_cancel`.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export, export_to = "FetchJobStarted.ts")]
pub struct FetchJobStarted {
    pub job: String,
}

/// What `api_fetch_wait` answers.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export, export_to = "FetchAllResult.ts")]
pub struct FetchAllResult {
    #[ts(type = "Array<unknown>")]
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
pub async fn api_send(
    shell: &Shell,
    request: ApiRequest,
    call: Option<String>,
) -> IpcResult<ApiResponse> {
    let svc = shell.services().await;
    let job = call.map(|id| svc.calls.start_as(&id, ())).transpose()?;
    let cancel = job.as_ref().map(|j| j.token().clone()).unwrap_or_default();
    let resp = send_cancellable(&svc, &request, &cancel).await?;
    super::qa::note_call(&shell.qa, &svc.context(), &request, &resp);
    Ok(resp)
}

/// Cancels the `api_send` with this `call` id, also one that has not reached
/// the shell yet; one that ended is not an error.
pub async fn api_cancel(shell: &Shell, call: String) -> IpcResult<()> {
    shell.services().await.calls.cancel(&call);
    Ok(())
}

/// The request for the next page of a list response, or `null` at its end.
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
    let started = svc.fetches.start(None);
    let token = started.cancel;
    let owner = svc.clone();
    let task = tauri::async_runtime::spawn(async move {
        let ctx = owner.context();
        let mut pages = 0;
        pages::fetch_all(
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
        .map_err(payload)
    });
    // Registered before its task exists, so the job is there when
    // `api_fetch_wait` comes: it runs from here on.
    let _ = svc.fetches.with(&started.id, |slot| *slot = Some(task));
    FetchJobStarted { job: started.id }
}

/// Starts fetching every page as a job; progress goes to `on_progress`.
pub async fn api_fetch_all(
    shell: &Shell,
    request: ApiRequest,
    max: usize,
    on_progress: Channel<FetchProgress>,
) -> IpcResult<FetchJobStarted> {
    let svc = shell.services().await;
    Ok(fetch_all(&svc, request, max, move |p| {
        let _ = on_progress.send(p);
    }))
}

/// What the job fetched; after a cancel, what it had so far. The job stays
/// cancellable while this waits, and ends when it returns.
pub async fn fetch_wait(svc: &Services, job: &str) -> IpcResult<FetchAllResult> {
    let (task, _job) = svc.fetches.claim(job, |slot| {
        slot.take().ok_or_else(|| ErrorPayload {
            code: ErrorCode::InvalidInput,
            message: format!("fetch job \"{job}\" is already awaited"),
        })
    })?;
    let fetched = task.await.unwrap_or_else(|e| {
        Err(ErrorPayload {
            code: ErrorCode::Internal,
            message: format!("the fetch job's task failed: {e}"),
        })
    })?;
    Ok(FetchAllResult {
        complete: matches!(fetched.stop, FetchStop::Complete),
        data: fetched.data,
    })
}

/// What the job fetched; after a cancel, what it had so far.
pub async fn api_fetch_wait(shell: &Shell, job: String) -> IpcResult<FetchAllResult> {
    let svc = shell.services().await;
    fetch_wait(&svc, &job).await
}

/// Stops the job after the page in flight; a job that ended is not an error.
pub async fn api_fetch_cancel(shell: &Shell, job: String) -> IpcResult<()> {
    shell.services().await.fetches.cancel(&job);
    Ok(())
}

/// History entries matching every word of `search` (all when absent), newest first.
pub async fn api_history(
    shell: &Shell,
    search: Option<String>,
) -> IpcResult<Vec<history::HistoryEntry>> {
    let ctx = shell.services().await.context();
    off_ui_thread(move || history::search(&ctx, search.as_deref().unwrap_or("")).map_err(payload))
        .await
}

/// The call as a curl command line reading the key from `$envVar` (default `STRIPE_API_KEY`).
pub async fn api_curl(
    shell: &Shell,
    request: ApiRequest,
    env_var: Option<String>,
) -> IpcResult<String> {
    let ctx = shell.services().await.context();
    off_ui_thread(move || curl::curl_for(&ctx, &request, env_var.as_deref()).map_err(payload)).await
}

/// Catalog routes whose path starts with `prefix` (and of `method`, if given).
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
pub async fn api_missing_permission(response: ApiResponse) -> IpcResult<Option<String>> {
    off_ui_thread(move || Ok(permissions::missing_from_error(&response))).await
}

/// Locks (`false`) or unlocks (`true`) live-mode writes for this session.
pub async fn live_writes(shell: &Shell, unlock: bool) -> IpcResult<bool> {
    let svc = shell.services().await;
    svc.live.set(unlock);
    Ok(svc.live.is_unlocked())
}

#[cfg(test)]
mod tests {
    use super::*;
    use appdeck_core::console::request::AuthAs;
    use appdeck_core::keychain::MemoryStore;

    fn as_local(method: &str, params: Vec<(String, String)>) -> ApiRequest {
        ApiRequest {
            method: method.into(),
            path: "/v1/customers".into(),
            params,
            raw_body: None,
            stripe_account: None,
            stripe_version: None,
            idempotency_key: None,
            auth: AuthAs::Account {
                name: Some("local".into()),
            },
        }
    }

    /// The UI waits on `api_fetch_wait` right after starting a job, so its
    /// Cancel button cancels a job that is being awaited.
    #[test]
    fn a_fetch_job_is_cancelled_while_its_wait_waits() {
        tauri::async_runtime::block_on(async {
            let dir = tempfile::tempdir().unwrap();
            let svc = Arc::new(
                Services::start_with_store(
                    dir.path().join("config"),
                    &dir.path().join("no-project"),
                    Arc::new(MemoryStore::new()),
                    Arc::new(|_: &str| Ok(())),
                )
                .await,
            );
            for i in 0..3 {
                let name = vec![("name".to_string(), format!("c{i}"))];
                send(&svc, &as_local("POST", name)).await.unwrap();
            }
            // The first page's progress waits until the test has cancelled,
            // so the job stops after exactly one page.
            let (progressed, mut first_page) = tokio::sync::mpsc::unbounded_channel();
            let (cancelled, go_on) = std::sync::mpsc::channel::<()>();
            let go_on = std::sync::Mutex::new(go_on);
            let one_per_page = vec![("limit".to_string(), "1".to_string())];
            let started = fetch_all(&svc, as_local("GET", one_per_page), 100, move |p| {
                let _ = progressed.send(p);
                let _ = go_on.lock().unwrap().recv();
            });
            let waiting = fetch_wait(&svc, &started.job);
            let cancel = async {
                first_page.recv().await.expect("a first page");
                assert!(svc.fetches.is_running(&started.job), "awaited, still a job");
                svc.fetches.cancel(&started.job);
                cancelled.send(()).unwrap();
            };
            let (fetched, ()) = tokio::join!(waiting, cancel);
            let fetched = fetched.unwrap();
            assert!(!fetched.complete, "stopped by the cancel");
            assert_eq!(fetched.data.len(), 1, "what it had when cancelled");
            assert!(svc.fetches.is_empty(), "the job ended with its wait");
            svc.shutdown().await;
        });
    }

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
