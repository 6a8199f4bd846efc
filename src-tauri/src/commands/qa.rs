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
use appdeck_core::oauth::install::AppManifest;
use appdeck_core::qa::control::Control;
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
    if spec.loops.is_some_and(|n| !(1..=10_000).contains(&n)) {
        return Err(invalid("loops must be from 1 to 10000".into()));
    }
    let app = AppManifest::load(&spec.manifest).map_err(payload)?;
    let dir = files::report_dir(&spec.manifest, &spec.flow);
    let opts = RunOptions {
        file: spec.flow.clone(),
        accounts,
        loops: spec.loops,
    };
    let id = new_id("qa");
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
    let mut rec = lock(&shell.qa.recorder);
    rec.recording = true;
    rec.journal = Default::default();
    Ok(RecordStatus {
        recording: true,
        steps: 0,
    })
}

/// Stops appending; the journal stays until saved or a new recording starts.
#[tauri::command]
pub async fn qa_record_stop(shell: State<'_, Shell>) -> IpcResult<RecordStatus> {
    lock(&shell.qa.recorder).recording = false;
    Ok(record_status(&shell.qa))
}

#[tauri::command]
pub async fn qa_record_status(shell: State<'_, Shell>) -> IpcResult<RecordStatus> {
    Ok(record_status(&shell.qa))
}

