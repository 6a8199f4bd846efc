//! The install flow end to end against the embedded sandbox, and every hostile
//! callback rejected with its own code and nothing stored.

mod console;
mod provider;
mod secrets;
mod support;

use std::time::Duration;

use appdeck_core::error::{Coded, ErrorCode};
use appdeck_core::installs::{self, InstallStatus};
use appdeck_core::keychain::{Mode, SecretKind, SecretRef, SecretStore};
use appdeck_core::oauth::install::{self, InstallRequest};
use support::*;
use tokio_util::sync::CancellationToken;

fn state_of(url: &str) -> String {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .to_string()
}

async fn start(
    env: &Env,
) -> (
    String,
    String,
    tokio::task::JoinHandle<Result<install::InstallOutcome, install::FlowFailure>>,
) {
    let p = install::prepare(&env.ctx, env.app(), &InstallRequest::default(), None)
        .await
        .unwrap_or_else(|f| panic!("{}", f.error));
    let (url, redirect) = (p.authorize_url.clone(), p.redirect_uri.clone());
    let ctx = env.ctx.clone();
    let task = tokio::spawn(async move {
        install::finish(&ctx, p, Duration::from_secs(10), &CancellationToken::new()).await
    });
    (url, redirect, task)
}

fn assert_nothing_stored(env: &Env) {
    assert!(
        installs::list(&env.ctx).unwrap().is_empty(),
        "no install recorded"
    );
}

#[tokio::test]
async fn full_install_flow_with_auto_consent_stores_tokens_in_the_keychain_only() {
    let env = env(true).await;
    let (url, redirect, task) = start(&env).await;
    assert!(
        url.contains("/oauth/v2/chnlink_") && url.contains("client_id=ca_"),
        "{url}"
    );
    assert_eq!(
        redirect, env.redirect,
        "the manifest's fixed-port loopback URI, exactly as listed"
    );
    let (status, page) = env.browse(&url).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("complete"));
    let out = task
        .await
        .unwrap()
        .unwrap_or_else(|f| panic!("{}", f.error));
    let rec = &out.install;
    assert!(rec.stripe_user_id.starts_with("acct_"));
    assert_eq!(
        (rec.mode, rec.status, rec.livemode),
        (Mode::Local, InstallStatus::Active, false)
    );
    let access = env
        .store
        .get(&SecretRef::new(
            SecretKind::AccessToken,
            Mode::Local,
            rec.install.clone(),
        ))
        .unwrap()
        .unwrap();
    let refresh = env
        .store
        .get(&SecretRef::new(
            SecretKind::RefreshToken,
            Mode::Local,
            rec.install.clone(),
        ))
        .unwrap()
        .unwrap();
    // The config dir holds metadata, never a token.
    for entry in std::fs::read_dir(env.dir.path()).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(!text.contains(access.secret()) && !text.contains(refresh.secret()));
    }
    // The timeline shows each step, masked.
    let kinds: Vec<&str> = out.timeline.iter().map(|s| s.kind.as_str()).collect();
    for k in [
        "listening",
        "authorize-url",
        "callback",
        "token-request",
        "token-response",
        "keychain-write",
        "recorded",
    ] {
        assert!(kinds.contains(&k), "{kinds:?}");
    }
    let json = serde_json::to_string(&out.timeline).unwrap();
    assert!(!json.contains(access.secret()) && !json.contains(refresh.secret()));
    // The access token works against the API as the installed account.
    let (_, token) = installs::access_token(&env.ctx, &rec.install)
        .await
        .unwrap();
    let r = env
        .http
        .get(format!("{}/v1/customers", env.sandbox.base_url()))
        .bearer_auth(token.secret())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

async fn hostile(
    env: &Env,
    query: impl Fn(&str) -> String,
    path: &str,
) -> (u16, String, install::FlowFailure) {
    let (url, redirect, task) = start(env).await;
    let st = state_of(&url);
    let base = redirect.trim_end_matches("/callback");
    let (status, page) = env.browse(&format!("{base}{path}?{}", query(&st))).await;
    let failure = task.await.unwrap().expect_err("flow fails");
    (status, page, failure)
}

