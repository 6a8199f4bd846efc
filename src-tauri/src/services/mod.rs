//! What the commands over secrets, the sandbox and the API work with, set up
//! once after launch: the secret store, the embedded local sandbox and the core
//! [`Context`] built over both, plus the flows and fetch jobs still running.
//!
//! Startup (in the background, so the window never waits for it): the OS
//! keychain is probed on a blocking thread (at most 5 s, core's keychain
//! timeout), then the sandbox starts in-process on 127.0.0.1:0 with its data
//! under `<config dir>/sandbox`, sealed with a key the keychain keeps (so the
//! config dir never holds a key, token or Secret Store payload in plaintext;
//! without a keychain it lives in memory for the session and says so), the
//! launch manifest's app registered from its `stripe-app.json` alone (read
//! leniently; an unreadable manifest starts it without an app and says so in
//! [`SandboxStatus::message`]), redirect URIs matched exactly as Stripe does,
//! and auto-consent off.
//!
//! Invariants: the OS keychain is never replaced silently. When the probe
//! fails, no store is chosen: the context's store is core's `NoStore`, which
//! refuses every read and write with `keychain-unavailable` (so only commands
//! that touch a secret fail; the local account, whose key comes from the
//! running sandbox, keeps working) until the user picks session memory
//! ([`Services::use_session_secrets`]) or a retry of the keychain succeeds.
//! The context is swapped whole under a lock, so a command sees one store from
//! start to end. The sandbox is shut down when the app exits.
//!
//! Layout: `jobs` (the registry of cancellable jobs: install flows, fetch
//! jobs, API calls, provider logins, QA runs), `flows` (what install flows
//! and fetch jobs keep for their waiters), `keychain_probe` (choosing the store at start), `sandbox_start` (the
//! embedded sandbox: registration, sealed storage, start-up), and this file
//! (the state the commands share, and its operations).

mod flows;
pub mod jobs;
mod keychain_probe;
mod sandbox_start;
#[cfg(test)]
mod tests;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use appdeck_core::console::request::LiveGuard;
use appdeck_core::context::Context;
use appdeck_core::error::{Coded, ErrorCode, ErrorPayload};
use appdeck_core::keychain::{MemoryStore, SecretStore, StoreKind};
use appdeck_core::local::control::Control;
use appdeck_core::project;
use appdeck_core::status::{KeychainStatus, SandboxStatus};
use appdeck_sandbox::RunningSandbox;

use crate::ipc::IpcResult;
use crate::launch::Launch;

pub use flows::{FetchTask, Fetches, FlowTask, Flows};
use jobs::{JobKind, Jobs};
use keychain_probe::probe_keychain;
pub use sandbox_start::starting_sandbox_status;
use sandbox_start::{
    join_notes, local_of, registration, registration_note, start_sandbox, SandboxStart,
};

/// Opens a URL in the system browser (never a webview). The app passes the
/// opener plugin; tests pass a small HTTP client that follows the link.
pub type Opener = Arc<dyn Fn(&str) -> Result<(), String> + Send + Sync>;

pub struct Services {
    /// The open project's manifest (its app is the sandbox's primary app).
    manifest: RwLock<Option<PathBuf>>,
    context: RwLock<Context>,
    keychain: RwLock<KeychainStatus>,
    sandbox: RwLock<SandboxStatus>,
    running: Mutex<Option<RunningSandbox>>,
    /// Live-mode writes, locked until the user unlocks them for this session.
    pub live: LiveGuard,
    pub flows: Flows,
    pub fetches: Fetches,
    /// `api_send` calls the UI may cancel, by the id it gave them.
    pub calls: Jobs<()>,
    /// `provider_login` runs the UI may cancel, by the id it gave them.
    pub logins: Jobs<()>,
    /// Why the sandbox's data is not where it should be (see [`SandboxStart`]).
    storage_note: Option<String>,
    pub opener: Opener,
}

impl Services {
    /// Probes the keychain and starts the sandbox (concurrently), then builds
    /// the context with the settings read at launch (a note on one that was
    /// not taken joins the sandbox status).
    pub async fn start(launch: &Launch, opener: Opener) -> Self {
        let config_dir = launch.config_dir.clone();
        let manifest = project::resolve(&launch.target)
            .ok()
            .map(|p| PathBuf::from(p.manifest_path));
        // The keychain first: it holds the key that seals the sandbox's data.
        let (secrets, keychain) = probe_keychain(launch.keychain_service.clone()).await;
        let usable = (keychain.store == Some(StoreKind::OsKeychain)).then(|| secrets.clone());
        let mut sandbox = start_sandbox(&config_dir, manifest.as_deref(), usable).await;
        let message = sandbox.status.message.take();
        sandbox.status.message = join_notes([launch.settings_note.clone(), message]);
        let svc = Self::assemble(config_dir, manifest, secrets, keychain, sandbox, opener);
        svc.context.write().unwrap_or_else(|p| p.into_inner()).retry = launch.retry;
        svc
    }

    /// Like [`Services::start`] with a given store instead of the OS keychain
    /// (tests, which also pass a browser that records or follows the link).
    pub async fn start_with_store(
        config_dir: PathBuf,
        target: &std::path::Path,
        store: Arc<dyn SecretStore>,
        opener: Opener,
    ) -> Self {
        let manifest = project::resolve(target)
            .ok()
            .map(|p| PathBuf::from(p.manifest_path));
        let sandbox = start_sandbox(&config_dir, manifest.as_deref(), Some(store.clone())).await;
        let keychain = KeychainStatus {
            store: Some(store.kind()),
            problem: None,
            service: appdeck_core::keychain::service_name(None),
        };
        Self::assemble(config_dir, manifest, store, keychain, sandbox, opener)
    }