/// Saves the recorded steps as a flow at `path`; answers the new flow file.
#[tauri::command]
pub async fn qa_record_save(
    shell: State<'_, Shell>,
    path: String,
    name: String,
) -> IpcResult<FlowFile> {
    let ctx = shell.services().await.context();
    record_save(&shell.qa, &ctx, Path::new(&path), &name).await
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::time::Duration;

    use appdeck_core::console::request::AuthAs;
    use appdeck_core::keychain::MemoryStore;
    use appdeck_core::oauth::install::InstallRequest;
    use appdeck_core::qa::result::Outcome;

    use super::*;
    use crate::commands::{console, install};
    use crate::services::Opener;

    /// The system browser: follows the link (accepting the sandbox's consent
    /// page for the first install account) to the app's loopback.
    fn browser() -> Opener {
        Arc::new(|url: &str| {
            let url = url.to_string();
            tauri::async_runtime::spawn(async move {
                let http = appdeck_core::qa::browser::client();
                let _ = appdeck_core::qa::browser::follow_redirects(&http, &url, None).await;
            });
            Ok(())
        })
    }

    fn sample_with_loopback(project: &Path) {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut m: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(repo.join("stripe-app.json")).unwrap())
                .unwrap();
        m["allowed_redirect_uris"]
            .as_array_mut()
            .unwrap()
            .insert(0, "http://127.0.0.1/callback".into());
        std::fs::create_dir_all(project.join("flows")).unwrap();
        std::fs::write(project.join("stripe-app.json"), m.to_string()).unwrap();
        std::fs::copy(
            repo.join("flows/install-smoke.yaml"),
            project.join("flows/install-smoke.yaml"),
        )
        .unwrap();
    }

    #[test]
    fn a_recorded_install_and_call_saves_a_flow_that_runs_and_passes() {
        tauri::async_runtime::block_on(async {
            let dir = tempfile::tempdir().unwrap();
            let project = dir.path().join("app");
            sample_with_loopback(&project);
            let manifest = project.join("stripe-app.json");
            let svc = Arc::new(
                Services::start_with_store(
                    dir.path().join("config"),
                    &project,
                    Arc::new(MemoryStore::new()),
                    browser(),
                )
                .await,
            );
            let qa = Arc::new(QaState::default());
            let ctx = svc.context();

            // Recording: an install from the Install screen, a call from the API screen.
            lock(&qa.recorder).recording = true;
            let started = install::start(
                &svc,
                InstallRequest::default(),
                Duration::from_secs(30),
                Box::new(|_| {}),
            )
            .await
            .unwrap();
            note_install_started(&qa, &started.flow, None);
            let outcome = install::wait(&svc, &started.flow).await.unwrap();
            note_install_ended(&qa, &ctx, &started.flow, Some(&outcome.install));
            let req = ApiRequest {
                method: "GET".into(),
                path: "/v1/customers".into(),
                params: vec![("limit".into(), "2".into())],
                raw_body: None,
                stripe_account: None,
                stripe_version: None,
                idempotency_key: None,
                auth: AuthAs::Install {
                    install: outcome.install.install.clone(),
                },
            };
            let resp = console::send(&svc, &req).await.unwrap();
            note_call(&qa, &ctx, &req, &resp);
            assert_eq!(
                record_status(&qa).steps,
                2,
                "the install and the call are in the journal"
            );
            lock(&qa.recorder).recording = false;
            note_call(&qa, &ctx, &req, &resp);
            assert_eq!(
                record_status(&qa).steps,
                2,
                "nothing is appended once recording is off"
            );

            let path = files::flows_dir(&manifest).join("recorded.yaml");
            let saved = record_save(&qa, &ctx, &path, "recorded").await.unwrap();
            assert_eq!(
                (saved.error.as_deref(), saved.steps),
                (None, 2),
                "{saved:?}"
            );
            assert_eq!(saved.accounts, ["install-1"]);
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                !text.contains(&outcome.install.install)
                    && !text.contains(&outcome.install.stripe_user_id),
                "{text}"
            );
            let listed: Vec<_> = files::list(&files::flows_dir(&manifest))
                .into_iter()
                .map(|f| f.file_name)
                .collect();
            assert_eq!(
                listed,
                ["install-smoke.yaml", "recorded.yaml"],
                "the new flow is in the picker"
            );
            assert_eq!(
                record_save(&qa, &ctx, &path, "again")
                    .await
                    .unwrap_err()
                    .code,
                ErrorCode::InvalidInput,
                "never over a file"
            );

            // Both the example flow and the recorded one run and pass.
            for flow in ["install-smoke.yaml", "recorded.yaml"] {
                let seen: Arc<Mutex<Vec<Progress>>> = Arc::default();
                let sink = seen.clone();
                let spec = RunSpec {
                    flow: files::flows_dir(&manifest).join(flow),
                    manifest: manifest.clone(),
                    accounts: None,
                    loops: Some(2),
                };
                let started = start(
                    &svc,
                    &qa,
                    spec,
                    Arc::new(move |p: &Progress| sink.lock().unwrap().push(p.clone())),
                )
                .unwrap();
                assert!(
                    lock(&qa.cancels).contains_key(&started.run),
                    "the cancel token is kept while the run goes"
                );
                let result = wait(&qa, &started.run).await.unwrap();
                assert!(result.passed, "{flow}: {:#?}", result.report.iterations);
                assert!(lock(&qa.cancels).is_empty(), "and removed when it ends");
                let done = seen
                    .lock()
                    .unwrap()
                    .iter()
                    .filter(|p| {
                        matches!(
                            p,
                            Progress::StepDone {
                                outcome: Outcome::Passed,
                                ..
                            }
                        )
                    })
                    .count();
                assert_eq!(
                    done, result.totals.steps,
                    "{flow}: a passed step-done event per step"
                );
                assert!(std::fs::read_to_string(&result.files.markdown)
                    .unwrap()
                    .contains("**PASSED**"));
                assert!(
                    result
                        .files
                        .markdown
                        .starts_with(project.join("qa-reports")),
                    "reports sit beside the manifest"
                );
                assert_eq!(
                    report_path(&qa, &started.run, "junit").unwrap(),
                    result.files.junit
                );
                assert!(
                    wait(&qa, &started.run).await.is_err(),
                    "a run is awaited once"
                );
            }
            assert!(
                report_path(&qa, "qa_other", "markdown").is_err(),
                "only what a run of this session wrote opens"
            );
            svc.shutdown().await;
        });
    }

    #[test]
    fn a_cancelled_run_ends_with_what_ran() {
        tauri::async_runtime::block_on(async {
            let dir = tempfile::tempdir().unwrap();
            let project = dir.path().join("app");
            sample_with_loopback(&project);
            let manifest = project.join("stripe-app.json");
            let flow = project.join("flows/waits.yaml");
            std::fs::write(&flow, "name: waits\nsteps:\n  - install\n  - wait_event: {type: never.happens, timeout_secs: 60}\n").unwrap();
            let svc = Arc::new(
                Services::start_with_store(
                    dir.path().join("config"),
                    &project,
                    Arc::new(MemoryStore::new()),
                    browser(),
                )
                .await,
            );
            let qa = Arc::new(QaState::default());
            let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
            let spec = RunSpec {
                flow,
                manifest,
                accounts: None,
                loops: None,
            };
            let started = start(
                &svc,
                &qa,
                spec,
                Arc::new(move |p: &Progress| {
                    let _ = tx.send(p.clone());
                }),
            )
            .unwrap();
            while let Some(p) = rx.recv().await {
                if matches!(p, Progress::Step { index: 2, .. }) {
                    break;
                }
            }
            cancel(&qa, &started.run);
            assert!(
                lock(&qa.cancels).is_empty(),
                "the token goes with the cancel"
            );
            let result = tokio::time::timeout(Duration::from_secs(20), wait(&qa, &started.run))
                .await
                .unwrap()
                .unwrap();
            assert!(result.report.cancelled && !result.passed);
            assert_eq!(
                result.report.iterations[0].steps[0].outcome,
                Outcome::Passed
            );
            assert!(
                result.files.junit.is_file(),
                "the report is written after a cancel too"
            );
            svc.shutdown().await;
        });
    }
}
