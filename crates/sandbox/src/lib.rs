//! appdeck-sandbox: a local, stateful Stripe for Stripe App development.
//!
//! It emulates what a Stripe App touches: accounts and API keys, app
//! registration (client ids, channel links, signing secrets), the OAuth install
//! flow and platform install links, the token endpoint, a `/v1` API with
//! Stripe's conventions (customers, products, prices, Secret Store, events,
//! webhook endpoints), an event for every change and signed webhook
//! deliveries with retries, permission enforcement for app tokens, a rate
//! limit, and a loopback-only control API under `/_appdeck/` for the console
//! and for tests.
//!
//! Invariants:
//! - It binds 127.0.0.1 only (never 0.0.0.0); port 0 (any free port) by default.
//! - Every id and key is random per sandbox; nothing is a fixed string.
//! - With a data dir, a write is committed to the embedded database before the
//!   response that reports it is sent (see `store`).
//! - Every response carries a `Request-Id`.
//!
//! Why: stripe-mock is stateless and knows nothing of Stripe Apps' installs,
//! OAuth, permissions or Secret Store; Appdeck's tests and its offline mode
//! need something that behaves like Stripe over real HTTP.
//!
//! The desktop app starts it in-process with [`Sandbox::start`]; the CLI's
//! `appdeck sandbox serve` calls [`serve_until_signal`].

mod clock;
mod config;
mod events;
mod faults;
mod http;
mod ids;
mod pages;
mod params;
pub mod registration;
mod requestlog;
mod routes;
mod sealed;
mod shapes;
pub mod signature;
mod startup;
mod state;
mod store;
mod webhooks;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use serde::Serialize;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use config::{AppRegistration, ManifestError, PermissionGrant, SandboxConfig};
pub use registration::{register_from, Registered, RegistrationError};
pub use sealed::DataKey;
pub use startup::{start_keeping_data, MovedAside, Started};
pub use store::StoreError;

use state::Shared;

/// Why the sandbox could not start.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// The port could not be bound on 127.0.0.1.
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind {
        port: u16,
        #[source]
        source: std::io::Error,
    },
    /// The data dir or its database could not be opened or read.
    #[error("sandbox storage: {0}")]
    Store(#[from] store::StoreError),
    /// The data dir could not be opened with its key, and moving it aside failed.
    #[error("{why}; moving it to {} failed: {source}", to.display())]
    MoveAside {
        why: String,
        to: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Waiting for a shutdown signal failed.
    #[error("signal handling: {0}")]
    Signal(std::io::Error),
}

/// Entry point: `Sandbox::start(config)`.
pub struct Sandbox;

impl Sandbox {
    /// Opens (or seeds) the state, registers the configured app, binds
    /// 127.0.0.1:`cfg.port` and serves until [`RunningSandbox::shutdown`].
    pub async fn start(cfg: SandboxConfig) -> Result<RunningSandbox, SandboxError> {
        let listener =
            tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, cfg.port)))
                .await
                .map_err(|source| SandboxError::Bind {
                    port: cfg.port,
                    source,
                })?;
        let addr = listener.local_addr().map_err(|source| SandboxError::Bind {
            port: cfg.port,
            source,
        })?;
        let base_url = format!("http://{addr}");
        let shared = Arc::new(Shared::open(&cfg, base_url.clone())?);
        let deliveries = webhooks::Scheduler::start(shared.clone());
        let router = http::router(shared.clone());
        let (tx, rx) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            let service = router.into_make_service_with_connect_info::<SocketAddr>();
            let result = axum::serve(listener, service)
                .with_graceful_shutdown(async move {
                    let _ = rx.await;
                })
                .await;
            if let Err(e) = result {
                tracing::error!("sandbox server stopped: {e}");
            }
        });
        tracing::info!("sandbox listening on {base_url}");
        Ok(RunningSandbox {
            shared,
            base_url,
            stop: tx,
            server,
            deliveries,
        })
    }
}

/// A sandbox being served. Dropping it without `shutdown` leaves the server
/// task running until the runtime stops.
pub struct RunningSandbox {
    shared: Arc<Shared>,
    base_url: String,
    stop: oneshot::Sender<()>,
    server: JoinHandle<()>,
    deliveries: webhooks::Scheduler,
}

impl RunningSandbox {
    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The accounts, keys and app a client needs (local test keys, safe to print).
    pub fn info(&self) -> SandboxInfo {
        self.shared.info()
    }

    /// Registers (or re-registers, keeping its credentials and installs) an
    /// app owned by the developer account and makes it the app [`Self::info`]
    /// reports: what opening another project in the desktop app does.
    pub fn register_primary_app(&self, reg: &AppRegistration) -> Result<SandboxInfo, StoreError> {
        let now = self.shared.clock.now();
        self.shared.write(|w| {
            let owner = w.meta.developer.clone();
            let app = w.register_app(reg, &owner, now);
            w.meta.primary_app = Some(app.id);
            w.mark(state::Table::Meta, "meta");
        })?;
        Ok(self.info())
    }

    /// Stops accepting connections, lets in-flight requests finish, stops
    /// webhook deliveries (a persisted sandbox resumes them when it opens
    /// again) and releases the database (so the same data dir can be opened
    /// again).
    pub async fn shutdown(self) {
        let _ = self.stop.send(());
        let _ = self.server.await;
        self.deliveries.stop().await;
        drop(self.shared);
    }
}

/// What `--json` prints, field for field:
/// `{"base_url","developer":{"account","secret_key"},"accounts":[…],"app":{…}|null}`.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct SandboxInfo {
    pub base_url: String,
    pub developer: AccountKey,
    pub accounts: Vec<AccountKey>,
    pub app: Option<AppInfo>,
}

/// An account and its test-mode secret key.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct AccountKey {
    pub account: String,
    pub secret_key: String,
}

/// The registered app's credentials in this sandbox.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct AppInfo {
    pub id: String,
    pub client_id: String,
    pub channel_link: String,
    pub signing_secret: String,
}

/// Starts the sandbox, prints `Sandbox ready at http://127.0.0.1:PORT` (or,
/// with `json`, the [`SandboxInfo`] as one JSON line) on stdout, and serves
/// until Ctrl-C or SIGTERM, then shuts down cleanly.
pub async fn serve_until_signal(cfg: SandboxConfig, json: bool) -> Result<(), SandboxError> {
    let running = Sandbox::start(cfg).await?;
    if json {
        let line = serde_json::to_string(&running.info()).unwrap_or_default();
        println!("{line}");
    } else {
        println!("Sandbox ready at {}", running.base_url());
    }
    let outcome = wait_for_signal().await;
    running.shutdown().await;
    outcome.map_err(SandboxError::Signal)
}

#[cfg(unix)]
async fn wait_for_signal() -> std::io::Result<()> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate())?;
    tokio::select! {
        r = tokio::signal::ctrl_c() => r,
        _ = term.recv() => Ok(()),
    }
}

#[cfg(not(unix))]
async fn wait_for_signal() -> std::io::Result<()> {
    tokio::signal::ctrl_c().await
}
