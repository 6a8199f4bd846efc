//! `qa run`'s own sandbox: when a flow runs on local accounts only (developer
//! `local`, accounts `install-N`) and no sandbox answers (or `--embedded` is
//! given), the run starts appdeck-sandbox in-process for itself, so one
//! command runs a flow. `--sandbox URL` (or a running `sandbox serve`) still
//! picks a running one.
//!
//! Invariants:
//! - Started as `sandbox serve` starts one (`start_keeping_data`): 127.0.0.1,
//!   port 0, auto-consent on, the rate limit on, the app registered from the
//!   manifest by `register_from` (stripe-app.json alone, as `stripe apps
//!   upload` reads it; an extension manifest registers its base).
//! - Its data lives in memory, not in a temp data dir: without a keychain key
//!   to seal it (which `--data-dir` needs), a data dir would hold the sandbox's
//!   keys and tokens in plaintext on disk for the run, and nothing needs to
//!   outlive the run.
//! - The run's core context is its own: a temp config dir and an in-memory
//!   secret store. The installs, tokens and API history of a sandbox that
//!   stops with the run never reach the user's config dir or keychain, and no
//!   `sandbox.json` is written for other commands to find.
//! - [`Embedded::stop`] shuts the server down (nothing is left listening) and
//!   removes the temp dir; `qa run` calls it before deciding its exit status.

use std::path::Path;
use std::sync::Arc;

use appdeck_core::accounts::LOCAL_ACCOUNT;
use appdeck_core::context::{Context, LocalSandbox};
use appdeck_core::keychain::MemoryStore;
use appdeck_core::qa::flow::AccountSpec;
use appdeck_sandbox::{Registered, RegistrationError, RunningSandbox, SandboxConfig};
use serde::Serialize;

use crate::context::Ctx;

/// What `--json` reports of the sandbox a run started for itself.
#[derive(Debug, Clone, Serialize)]
pub struct EmbeddedInfo {
    pub base_url: String,
    /// The registered app's id.
    pub app: String,
}

/// A sandbox started for one run, and the run's temp config dir.
pub struct Embedded {
    running: RunningSandbox,
    config: tempfile::TempDir,
    pub info: EmbeddedInfo,
    pub registered: Registered,
}

/// Why the run's sandbox could not start.
pub enum StartError {
    Registration(RegistrationError),
    /// The sandbox, the temp dir or its info.
    Failed(String),
}

/// Whether a flow (with its `--accounts` override) runs on local accounts
/// only, so a sandbox of its own can serve it: `acct_…` ids name accounts of
/// a particular sandbox, which a fresh one doesn't have.
pub fn local_only(developer: &str, accounts: &[AccountSpec]) -> bool {
    developer == LOCAL_ACCOUNT
        && accounts
            .iter()
            .all(|a| matches!(a, AccountSpec::Install(_)))
}

/// Starts the sandbox with the app of `manifest` and builds the run's core
/// context over it.
pub async fn start(ctx: &Ctx<'_>, manifest: &Path) -> Result<(Embedded, Context), StartError> {
    let path = std::path::absolute(manifest).unwrap_or_else(|_| manifest.to_path_buf());
    let registered = appdeck_sandbox::register_from(&path).map_err(StartError::Registration)?;
    let cfg = SandboxConfig {
        app: Some(registered.app.clone()),
        auto_consent: true,
        ..SandboxConfig::default()
    };
    let failed = |what: &str, e: &dyn std::fmt::Display| {
        StartError::Failed(format!("cannot start the embedded sandbox: {what}: {e}"))
    };
    let config = tempfile::Builder::new()
        .prefix("appdeck-qa-")
        .tempdir()
        .map_err(|e| failed("a temp config dir", &e))?;
    // In memory, so no data dir can be unreadable: the stamp is never used.
    let running = appdeck_sandbox::start_keeping_data(cfg, 0)
        .await
        .map_err(|e| failed("the server", &e))?
        .running;
    let local = serde_json::to_value(running.info())
        .map_err(|e| e.to_string())
        .and_then(LocalSandbox::from_info_json);
    let local = match local {
        Ok(l) => l,
        Err(e) => {
            running.shutdown().await;
            return Err(failed("its info", &e));
        }
    };
    let core = Context::new(config.path().to_path_buf(), Arc::new(MemoryStore::new()))
        .with_retry(ctx.session.retry)
        .with_local(local);
    let info = EmbeddedInfo {
        base_url: running.base_url(),
        app: registered.app.id.clone(),
    };
    Ok((
        Embedded {
            running,
            config,
            info,
            registered,
        },
        core,
    ))
}

impl Embedded {
    /// The first line of the run, on stderr.
    pub fn announce(&self) -> String {
        format!(
            "qa: started the embedded sandbox at {} for this run (app {})",
            self.info.base_url, self.info.app
        )
    }

    /// Stops the server (in-flight requests finish) and removes the temp dir.
    pub async fn stop(self) -> EmbeddedInfo {
        self.running.shutdown().await;
        let _ = self.config.close();
        self.info
    }
}
