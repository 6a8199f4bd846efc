//! What core operations touch, passed in rather than found globally: the config
//! dir, the secret store, the HTTP client, the clock, the console's retry
//! policy, and the embedded local sandbox when one runs. Tests build the same
//! context over a temp dir, an in-memory store and a sandbox on 127.0.0.1:0
//! (the GitHub CLI's `Factory`).
//!
//! Invariant: core reads no environment variable and no wall clock of its
//! own; the faces resolve `APPDECK_*` settings into this context (or into a
//! parameter), and time comes from [`Context::clock`] ([`SystemClock`] is the
//! one place that asks the OS).

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::console::retry::RetryPolicy;
use crate::keychain::SecretStore;
pub use crate::local::{LocalApp, LocalSandbox};

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// One async lock per install: concurrent callers needing a refresh share one.
#[derive(Default)]
pub struct RefreshGate {
    locks: std::sync::Mutex<std::collections::HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl RefreshGate {
    pub fn lock_for(&self, install: &str) -> Arc<tokio::sync::Mutex<()>> {
        self.locks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(install.to_string())
            .or_default()
            .clone()
    }
}

#[derive(Clone)]
pub struct Context {
    pub config_dir: PathBuf,
    pub secrets: Arc<dyn SecretStore>,
    pub http: reqwest::Client,
    pub clock: Arc<dyn Clock>,
    pub local: Option<LocalSandbox>,
    pub refresh_gate: Arc<RefreshGate>,
    /// How the console retries a call (`APPDECK_MAX_RETRIES`, resolved by the face).
    pub retry: RetryPolicy,
}

impl Context {
    pub fn new(config_dir: PathBuf, secrets: Arc<dyn SecretStore>) -> Self {
        Self {
            config_dir,
            secrets,
            http: crate::http::client(),
            clock: Arc::new(SystemClock),
            local: None,
            refresh_gate: Arc::default(),
            retry: RetryPolicy::default(),
        }
    }

    pub fn with_local(mut self, local: LocalSandbox) -> Self {
        self.local = Some(local);
        self
    }

    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }
}
