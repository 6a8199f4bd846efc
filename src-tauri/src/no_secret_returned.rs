//! Tests that no command hands a secret to the webview.
//!
//! The command table's answers are checked for secret types in
//! `ipc::contract_tests` (core's secret types have no `Serialize`, so no
//! serializable answer can hold one). Here, a real install against the
//! embedded sandbox (started in-process as the app starts it, with a memory
//! store and auto-consent, the "browser" being an HTTP client that follows the
//! authorize URL) through the same functions the commands call: the JSON of
//! everything the UI receives (the start answer, every streamed step, the
//! outcome, the installs list, a refresh, an API call as the install and the
//! history) contains neither token the store holds, and neither does any file
//! the app wrote in its config dir, the embedded sandbox's database included
//! (it seals what it stores).

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use appdeck_core::console::request::{ApiRequest, AuthAs};
use appdeck_core::installs::{self, InstallRecord};
use appdeck_core::keychain::{MemoryStore, Mode, SecretKind, SecretRef, SecretStore};
use appdeck_core::oauth::install::InstallRequest;
use appdeck_core::oauth::timeline::TimelineStep;

use crate::commands::{console, install};
use crate::services::{Opener, Services};

/// The test app; `PORT` becomes a free loopback port (the embedded sandbox
/// matches redirect URIs exactly, as Stripe does).
const MANIFEST: &str = r#"{
  "id": "com.example.no-secret",
  "version": "1.0.0",
  "name": "No Secret",
  "distribution_type": "public",
  "stripe_api_access_type": "oauth",
  "allowed_redirect_uris": ["http://127.0.0.1:PORT/callback"],
  "permissions": [{"permission": "customer_read", "purpose": "Lists customers."}]
}
"#;

/// The test's browser: GETs the authorize URL and follows its redirect to the
/// loopback callback, like a browser with auto-consent would.
fn following_browser(opened: Arc<Mutex<Vec<String>>>) -> Opener {
    Arc::new(move |url: &str| {
        opened.lock().unwrap().push(url.to_string());
        let url = url.to_string();
        tauri::async_runtime::spawn(async move {
            let http = appdeck_core::http::client();
            let first = http.get(&url).send().await.expect("authorize URL answers");
            assert_eq!(
                first.status().as_u16(),
                302,
                "auto-consent redirects at once"
            );
            let to = first.headers()["location"].to_str().unwrap().to_string();
            http.get(&to).send().await.expect("loopback answers");
        });
        Ok(())
    })
}

/// Every file under `dir`, as lossy text.
fn files_under(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            let bytes = std::fs::read(&path).unwrap();
            out.push((
                path.display().to_string(),
                String::from_utf8_lossy(&bytes).into_owned(),
            ));
        }
    }
}

fn tokens(store: &MemoryStore, rec: &InstallRecord) -> [String; 2] {
    [SecretKind::AccessToken, SecretKind::RefreshToken].map(|kind| {
        let at = SecretRef::new(kind, rec.mode, rec.install.clone());
        let v = store.get(&at).unwrap().expect("the token is in the store");
        v.secret().to_string()
    })
}

fn assert_no_token(what: &str, json: &str, tokens: &[String]) {
    for t in tokens {
        assert!(t.len() > 8, "a real token: {t:?}");
        assert!(
            !json.contains(t.as_str()),
            "{what} contains a token the store holds"
        );
    }
}

#[test]
fn a_full_install_returns_no_token_to_the_ui() {
    tauri::async_runtime::block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("app");
        std::fs::create_dir_all(&project).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free loopback port");
        std::fs::write(
            project.join("stripe-app.json"),
            MANIFEST.replace("PORT", &port.to_string()),
        )
        .unwrap();
        let config = dir.path().join("config");
        let store = Arc::new(MemoryStore::new());
        let opened = Arc::new(Mutex::new(Vec::new()));
        let svc = Arc::new(
            Services::start_with_store(
                config.clone(),
                &project,
                store.clone(),
                following_browser(opened.clone()),
            )
            .await,
        );
        let status = svc.sandbox_status();
        assert!(status.base_url.is_some(), "the sandbox runs: {status:?}");
        assert_eq!(status.app_id.as_deref(), Some("com.example.no-secret"));
        assert!(svc.set_auto_consent(true).await.unwrap().auto_consent);

        let steps: Arc<Mutex<Vec<TimelineStep>>> = Arc::default();
        let seen = steps.clone();
        let started = install::start(
            &svc,
            InstallRequest::default(),
            Duration::from_secs(30),
            Box::new(move |s: &TimelineStep| seen.lock().unwrap().push(s.clone())),
        )
        .await
        .unwrap();
        assert!(started.loopback);
        assert_eq!(
            opened.lock().unwrap().as_slice(),
            std::slice::from_ref(&started.authorize_url),
            "the system browser got the authorize URL"
        );
        let outcome = install::wait(&svc, &started.flow).await.unwrap();
        assert_eq!(outcome.install.mode, Mode::Local);
        let secrets = tokens(&store, &outcome.install);

        let ctx = svc.context();
        let listed = installs::list(&ctx).unwrap();
        let refreshed = installs::refresh(&ctx, &outcome.install.install)
            .await
            .unwrap();
        let rotated = tokens(&store, &refreshed);
        assert_ne!(rotated, secrets, "the refresh rotated both tokens");
        let all: Vec<String> = secrets.iter().chain(rotated.iter()).cloned().collect();

        let call = ApiRequest {
            method: "GET".into(),
            path: "/v1/customers".into(),
            params: vec![("limit".into(), "2".into())],
            raw_body: None,
            stripe_account: None,
            stripe_version: None,
            idempotency_key: None,
            auth: AuthAs::Install {
                install: refreshed.install.clone(),
            },
        };
        let response = console::send(&svc, &call).await.unwrap();
        assert_eq!(response.status, 200, "{}", response.body);
        let history = appdeck_core::console::history::search(&ctx, "").unwrap();
        assert_eq!(history.len(), 1, "api_send records the call");

        let shown = [
            ("install_start", serde_json::to_string(&started).unwrap()),
            (
                "the streamed steps",
                serde_json::to_string(&*steps.lock().unwrap()).unwrap(),
            ),
            ("install_wait", serde_json::to_string(&outcome).unwrap()),
            ("installs_list", serde_json::to_string(&listed).unwrap()),
            (
                "install_refresh",
                serde_json::to_string(&refreshed).unwrap(),
            ),
            ("api_send", serde_json::to_string(&response).unwrap()),
            ("api_history", serde_json::to_string(&history).unwrap()),
        ];
        for (what, json) in &shown {
            assert_no_token(what, json, &all);
        }
        assert!(
            steps
                .lock()
                .unwrap()
                .iter()
                .any(|s| s.kind == "keychain-write"),
            "the steps reached the observer as they happened"
        );
        let mut files = Vec::new();
        files_under(&config, &mut files);
        assert!(
            files.iter().any(|(p, _)| p.ends_with("sandbox.redb")),
            "the sandbox's database is searched too"
        );
        assert!(
            files.iter().any(|(p, _)| p.ends_with("installs.json")),
            "the install was recorded in the config dir: {:?}",
            files.iter().map(|(p, _)| p).collect::<Vec<_>>()
        );
        for (path, text) in &files {
            assert_no_token(path, text, &all);
        }
        svc.shutdown().await;
    });
}