    fn assemble(
        config_dir: PathBuf,
        manifest: Option<PathBuf>,
        secrets: Arc<dyn SecretStore>,
        keychain: KeychainStatus,
        sandbox: SandboxStart,
        opener: Opener,
    ) -> Self {
        let SandboxStart {
            running,
            status: sandbox,
            storage_note,
        } = sandbox;
        let mut context = Context::new(config_dir, secrets);
        if let Some(local) = running.as_ref().and_then(|r| local_of(&r.info())) {
            context = context.with_local(local);
        }
        Self {
            manifest: RwLock::new(manifest),
            context: RwLock::new(context),
            keychain: RwLock::new(keychain),
            sandbox: RwLock::new(sandbox),
            running: Mutex::new(running),
            live: LiveGuard::default(),
            flows: Jobs::new(JobKind::InstallFlow),
            fetches: Jobs::new(JobKind::FetchAll),
            calls: Jobs::new(JobKind::ApiCall),
            logins: Jobs::new(JobKind::ProviderLogin),
            storage_note,
            opener,
        }
    }

    /// The context as it is now (cheap: its parts are shared).
    pub fn context(&self) -> Context {
        self.context
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The open project's manifest: the launch one until the user opens another.
    pub fn manifest(&self) -> Option<PathBuf> {
        self.manifest
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The user opened another project: its app becomes the sandbox's primary
    /// app (registered, or re-registered with its credentials and installs
    /// kept), so installs and calls as `local` go to the app on screen. A
    /// manifest that can't be registered leaves the sandbox without a primary
    /// app for it and says why in the status.
    pub fn open_manifest(&self, path: PathBuf) -> SandboxStatus {
        *self.manifest.write().unwrap_or_else(|p| p.into_inner()) = Some(path.clone());
        let registered = registration(Some(&path)).and_then(|reg| {
            let running = self.running.lock().unwrap_or_else(|p| p.into_inner());
            let sandbox = running
                .as_ref()
                .ok_or_else(|| "the embedded sandbox is not running".to_string())?;
            sandbox
                .register_primary_app(&reg.app)
                .map(|info| (info, reg))
                .map_err(|e| format!("the embedded sandbox did not register it: {e}"))
        });
        let mut status = self.sandbox.write().unwrap_or_else(|p| p.into_inner());
        match registered {
            Ok((info, reg)) => {
                status.app_id = info.app.as_ref().map(|a| a.id.clone());
                status.registered_from = Some(reg.file.display().to_string());
                status.message = join_notes([registration_note(&reg), self.storage_note.clone()]);
                let mut ctx = self.context.write().unwrap_or_else(|p| p.into_inner());
                ctx.local = local_of(&info);
            }
            Err(why) => {
                status.message = join_notes([Some(why), self.storage_note.clone()]);
            }
        }
        status.clone()
    }

    pub fn keychain_status(&self) -> KeychainStatus {
        self.keychain
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn sandbox_status(&self) -> SandboxStatus {
        self.sandbox
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn swap_store(&self, store: Arc<dyn SecretStore>, status: KeychainStatus) -> KeychainStatus {
        let mut ctx = self.context.write().unwrap_or_else(|p| p.into_inner());
        ctx.secrets = store;
        let mut k = self.keychain.write().unwrap_or_else(|p| p.into_inner());
        *k = status;
        k.clone()
    }

    /// The user's explicit choice: secrets in memory until the app quits.
    /// The keychain's problem stays in the status, for the banner to explain.
    pub fn use_session_secrets(&self) -> KeychainStatus {
        let mut status = self.keychain_status();
        if status.store == Some(StoreKind::SessionMemory) {
            return status;
        }
        status.store = Some(StoreKind::SessionMemory);
        self.swap_store(Arc::new(MemoryStore::new()), status)
    }

    /// Probes the OS keychain again; switches to it when it answers. A failed
    /// retry keeps the current store (session memory stays session memory).
    pub async fn retry_keychain(&self) -> KeychainStatus {
        let (store, probed) = probe_keychain(self.keychain_status().service).await;
        if probed.store == Some(StoreKind::OsKeychain) {
            return self.swap_store(store, probed);
        }
        let mut status = self.keychain_status();
        status.problem = probed.problem;
        if status.store.is_none() {
            return self.swap_store(store, status);
        }
        let mut k = self.keychain.write().unwrap_or_else(|p| p.into_inner());
        *k = status;
        k.clone()
    }

    /// Turns the sandbox's auto-consent on or off through its control API.
    pub async fn set_auto_consent(&self, on: bool) -> IpcResult<SandboxStatus> {
        let status = self.sandbox_status();
        let base = status.base_url.clone().ok_or_else(|| ErrorPayload {
            code: ErrorCode::Network,
            message: format!(
                "the embedded sandbox is not running{}",
                status
                    .message
                    .as_deref()
                    .map(|m| format!(" ({m})"))
                    .unwrap_or_default()
            ),
        })?;
        let now = Control::new(self.context().http, &base)
            .set_auto_consent(on)
            .await
            .map_err(|e| ErrorPayload {
                code: e.code(),
                message: format!(
                    "the embedded sandbox did not take the setting: {}",
                    e.reason()
                ),
            })?;
        let mut s = self.sandbox.write().unwrap_or_else(|p| p.into_inner());
        s.auto_consent = now;
        Ok(s.clone())
    }

    /// Stops the sandbox (in-flight requests finish, the database is released).
    pub async fn shutdown(&self) {
        let running = self
            .running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        self.flows.cancel_all();
        self.fetches.cancel_all();
        self.calls.cancel_all();
        self.logins.cancel_all();
        if let Some(r) = running {
            r.shutdown().await;
        }
    }
}
