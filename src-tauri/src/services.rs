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
//! launch manifest's app registered (read leniently; an unreadable manifest
//! starts it without an app and says so in [`SandboxStatus::message`]), any
//! loopback port allowed and auto-consent off.
//!
//! Invariants: the OS keychain is never replaced silently. When the probe
//! fails, no store is chosen: the context's store is [`NoStore`], which
//! refuses every read and write with `keychain-unavailable` (so only commands
//! that touch a secret fail; the local account, whose key comes from the
//! running sandbox, keeps working) until the user picks session memory
//! ([`Services::use_session_secrets`]) or a retry of the keychain succeeds.
//! The context is swapped whole under a lock, so a command sees one store from
//! start to end. The sandbox is shut down when the app exits.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use appdeck_core::console::request::LiveGuard;
use appdeck_core::context::{Context, LocalSandbox};
use appdeck_core::error::{Coded, ErrorCode, ErrorPayload};
use appdeck_core::keychain::{
    self, KeychainError, MemoryStore, OsKeychain, SecretRef, SecretStore, StoreKind,
};
use appdeck_core::local::control::Control;
use appdeck_core::oauth::install::{FlowFailure, InstallOutcome, Prepared};
use appdeck_core::project;
use appdeck_core::secret::SecretValue;
use appdeck_core::status::{KeychainStatus, SandboxState, SandboxStatus};
use appdeck_sandbox::{DataKey, Registered, RunningSandbox, SandboxConfig, SandboxInfo};
use tokio_util::sync::CancellationToken;

use crate::ipc::IpcResult;
use crate::launch::Launch;

/// Opens a URL in the system browser (never a webview). The app passes the
/// opener plugin; tests pass a small HTTP client that follows the link.
pub type Opener = Arc<dyn Fn(&str) -> Result<(), String> + Send + Sync>;

/// The store in use while the user has not chosen one: every call fails with
/// `keychain-unavailable`, naming why the OS keychain could not be used.
pub struct NoStore {
    why: String,
}

impl NoStore {
    fn refuse(&self) -> KeychainError {
        KeychainError::Unavailable(format!(
            "{}; no secret store is chosen. Retry the keychain, or keep secrets for this session only",
            self.why
        ))
    }
}

impl SecretStore for NoStore {
    fn set(&self, _: &SecretRef, _: &str) -> Result<(), KeychainError> {
        Err(self.refuse())
    }
    fn get(&self, _: &SecretRef) -> Result<Option<SecretValue>, KeychainError> {
        Err(self.refuse())
    }
    fn delete(&self, _: &SecretRef) -> Result<(), KeychainError> {
        Err(self.refuse())
    }
    fn kind(&self) -> StoreKind {
        // Never reported: KeychainStatus.store is `None` while this is in use.
        StoreKind::OsKeychain
    }
}

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

pub struct Services {
    /// The open project's manifest (its app is the sandbox's primary app).
    manifest: RwLock<Option<PathBuf>>,
    context: RwLock<Context>,
    keychain: RwLock<KeychainStatus>,
    sandbox: RwLock<SandboxStatus>,
    running: Mutex<Option<RunningSandbox>>,
    /// Live-mode writes, locked until the user unlocks them for this session.
    pub live: LiveGuard,
    pub flows: Mutex<HashMap<String, Flow>>,
    pub jobs: Mutex<HashMap<String, FetchJob>>,
    /// `api_send` calls the UI may cancel, by the id it gave them.
    pub calls: Mutex<HashMap<String, CancellationToken>>,
    /// Why the sandbox's data is not where it should be (see [`SandboxStart`]).
    storage_note: Option<String>,
    pub opener: Opener,
}

