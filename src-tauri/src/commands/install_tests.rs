//! The install commands' logic over real services (the embedded sandbox on
//! 127.0.0.1:0, secrets in memory): the checklist, the refusals that come
//! before anything opens, and an install the app's backend completes,
//! confirmed from Stripe's events with a pasted landing URL as a second signal.

use std::sync::Mutex;

use appdeck_core::accounts::{self, AddOptions};
use appdeck_core::keychain::MemoryStore;
use appdeck_core::oauth::checklist::{CheckId, CheckStatus};
use appdeck_core::secret::ApiKey;

use super::*;
use crate::services::Opener;

/// The app's backend in these tests: Stripe redirects there, nothing answers
/// (the install is recorded at consent; the backend's exchange is not Appdeck's).
const BACKEND: &str = "http://127.0.0.1:9/stripe/callback";
const LOOPBACK: &str = "http://127.0.0.1:8765/callback";

fn manifest() -> String {
    serde_json::json!({
        "id": "com.example.install-tests",
        "version": "1.0.0",
        "name": "Install Tests",
        "distribution_type": "public",
        "stripe_api_access_type": "oauth",
        "allowed_redirect_uris": [LOOPBACK, BACKEND],
        "permissions": [{"permission": "event_read", "purpose": "Install events."}]
    })
    .to_string()
}

/// A "system browser" that only records what it was asked to open.
fn recording_browser(opened: Arc<Mutex<Vec<String>>>) -> Opener {
    Arc::new(move |url: &str| {
        opened.lock().unwrap().push(url.to_string());
        Ok(())
    })
}

async fn services(dir: &std::path::Path, opened: Arc<Mutex<Vec<String>>>) -> Arc<Services> {
    let project = dir.join("app");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(project.join("stripe-app.json"), manifest()).unwrap();
    let svc = Services::start_with_store(
        dir.join("config"),
        &project,
        Arc::new(MemoryStore::new()),
        recording_browser(opened),
    )
    .await;
    assert!(svc.sandbox_status().base_url.is_some(), "the sandbox runs");
    Arc::new(svc)
}

/// The developer's restricted key (`rk_test_…`), from the sandbox's control API.
async fn restricted_key(base: &str) -> String {
    let v: serde_json::Value = appdeck_core::http::client()
        .get(format!("{base}/_appdeck/accounts"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let key = v["data"][0]["restricted_key"].as_str().unwrap().to_string();
    assert!(key.starts_with("rk_test_"), "{key}");
    key
}

/// The account the sandbox's consent page installs into (its first install account).
async fn install_target(svc: &Services) -> String {
    let base = svc.sandbox_status().base_url.unwrap();
    let control = appdeck_core::local::control::Control::new(appdeck_core::http::client(), &base);
    control.install_accounts().await.unwrap()[0].id.clone()
}

fn steps_sink() -> (Arc<Mutex<Vec<TimelineStep>>>, StepObserver) {
    let steps: Arc<Mutex<Vec<TimelineStep>>> = Arc::default();
    let sink = steps.clone();
    (
        steps,
        Box::new(move |s: &TimelineStep| sink.lock().unwrap().push(s.clone())),
    )
}

#[test]
fn a_restricted_key_fails_the_checklist_and_is_refused_before_the_browser_opens() {
    tauri::async_runtime::block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let opened: Arc<Mutex<Vec<String>>> = Arc::default();
        let svc = services(dir.path(), opened.clone()).await;
        let base = svc.sandbox_status().base_url.unwrap();
        let key = ApiKey::new(restricted_key(&base).await);
        let opts = AddOptions {
            api_base: Some(base),
            skip_check: true,
            sandbox: false,
        };
        accounts::add(&svc.context(), "rk", key, &opts)
            .await
            .unwrap();

        let req = InstallRequest {
            account: Some("rk".into()),
            redirect_uri: Some(LOOPBACK.into()),
            platform: false,
            via_backend: false,
            into: None,
        };
        let checked = check(&svc, &req).await.unwrap();
        assert!(!checked.ok, "a fail line makes the checklist not ok");
        let key_line = checked
            .lines
            .iter()
            .find(|l| l.check == CheckId::Key)
            .unwrap();
        assert_eq!(key_line.status, CheckStatus::Fail, "{key_line:?}");
        assert!(key_line.fix.is_some(), "a failing line says what to do");

        let refused = start(&svc, req, Duration::from_secs(5), Box::new(|_| {}))
            .await
            .unwrap_err();
        assert_eq!(refused.code, ErrorCode::RestrictedKey, "{refused:?}");
        assert!(
            opened.lock().unwrap().is_empty(),
            "nothing was opened: the refusal comes first"
        );
        assert!(svc.flows.is_empty(), "no flow is left running");
        svc.shutdown().await;
    });
}

