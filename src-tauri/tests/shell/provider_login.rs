//! A provider login is a job the UI can cancel: while it waits for the
//! browser's callback, and also when the cancel reaches the shell first. The
//! commands are called as the webview calls them (`provider_login` with the
//! UI's login id and a channel for the steps, `provider_login_cancel`), over
//! the services the app starts (a memory store instead of the keychain; the
//! "browser" only records the link).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use appdeck_core::console::retry::RetryPolicy;
use appdeck_core::error::ErrorCode;
use appdeck_core::keychain::MemoryStore;
use appdeck_core::oauth::provider::ProviderConfig;
use appdeck_core::oauth::timeline::TimelineStep;
use appdeck_shell::commands::providers::{provider_login, provider_login_cancel, providers_add};
use appdeck_shell::launch::Launch;
use appdeck_shell::services::{Opener, Services};
use appdeck_shell::state::Shell;
use tauri::ipc::{Channel, InvokeResponseBody};
use tokio::sync::mpsc;

/// A shell over a temp dir, its services ready; `opened` receives each link.
async fn shell(dir: &std::path::Path) -> (Shell, mpsc::UnboundedReceiver<String>) {
    let launch = Launch {
        target: dir.join("no-project"),
        config_dir: dir.join("config"),
        keychain_service: "appdeck-test".into(),
        retry: RetryPolicy::default(),
        settings_note: None,
    };
    let (tx, opened) = mpsc::unbounded_channel();
    let browser: Opener = Arc::new(move |url: &str| {
        let _ = tx.send(url.to_string());
        Ok(())
    });
    let svc = Services::start_with_store(
        launch.config_dir.clone(),
        &launch.target,
        Arc::new(MemoryStore::new()),
        browser,
    )
    .await;
    let shell = Shell::new(launch, Instant::now());
    shell.set_services(Arc::new(svc));
    (shell, opened)
}

/// A provider on a loopback port nothing answers on: the login waits.
fn provider() -> ProviderConfig {
    ProviderConfig {
        name: "demo".into(),
        authorize_url: "http://127.0.0.1:9/authorize".into(),
        token_url: "http://127.0.0.1:9/token".into(),
        client_id: "client_1".into(),
        scopes: vec!["read".into()],
        params: vec![],
        has_client_secret: false,
        access_expires_at: None,
        logged_in_at: None,
        has_refresh_token: false,
    }
}

/// The steps' `kind`s, as the UI's channel receives them.
fn step_channel() -> (Channel<TimelineStep>, Arc<Mutex<Vec<String>>>) {
    let kinds: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = kinds.clone();
    let channel = Channel::new(move |body| {
        if let InvokeResponseBody::Json(json) = body {
            let step: serde_json::Value = serde_json::from_str(&json).unwrap();
            sink.lock()
                .unwrap()
                .push(step["kind"].as_str().unwrap_or("").to_string());
        }
        Ok(())
    });
    (channel, kinds)
}

#[test]
fn a_waiting_provider_login_is_cancelled_by_its_id() {
    tauri::async_runtime::block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let (shell, mut opened) = shell(dir.path()).await;
        providers_add(&shell, provider(), None).await.unwrap();
        let (channel, kinds) = step_channel();

        let login = provider_login(&shell, "demo".into(), Some(60), "login_1".into(), channel);
        let cancel = async {
            let url = opened.recv().await.expect("the browser was asked to open");
            assert!(url.starts_with("http://127.0.0.1:9/authorize?"), "{url}");
            let svc = shell.services().await;
            assert!(svc.logins.is_running("login_1"), "a job while it waits");
            provider_login_cancel(&shell, "login_1".into())
                .await
                .unwrap();
        };
        let (result, ()) = tokio::time::timeout(Duration::from_secs(20), async {
            tokio::join!(login, cancel)
        })
        .await
        .expect("the cancel ended the login long before its 60 s timeout");

        let err = result.unwrap_err();
        assert_eq!(err.code, ErrorCode::OauthCancelled, "{}", err.message);
        assert!(
            kinds.lock().unwrap().iter().any(|k| k == "authorize-url"),
            "the steps came on the channel: {:?}",
            kinds.lock().unwrap()
        );
        let svc = shell.services().await;
        assert!(svc.logins.is_empty(), "the login left the registry");
        // Cancelling it again, now that it ended, is not an error.
        provider_login_cancel(&shell, "login_1".into())
            .await
            .unwrap();
        svc.shutdown().await;
    });
}

#[test]
fn a_cancel_that_reaches_the_shell_before_the_login_ends_it_at_once() {
    tauri::async_runtime::block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let (shell, _opened) = shell(dir.path()).await;
        providers_add(&shell, provider(), None).await.unwrap();
        provider_login_cancel(&shell, "login_2".into())
            .await
            .unwrap();
        let (channel, _) = step_channel();
        let result = tokio::time::timeout(
            Duration::from_secs(20),
            provider_login(&shell, "demo".into(), Some(60), "login_2".into(), channel),
        )
        .await
        .expect("a login cancelled beforehand does not wait");
        assert_eq!(result.unwrap_err().code, ErrorCode::OauthCancelled);
        let svc = shell.services().await;
        assert!(svc.logins.is_empty());
        svc.shutdown().await;
    });
}
