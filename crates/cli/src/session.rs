//! The core [`Context`] a verb over secrets runs with: the secret store chosen
//! for this process and the local sandbox, found without set-up.
//!
//! Finding the local sandbox: `--sandbox URL` (or `APPDECK_SANDBOX_URL`), which
//! must answer; else `<config dir>/sandbox.json` (written by `appdeck sandbox
//! serve`: `{"base_url", "pid"}`, no keys), used only when its base URL
//! answers. Either way the keys come from the running sandbox's loopback
//! control API (`GET {base}/_appdeck/info`, through core's
//! [`appdeck_core::local::control`]), so the `local` account works with
//! nothing stored; with no sandbox running, `local` is simply not listed.
//! The `APPDECK_*` settings core takes (the keychain service, the console's
//! retries) were read by `main.rs` into [`crate::context::SessionSettings`].
//!
//! Invariants: the OS keychain is the default and a failure of it is reported
//! with its own code, never papered over; the in-memory store is used only
//! when chosen explicitly (`--session-secrets` / `APPDECK_SECRET_STORE=memory`)
//! and says so on stderr each time. `sandbox.json` holds no secret, and a
//! serve process removes it on exit only while it still names that process.

use std::io;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use appdeck_core::context::Context;
use appdeck_core::error::{ErrorCode, ErrorPayload};
use appdeck_core::keychain::{MemoryStore, OsKeychain, SecretStore};
use appdeck_core::local::control::Control;
use appdeck_core::local::LocalSandbox;
use appdeck_core::store::{JsonFile, StoreError};
use serde::{Deserialize, Serialize};

use crate::context::{Ctx, SecretChoice};

/// The file `sandbox serve` writes in the config dir.
pub const SANDBOX_FILE: &str = "sandbox.json";
pub const SANDBOX_URL_ENV: &str = "APPDECK_SANDBOX_URL";
/// `memory` selects the session-only store, like `--session-secrets`.
pub const SECRET_STORE_ENV: &str = "APPDECK_SECRET_STORE";
/// How long a local sandbox has to answer `GET /_appdeck/info`.
const INFO_TIMEOUT: Duration = Duration::from_secs(3);

/// `<config dir>/sandbox.json`: where the running local sandbox listens.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SandboxFile {
    pub base_url: String,
    pub pid: u32,
}

pub fn write_sandbox_file(config_dir: &Path, base_url: &str) -> Result<(), StoreError> {
    JsonFile::new(config_dir, SANDBOX_FILE).save(&SandboxFile {
        base_url: base_url.to_string(),
        pid: std::process::id(),
    })
}

/// Removes `sandbox.json` if it still names this process (a later sandbox
/// may have taken over the file).
pub fn remove_sandbox_file(config_dir: &Path) {
    let file = JsonFile::new(config_dir, SANDBOX_FILE);
    if let Ok(Some(f)) = file.load::<Option<SandboxFile>>() {
        if f.pid == std::process::id() {
            let _ = std::fs::remove_file(file.path());
        }
    }
}

/// The secret-store choice from `--session-secrets` and `APPDECK_SECRET_STORE`;
/// `Err` names an unknown value of the variable.
pub fn secret_choice(session_flag: bool) -> Result<SecretChoice, String> {
    if session_flag {
        return Ok(SecretChoice::SessionMemory);
    }
    match std::env::var(SECRET_STORE_ENV).unwrap_or_default().as_str() {
        "" | "keychain" => Ok(SecretChoice::OsKeychain),
        "memory" => Ok(SecretChoice::SessionMemory),
        other => Err(format!(
            "{SECRET_STORE_ENV}={other:?} is not a secret store; use \"keychain\" (the default) or \"memory\""
        )),
    }
}

