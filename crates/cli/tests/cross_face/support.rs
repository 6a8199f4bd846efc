//! What the cross-face tests share: a desktop shell over an [`Env`]'s project
//! and config dir (as the app starts it, with secrets in memory), the shell's
//! command arguments decoded from the JSON the webview sends, and the CLI's
//! JSON output read back.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use appdeck_core::console::retry::RetryPolicy;
use appdeck_core::keychain::MemoryStore;
use appdeck_shell::launch::Launch;
use appdeck_shell::services::{Opener, Services};
use appdeck_shell::state::Shell;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::sandbox::{json, stderr_of, stdout_of, Env};

/// The desktop shell opened on `env`'s project with `env`'s config dir: its
/// embedded sandbox registers the project's app, as when the app starts.
pub async fn shell(env: &Env) -> Shell {
    shell_at(env.path(), &env.config_dir()).await
}

pub async fn shell_at(project: &Path, config_dir: &Path) -> Shell {
    let launch = Launch {
        target: project.to_path_buf(),
        config_dir: config_dir.to_path_buf(),
        keychain_service: "appdeck-cross-face".into(),
        retry: RetryPolicy::default(),
        settings_note: None,
    };
    let no_browser: Opener = Arc::new(|_: &str| Ok(()));
    let svc = Services::start_with_store(
        launch.config_dir.clone(),
        &launch.target,
        Arc::new(MemoryStore::new()),
        no_browser,
    )
    .await;
    let shell = Shell::new(launch, Instant::now());
    shell.set_services(Arc::new(svc));
    shell
}

/// The shell's embedded sandbox, for the CLI's `--sandbox`.
pub async fn sandbox_url(shell: &Shell) -> String {
    shell
        .services()
        .await
        .sandbox_status()
        .base_url
        .expect("the shell's sandbox runs")
}

/// A command argument as the webview sends it: JSON decoded by serde, the
/// way Tauri decodes it.
pub fn arg<T: DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).expect("the webview's JSON decodes")
}

/// Runs the CLI with `args` (secrets in memory); its exit code and stdout.
pub fn cli(env: &Env, args: &[&str]) -> (i32, String) {
    let out = env
        .std_command(["--session-secrets"].iter().chain(args))
        .output()
        .unwrap();
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 1,
        "appdeck {args:?} exited {code}: {}",
        stderr_of(&out)
    );
    (code, stdout_of(&out))
}

/// The CLI's `--json` output (one object on its first line).
pub fn cli_json(env: &Env, args: &[&str]) -> (i32, Value) {
    let (code, out) = cli(env, args);
    (code, json(out.lines().next().unwrap_or("")))
}

/// A value as JSON, to compare a core type the shell returned with the CLI's
/// `--json` output of the same type.
pub fn as_json<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap()
}

pub fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}
