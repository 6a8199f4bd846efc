//! What core operations touch, passed in rather than found globally: the config
//! dir, the secret store, the HTTP client, the clock, and the embedded local
//! sandbox when one runs. Tests build the same context over a temp dir, an
//! in-memory store and a sandbox on 127.0.0.1:0 (the GitHub CLI's `Factory`).

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::keychain::SecretStore;
use crate::secret::{ApiKey, SigningSecret};

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// The embedded local sandbox's credentials, known from the running sandbox
/// (local test keys: never stored in the keychain, gone when it stops).
#[derive(Clone)]
pub struct LocalSandbox {
    pub base_url: String,
    pub account_id: String,
    pub secret_key: ApiKey,
    pub app: Option<LocalApp>,
}

impl From<appdeck_sandbox::SandboxInfo> for LocalSandbox {
    /// What the running sandbox reports (in-process, or its `/_appdeck/info`).
    fn from(info: appdeck_sandbox::SandboxInfo) -> Self {
        LocalSandbox {
            base_url: info.base_url,
            account_id: info.developer.account,
            secret_key: ApiKey::new(info.developer.secret_key),
            app: info.app.map(|a| LocalApp {
                id: a.id,
                client_id: a.client_id,
                channel_link: a.channel_link,
                signing_secret: SigningSecret::new(a.signing_secret),
            }),
        }
    }
}

#[derive(Clone)]
pub struct LocalApp {
    pub id: String,
    pub client_id: String,
    pub channel_link: String,
    pub signing_secret: SigningSecret,
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
        }
    }

    pub fn with_local(mut self, local: LocalSandbox) -> Self {
        self.local = Some(local);
        self
    }
}