/// Probes the OS keychain's `service` on a blocking thread (bounded by core's 5 s timeout).
async fn probe_keychain(service: String) -> (Arc<dyn SecretStore>, KeychainStatus) {
    let os = Arc::new(OsKeychain::new(service.clone()));
    let probe = os.clone();
    let result = tauri::async_runtime::spawn_blocking(move || probe.probe())
        .await
        .unwrap_or_else(|e| Err(KeychainError::Failed(e.to_string())));
    match result {
        Ok(()) => (
            os,
            KeychainStatus {
                store: Some(StoreKind::OsKeychain),
                problem: None,
                service,
            },
        ),
        Err(e) => (
            Arc::new(NoStore { why: e.to_string() }),
            KeychainStatus {
                store: None,
                problem: Some(e.to_payload()),
                service,
            },
        ),
    }
}

/// The app to register from the launch (or opened) manifest: its
/// `stripe-app.json` alone, as `stripe apps upload` reads it (an extension
/// manifest registers the base it extends). `Err` says why none is.
fn registration(manifest: Option<&Path>) -> Result<Registered, String> {
    let path = manifest.ok_or("no manifest was opened at launch, so no app is registered")?;
    appdeck_sandbox::register_from(path).map_err(|e| format!("{e}, so no app is registered"))
}

/// What the status says about a registration: the note only when the user
/// named an extension manifest (so they learn why it changed nothing).
fn registration_note(reg: &Registered) -> Option<String> {
    reg.instead_of.is_some().then(|| reg.describe())
}

/// Where the embedded sandbox keeps its data, and the key that seals it.
/// Without a usable keychain the sandbox lives in memory for this session,
/// and the note says why.
async fn sandbox_storage(
    config_dir: &Path,
    store: Option<Arc<dyn SecretStore>>,
) -> (Option<(PathBuf, DataKey)>, Option<String>) {
    let in_memory = |why: String| {
        (
            None,
            Some(format!(
                "{why}, so the sandbox keeps its data in memory this session (its data on disk is sealed with a key kept in the keychain)"
            )),
        )
    };
    let Some(store) = store else {
        return in_memory("the OS keychain is unavailable".into());
    };
    let dir = config_dir.join("sandbox");
    let at = dir.clone();
    let key = tauri::async_runtime::spawn_blocking(move || {
        keychain::sandbox_data_key(store.as_ref(), &at)
    })
    .await
    .unwrap_or_else(|e| Err(KeychainError::Failed(e.to_string())));
    match key.map(|k| DataKey::from_hex(k.secret())) {
        Ok(Ok(key)) => (Some((dir, key)), None),
        Ok(Err(why)) => in_memory(format!(
            "the sandbox's data key in the keychain is unusable ({why})"
        )),
        Err(e) => in_memory(format!("the sandbox's data key could not be read ({e})")),
    }
}

/// What starting the sandbox gave. The note on its storage (in memory this
/// session, data moved aside) is kept apart, so later messages (another
/// project's registration) never hide it.
struct SandboxStart {
    running: Option<RunningSandbox>,
    status: SandboxStatus,
    storage_note: Option<String>,
}

/// The in-process sandbox's info as core reads the control API's `/info`
/// (core knows the sandbox over HTTP only; the JSON is the same).
fn local_of(info: &SandboxInfo) -> Option<LocalSandbox> {
    LocalSandbox::from_info_json(serde_json::to_value(info).ok()?).ok()
}

/// `parts` joined with "; ", or `None` when there are none.
fn join_notes(parts: impl IntoIterator<Item = Option<String>>) -> Option<String> {
    let note = parts.into_iter().flatten().collect::<Vec<_>>().join("; ");
    (!note.is_empty()).then_some(note)
}

