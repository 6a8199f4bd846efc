//! The Install screen's answers (`install.json`), from real flows against the
//! embedded sandbox: the checklist and install links for the project's app, a
//! loopback install with each step as core streams it, a cancelled and a
//! timed-out flow, a flow through a redirect URI that isn't loopback (the URL
//! pasted, with the wrong state and the right one), and the installs list as
//! refreshes succeed or find the app uninstalled.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use appdeck_core::accounts;
use appdeck_core::error::{Coded, ErrorCode};
use appdeck_core::installs::{self, InstallStatus};
use appdeck_core::keychain::Mode;
use appdeck_core::oauth::checklist;
use appdeck_core::oauth::install::{self, AppManifest, InstallRequest, Prepared};
use appdeck_core::oauth::links;
use appdeck_core::oauth::timeline::{StepObserver, TimelineStep};
use appdeck_core::qa::browser;
use serde_json::json;
use tokio_util::sync::CancellationToken;

use crate::canned::Canned;
use crate::scrub::Scrub;
use crate::support::{free_port, sandboxed, Folder, Sandboxed};

pub const BACKEND_URI: &str = "https://backend.example.com/oauth/callback";

/// The app the Install and API screens' project holds: a fixed-port loopback
/// redirect URI and an app backend's, read access to customers, and the
/// Secret Store.
pub fn manifest_text(port: u16) -> String {
    format!(
        r#"{{
  "id": "com.example.app",
  "version": "1.0.0",
  "name": "Orders",
  "distribution_type": "public",
  "stripe_api_access_type": "oauth",
  "allowed_redirect_uris": ["http://127.0.0.1:{port}/callback", "{BACKEND_URI}"],
  "permissions": [
    {{ "permission": "customer_read", "purpose": "Show orders" }},
    {{ "permission": "event_read", "purpose": "Hear about uninstalls" }},
    {{ "permission": "secret_write", "purpose": "Keep the user's GitHub token" }}
  ]
}}
"#
    )
}

/// Steps as core streams them to the UI's `onStep`.
#[derive(Clone, Default)]
pub struct Streamed(Arc<Mutex<Vec<TimelineStep>>>);

impl Streamed {
    pub fn observer(&self) -> Option<StepObserver> {
        let steps = self.0.clone();
        Some(Box::new(move |s: &TimelineStep| {
            steps.lock().unwrap().push(s.clone())
        }))
    }

