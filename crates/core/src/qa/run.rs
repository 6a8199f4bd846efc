//! Runs a flow: resolves the developer account and the install accounts,
//! then for each loop and each account runs the steps in order, reporting
//! progress as it goes, and returns the [`RunReport`].
//!
//! Invariants: loops are the outer order (loop 1 over every account, then
//! loop 2…), so a loop's wall time is comparable across loops; a failure ends
//! only its own (account, loop) unless `stop_on_failure`; a cancel ends the
//! run at the next step boundary (or inside the current wait) and what ran is
//! returned; against the local sandbox, auto-consent (which always installs
//! into the first install account) is switched off for the run when another
//! account is asked for, so the runner can answer the consent page, and
//! switched back on at the end.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use super::flow::{AccountSpec, Flow};
use super::result::{Outcome, RunReport};
use super::steps::{Iter, Target};
use super::QaError;
use crate::accounts;
use crate::context::Context;
use crate::error::ErrorCode;
use crate::keychain::Mode;
use crate::local::control::Control;
use crate::oauth::install::AppManifest;

/// What the caller overrides from the flow.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// The flow file, for reports.
    pub file: PathBuf,
    pub accounts: Option<Vec<AccountSpec>>,
    pub loops: Option<u32>,
}

/// Live progress, as it happens. Crosses to the desktop UI as
/// `{kind: "step" | "step-done" | "consent" | "note", data}`.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "kind", content = "data", rename_all = "kebab-case")]
#[ts(export, export_to = "QaProgress.ts", rename = "QaProgress")]
pub enum Progress {
    Step {
        account: String,
        loop_index: u32,
        loops: u32,
        index: usize,
        steps: usize,
        label: String,
    },
    StepDone {
        account: String,
        loop_index: u32,
        index: usize,
        label: String,
        outcome: Outcome,
        #[ts(type = "number")]
        duration_ms: u64,
        message: Option<String>,
    },
    /// A real account: open this URL and consent; the run waits.
    Consent {
        account: String,
        url: String,
    },
    Note(String),
}

pub type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

/// Runs `flow` for `app`.
pub async fn run(
    ctx: &Context,
    flow: &Flow,
    app: AppManifest,
    opts: &RunOptions,
    progress: ProgressFn,
    cancel: &CancellationToken,
) -> Result<RunReport, QaError> {
    let started = Instant::now();
    let started_at = ctx.clock.now().to_rfc3339();
    let dev = accounts::get(ctx, &flow.developer)
        .map_err(|e| QaError::setup(ErrorCode::AccountNotFound, e.to_string()))?;
    let specs = opts
        .accounts
        .clone()
        .unwrap_or_else(|| flow.accounts.clone());
    let loops = opts.loops.unwrap_or(flow.loops);
    let local = match (dev.mode, &ctx.local) {
        (Mode::Local, Some(l)) => Some(Control::new(ctx.http.clone(), &l.base_url)),
        (Mode::Local, None) => {
            return Err(QaError::setup(
                ErrorCode::AccountNotFound,
                "no local sandbox is running; start one with `appdeck sandbox serve`",
            ))
        }
        _ => None,
    };
    let targets = match &local {
        Some(control) => resolve_local(control, &specs).await?,
        None => specs.iter().map(Target::real).collect(),
    };
    let mut notes = Vec::new();
    let restore_consent = match &local {
        Some(control) => consent_for(control, &targets, &progress, &mut notes).await?,
        None => false,
    };
    let browser = super::browser::client();
    let mut iterations = Vec::new();
    let mut loop_durations_ms = Vec::new();
    let (mut cancelled, mut stopped) = (false, false);
    'loops: for loop_index in 1..=loops {
        let loop_started = Instant::now();
        for target in &targets {
            if cancel.is_cancelled() {
                cancelled = true;
                break 'loops;
            }
            let mut it = Iter {
                ctx,
                flow,
                app: &app,
                dev: &dev,
                control: local.as_ref(),
                target,
                browser: &browser,
                cancel,
                progress: &progress,
                loop_index,
                loops,
                install: None,
                installed_into: None,
                baselines: Default::default(),
                saved: Default::default(),
            };
            let iteration = it.run().await;
            let failed = iteration.failed();
            let was_cancelled = iteration
                .steps
                .iter()
                .any(|s| s.outcome == Outcome::Cancelled);
            iterations.push(iteration);
            if was_cancelled || cancel.is_cancelled() {
                cancelled = true;
                break 'loops;
            }
            if failed && flow.stop_on_failure {
                stopped = true;
                break 'loops;
            }
        }
        loop_durations_ms.push(loop_started.elapsed().as_millis() as u64);
    }
    if let (true, Some(control)) = (restore_consent, &local) {
        if let Err(e) = control.set_auto_consent(true).await {
            notes.push(format!("could not switch auto-consent back on: {e}"));
        }
    }
    Ok(RunReport {
        flow: flow.name.clone(),
        file: opts.file.display().to_string(),
        started_at,
        duration_ms: started.elapsed().as_millis() as u64,
        developer: dev.name.clone(),
        mode: dev.mode.as_str().to_string(),
        accounts: targets.iter().map(|t| t.label.clone()).collect(),
        loops,
        step_labels: flow.steps.iter().map(|s| s.label()).collect(),
        iterations,
        loop_durations_ms,
        cancelled,
        stopped,
        notes,
    })
}

/// `install-N` and `acct_…` against the sandbox's accounts.
async fn resolve_local(control: &Control, specs: &[AccountSpec]) -> Result<Vec<Target>, QaError> {
    let all = control.accounts().await?;
    let installs = control.install_accounts().await?;
    specs
        .iter()
        .map(|spec| {
            let found = match spec {
                AccountSpec::Install(n) => installs.get(n - 1),
                AccountSpec::Id(id) => all.iter().find(|a| &a.id == id),
            };
            found.map(|a| Target::local(spec, a)).ok_or_else(|| {
                QaError::setup(
                    ErrorCode::AccountNotFound,
                    format!(
                        "the local sandbox has no account {spec} (it has {} install accounts: {})",
                        installs.len(),
                        installs
                            .iter()
                            .map(|a| a.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })
        })
        .collect()
}

/// Switches auto-consent off when an account other than the first install
/// account is asked for; returns whether to switch it back on.
async fn consent_for(
    control: &Control,
    targets: &[Target],
    progress: &ProgressFn,
    notes: &mut Vec<String>,
) -> Result<bool, QaError> {
    let first = control
        .install_accounts()
        .await?
        .into_iter()
        .next()
        .map(|a| a.id);
    let others = targets.iter().any(|t| t.id != first);
    if !others || !control.auto_consent().await? {
        return Ok(false);
    }
    control.set_auto_consent(false).await?;
    let note = "auto-consent was switched off for this run (it always installs into the first install account), so the runner could accept the consent page for each account; it is switched back on at the end".to_string();
    progress(&super::run::Progress::Note(note.clone()));
    notes.push(note);
    Ok(true)
}

/// How long the local "browser" may take to reach the loopback.
pub(super) const LOCAL_CONSENT_TIMEOUT: Duration = Duration::from_secs(30);