#[tokio::test]
async fn wrong_state_missing_state_and_denied_are_each_their_own_error() {
    let env = env(false).await;
    let (_, _, f) = hostile(&env, |_| "code=ac_x&state=test.forged".into(), "/callback").await;
    assert_eq!(f.error.code(), ErrorCode::OauthStateMismatch);
    let (_, _, f) = hostile(&env, |_| "code=ac_x".into(), "/callback").await;
    assert_eq!(f.error.code(), ErrorCode::OauthMissingState);
    let (status, page, f) = hostile(
        &env,
        |s| format!("error=access_denied&error_description=%3Cscript%3Ealert(1)%3C%2Fscript%3E&state={s}"),
        "/callback",
    )
    .await;
    assert_eq!(f.error.code(), ErrorCode::OauthAccessDenied);
    assert_eq!(status, 200);
    assert!(
        !page.contains("<script>alert(1)") && page.contains("&lt;script&gt;"),
        "HTML is escaped"
    );
    let (_, _, f) = hostile(
        &env,
        |s| format!("state={s}&q={}", "x".repeat(9000)),
        "/callback",
    )
    .await;
    assert_eq!(f.error.code(), ErrorCode::OauthCallbackInvalid);
    let (_, _, f) = hostile(&env, |s| format!("state={s}"), "/callback").await;
    assert_eq!(
        f.error.code(),
        ErrorCode::OauthCallbackInvalid,
        "neither code nor error"
    );
    assert_nothing_stored(&env);
}

#[tokio::test]
async fn wrong_path_idle_socket_and_second_callback() {
    let env = env(true).await;
    let (url, redirect, task) = start(&env).await;
    let base = redirect.trim_end_matches("/callback").to_string();
    let port: u16 = base.rsplit(':').next().unwrap().parse().unwrap();
    let _idle = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    assert_eq!(env.browse(&format!("{base}/other?code=x")).await.0, 404);
    let callback = env.callback_url(&url).await;
    assert_eq!(env.browse(&callback).await.0, 200);
    let out = task
        .await
        .unwrap()
        .unwrap_or_else(|f| panic!("{}", f.error));
    // Replaying the callback: the listener is gone or answers "finished"; nothing new is stored.
    let replay = env.http.get(&callback).send().await;
    assert!(replay.map(|r| r.status().as_u16() != 200).unwrap_or(true));
    assert_eq!(installs::list(&env.ctx).unwrap().len(), 1);
    assert_eq!(
        installs::list(&env.ctx).unwrap()[0].install,
        out.install.install
    );
}

#[tokio::test]
async fn replaying_a_code_in_a_new_flow_fails_and_stores_nothing() {
    let env = env(true).await;
    let (url, _, task) = start(&env).await;
    let first_callback = env.callback_url(&url).await;
    assert_eq!(env.browse(&first_callback).await.0, 200);
    task.await
        .unwrap()
        .unwrap_or_else(|f| panic!("{}", f.error));
    let code = url::Url::parse(&first_callback)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .to_string();
    let (_, _, f) = hostile(&env, |s| format!("code={code}&state={s}"), "/callback").await;
    assert_eq!(f.error.code(), ErrorCode::OauthInvalidGrant);
    assert_eq!(
        installs::list(&env.ctx).unwrap().len(),
        1,
        "only the first install"
    );
}

