//! A context over a temp config dir and an in-memory secret store, the embedded
//! sandbox on 127.0.0.1:0 with auto-consent, a test clock, and a "browser" that
//! follows the install flow's redirects.
//!
//! The sandbox matches redirect URIs exactly, as Stripe does: each env lists a
//! loopback URI on a port of its own (free when the env starts), the way a real
//! app lists a fixed-port loopback URI in its `stripe-app.json`.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use appdeck_core::context::{Clock, Context, LocalApp, LocalSandbox};
use appdeck_core::keychain::MemoryStore;
use appdeck_core::oauth::install::AppManifest;
use appdeck_core::secret::{ApiKey, SigningSecret};
use appdeck_sandbox::{AppRegistration, PermissionGrant, RunningSandbox, Sandbox, SandboxConfig};
use chrono::{DateTime, Duration, Utc};

pub const APP_ID: &str = "com.example.flow-test";

pub struct TestClock(pub Mutex<DateTime<Utc>>);

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

pub struct Env {
    pub sandbox: RunningSandbox,
    pub ctx: Context,
    pub store: Arc<MemoryStore>,
    pub clock: Arc<TestClock>,
    pub dir: tempfile::TempDir,
    pub http: reqwest::Client,
    /// This env's loopback redirect URI, `http://127.0.0.1:PORT/callback`.
    pub redirect: String,
}

/// A loopback port free right now (bound, read, released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

pub async fn env(auto_consent: bool) -> Env {
    let redirect = format!("http://127.0.0.1:{}/callback", free_port());
    let sandbox = Sandbox::start(SandboxConfig {
        app: Some(AppRegistration {
            id: APP_ID.into(),
            permissions: ["customer_read", "event_read", "secret_write"]
                .iter()
                .map(|p| PermissionGrant {
                    permission: p.to_string(),
                    purpose: format!("test needs {p}"),
                })
                .collect(),
            redirect_uris: vec![redirect.clone()],
            distribution: "public".into(),
            access_type: "oauth".into(),
        }),
        auto_consent,
        rate_limit: false,
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox starts");
    let info = sandbox.info();
    let app = info.app.clone().expect("app registered");
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::new());
    let clock = Arc::new(TestClock(Mutex::new(Utc::now())));
    let mut ctx = Context::new(dir.path().to_path_buf(), store.clone()).with_local(LocalSandbox {
        base_url: info.base_url.clone(),
        account_id: info.developer.account.clone(),
        secret_key: ApiKey::new(info.developer.secret_key.clone()),
        app: Some(LocalApp {
            id: app.id,
            client_id: app.client_id,
            channel_link: app.channel_link,
            signing_secret: SigningSecret::new(app.signing_secret),
        }),
    });
    ctx.clock = clock.clone();
    Env {
        sandbox,
        ctx,
        store,
        clock,
        dir,
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        redirect,
    }
}

impl Env {
    /// The app as its manifest lists it: the env's fixed-port loopback URI.
    pub fn app(&self) -> AppManifest {
        AppManifest {
            id: APP_ID.into(),
            access_type: "oauth".into(),
            redirect_uris: vec![self.redirect.clone()],
            ..Default::default()
        }
    }

    /// Opens a URL like a browser, following redirects; returns the final
    /// status and body.
    pub async fn browse(&self, url: &str) -> (u16, String) {
        let mut url = url.to_string();
        for _ in 0..5 {
            let r = self.http.get(&url).send().await.unwrap();
            if r.status().is_redirection() {
                url = r.headers()["location"].to_str().unwrap().to_string();
                continue;
            }
            return (r.status().as_u16(), r.text().await.unwrap_or_default());
        }
        panic!("too many redirects")
    }

    /// The URL the sandbox redirects an authorize URL to (the callback).
    pub async fn callback_url(&self, authorize_url: &str) -> String {
        let r = self.http.get(authorize_url).send().await.unwrap();
        assert!(r.status().is_redirection(), "auto-consent redirects");
        r.headers()["location"].to_str().unwrap().to_string()
    }

    pub fn advance(&self, secs: i64) {
        let mut t = self.clock.0.lock().unwrap();
        *t += Duration::seconds(secs);
    }

    pub async fn control(
        &self,
        method: &str,
        path: &str,
        body: serde_json::Value,
    ) -> serde_json::Value {
        let url = format!("{}/_appdeck{path}", self.sandbox.base_url());
        let req = match method {
            "GET" => self.http.get(&url),
            _ => self.http.post(&url).json(&body),
        };
        req.send().await.unwrap().json().await.unwrap()
    }

    /// How many token-endpoint requests the sandbox saw.
    pub async fn token_requests(&self) -> usize {
        let log = self
            .control("GET", "/requests?limit=10000", serde_json::Value::Null)
            .await;
        log["data"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["path"] == "/v1/oauth/token")
            .count()
    }
}