/// Starts the sandbox; `store` is the OS keychain when it answered. Data
/// sealed with a key that is gone is moved aside (never deleted) and a fresh
/// sandbox starts in its place.
async fn start_sandbox(
    config_dir: &Path,
    manifest: Option<&Path>,
    store: Option<Arc<dyn SecretStore>>,
) -> SandboxStart {
    let (registered, registration_note) = match registration(manifest) {
        Ok(reg) => {
            let note = registration_note(&reg);
            (Some(reg), note)
        }
        Err(why) => (None, Some(why)),
    };
    let registered_from = registered.as_ref().map(|r| r.file.display().to_string());
    let (storage, mut storage_note) = sandbox_storage(config_dir, store).await;
    let (data_dir, data_key) = storage.unzip();
    let cfg = SandboxConfig {
        port: 0,
        data_dir,
        data_key,
        app: registered.map(|r| r.app),
        auto_consent: false,
        // Exact redirect URI matching, as on Stripe: the install flows use the
        // fixed-port loopback URI the manifest lists.
        any_loopback_port: false,
        rate_limit: true,
    };
    // Unreadable sealed data is moved aside by the sandbox's own start-up,
    // the one `sandbox serve --data-dir` uses too.
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let started = appdeck_sandbox::start_keeping_data(cfg, stamp)
        .await
        .map(|s| {
            if let Some(moved) = &s.moved_aside {
                storage_note = Some(moved.to_string());
            }
            s.running
        });
    let note = join_notes([registration_note, storage_note.clone()]);
    let (running, status) = match started {
        Ok(running) => {
            let info = running.info();
            let status = SandboxStatus {
                state: SandboxState::Running,
                base_url: Some(info.base_url.clone()),
                message: note,
                auto_consent: false,
                account_id: Some(info.developer.account.clone()),
                app_id: info.app.as_ref().map(|a| a.id.clone()),
                registered_from: info.app.as_ref().and(registered_from),
            };
            (Some(running), status)
        }
        Err(e) => (
            None,
            SandboxStatus {
                state: SandboxState::Failed,
                base_url: None,
                message: Some(format!(
                    "the embedded sandbox did not start: {e}{}",
                    note.map(|n| format!(" ({n})")).unwrap_or_default()
                )),
                auto_consent: false,
                account_id: None,
                app_id: None,
                registered_from: None,
            },
        ),
    };
    SandboxStart {
        running,
        status,
        storage_note,
    }
}

/// The status shown before startup has finished.
pub fn starting_sandbox_status() -> SandboxStatus {
    SandboxStatus {
        state: SandboxState::Starting,
        base_url: None,
        message: None,
        auto_consent: false,
        account_id: None,
        app_id: None,
        registered_from: None,
    }
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

    /// Like [`Services::start`] with a given store instead of the OS keychain (tests).
    #[cfg(test)]
    pub async fn start_with_store(
        config_dir: PathBuf,
        target: &Path,
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
            service: keychain::service_name(None),
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
            flows: Mutex::default(),
            jobs: Mutex::default(),
            calls: Mutex::default(),
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
        for (_, flow) in self.flows.lock().unwrap_or_else(|p| p.into_inner()).drain() {
            flow.cancel.cancel();
        }
        for (_, job) in self.jobs.lock().unwrap_or_else(|p| p.into_inner()).drain() {
            job.cancel.cancel();
        }
        for (_, call) in self.calls.lock().unwrap_or_else(|p| p.into_inner()).drain() {
            call.cancel();
        }
        if let Some(r) = running {
            r.shutdown().await;
        }
    }
}

