//! The QA screen: the project's flows, a run (started with its progress on a
//! channel, awaited, cancelled), opening what a run wrote, and recording a
//! flow from the Install and API screens.
//!
//! A run is core's `qa::run` on a task; its cancel token is kept in
//! [`QaState`] by run id until the run ends or is cancelled. Reports go to
//! `qa-reports/<flow>/` beside the manifest (core's `qa::files`).
//!
//! Invariants: `qa_open_report` opens only a file a finished run of this
//! session wrote (looked up by run id, never a path from the webview), so the
//! webview's opener capability stays limited to https and loopback URLs; the
//! journal is appended to only while recording is on; results carry masked
//! values only (core scrubs them).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use appdeck_core::console::request::{ApiRequest, ApiResponse};
use appdeck_core::context::Context;
use appdeck_core::error::{Coded, ErrorCode, ErrorPayload};
use appdeck_core::installs::InstallRecord;
use appdeck_core::local::control::Control;
use appdeck_core::oauth::install::AppManifest;
use appdeck_core::qa::files::{self, FlowFile};
use appdeck_core::qa::flow::{self, AccountSpec};
use appdeck_core::qa::record::Caller;
use appdeck_core::qa::report::{self, Written};
use appdeck_core::qa::result::{RunReport, Totals};
use appdeck_core::qa::run::{self, Progress, RunOptions};
use appdeck_core::qa::QaError;
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::State;
use tauri_plugin_opener::OpenerExt;
use tokio_util::sync::CancellationToken;

use crate::ipc::{off_ui_thread, payload, IpcResult};
use crate::services::{new_id, Services};
use crate::state::{lock, QaState, Shell};

/// What `qa_wait` answers: the report, its counts and the files written.
#[derive(Debug, Clone, Serialize)]
pub struct QaRunResult {
    pub run: String,
    pub passed: bool,
    pub totals: Totals,
    pub report: RunReport,
    pub files: Written,
}

#[derive(Debug, Clone, Serialize)]
pub struct QaStarted {
    pub run: String,
    pub report_dir: String,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct RecordStatus {
    pub recording: bool,
    pub steps: usize,
}

fn invalid(message: String) -> ErrorPayload {
    ErrorPayload {
        code: ErrorCode::InvalidInput,
        message,
    }
}

/// What a run needs from its arguments, checked before anything starts.
pub struct RunSpec {
    pub flow: PathBuf,
    pub manifest: PathBuf,
    pub accounts: Option<Vec<String>>,
    pub loops: Option<u32>,
}

/// Starts a run on a task. The shell's logic behind `qa_start`.
pub fn start(
    svc: &Arc<Services>,
    qa: &Arc<QaState>,
    spec: RunSpec,
    progress: run::ProgressFn,
) -> IpcResult<QaStarted> {
    let flow = flow::load(&spec.flow).map_err(|e| payload(QaError::Syntax(e)))?;
    let accounts = match spec.accounts.filter(|a| !a.is_empty()) {
        Some(list) => Some(
            list.iter()
                .map(|a| AccountSpec::parse(a))
                .collect::<Result<Vec<_>, _>>()
                .map_err(invalid)?,
        ),
        None => None,
    };
    if let Some(n) = spec.loops {
        flow::check_loops(i64::from(n)).map_err(invalid)?;
    }
    let app = AppManifest::load(&spec.manifest).map_err(payload)?;
    let id = new_id("qa");
    let dir = files::report_dir(&spec.manifest, &spec.flow, &id, svc.context().clock.now());
    let opts = RunOptions {
        file: spec.flow.clone(),
        accounts,
        loops: spec.loops,
    };
    let cancel = CancellationToken::new();
    lock(&qa.cancels).insert(id.clone(), cancel.clone());
    let (ctx, state, run_id, report_dir) = (svc.context(), qa.clone(), id.clone(), dir.clone());
    let task = tauri::async_runtime::spawn(async move {
        let result = run::run(&ctx, &flow, app, &opts, progress, &cancel).await;
        lock(&state.cancels).remove(&run_id);
        let report = result.map_err(payload)?;
        let written = report::write_all(&report, &report_dir, None).map_err(|e| ErrorPayload {
            code: ErrorCode::ConfigIo,
            message: format!("cannot write the report into {}: {e}", report_dir.display()),
        })?;
        lock(&state.reports).insert(run_id.clone(), written.clone());
        Ok(QaRunResult {
            run: run_id,
            passed: report.passed(),
            totals: report.totals(),
            report,
            files: written,
        })
    });
    lock(&qa.tasks).insert(id.clone(), task);
    Ok(QaStarted {
        run: id,
        report_dir: dir.display().to_string(),
    })
}

/// Waits for a run's result. The shell's logic behind `qa_wait`.
pub async fn wait(qa: &QaState, run: &str) -> IpcResult<QaRunResult> {
    let task = lock(&qa.tasks).remove(run).ok_or_else(|| {
        invalid(format!(
            "no QA run \"{run}\" is running (it was awaited already, or never started)"
        ))
    })?;
    task.await.unwrap_or_else(|e| {
        Err(ErrorPayload {
            code: ErrorCode::Internal,
            message: format!("the QA run's task failed: {e}"),
        })
    })
}

/// Cancels a run (it ends at the next step boundary, its report keeps what ran).
pub fn cancel(qa: &QaState, run: &str) {
    if let Some(token) = lock(&qa.cancels).remove(run) {
        token.cancel();
    }
}

/// The file (or folder) of a finished run to open.
pub fn report_path(qa: &QaState, run: &str, what: &str) -> IpcResult<PathBuf> {
    let reports = lock(&qa.reports);
    let w = reports
        .get(run)
        .ok_or_else(|| invalid(format!("QA run \"{run}\" wrote no report in this session")))?;
    Ok(match what {
        "markdown" => w.markdown.clone(),
        "junit" => w.junit.clone(),
        "folder" => w
            .markdown
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| w.markdown.clone()),
        other => {
            return Err(invalid(format!(
                "\"{other}\" is not a report: use markdown, junit or folder"
            )))
        }
    })
}

