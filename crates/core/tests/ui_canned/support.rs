//! What the canned scenarios share: a project folder in a temp dir (scrubbed
//! to a fixed path), core's fixed clock, and the embedded sandbox with the
//! project's app registered, on a port scrubbed to the UI's stand-in.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use appdeck_core::context::{Clock, Context, LocalApp, LocalSandbox};
use appdeck_core::keychain::MemoryStore;
use appdeck_core::secret::{ApiKey, SigningSecret};
use appdeck_sandbox::{RunningSandbox, Sandbox, SandboxConfig, SandboxInfo};
use chrono::{DateTime, Utc};

use crate::scrub::{fixed, Scrub};

/// Core's clock in the canned world: always [`crate::scrub::FIXED`].
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// A context over a temp config dir, an in-memory secret store and the fixed clock.
pub fn context(config_dir: &Path) -> Context {
    let mut ctx = Context::new(config_dir.to_path_buf(), Arc::new(MemoryStore::new()));
    ctx.clock = Arc::new(FixedClock(fixed()));
    ctx
}

/// A folder the UI's test knows by a fixed path (`/proj`, `/a`…).
pub struct Folder {
    dir: tempfile::TempDir,
}

impl Folder {
    /// A fresh temp folder, and its stand-in registered with `scrub`.
    pub fn new(standin: &'static str, scrub: &mut Scrub) -> Self {
        let dir = tempfile::tempdir().expect("a temp dir");
        scrub.literal(dir.path().display().to_string(), standin);
        Folder { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes `text` at `name` (folders created) and returns its path.
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.file(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("a folder in the project");
        }
        std::fs::write(&path, text).expect("write a project file");
        path
    }
}

/// The sandbox's port in the canned world (the desktop's default).
pub const SANDBOX_PORT: u16 = 12111;
/// A manifest's loopback redirect port in the canned world (the sample app's).
pub const REDIRECT_PORT: u16 = 8765;

/// A loopback port free right now, for a manifest's fixed-port redirect URI
/// (the canned text says [`REDIRECT_PORT`]).
pub fn free_port(scrub: &mut Scrub) -> u16 {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port");
    scrub.port(port, REDIRECT_PORT);
    port
}

/// The embedded sandbox, with the app of `manifest` registered as the
/// desktop registers it, and a context over it (fixed clock, temp config dir).
pub struct Sandboxed {
    /// Kept running until the scenario ends.
    _sandbox: RunningSandbox,
    pub info: SandboxInfo,
    pub ctx: Context,
    _config: Folder,
}

pub async fn sandboxed(
    scrub: &mut Scrub,
    manifest: Option<&Path>,
    auto_consent: bool,
) -> Sandboxed {
    let app = manifest.map(|m| {
        appdeck_sandbox::register_from(m)
            .expect("the manifest registers")
            .app
    });
    let sandbox = Sandbox::start(SandboxConfig {
        app,
        auto_consent,
        rate_limit: false,
        ..SandboxConfig::default()
    })
    .await
    .expect("the sandbox starts");
    let info = sandbox.info();
    scrub.port_of(&info.base_url, SANDBOX_PORT);
    let config = Folder::new("/config", scrub);
    let ctx = context(config.path()).with_local(LocalSandbox {
        base_url: info.base_url.clone(),
        account_id: info.developer.account.clone(),
        secret_key: ApiKey::new(info.developer.secret_key.clone()),
        app: info.app.clone().map(|a| LocalApp {
            id: a.id,
            client_id: a.client_id,
            channel_link: a.channel_link,
            signing_secret: SigningSecret::new(a.signing_secret),
        }),
    });
    Sandboxed {
        _sandbox: sandbox,
        info,
        ctx,
        _config: config,
    }
}

impl Sandboxed {
    /// `POST /_appdeck{path}` with a JSON body.
    pub async fn control_post(&self, path: &str, body: serde_json::Value) -> serde_json::Value {
        let url = format!("{}/_appdeck{path}", self.info.base_url);
        let resp = self
            .ctx
            .http
            .post(&url)
            .json(&body)
            .send()
            .await
            .expect("the control API answers");
        resp.json().await.expect("control JSON")
    }
}