/// A fresh handle for a flow or a job: `<prefix>_<12 hex>`.
pub fn new_id(prefix: &str) -> String {
    let handle = appdeck_core::installs::new_handle();
    format!(
        "{prefix}_{}",
        handle.strip_prefix("inst_").unwrap_or(&handle)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use appdeck_core::accounts;
    use appdeck_core::secret::ApiKey;

    fn no_browser() -> Opener {
        Arc::new(|_: &str| Ok(()))
    }

    #[test]
    fn without_a_chosen_store_secrets_are_refused_until_the_user_picks_session_memory() {
        tauri::async_runtime::block_on(async {
            let dir = tempfile::tempdir().unwrap();
            let store: Arc<dyn SecretStore> = Arc::new(NoStore {
                why: "no Secret Service on the session bus".into(),
            });
            let svc = Services::start_with_store(
                dir.path().join("config"),
                &dir.path().join("missing"),
                store,
                no_browser(),
            )
            .await;
            let status = svc.sandbox_status();
            assert_eq!(status.state, SandboxState::Running);
            assert!(status.app_id.is_none());
            assert!(
                status
                    .message
                    .as_deref()
                    .unwrap_or("")
                    .contains("no app is registered"),
                "the status says why no app: {status:?}"
            );
            let names: Vec<String> = accounts::list(&svc.context())
                .unwrap()
                .accounts
                .into_iter()
                .map(|a| a.name)
                .collect();
            assert_eq!(names, ["local"], "the local account needs no store");

            let add = |svc: &Services| {
                let ctx = svc.context();
                async move {
                    let skip = accounts::AddOptions {
                        skip_check: true,
                        ..Default::default()
                    };
                    accounts::add(&ctx, "qa", ApiKey::new("sk_test_0123456789abcdef"), &skip).await
                }
            };
            let refused = add(&svc).await.unwrap_err();
            assert_eq!(refused.to_payload().code, ErrorCode::KeychainUnavailable);

            let chosen = svc.use_session_secrets();
            assert_eq!(chosen.store, Some(StoreKind::SessionMemory));
            add(&svc).await.expect("session memory holds the key");
            svc.shutdown().await;
        });
    }

    /// The files under `dir` (recursively) whose bytes contain `needle`.
    fn files_holding(dir: &Path, needle: &str) -> Vec<PathBuf> {
        let mut hits = Vec::new();
        let mut todo = vec![dir.to_path_buf()];
        while let Some(d) = todo.pop() {
            for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    todo.push(path);
                } else if std::fs::read(&path)
                    .is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle.as_bytes()))
                {
                    hits.push(path);
                }
            }
        }
        hits
    }

    fn local_key(svc: &Services) -> String {
        let local = svc.context().local.expect("the sandbox runs");
        local.secret_key.secret().to_string()
    }

    #[test]
    fn the_sandbox_data_is_sealed_with_the_keychain_key_and_set_aside_when_the_key_is_gone() {
        tauri::async_runtime::block_on(async {
            let dir = tempfile::tempdir().unwrap();
            let config = dir.path().join("config");
            let store: Arc<dyn SecretStore> = Arc::new(MemoryStore::new());
            let missing = dir.path().join("missing");
            let start = |store: Arc<dyn SecretStore>| {
                Services::start_with_store(config.clone(), &missing, store, no_browser())
            };
            let first = start(store.clone()).await;
            let key = local_key(&first);
            first.shutdown().await;
            assert!(
                files_holding(&config, &key).is_empty(),
                "the config dir holds the local key in plaintext"
            );

            let again = start(store.clone()).await;
            let same = local_key(&again);
            assert_eq!(same, key, "the same sandbox after a restart");
            again.shutdown().await;

            // The keychain entry is gone: the sealed data is moved aside, never lost.
            let fresh = start(Arc::new(MemoryStore::new())).await;
            let status = fresh.sandbox_status();
            assert_eq!(status.state, SandboxState::Running);
            let note = status.message.unwrap_or_default();
            assert!(note.contains("sealed with another key"), "{note}");
            assert!(note.contains("moved to"), "{note}");
            let other = local_key(&fresh);
            assert_ne!(other, key, "a fresh sandbox");
            // Opening a project later keeps saying where the old data went.
            let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
            std::fs::create_dir_all(&missing).unwrap();
            std::fs::copy(
                repo.join("stripe-app.json"),
                missing.join("stripe-app.json"),
            )
            .unwrap();
            let later = fresh.open_manifest(missing.join("stripe-app.json"));
            assert!(later.app_id.is_some(), "{later:?}");
            assert!(
                later.message.as_deref().unwrap_or("").contains("moved to"),
                "{later:?}"
            );
            fresh.shutdown().await;
            let aside: Vec<_> = std::fs::read_dir(&config)
                .unwrap()
                .flatten()
                .filter(|e| {
                    e.file_name()
                        .to_string_lossy()
                        .starts_with("sandbox.unreadable-")
                })
                .collect();
            assert_eq!(aside.len(), 1, "the old data is kept aside");
        });
    }

    #[test]
    fn opening_another_project_makes_its_app_the_sandbox_app() {
        tauri::async_runtime::block_on(async {
            let dir = tempfile::tempdir().unwrap();
            let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
            let sample = std::fs::read_to_string(repo.join("stripe-app.json")).unwrap();
            let mut json: serde_json::Value = serde_json::from_str(&sample).unwrap();
            let first_id = json["id"].as_str().unwrap().to_string();
            let a = dir.path().join("a");
            let b = dir.path().join("b");
            std::fs::create_dir_all(&a).unwrap();
            std::fs::create_dir_all(&b).unwrap();
            std::fs::write(a.join("stripe-app.json"), &sample).unwrap();
            json["id"] = "com.example.second-project".into();
            std::fs::write(b.join("stripe-app.json"), json.to_string()).unwrap();

            let svc = Services::start_with_store(
                dir.path().join("config"),
                &a,
                Arc::new(MemoryStore::new()),
                no_browser(),
            )
            .await;
            let local_app = |svc: &Services| svc.context().local.unwrap().app.unwrap();
            let first = local_app(&svc);
            assert_eq!(first.id, first_id);

            let status = svc.open_manifest(b.join("stripe-app.json"));
            assert_eq!(status.app_id.as_deref(), Some("com.example.second-project"));
            assert_eq!(local_app(&svc).id, "com.example.second-project");
            assert_eq!(svc.manifest(), Some(b.join("stripe-app.json")));

            svc.open_manifest(a.join("stripe-app.json"));
            let back = local_app(&svc);
            assert_eq!(back.id, first_id);
            assert_eq!(back.client_id, first.client_id, "credentials are kept");

            std::fs::write(b.join("stripe-app.json"), "{ not json").unwrap();
            let status = svc.open_manifest(b.join("stripe-app.json"));
            assert!(
                status
                    .message
                    .as_deref()
                    .unwrap_or("")
                    .contains("no app is registered"),
                "{status:?}"
            );
            svc.shutdown().await;
        });
    }

    #[test]
    fn the_embedded_sandbox_registers_stripe_app_json_alone_and_matches_redirects_exactly() {
        tauri::async_runtime::block_on(async {
            let dir = tempfile::tempdir().unwrap();
            let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
            let project = dir.path().join("p");
            std::fs::create_dir_all(&project).unwrap();
            for f in ["stripe-app.json", "stripe-app.dev.json"] {
                std::fs::copy(repo.join(f), project.join(f)).unwrap();
            }
            let svc = Services::start_with_store(
                dir.path().join("config"),
                &project.join("stripe-app.json"),
                Arc::new(MemoryStore::new()),
                no_browser(),
            )
            .await;
            let base = project.join("stripe-app.json").display().to_string();
            let status = svc.sandbox_status();
            assert_eq!(status.registered_from.as_deref(), Some(base.as_str()));
            let url = status.base_url.clone().unwrap();
            let control = Control::new(svc.context().http, &url);
            assert!(
                !control.any_loopback_port().await.unwrap(),
                "exact redirect URI matching, as on Stripe"
            );

            let status = svc.open_manifest(project.join("stripe-app.dev.json"));
            assert_eq!(
                status.registered_from.as_deref(),
                Some(base.as_str()),
                "an extension manifest registers its base"
            );
            let note = status.message.unwrap_or_default();
            assert!(note.contains("stripe apps upload"), "and says why: {note}");
            svc.shutdown().await;
        });
    }
}