/// Appends a call to the journal when recording is on.
pub fn note_call(qa: &QaState, ctx: &Context, req: &ApiRequest, resp: &ApiResponse) {
    if !lock(&qa.recorder).recording {
        return;
    }
    let caller = Caller::of(ctx, &req.auth);
    let mut rec = lock(&qa.recorder);
    if rec.recording {
        rec.journal
            .call(req, caller, resp.status, &resp.body, ctx.clock.now());
    }
}

/// Notes an install flow started while recording.
pub fn note_install_started(qa: &QaState, flow: &str, redirect_uri: Option<String>) {
    let mut rec = lock(&qa.recorder);
    if rec.recording {
        rec.journal.install_started(flow, redirect_uri);
    }
}

/// Notes how an install flow ended (only flows started while recording count).
pub fn note_install_ended(
    qa: &QaState,
    ctx: &Context,
    flow: &str,
    installed: Option<&InstallRecord>,
) {
    let mut rec = lock(&qa.recorder);
    match installed {
        Some(r) => rec.journal.install_finished(flow, r, ctx.clock.now()),
        None => rec.journal.install_abandoned(flow),
    }
}

pub fn note_refresh(qa: &QaState, ctx: &Context, install: &str) {
    let mut rec = lock(&qa.recorder);
    if rec.recording {
        rec.journal.refresh(install, ctx.clock.now());
    }
}

fn record_status(qa: &QaState) -> RecordStatus {
    let rec = lock(&qa.recorder);
    RecordStatus {
        recording: rec.recording,
        steps: rec.journal.len(),
    }
}

/// `acct_…` → `install-N` for the embedded sandbox's install accounts.
async fn sandbox_labels(ctx: &Context) -> HashMap<String, String> {
    let Some(local) = &ctx.local else {
        return HashMap::new();
    };
    let control = Control::new(ctx.http.clone(), &local.base_url);
    control
        .install_accounts()
        .await
        .map(|accounts| {
            accounts
                .iter()
                .enumerate()
                .map(|(i, a)| (a.id.clone(), format!("install-{}", i + 1)))
                .collect()
        })
        .unwrap_or_default()
}