#[tokio::test]
async fn timeout_cancel_and_port_in_use() {
    let env = env(false).await;
    let p = install::prepare(&env.ctx, env.app(), &InstallRequest::default(), None)
        .await
        .ok()
        .unwrap();
    let f = install::finish(
        &env.ctx,
        p,
        Duration::from_millis(100),
        &CancellationToken::new(),
    )
    .await
    .unwrap_err();
    assert_eq!(f.error.code(), ErrorCode::OauthTimeout);
    assert!(f.error.to_string().contains("allowed_redirect_uris"));
    // The timed-out flow's listener is dropped, and its server task aborted,
    // on the runtime's next turns: the fixed port frees up just after.
    let mut again = None;
    for _ in 0..50 {
        match install::prepare(&env.ctx, env.app(), &InstallRequest::default(), None).await {
            Ok(p) => {
                again = Some(p);
                break;
            }
            Err(f) if f.error.code() == ErrorCode::LoopbackPortInUse => {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Err(f) => panic!("{}", f.error),
        }
    }
    let p = again.expect("the fixed loopback port is free again after a timeout");
    let cancel = CancellationToken::new();
    cancel.cancel();
    let f = install::finish(&env.ctx, p, Duration::from_secs(5), &cancel)
        .await
        .unwrap_err();
    assert_eq!(f.error.code(), ErrorCode::OauthCancelled);
    let taken = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .unwrap();
    let port = taken.local_addr().unwrap().port();
    let busy = format!("http://127.0.0.1:{port}/callback");
    let req = InstallRequest {
        redirect_uri: Some(busy.clone()),
        ..Default::default()
    };
    let mut app = env.app();
    app.redirect_uris.push(busy);
    let f = install::prepare(&env.ctx, app, &req, None)
        .await
        .err()
        .unwrap();
    assert_eq!(f.error.code(), ErrorCode::LoopbackPortInUse);
    assert_nothing_stored(&env);
}

async fn installed(env: &Env) -> String {
    let (url, _, task) = start(env).await;
    env.browse(&url).await;
    task.await
        .unwrap()
        .unwrap_or_else(|f| panic!("{}", f.error))
        .install
        .install
}

#[tokio::test]
async fn refresh_rotates_and_the_old_refresh_token_dies() {
    let env = env(true).await;
    let handle = installed(&env).await;
    let r = |h: &str| SecretRef::new(SecretKind::RefreshToken, Mode::Local, h.to_string());
    let old = env
        .store
        .get(&r(&handle))
        .unwrap()
        .unwrap()
        .secret()
        .to_string();
    let rec = installs::refresh(&env.ctx, &handle).await.unwrap();
    assert!(rec.refreshed_at.is_some());
    let new = env
        .store
        .get(&r(&handle))
        .unwrap()
        .unwrap()
        .secret()
        .to_string();
    assert_ne!(old, new, "the new refresh token replaced the old one");
    let dev_key = env.sandbox.info().developer.secret_key;
    let resp = env
        .http
        .post(format!("{}/v1/oauth/token", env.sandbox.base_url()))
        .basic_auth(dev_key, Some(""))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", old.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
}

#[tokio::test]
async fn fifty_concurrent_calls_on_an_expired_token_refresh_once() {
    let env = env(true).await;
    let handle = installed(&env).await;
    let before = env.token_requests().await;
    env.advance(2 * 3600);
    env.control(
        "POST",
        "/clock/advance",
        serde_json::json!({"seconds": 7200}),
    )
    .await;
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let ctx = env.ctx.clone();
        let h = handle.clone();
        tasks.push(tokio::spawn(async move {
            installs::access_token(&ctx, &h)
                .await
                .map(|(_, t)| t.secret().to_string())
        }));
    }
    let mut tokens = std::collections::HashSet::new();
    for t in tasks {
        tokens.insert(t.await.unwrap().unwrap());
    }
    assert_eq!(tokens.len(), 1, "every caller got the same fresh token");
    assert_eq!(
        env.token_requests().await - before,
        1,
        "exactly one refresh"
    );
}

#[tokio::test]
async fn invalid_grant_marks_the_install_needs_reauthorization() {
    let env = env(true).await;
    let handle = installed(&env).await;
    env.store
        .set(
            &SecretRef::new(SecretKind::RefreshToken, Mode::Local, handle.clone()),
            "rt_not_a_real_token_000000",
        )
        .unwrap();
    let e = installs::refresh(&env.ctx, &handle).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::NeedsReauthorization);
    assert_eq!(
        installs::get(&env.ctx, &handle).unwrap().status,
        InstallStatus::NeedsReauthorization
    );
    let e = installs::access_token(&env.ctx, &handle).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::NeedsReauthorization, "not retried");
    installs::forget(&env.ctx, &handle).unwrap();
    assert!(env
        .store
        .get(&SecretRef::new(
            SecretKind::RefreshToken,
            Mode::Local,
            handle.clone()
        ))
        .unwrap()
        .is_none());
    assert!(installs::list(&env.ctx).unwrap().is_empty());
}

#[tokio::test]
async fn paste_url_path_completes_a_non_loopback_redirect() {
    let env = env(true).await;
    // The sandbox's app allows only the loopback URI; register a backend URI too.
    let mut reg = env.control("GET", "/apps", serde_json::Value::Null).await["data"][0].clone();
    reg["redirect_uris"] =
        serde_json::json!([env.redirect, "https://backend.example.com/stripe/callback"]);
    env.control("POST", "/apps", reg).await;
    let req = InstallRequest {
        redirect_uri: Some("https://backend.example.com/stripe/callback".into()),
        ..Default::default()
    };
    let mut app = env.app();
    app.redirect_uris
        .push("https://backend.example.com/stripe/callback".into());
    let p = install::prepare(&env.ctx, app, &req, None)
        .await
        .ok()
        .unwrap();
    assert!(p.listener.is_none());
    let landed = env.callback_url(&p.authorize_url).await;
    assert!(landed.starts_with("https://backend.example.com/stripe/callback?code="));
    let out = install::complete_from_url(&env.ctx, p, &landed)
        .await
        .unwrap_or_else(|f| panic!("{}", f.error));
    assert!(out.install.stripe_user_id.starts_with("acct_"));
}