/// The core context for this process: its secret store and, when one runs,
/// the local sandbox. Notes the session-only store on stderr.
pub async fn open(ctx: &mut Ctx<'_>) -> io::Result<Result<Context, ErrorPayload>> {
    let secrets: Arc<dyn SecretStore> = match &ctx.session.secrets {
        SecretChoice::OsKeychain => Arc::new(OsKeychain::new(ctx.session.keychain_service.clone())),
        SecretChoice::SessionMemory => {
            writeln!(
                ctx.err,
                "{}: secrets are kept in memory for this process only (--session-secrets); they vanish when it exits",
                ctx.paint_err.severity(appdeck_core::manifest::Severity::Warning, "warning")
            )?;
            Arc::new(MemoryStore::new())
        }
        SecretChoice::Given(store) => store.clone(),
    };
    let core = Context::new(ctx.config_dir.clone(), secrets).with_retry(ctx.session.retry);
    Ok(match find_local(ctx, &core.http).await {
        Ok(Some(info)) => Ok(core.with_local(info)),
        Ok(None) => Ok(core),
        Err(e) => Err(e),
    })
}

/// The running local sandbox: `--sandbox URL` (or `APPDECK_SANDBOX_URL`),
/// which must answer, else the one `sandbox.json` names when it answers;
/// `Ok(None)` when none runs.
pub async fn find_local(
    ctx: &Ctx<'_>,
    http: &reqwest::Client,
) -> Result<Option<LocalSandbox>, ErrorPayload> {
    // Core's control client; `info()` is the sandbox's keys and app.
    let control = |base: &str| Control::new(http.clone(), base).with_timeout(INFO_TIMEOUT);
    match &ctx.session.sandbox_url {
        Some(url) => match control(url).info().await {
            Ok(info) => Ok(Some(info)),
            Err(e) => {
                let why = e.reason();
                Err(ErrorPayload {
                    code: ErrorCode::Network,
                    message: format!(
                        "no local sandbox answers at {url} ({why}); start one with `appdeck sandbox serve`, or drop --sandbox / {SANDBOX_URL_ENV}"
                    ),
                })
            }
        },
        None => Ok(
            match JsonFile::new(&ctx.config_dir, SANDBOX_FILE).load::<Option<SandboxFile>>() {
                Ok(Some(f)) => control(&f.base_url).info().await.ok(),
                _ => None,
            },
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sandbox_file_is_removed_only_by_the_process_it_names() {
        let dir = tempfile::tempdir().unwrap();
        write_sandbox_file(dir.path(), "http://127.0.0.1:9").unwrap();
        let text = std::fs::read_to_string(dir.path().join(SANDBOX_FILE)).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            v.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["base_url", "pid"],
            "only where it listens and who runs it: no keys"
        );
        remove_sandbox_file(dir.path());
        assert!(!dir.path().join(SANDBOX_FILE).exists());

        JsonFile::new(dir.path(), SANDBOX_FILE)
            .save(&SandboxFile {
                base_url: "http://127.0.0.1:9".into(),
                pid: std::process::id().wrapping_add(1),
            })
            .unwrap();
        remove_sandbox_file(dir.path());
        assert!(
            dir.path().join(SANDBOX_FILE).exists(),
            "another sandbox's file is left alone"
        );
    }

    #[tokio::test]
    async fn an_explicit_sandbox_that_does_not_answer_is_a_network_error() {
        let dir = tempfile::tempdir().unwrap();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut ctx = Ctx::plain(&mut out, &mut err, dir.path().to_path_buf());
        ctx.session.sandbox_url = Some("http://127.0.0.1:9".into());
        let e = open(&mut ctx).await.unwrap().err().expect("fails");
        assert_eq!(e.code, ErrorCode::Network);
    }

    #[tokio::test]
    async fn a_stale_sandbox_file_means_no_local_sandbox() {
        let dir = tempfile::tempdir().unwrap();
        write_sandbox_file(dir.path(), "http://127.0.0.1:9").unwrap();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut ctx = Ctx::plain(&mut out, &mut err, dir.path().to_path_buf());
        let core = open(&mut ctx).await.unwrap().expect("opens");
        assert!(core.local.is_none());
    }
}