#[test]
fn a_redirect_uri_the_manifest_does_not_hold_is_refused_before_the_browser_opens() {
    tauri::async_runtime::block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let opened: Arc<Mutex<Vec<String>>> = Arc::default();
        let svc = services(dir.path(), opened.clone()).await;
        let req = InstallRequest {
            redirect_uri: Some("http://127.0.0.1:9999/elsewhere".into()),
            ..InstallRequest::default()
        };
        let checked = check(&svc, &req).await.unwrap();
        let line = checked
            .lines
            .iter()
            .find(|l| l.check == CheckId::RedirectUri)
            .unwrap();
        assert_eq!(line.status, CheckStatus::Fail, "{line:?}");
        let refused = start(&svc, req, Duration::from_secs(5), Box::new(|_| {}))
            .await
            .unwrap_err();
        assert_eq!(refused.code, ErrorCode::RedirectUriNotUploadable);
        assert!(opened.lock().unwrap().is_empty(), "nothing was opened");
        svc.shutdown().await;
    });
}

#[test]
fn a_backend_install_is_confirmed_from_stripes_events_with_the_pasted_url_as_a_second_signal() {
    tauri::async_runtime::block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let opened: Arc<Mutex<Vec<String>>> = Arc::default();
        let svc = services(dir.path(), opened.clone()).await;
        assert!(svc.set_auto_consent(true).await.unwrap().auto_consent);
        let req = InstallRequest {
            redirect_uri: Some(BACKEND.into()),
            via_backend: true,
            into: Some(install_target(&svc).await),
            ..InstallRequest::default()
        };
        let checked = check(&svc, &req).await.unwrap();
        assert!(checked.ok, "{:#?}", checked.lines);
        assert_eq!(checked.redirect_uri.as_deref(), Some(BACKEND));

        let (steps, observer) = steps_sink();
        let started = start(&svc, req, Duration::from_secs(30), observer)
            .await
            .unwrap();
        assert!(started.via_backend && !started.loopback, "{started:?}");
        assert_eq!(started.redirect_uri, BACKEND);
        assert_eq!(
            opened.lock().unwrap().as_slice(),
            std::slice::from_ref(&started.authorize_url),
            "the system browser got the install link"
        );

        // The loopback commands refuse a backend flow, and leave it running.
        assert_eq!(
            wait(&svc, &started.flow).await.unwrap_err().code,
            ErrorCode::InvalidInput
        );
        assert_eq!(
            paste_url(&svc, &started.flow, BACKEND)
                .await
                .unwrap_err()
                .code,
            ErrorCode::InvalidInput
        );

        // The landing URL first (a second signal: noted, never exchanged) ...
        let state = tauri::Url::parse(&started.authorize_url)
            .unwrap()
            .query_pairs()
            .find(|(k, _)| k == "state")
            .unwrap()
            .1
            .to_string();
        let landed = format!("{BACKEND}?code=ac_fromthebrowser&state={state}");
        backend_landed(&svc, &started.flow, landed).unwrap();
        for _ in 0..100 {
            if steps.lock().unwrap().iter().any(|s| s.kind == "landed") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        // ... then the consent, as the browser would give it (auto-consent: one redirect).
        let consent = appdeck_core::http::client()
            .get(&started.authorize_url)
            .send()
            .await
            .unwrap();
        assert_eq!(consent.status().as_u16(), 302);
        let to = consent.headers()["location"].to_str().unwrap().to_string();
        assert!(
            to.starts_with(BACKEND),
            "Stripe sends the browser to the backend: {to}"
        );

        let outcome = wait_backend(&svc, &started.flow).await.unwrap();
        assert_eq!(
            outcome.install.stripe_account,
            install_target(&svc).await,
            "confirmed on the account it went into"
        );
        assert!(
            outcome.install.stripe_account.starts_with("acct_"),
            "{outcome:?}"
        );
        assert!(outcome.install.event.starts_with("evt_"), "{outcome:?}");
        assert!(outcome.install.landed, "the pasted URL was noted");
        let kinds: Vec<String> = steps
            .lock()
            .unwrap()
            .iter()
            .map(|s| s.kind.clone())
            .collect();
        assert!(
            kinds.contains(&"landed".to_string()) && kinds.contains(&"event".to_string()),
            "{kinds:?}"
        );
        assert!(
            !kinds.iter().any(|k| k == "token-request"),
            "Appdeck never exchanged the backend's code: {kinds:?}"
        );
        assert!(
            installs::list(&svc.context()).unwrap().is_empty(),
            "no tokens, no install record: the backend holds them"
        );
        assert_eq!(
            backend_landed(&svc, &started.flow, BACKEND.into())
                .unwrap_err()
                .code,
            ErrorCode::InvalidInput,
            "the flow ended"
        );
        svc.shutdown().await;
    });
}

#[test]
fn a_backend_install_can_be_cancelled() {
    tauri::async_runtime::block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let svc = services(dir.path(), Arc::default()).await;
        let req = InstallRequest {
            redirect_uri: Some(BACKEND.into()),
            via_backend: true,
            into: Some(install_target(&svc).await),
            ..InstallRequest::default()
        };
        let started = start(&svc, req, Duration::from_secs(30), Box::new(|_| {}))
            .await
            .unwrap();
        let waiting = {
            let svc = svc.clone();
            let flow = started.flow.clone();
            tauri::async_runtime::spawn(async move { wait_backend(&svc, &flow).await })
        };
        tokio::time::sleep(Duration::from_millis(100)).await;
        cancel(&svc, &started.flow);
        let err = waiting.await.unwrap().unwrap_err();
        assert_eq!(err.code, ErrorCode::OauthCancelled, "{err:?}");
        svc.shutdown().await;
    });
}
