//! The embedded sandbox at start and when another project opens: the app to
//! register (its `stripe-app.json` alone, as `stripe apps upload` reads it),
//! where its data lives (sealed with a key the keychain keeps, or in memory
//! for the session), and the start-up that moves unreadable data aside.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use appdeck_core::context::LocalSandbox;
use appdeck_core::keychain::{self, KeychainError, SecretStore};
use appdeck_core::status::{SandboxState, SandboxStatus};
use appdeck_sandbox::{DataKey, Registered, RunningSandbox, SandboxConfig, SandboxInfo};

/// The app to register from the launch (or opened) manifest: its
/// `stripe-app.json` alone, as `stripe apps upload` reads it (an extension
/// manifest registers the base it extends). `Err` says why none is.
pub(super) fn registration(manifest: Option<&Path>) -> Result<Registered, String> {
    let path = manifest.ok_or("no manifest was opened at launch, so no app is registered")?;
    appdeck_sandbox::register_from(path).map_err(|e| format!("{e}, so no app is registered"))
}

/// What the status says about a registration: the note only when the user
/// named an extension manifest (so they learn why it changed nothing).
pub(super) fn registration_note(reg: &Registered) -> Option<String> {
    reg.instead_of.is_some().then(|| reg.describe())
}

/// Where the embedded sandbox keeps its data, and the key that seals it.
/// Without a usable keychain the sandbox lives in memory for this session,
/// and the note says why.
pub(super) async fn sandbox_storage(
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
pub(super) struct SandboxStart {
    pub(super) running: Option<RunningSandbox>,
    pub(super) status: SandboxStatus,
    pub(super) storage_note: Option<String>,
}

/// The in-process sandbox's info as core reads the control API's `/info`
/// (core knows the sandbox over HTTP only; the JSON is the same).
pub(super) fn local_of(info: &SandboxInfo) -> Option<LocalSandbox> {
    LocalSandbox::from_info_json(serde_json::to_value(info).ok()?).ok()
}

/// `parts` joined with "; ", or `None` when there are none.
pub(super) fn join_notes(parts: impl IntoIterator<Item = Option<String>>) -> Option<String> {
    let note = parts.into_iter().flatten().collect::<Vec<_>>().join("; ");
    (!note.is_empty()).then_some(note)
}

/// Starts the sandbox; `store` is the OS keychain when it answered. Data
/// sealed with a key that is gone is moved aside (never deleted) and a fresh
/// sandbox starts in its place.
pub(super) async fn start_sandbox(
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
