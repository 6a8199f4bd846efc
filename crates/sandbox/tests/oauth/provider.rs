//! The generic PKCE provider: strict about state, challenge, verifier,
//! single-use codes and rotating refresh tokens.

use base64::Engine;
use sha2::{Digest, Sha256};

use crate::support::*;

const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
const REDIRECT: &str = "http://127.0.0.1:7777/callback";

async fn auto() -> Sb {
    let mut cfg = config();
    cfg.auto_consent = true;
    start_with(cfg).await
}

fn authorize_url(sb: &Sb, extra: &str) -> String {
    format!(
        "{}/provider/authorize?response_type=code&client_id=app1&redirect_uri={}&scope=read{extra}",
        sb.base,
        url::form_urlencoded::byte_serialize(REDIRECT.as_bytes()).collect::<String>()
    )
}

async fn code(sb: &Sb, extra: &str) -> String {
    let r = sb.http.get(authorize_url(sb, extra)).send().await.unwrap();
    assert_eq!(r.status(), 302, "{}", r.text().await.unwrap());
    let loc = url::Url::parse(r.headers()["location"].to_str().unwrap()).unwrap();
    assert_eq!(
        query_of(&loc, "state").as_deref(),
        Some("st1"),
        "state echoed"
    );
    query_of(&loc, "code").expect("code")
}

async fn exchange(sb: &Sb, code: &str, verifier: &str) -> reqwest::Response {
    sb.http
        .post(format!("{}/provider/token", sb.base))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("code_verifier", verifier),
            ("client_id", "app1"),
            ("redirect_uri", REDIRECT),
        ])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn s256_round_trip_then_single_use_code_and_rotating_refresh() {
    let sb = auto().await;
    assert_eq!(
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(VERIFIER)),
        CHALLENGE
    );
    let c = code(
        &sb,
        &format!("&state=st1&code_challenge={CHALLENGE}&code_challenge_method=S256"),
    )
    .await;
    let r = exchange(&sb, &c, VERIFIER).await;
    assert_eq!(r.status(), 200);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["token_type"], "bearer");
    let rt = body["refresh_token"].as_str().unwrap().to_string();
    assert_eq!(
        exchange(&sb, &c, VERIFIER).await.status(),
        400,
        "codes are single-use"
    );
    let refresh = |t: String| {
        let http = sb.http.clone();
        let url = format!("{}/provider/token", sb.base);
        async move {
            http.post(url)
                .form(&[
                    ("grant_type", "refresh_token"),
                    ("refresh_token", t.as_str()),
                    ("client_id", "app1"),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    let r = refresh(rt.clone()).await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        refresh(rt).await.status(),
        400,
        "the old refresh token died"
    );
}

#[tokio::test]
async fn wrong_verifier_and_plain_verifier_for_s256_are_rejected() {
    let sb = auto().await;
    let c = code(
        &sb,
        &format!("&state=st1&code_challenge={CHALLENGE}&code_challenge_method=S256"),
    )
    .await;
    let r = exchange(&sb, &c, &"a".repeat(43)).await;
    assert_eq!(r.status(), 400);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"], "invalid_grant");
    // Sending the challenge itself as the verifier (a client doing "plain") fails S256.
    let c = code(
        &sb,
        &format!("&state=st1&code_challenge={CHALLENGE}&code_challenge_method=S256"),
    )
    .await;
    assert_eq!(exchange(&sb, &c, CHALLENGE).await.status(), 400);
}

#[tokio::test]
async fn missing_state_and_missing_challenge_are_refused() {
    let sb = auto().await;
    let r = sb
        .http
        .get(authorize_url(
            &sb,
            &format!("&code_challenge={CHALLENGE}&code_challenge_method=S256"),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "no state: an error page, never a redirect");
    assert!(r.headers().get("location").is_none());
    let r = sb
        .http
        .get(authorize_url(&sb, "&state=st1"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    let loc = url::Url::parse(r.headers()["location"].to_str().unwrap()).unwrap();
    assert_eq!(query_of(&loc, "error").as_deref(), Some("invalid_request"));
    assert_eq!(query_of(&loc, "state").as_deref(), Some("st1"));
}

#[tokio::test]
async fn consent_page_without_auto_consent_and_deny() {
    let sb = start().await;
    let r = sb
        .http
        .get(authorize_url(
            &sb,
            &format!("&state=st1&code_challenge={CHALLENGE}&code_challenge_method=S256"),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    let id = page
        .split("name=\"id\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let r = sb
        .http
        .post(format!("{}/provider/consent", sb.base))
        .form(&[("id", id.as_str()), ("decision", "deny")])
        .send()
        .await
        .unwrap();
    let loc = url::Url::parse(r.headers()["location"].to_str().unwrap()).unwrap();
    assert_eq!(query_of(&loc, "error").as_deref(), Some("access_denied"));
}
