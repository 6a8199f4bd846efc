//! What every verb's `run(ctx, opts)` receives instead of touching globals:
//! where to write, whether to paint, the config dir, and how to reach secrets
//! and the local sandbox.
//!
//! Why: like the GitHub CLI's `Factory`, this lets unit tests drive a verb with
//! byte buffers and a temp config dir, without argv or a real terminal.
//! Invariant: verbs write results to `out` and failures to `err`, never to the
//! process streams directly.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;

use appdeck_core::console::retry::RetryPolicy;
use appdeck_core::keychain::SecretStore;

use crate::output::Paint;

/// Where secrets go for this process.
#[derive(Clone, Default)]
pub enum SecretChoice {
    /// The OS keychain (`appdeck` / `appdeck-dev`, or `$APPDECK_KEYCHAIN_SERVICE`).
    #[default]
    OsKeychain,
    /// Chosen explicitly (`--session-secrets`, `APPDECK_SECRET_STORE=memory`):
    /// secrets live in memory and vanish when the process exits.
    SessionMemory,
    /// A store handed in by a unit test.
    #[allow(dead_code)]
    Given(Arc<dyn SecretStore>),
}

/// How the verbs over appdeck-core reach their surroundings (see `session.rs`),
/// with the `APPDECK_*` settings core takes resolved here, at the edge.
#[derive(Clone)]
pub struct SessionSettings {
    /// `--sandbox URL` / `APPDECK_SANDBOX_URL`: the local sandbox to use, which
    /// must answer; otherwise `<config dir>/sandbox.json`, when it answers.
    pub sandbox_url: Option<String>,
    pub secrets: SecretChoice,
    /// The OS keychain's service (`appdeck`, `appdeck-dev`, or `APPDECK_KEYCHAIN_SERVICE`).
    pub keychain_service: String,
    /// The console's retries (`APPDECK_MAX_RETRIES`; `--max-retries` wins per call).
    pub retry: RetryPolicy,
}

impl Default for SessionSettings {
    fn default() -> Self {
        SessionSettings {
            sandbox_url: None,
            secrets: SecretChoice::default(),
            keychain_service: appdeck_core::keychain::service_name(None),
            retry: RetryPolicy::default(),
        }
    }
}

pub struct Ctx<'a> {
    /// Results (reports, tables, JSON).
    pub out: &'a mut dyn Write,
    /// Failures (`error[code]: message`) and notes.
    pub err: &'a mut dyn Write,
    /// Colors for `out`.
    pub paint_out: Paint,
    /// Colors for `err`.
    pub paint_err: Paint,
    /// Whether `out` is a terminal (JSON bodies print pretty there), whatever `NO_COLOR` says.
    pub out_is_terminal: bool,
    /// Whether `err` is a terminal (progress redraws one line there).
    pub err_is_terminal: bool,
    /// Appdeck's config dir (`--config-dir`, `APPDECK_CONFIG_DIR`, or the platform's).
    pub config_dir: PathBuf,
    /// Secrets and the local sandbox, for `accounts`, `install`, `tokens`, `oauth`.
    pub session: SessionSettings,
}

impl<'a> Ctx<'a> {
    /// A context over the process streams: color only on a terminal and when
    /// `NO_COLOR` is unset (https://no-color.org).
    pub fn for_process(
        out: &'a mut dyn Write,
        err: &'a mut dyn Write,
        config_dir: PathBuf,
        session: SessionSettings,
    ) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let (out_tty, err_tty) = (
            std::io::stdout().is_terminal(),
            std::io::stderr().is_terminal(),
        );
        Ctx {
            out,
            err,
            paint_out: Paint::new(!no_color && out_tty),
            paint_err: Paint::new(!no_color && err_tty),
            out_is_terminal: out_tty,
            err_is_terminal: err_tty,
            config_dir,
            session,
        }
    }

    /// A context for tests: no color, secrets in memory, no local sandbox
    /// unless `config_dir` holds a `sandbox.json` that answers.
    #[cfg(test)]
    pub fn plain(out: &'a mut dyn Write, err: &'a mut dyn Write, config_dir: PathBuf) -> Self {
        Ctx {
            out,
            err,
            paint_out: Paint::new(false),
            paint_err: Paint::new(false),
            out_is_terminal: false,
            err_is_terminal: false,
            config_dir,
            session: SessionSettings {
                secrets: SecretChoice::Given(Arc::new(appdeck_core::keychain::MemoryStore::new())),
                ..SessionSettings::default()
            },
        }
    }
}
