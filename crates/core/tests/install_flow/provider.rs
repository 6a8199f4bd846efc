//! Third-party login with PKCE against the sandbox's generic provider.

use std::time::Duration;

use appdeck_core::error::{Coded, ErrorCode};
use appdeck_core::keychain::{SecretKind, SecretRef, SecretStore};
use appdeck_core::oauth::provider::{self, ProviderConfig};
use tokio_util::sync::CancellationToken;

use crate::support::*;

/// The S256 challenge of a verifier (RFC 7636 §4.2), computed here on its own
/// so the test checks the provider flow's challenge rather than repeating it.
fn challenge_of(verifier: &str) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier))
}

#[test]
fn the_s256_helper_matches_rfc7636_appendix_b() {
    assert_eq!(
        challenge_of("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    );
}

fn config(env: &Env, name: &str) -> ProviderConfig {
    let base = env.sandbox.base_url();
    ProviderConfig {
        name: name.into(),
        authorize_url: format!("{base}/provider/authorize"),
        token_url: format!("{base}/provider/token"),
        client_id: "appdeck-test".into(),
        scopes: vec!["files.read".into()],
        params: vec![("access_type".into(), "offline".into())],
        has_client_secret: false,
        access_expires_at: None,
        logged_in_at: None,
        has_refresh_token: false,
    }
}

#[tokio::test]
async fn pkce_login_stores_tokens_and_shows_the_run() {
    let env = env(true).await;
    provider::add(&env.ctx, config(&env, "files"), None).unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<String>();
    let browser = {
        let http = env.http.clone();
        tokio::spawn(async move {
            let mut url = rx.await.unwrap();
            for _ in 0..3 {
                let r = http.get(&url).send().await.unwrap();
                match r.headers().get("location") {
                    Some(l) => url = l.to_str().unwrap().to_string(),
                    None => return r.status().as_u16(),
                }
            }
            0
        })
    };
    let login = provider::login(
        &env.ctx,
        "files",
        Duration::from_secs(10),
        &CancellationToken::new(),
        None,
        move |u| {
            assert!(
                u.contains("code_challenge_method=S256") && u.contains("access_type=offline"),
                "{u}"
            );
            tx.send(u.to_string()).unwrap();
        },
    )
    .await
    .unwrap_or_else(|f| panic!("{}", f.error));
    assert_eq!(browser.await.unwrap(), 200);
    assert_eq!(
        challenge_of(&login.pkce.code_verifier),
        login.pkce.code_challenge
    );
    assert_eq!(login.pkce.code_verifier.len(), 43);
    assert!(login.pkce.redirect_uri.starts_with("http://127.0.0.1:"));
    let access = env
        .store
        .get(&SecretRef::provider(
            SecretKind::ProviderAccessToken,
            "files",
        ))
        .unwrap()
        .unwrap();
    assert!(access.secret().starts_with("pat_"));
    assert!(!serde_json::to_string(&login.timeline)
        .unwrap()
        .contains(access.secret()));
    let before = env
        .store
        .get(&SecretRef::provider(
            SecretKind::ProviderRefreshToken,
            "files",
        ))
        .unwrap()
        .unwrap();
    let cfg = provider::refresh(&env.ctx, "files").await.unwrap();
    assert!(cfg.access_expires_at.is_some() && cfg.has_refresh_token);
    let after = env
        .store
        .get(&SecretRef::provider(
            SecretKind::ProviderRefreshToken,
            "files",
        ))
        .unwrap()
        .unwrap();
    assert_ne!(before.secret(), after.secret(), "rotated");
    provider::remove(&env.ctx, "files").unwrap();
    assert!(env
        .store
        .get(&SecretRef::provider(
            SecretKind::ProviderAccessToken,
            "files"
        ))
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn provider_settings_are_validated_and_denial_is_reported() {
    let env = env(false).await;
    let mut bad = config(&env, "bad");
    bad.token_url = "http://example.com/token".into();
    assert_eq!(
        provider::add(&env.ctx, bad, None).unwrap_err().code(),
        ErrorCode::InvalidInput
    );
    provider::add(&env.ctx, config(&env, "p"), None).unwrap();
    assert_eq!(
        provider::add(&env.ctx, config(&env, "p"), None)
            .unwrap_err()
            .code(),
        ErrorCode::ProviderExists
    );
    // Without auto-consent the provider shows its page; the user denies.
    let http = env.http.clone();
    let (tx, rx) = tokio::sync::oneshot::channel::<String>();
    let browser = tokio::spawn(async move {
        let url = rx.await.unwrap();
        let page = http.get(&url).send().await.unwrap().text().await.unwrap();
        let id = page
            .split("name=\"id\" value=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string();
        let base = url.split("/provider/").next().unwrap().to_string();
        let r = http
            .post(format!("{base}/provider/consent"))
            .form(&[("id", id.as_str()), ("decision", "deny")])
            .send()
            .await
            .unwrap();
        let back = r.headers()["location"].to_str().unwrap().to_string();
        http.get(back).send().await.unwrap().status().as_u16()
    });
    let f = provider::login(
        &env.ctx,
        "p",
        Duration::from_secs(10),
        &CancellationToken::new(),
        None,
        move |u| {
            tx.send(u.to_string()).unwrap();
        },
    )
    .await
    .unwrap_err();
    assert_eq!(f.error.code(), ErrorCode::OauthAccessDenied);
    assert_eq!(browser.await.unwrap(), 400);
}