    pub fn take(&self) -> Vec<TimelineStep> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

/// The project folder and its app, registered in a sandbox that consents at once.
pub async fn project(scrub: &mut Scrub) -> (Folder, Sandboxed, AppManifest) {
    scrub.revisions();
    let proj = Folder::new("/proj", scrub);
    let path = proj.write("stripe-app.json", &manifest_text(free_port(scrub)));
    let env = sandboxed(scrub, Some(&path), true).await;
    let app = AppManifest::load(&path).unwrap();
    (proj, env, app)
}

async fn prepare(
    env: &Sandboxed,
    app: &AppManifest,
    req: &InstallRequest,
    steps: &Streamed,
) -> Prepared {
    install::prepare(&env.ctx, app.clone(), req, steps.observer())
        .await
        .unwrap_or_else(|f| panic!("{}", f.error))
}

/// A loopback flow completed by a browser that consents (as `consent_as`).
pub async fn loopback_install(
    env: &Sandboxed,
    app: &AppManifest,
    steps: &Streamed,
    consent_as: Option<&str>,
) -> (Started, install::InstallOutcome) {
    let p = prepare(env, app, &InstallRequest::default(), steps).await;
    let started = Started {
        authorize_url: p.authorize_url.clone(),
        redirect_uri: p.redirect_uri.clone(),
    };
    let ctx = env.ctx.clone();
    let flow = tokio::spawn(async move {
        install::finish(&ctx, p, Duration::from_secs(10), &CancellationToken::new()).await
    });
    browser::follow_redirects(&browser::client(), &started.authorize_url, consent_as)
        .await
        .expect("the browser reaches the callback");
    let outcome = flow
        .await
        .unwrap()
        .unwrap_or_else(|f| panic!("{}", f.error));
    (started, outcome)
}

/// What `install_start` tells the UI of a prepared flow.
pub struct Started {
    pub authorize_url: String,
    pub redirect_uri: String,
}

/// The URL the browser lands on for a redirect URI nothing listens on: the
/// sandbox's redirect, not followed (it leads to the app's backend).
async fn landed(authorize_url: &str) -> String {
    let r = browser::client().get(authorize_url).send().await.unwrap();
    assert!(r.status().is_redirection(), "auto-consent redirects");
    r.headers()["location"].to_str().unwrap().to_string()
}

#[tokio::test]
async fn install_screen() {
    let mut scrub = Scrub::new();
    let (proj, env, app) = project(&mut scrub).await;
    let ctx = &env.ctx;
    let path = proj.file("stripe-app.json");
    let mut out = Canned::new("install");
    out.put(
        "manifest",
        &appdeck_core::manifest::ops::open(&path).unwrap(),
    );
    out.put("accounts", &accounts::list(ctx).unwrap());
    let check = checklist::check(ctx, &path, &InstallRequest::default())
        .await
        .unwrap();
    assert!(check.ok, "{check:?}");
    out.put("check", &check);
    for (name, platform) in [("linkOauth", false), ("linkPlatform", true)] {
        let link = links::install_link(
            ctx,
            &app.id,
            &app.redirect_uris,
            Mode::Local,
            None,
            platform,
        )
        .unwrap();
        out.put(name, &link);
    }

    let steps = Streamed::default();
    let (started, outcome) = loopback_install(&env, &app, &steps, None).await;
    out.put("runAuthorizeUrl", &started.authorize_url);
    out.put("runRedirectUri", &started.redirect_uri);
    out.put("runSteps", &steps.take());
    out.put("runOutcome", &outcome);
    out.put("installsAfterRun", &installs::list(ctx).unwrap());

    // Cancelled while it listens, and timed out.
    let cancel = CancellationToken::new();
    let p = prepare(&env, &app, &InstallRequest::default(), &steps).await;
    cancel.cancel();
    let failure = install::finish(ctx, p, Duration::from_secs(10), &cancel)
        .await
        .unwrap_err();
    assert_eq!(failure.error.code(), ErrorCode::OauthCancelled);
    out.put("cancelSteps", &steps.take());
    out.error("cancelled", &failure.error);
    let p = prepare(&env, &app, &InstallRequest::default(), &steps).await;
    let failure = install::finish(ctx, p, Duration::from_secs(1), &CancellationToken::new())
        .await
        .unwrap_err();
    assert_eq!(failure.error.code(), ErrorCode::OauthTimeout);
    steps.take();
    out.error("timedOut", &failure.error);

    installs_list(&env, &app, &steps, &mut out).await;
    paste_flows(&env, &app, &steps, &mut out).await;
    out.write(&mut scrub);
}

/// A second install into another account, the app then uninstalled there:
/// the list with a dead install, a refresh that works and one that can't.
async fn installs_list(env: &Sandboxed, app: &AppManifest, steps: &Streamed, out: &mut Canned) {
    let ctx = &env.ctx;
    let second = env.info.accounts[1].account.clone();
    env.control_post("/settings", json!({"auto_consent": false}))
        .await;
    let (_, b) = loopback_install(env, app, steps, Some(&second)).await;
    steps.take();
    env.control_post("/settings", json!({"auto_consent": true}))
        .await;
    env.control_post(
        "/installs/uninstall",
        json!({"app": app.id, "account": second}),
    )
    .await;
    let dead = installs::refresh(ctx, &b.install.install)
        .await
        .unwrap_err();
    assert_eq!(dead.code(), ErrorCode::NeedsReauthorization);
    let listed = installs::list(ctx).unwrap();
    assert_eq!(
        listed.iter().map(|i| i.status).collect::<Vec<_>>(),
        [InstallStatus::Active, InstallStatus::NeedsReauthorization]
    );
    out.put("installs", &listed);
    let a = listed[0].install.clone();
    let refreshed = installs::refresh(ctx, &a).await.unwrap();
    assert_ne!(refreshed.access_token_hint, listed[0].access_token_hint);
    out.put("refreshed", &refreshed);
    out.put("installsAfterRefresh", &installs::list(ctx).unwrap());
    let again = installs::refresh(ctx, &b.install.install)
        .await
        .unwrap_err();
    out.error("needsReauthorization", &again);
    installs::forget(ctx, &a).unwrap();
    out.put("installsAfterForget", &installs::list(ctx).unwrap());
}

/// Through the app backend's redirect URI: the user pastes where they landed.
async fn paste_flows(env: &Sandboxed, app: &AppManifest, steps: &Streamed, out: &mut Canned) {
    let ctx = &env.ctx;
    let req = InstallRequest {
        redirect_uri: Some(BACKEND_URI.into()),
        ..InstallRequest::default()
    };
    let p = prepare(env, app, &req, steps).await;
    assert!(p.listener.is_none(), "nothing listens on the backend's URI");
    out.put("pasteAuthorizeUrl", &p.authorize_url);
    let wrong =
        url::Url::parse_with_params(BACKEND_URI, [("code", "ac_wrong"), ("state", "wrong")])
            .unwrap();
    let failure = install::complete_from_url(ctx, p, wrong.as_str())
        .await
        .unwrap_err();
    assert_eq!(failure.error.code(), ErrorCode::OauthStateMismatch);
    out.error("pasteWrongState", &failure.error);
    steps.take();

    let p = prepare(env, app, &req, steps).await;
    out.put("pasteAuthorizeUrl2", &p.authorize_url);
    let url = landed(&p.authorize_url).await;
    out.put("pasteLanded", &url);
    let outcome = install::complete_from_url(ctx, p, &url)
        .await
        .unwrap_or_else(|f| panic!("{}", f.error));
    out.put("pasteSteps", &steps.take());
    out.put("pasteOutcome", &outcome);
}
