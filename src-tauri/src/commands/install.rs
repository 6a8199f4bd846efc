//! The install flow and the installs it produced.
//!
//! Before a flow, `install_check` runs core's pre-flight checklist for the
//! same choices (account, redirect URI, platform, through the backend); it
//! opens and writes nothing.
//!
//! A flow is started (`install_start`: listener up, link built, system browser
//! opened, never a webview; core refuses a restricted key or a redirect URI
//! Stripe doesn't hold before any of that), then awaited (`install_wait`),
//! cancelled (`install_cancel`) or, for a redirect URI that isn't loopback,
//! completed from the URL the user pasted (`install_paste_url`). An install
//! the app's backend completes (`viaBackend`) is awaited with
//! `install_wait_backend` instead: core watches the developer account's events
//! for the app's `account.application.authorized`, and a landing URL the user
//! pastes (`install_backend_landed`) is only a second signal, never exchanged.
//! Each timeline step goes to the UI's `onStep` channel as it happens, so a
//! failure's steps are already there when the wait rejects with the flow's
//! error code. Running flows are jobs of the registry (`services.flows`),
//! kept from `install_start` until their waiter is done (or, for a flow
//! waiting for a pasted URL, until it is cancelled).
//!
//! While QA recording is on, a flow's start and end, and a refresh, are
//! noted in the QA journal (`qa.rs`); a backend install is not (a QA flow
//! can't replay one: it holds no tokens).
//!
//! Invariant: nothing here returns a token: installs carry masked hints only,
//! and the timeline is masked by core.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use appdeck_core::accounts;
use appdeck_core::error::{Coded, ErrorCode, ErrorPayload};
use appdeck_core::installs::{self, InstallRecord};
use appdeck_core::oauth::backend::{self, BackendOutcome};
use appdeck_core::oauth::checklist::{self, InstallCheck};
use appdeck_core::oauth::install::{self, AppManifest, InstallOutcome, InstallRequest};
use appdeck_core::oauth::links;
use appdeck_core::oauth::timeline::{StepObserver, TimelineStep};
use tauri::ipc::Channel;

use crate::ipc::{off_ui_thread, payload, IpcResult};
use crate::services::{FlowTask, Services};
use crate::state::Shell;

pub use super::install_options::{
    InstallCheckOptions, InstallLinkOptions, InstallStart, InstallStartOptions,
};

fn invalid(message: String) -> ErrorPayload {
    ErrorPayload {
        code: ErrorCode::InvalidInput,
        message,
    }
}

fn not_backend(flow: &str) -> ErrorPayload {
    invalid(format!(
        "install flow \"{flow}\" does not go through the app's backend: wait for it (install_wait) or paste the URL you landed on (install_paste_url)"
    ))
}

/// The open project's manifest (its app is the embedded sandbox's primary app).
fn launch_manifest(svc: &Services) -> IpcResult<PathBuf> {
    svc.manifest().ok_or_else(|| ErrorPayload {
        code: ErrorCode::ProjectNotFound,
        message: "no project is open; open a Stripe App's manifest to install it".into(),
    })
}

/// The app of the open project, as the uploadable manifest describes it.
fn launch_app(svc: &Services) -> IpcResult<AppManifest> {
    AppManifest::load(&launch_manifest(svc)?).map_err(payload)
}

/// Streams each step to the UI as it happens.
pub fn channel_observer(channel: Channel<TimelineStep>) -> StepObserver {
    Box::new(move |step: &TimelineStep| {
        let _ = channel.send(step.clone());
    })
}

/// Starts a flow: listener, link, browser. The shell's logic behind `install_start`.
pub async fn start(
    svc: &Arc<Services>,
    req: InstallRequest,
    timeout: Duration,
    observer: StepObserver,
) -> IpcResult<InstallStart> {
    let app = launch_app(svc)?;
    let ctx = svc.context();
    let prepared = install::prepare(&ctx, app, &req, Some(observer))
        .await
        .map_err(|f| payload(f.error))?;
    let job = svc.flows.start(None);
    let cancel = job.cancel;
    let started = InstallStart {
        flow: job.id.clone(),
        authorize_url: prepared.authorize_url.clone(),
        redirect_uri: prepared.redirect_uri.clone(),
        loopback: prepared.listener.is_some(),
        via_backend: prepared.backend_watch().is_some(),
    };
    let task = if started.via_backend {
        // Pasted landing URLs reach the watcher through this channel.
        let (pasted, landed) = tokio::sync::mpsc::unbounded_channel();
        let token = cancel.clone();
        let task = tauri::async_runtime::spawn(async move {
            backend::wait(&ctx, prepared, timeout, &token, Some(landed)).await
        });
        FlowTask::Backend {
            task: Some(task),
            pasted,
        }
    } else if prepared.listener.is_some() {
        let token = cancel.clone();
        FlowTask::Loopback(tauri::async_runtime::spawn(async move {
            install::finish(&ctx, prepared, timeout, &token).await
        }))
    } else {
        FlowTask::Paste(Box::new(prepared))
    };
    svc.flows.with(&job.id, |slot| *slot = Some(task))?;
    if let Err(e) = (svc.opener)(&started.authorize_url) {
        eprintln!("appdeck-desktop: could not open a browser ({e}); the UI shows the link");
    }
    Ok(started)
}

