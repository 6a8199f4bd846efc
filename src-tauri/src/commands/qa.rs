//! The QA screen: the project's flows, a run (started with its progress on a
//! channel, awaited, cancelled), opening what a run wrote, and recording a
//! flow from the Install and API screens.
//!
//! A run is core's `qa::run` on a task, a job of the registry in
//! [`QaState::runs`] from its start until `qa_wait` has its result (so a
//! cancel reaches it also while the UI waits). Reports go to
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
use serde::{Deserialize, Serialize};
use tauri::ipc::Channel;
use tauri_plugin_opener::OpenerExt;
use ts_rs::TS;

use crate::ipc::{off_ui_thread, payload, IpcResult};
use crate::services::Services;
use crate::state::{lock, FinishedRun, QaState, Shell};

/// What `qa_wait` answers: the report, its counts and the files written.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export, export_to = "QaRunResult.ts")]
pub struct QaRunResult {
    pub run: String,
    pub passed: bool,
    pub totals: Totals,
    pub report: RunReport,
    pub files: Written,
}

/// What `qa_start` answers: the run's handle and where its reports go.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export, export_to = "QaStarted.ts")]
pub struct QaStarted {
    pub run: String,
    pub report_dir: String,
}

/// What `qa_start` runs.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export, export_to = "QaStartOptions.ts", optional_fields)]
pub struct QaStartOptions {
    /// The flow file.
    pub flow: String,
    pub manifest_path: String,
    /// Overrides the flow's accounts (`install-N` or `acct_…`).
    pub accounts: Option<Vec<String>>,
    /// Overrides the flow's loops.
    pub loops: Option<u32>,
}

#[derive(Debug, Clone, Copy, Serialize, TS)]
#[ts(export, export_to = "RecordStatus.ts")]
pub struct RecordStatus {
    pub recording: bool,
    #[ts(type = "number")]
    pub steps: usize,
}

/// What a finished run wrote that the shell may open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export, export_to = "QaReportKind.ts", rename = "QaReportKind")]
pub enum ReportKind {
    Markdown,
    Junit,
    Folder,
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
    let job = qa.runs.start(None);
    let (id, cancel) = (job.id, job.cancel);
    let dir = files::report_dir(&spec.manifest, &spec.flow, &id, svc.context().clock.now());
    let opts = RunOptions {
        file: spec.flow.clone(),
        accounts,
        loops: spec.loops,
    };
    let (ctx, state, run_id, report_dir) = (svc.context(), qa.clone(), id.clone(), dir.clone());
    let task = tauri::async_runtime::spawn(async move {
        let report = run::run(&ctx, &flow, app, &opts, progress, &cancel)
            .await
            .map_err(payload)?;
        let written = report::write_all(&report, &report_dir, None).map_err(|e| ErrorPayload {
            code: ErrorCode::ConfigIo,
            message: format!("cannot write the report into {}: {e}", report_dir.display()),
        })?;
        lock(&state.reports).insert(run_id, written.clone());
        Ok(FinishedRun {
            report,
            files: written,
        })
    });
    qa.runs.with(&id, |slot| *slot = Some(task))?;
    Ok(QaStarted {
        run: id,
        report_dir: dir.display().to_string(),
    })
}

/// Waits for a run's result. The shell's logic behind `qa_wait`.
/// The run stays cancellable while this waits, and ends when it returns.
pub async fn wait(qa: &QaState, run: &str) -> IpcResult<QaRunResult> {
    let (task, _job) = qa.runs.claim(run, |slot| {
        slot.take()
            .ok_or_else(|| invalid(format!("QA run \"{run}\" is already awaited")))
    })?;
    let finished = task.await.unwrap_or_else(|e| {
        Err(ErrorPayload {
            code: ErrorCode::Internal,
            message: format!("the QA run's task failed: {e}"),
        })
    })?;
    Ok(QaRunResult {
        run: run.to_string(),
        passed: finished.report.passed(),
        totals: finished.report.totals(),
        report: finished.report,
        files: finished.files,
    })
}

/// Cancels a run (it ends at the next step boundary, its report keeps what
/// ran); one that ended is not an error.
pub fn cancel(qa: &QaState, run: &str) {
    qa.runs.cancel(run);
}

/// The file (or folder) of a finished run to open.
pub fn report_path(qa: &QaState, run: &str, what: ReportKind) -> IpcResult<PathBuf> {
    let reports = lock(&qa.reports);
    let w = reports
        .get(run)
        .ok_or_else(|| invalid(format!("QA run \"{run}\" wrote no report in this session")))?;
    Ok(match what {
        ReportKind::Markdown => w.markdown.clone(),
        ReportKind::Junit => w.junit.clone(),
        ReportKind::Folder => w
            .markdown
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| w.markdown.clone()),
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
pub async fn qa_flows(manifest_path: String) -> IpcResult<Vec<FlowFile>> {
    off_ui_thread(move || Ok(files::list(&files::flows_dir(Path::new(&manifest_path))))).await
}

/// One flow file, picked by path ("open file…").
pub async fn qa_flow_file(path: String) -> IpcResult<FlowFile> {
    off_ui_thread(move || Ok(files::describe(Path::new(&path)))).await
}

/// Starts a run; progress goes to `on_progress` as it happens.
pub async fn qa_start(
    shell: &Shell,
    options: QaStartOptions,
    on_progress: Channel<Progress>,
) -> IpcResult<QaStarted> {
    let svc = shell.services().await;
    let spec = RunSpec {
        flow: options.flow.into(),
        manifest: options.manifest_path.into(),
        accounts: options.accounts,
        loops: options.loops,
    };
    let progress: run::ProgressFn = Arc::new(move |p: &Progress| {
        let _ = on_progress.send(p.clone());
    });
    start(&svc, &shell.qa, spec, progress)
}

pub async fn qa_wait(shell: &Shell, run: String) -> IpcResult<QaRunResult> {
    wait(&shell.qa, &run).await
}

pub async fn qa_cancel(shell: &Shell, run: String) -> IpcResult<()> {
    cancel(&shell.qa, &run);
    Ok(())
}

/// Opens a finished run's Markdown report, JUnit file or report folder with
/// the system's default app.
pub async fn qa_open_report(
    app: &tauri::AppHandle,
    shell: &Shell,
    run: String,
    what: ReportKind,
) -> IpcResult<()> {
    let path = report_path(&shell.qa, &run, what)?;
    app.opener()
        .open_path(path.display().to_string(), None::<&str>)
        .map_err(|e| ErrorPayload {
            code: ErrorCode::Internal,
            message: format!("could not open {}: {e}", path.display()),
        })
}

pub async fn qa_record_start(shell: &Shell) -> IpcResult<RecordStatus> {
    // Steps not saved yet are kept: switching recording off and on again
    // resumes it, and only a save starts a new journal.
    lock(&shell.qa.recorder).recording = true;
    Ok(record_status(&shell.qa))
}

/// Stops appending; the journal stays until it is saved.
pub async fn qa_record_stop(shell: &Shell) -> IpcResult<RecordStatus> {
    lock(&shell.qa.recorder).recording = false;
    Ok(record_status(&shell.qa))
}

pub async fn qa_record_status(shell: &Shell) -> IpcResult<RecordStatus> {
    Ok(record_status(&shell.qa))
}

/// Saves the recorded steps as the flow `name` in the `flows/` folder beside
/// `manifest_path` (core names the file: the webview never picks a path);
/// answers the new flow file.
pub async fn qa_record_save(
    shell: &Shell,
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