/// Renders the journal as a flow and writes it (never over an existing file).
pub async fn record_save(
    qa: &QaState,
    ctx: &Context,
    path: &Path,
    name: &str,
) -> IpcResult<FlowFile> {
    let labels = sandbox_labels(ctx).await;
    let text = lock(&qa.recorder)
        .journal
        .render(name, &labels)
        .map_err(|e| e.to_payload())?;
    appdeck_core::qa::record::save(path, &text).map_err(|e| e.to_payload())?;
    lock(&qa.recorder).journal = Default::default();
    Ok(files::describe(path))
}

/// The flows in `flows/` beside the manifest.
#[tauri::command]
pub async fn qa_flows(manifest_path: String) -> IpcResult<Vec<FlowFile>> {
    off_ui_thread(move || Ok(files::list(&files::flows_dir(Path::new(&manifest_path))))).await
}

/// One flow file, picked by path ("open file…").
#[tauri::command]
pub async fn qa_flow_file(path: String) -> IpcResult<FlowFile> {
    off_ui_thread(move || Ok(files::describe(Path::new(&path)))).await
}

/// Starts a run; progress goes to `onProgress` as it happens.
#[tauri::command]
pub async fn qa_start(
    shell: State<'_, Shell>,
    flow: String,
    manifest_path: String,
    accounts: Option<Vec<String>>,
    loops: Option<u32>,
    on_progress: Channel<Progress>,
) -> IpcResult<QaStarted> {
    let svc = shell.services().await;
    let spec = RunSpec {
        flow: flow.into(),
        manifest: manifest_path.into(),
        accounts,
        loops,
    };
    let progress: run::ProgressFn = Arc::new(move |p: &Progress| {
        let _ = on_progress.send(p.clone());
    });
    start(&svc, &shell.qa, spec, progress)
}

#[tauri::command]
pub async fn qa_wait(shell: State<'_, Shell>, run: String) -> IpcResult<QaRunResult> {
    wait(&shell.qa, &run).await
}

#[tauri::command]
pub async fn qa_cancel(shell: State<'_, Shell>, run: String) -> IpcResult<()> {
    cancel(&shell.qa, &run);
    Ok(())
}

/// Opens a finished run's Markdown report, JUnit file or report folder with
/// the system's default app.
#[tauri::command]
pub async fn qa_open_report(
    app: tauri::AppHandle,
    shell: State<'_, Shell>,
    run: String,
    what: String,
) -> IpcResult<()> {
    let path = report_path(&shell.qa, &run, &what)?;
    app.opener()
        .open_path(path.display().to_string(), None::<&str>)
        .map_err(|e| ErrorPayload {
            code: ErrorCode::Internal,
            message: format!("could not open {}: {e}", path.display()),
        })
}

#[tauri::command]
pub async fn qa_record_start(shell: State<'_, Shell>) -> IpcResult<RecordStatus> {
    // Steps not saved yet are kept: switching recording off and on again
    // resumes it, and only a save starts a new journal.
    lock(&shell.qa.recorder).recording = true;
    Ok(record_status(&shell.qa))
}

/// Stops appending; the journal stays until it is saved.
#[tauri::command]
pub async fn qa_record_stop(shell: State<'_, Shell>) -> IpcResult<RecordStatus> {
    lock(&shell.qa.recorder).recording = false;
    Ok(record_status(&shell.qa))
}

#[tauri::command]
pub async fn qa_record_status(shell: State<'_, Shell>) -> IpcResult<RecordStatus> {
    Ok(record_status(&shell.qa))
}

/// Saves the recorded steps as the flow `name` in the `flows/` folder beside
/// `manifest_path` (core names the file: the webview never picks a path);
/// answers the new flow file.
#[tauri::command]
pub async fn qa_record_save(
    shell: State<'_, Shell>,
    manifest_path: String,
    name: String,
) -> IpcResult<FlowFile> {
    let ctx = shell.services().await.context();
    let path = files::recorded_flow_path(Path::new(&manifest_path), &name);
    record_save(&shell.qa, &ctx, &path, &name).await
}

#[cfg(test)]
#[path = "qa_tests.rs"]
mod tests;