/// Waits for a loopback flow's outcome. The shell's logic behind `install_wait`.
pub async fn wait(svc: &Arc<Services>, flow: &str) -> IpcResult<InstallOutcome> {
    let (task, _job) = svc.flows.claim(flow, |slot| match slot.take() {
        Some(FlowTask::Loopback(h)) => Ok(h),
        Some(paste @ FlowTask::Paste(_)) => {
            *slot = Some(paste);
            Err(invalid(
                "this flow's redirect URI is not loopback: paste the URL you landed on (install_paste_url)".into(),
            ))
        }
        Some(backend @ FlowTask::Backend { .. }) => {
            *slot = Some(backend);
            Err(invalid(
                "this install goes through the app's backend: wait for Stripe's confirmation (install_wait_backend)".into(),
            ))
        }
        None => Err(already_awaited(flow)),
    })?;
    settle(task).await
}

fn already_awaited(flow: &str) -> ErrorPayload {
    invalid(format!("install flow \"{flow}\" is already awaited"))
}

/// Waits for Stripe's confirmation of an install the app's backend completes.
/// The shell's logic behind `install_wait_backend`.
pub async fn wait_backend(svc: &Arc<Services>, flow: &str) -> IpcResult<BackendOutcome> {
    let (task, _job) = svc.flows.claim(flow, |slot| match slot {
        Some(FlowTask::Backend { task, .. }) => task.take().ok_or_else(|| already_awaited(flow)),
        Some(_) => Err(not_backend(flow)),
        None => Err(already_awaited(flow)),
    })?;
    settle(task).await
}

/// Hands the URL the browser landed on to a backend install's watcher: a
/// second signal (a decline or a foreign state ends the flow; a code is only
/// noted). Its verdict arrives on the timeline and through `wait_backend`.
pub fn backend_landed(svc: &Services, flow: &str, url: String) -> IpcResult<()> {
    svc.flows.with(flow, |slot| match slot {
        Some(FlowTask::Backend { pasted, .. }) => pasted
            .send(url)
            .map_err(|_| invalid(format!("install flow \"{flow}\" has already ended"))),
        _ => Err(not_backend(flow)),
    })?
}

/// Cancels a flow; a flow that already ended is not an error.
pub fn cancel(svc: &Services, flow: &str) {
    svc.flows.cancel(flow);
    // Nothing waits on a flow waiting for a pasted URL: cancelling ends it.
    svc.flows
        .remove_if(flow, |slot| matches!(slot, Some(FlowTask::Paste(_))));
}

/// Completes a non-loopback flow from the URL the browser landed on.
pub async fn paste_url(svc: &Arc<Services>, flow: &str, url: &str) -> IpcResult<InstallOutcome> {
    let (prepared, _job) = svc.flows.claim(flow, |slot| match slot.take() {
        Some(FlowTask::Paste(p)) => Ok(p),
        other => {
            let backend = matches!(other, Some(FlowTask::Backend { .. }));
            *slot = other;
            Err(invalid(if backend {
                "this install goes through the app's backend, which exchanges the code itself: the URL is only a second signal (install_backend_landed)"
            } else {
                "this flow listens on loopback and completes by itself: wait for it (install_wait)"
            }.into()))
        }
    })?;
    let ctx = svc.context();
    install::complete_from_url(&ctx, *prepared, url)
        .await
        .map_err(|f| payload(f.error))
}

/// The pre-flight checklist for the launch manifest's app. The shell's logic behind `install_check`.
pub async fn check(svc: &Services, req: &InstallRequest) -> IpcResult<InstallCheck> {
    let manifest = launch_manifest(svc)?;
    checklist::check(&svc.context(), &manifest, req)
        .await
        .map_err(payload)
}

/// An install link for the launch manifest's app, without running a flow.
pub async fn install_link(shell: &Shell, options: InstallLinkOptions) -> IpcResult<String> {
    let svc = shell.services().await;
    let app = launch_app(&svc)?;
    let ctx = svc.context();
    off_ui_thread(move || {
        let mode = accounts::resolve(&ctx, options.account.as_deref())
            .map_err(payload)?
            .mode;
        links::install_link(
            &ctx,
            &app.id,
            &app.redirect_uris,
            mode,
            options.redirect_uri.as_deref(),
            options.platform,
        )
        .map_err(|e| e.to_payload())
    })
    .await
}

/// The pre-flight checklist for installing the launch manifest's app as asked
/// (opens nothing, writes nothing; rejects only when there is nothing to check).
pub async fn install_check(shell: &Shell, options: InstallCheckOptions) -> IpcResult<InstallCheck> {
    let svc = shell.services().await;
    check(&svc, &options.into_request()).await
}

/// Starts an install flow and opens the system browser on its link.
pub async fn install_start(
    shell: &Shell,
    options: InstallStartOptions,
    on_step: Channel<TimelineStep>,
) -> IpcResult<InstallStart> {
    let svc = shell.services().await;
    let asked_redirect = options.choice.link.redirect_uri.clone();
    let timeout = options
        .timeout_secs
        .map(Duration::from_secs)
        .unwrap_or(install::DEFAULT_TIMEOUT);
    let req = options.choice.into_request();
    let started = start(&svc, req, timeout, channel_observer(on_step)).await?;
    if !started.via_backend {
        super::qa::note_install_started(&shell.qa, &started.flow, asked_redirect);
    }
    Ok(started)
}

/// A backend install's confirmation from Stripe's events; rejects with the
/// flow's error code (the steps came on the channel).
pub async fn install_wait_backend(shell: &Shell, flow: String) -> IpcResult<BackendOutcome> {
    let svc = shell.services().await;
    wait_backend(&svc, &flow).await
}

/// The URL the browser landed on, for a backend install: a second signal only.
pub async fn install_backend_landed(shell: &Shell, flow: String, url: String) -> IpcResult<()> {
    let svc = shell.services().await;
    backend_landed(&svc, &flow, url)
}

/// The flow's outcome; rejects with its error code (the steps came on the channel).
pub async fn install_wait(shell: &Shell, flow: String) -> IpcResult<InstallOutcome> {
    let svc = shell.services().await;
    let outcome = wait(&svc, &flow).await;
    note_ended(shell, &svc, &flow, &outcome);
    outcome
}

/// Tells the QA recorder how a flow ended. A refused call (`invalid-input`: a
/// flow to paste a URL for, one already awaited, a URL that can't be read) did
/// not end the flow, so the recorder keeps waiting for its outcome.
fn note_ended(shell: &Shell, svc: &Services, flow: &str, outcome: &IpcResult<InstallOutcome>) {
    if matches!(outcome, Err(e) if e.code == ErrorCode::InvalidInput) {
        return;
    }
    let installed = outcome.as_ref().ok().map(|o| &o.install);
    super::qa::note_install_ended(&shell.qa, &svc.context(), flow, installed);
}

/// Cancels a running flow (its `install_wait` then rejects with `oauth-cancelled`).
pub async fn install_cancel(shell: &Shell, flow: String) -> IpcResult<()> {
    let svc = shell.services().await;
    cancel(&svc, &flow);
    Ok(())
}

/// Completes a non-loopback flow from the URL the user landed on.
pub async fn install_paste_url(
    shell: &Shell,
    flow: String,
    url: String,
) -> IpcResult<InstallOutcome> {
    let svc = shell.services().await;
    let outcome = paste_url(&svc, &flow, &url).await;
    note_ended(shell, &svc, &flow, &outcome);
    outcome
}

/// Every install, with masked token hints only.
pub async fn installs_list(shell: &Shell) -> IpcResult<Vec<InstallRecord>> {
    let ctx = shell.services().await.context();
    off_ui_thread(move || installs::list(&ctx).map_err(payload)).await
}

/// Refreshes the install's tokens now (shared with a concurrent refresh).
pub async fn install_refresh(shell: &Shell, install: String) -> IpcResult<InstallRecord> {
    let ctx = shell.services().await.context();
    let fresh = installs::refresh(&ctx, &install).await.map_err(payload)?;
    super::qa::note_refresh(&shell.qa, &ctx, &install);
    Ok(fresh)
}

/// Deletes the install's keychain entries, then its record.
pub async fn install_forget(shell: &Shell, install: String) -> IpcResult<()> {
    let ctx = shell.services().await.context();
    off_ui_thread(move || installs::forget(&ctx, &install).map_err(payload)).await
}

#[cfg(test)]
#[path = "install_tests.rs"]
mod tests;

/// Awaits a flow's task and maps its failure to a payload (the caller's job
/// guard then ends the flow).
async fn settle<T>(
    task: tauri::async_runtime::JoinHandle<Result<T, install::FlowFailure>>,
) -> IpcResult<T> {
    match task.await {
        Ok(Ok(outcome)) => Ok(outcome),
        Ok(Err(failure)) => Err(payload(failure.error)),
        Err(e) => Err(ErrorPayload {
            code: ErrorCode::Internal,
            message: format!("the install flow's task failed: {e}"),
        }),
    }
}
