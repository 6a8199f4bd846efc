//! The token endpoint: exchange, rotation, every negative case, uninstall.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn accept_redirects_with_code_and_state_and_the_code_exchanges() {
    let sb = start().await;
    let page = sb
        .page(&sb.authorize_url(REDIRECT, "state with spaces&="))
        .await;
    let done = sb.answer(&page, &sb.account(1), "accept").await;
    assert_eq!(done.status, StatusCode::FOUND);
    let loc = done.location().unwrap();
    assert_eq!(
        format!(
            "{}://{}{}",
            loc.scheme(),
            loc.host_str().unwrap(),
            loc.path()
        ),
        REDIRECT
    );
    let code = query_of(&loc, "code").unwrap();
    assert!(code.starts_with("ac_"));
    assert_eq!(
        query_of(&loc, "state").as_deref(),
        Some("state with spaces&="),
        "state round-trips"
    );

    let t = sb.exchange(&sb.dev_key(), &code).await;
    assert_eq!(t.status, StatusCode::OK, "{}", t.text);
    let keys: Vec<&String> = t.body.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        vec![
            "access_token",
            "livemode",
            "refresh_token",
            "scope",
            "stripe_publishable_key",
            "stripe_user_id",
            "token_type"
        ],
        "exactly Stripe's fields"
    );
    assert_eq!(t.body["scope"], "stripe_apps");
    assert_eq!(t.body["token_type"], "bearer");
    assert_eq!(t.body["livemode"], false);
    assert_eq!(t.body["stripe_user_id"], sb.account(1));
    assert!(t.body["stripe_publishable_key"]
        .as_str()
        .unwrap()
        .starts_with("pk_test_"));
    assert!(t.body["refresh_token"].as_str().unwrap().starts_with("rt_"));
    let access = t.body["access_token"].as_str().unwrap();
    assert!(access.starts_with("sk_test_oauth_"));

    let me = sb.get("/v1/account", access, &[]).await;
    assert_eq!(
        me.body["id"],
        sb.account(1),
        "the token acts on the installing account"
    );
    let installs = sb.control(Method::GET, "/installs", None).await;
    assert_eq!(installs.body["data"][0]["account"], sb.account(1));
    assert_eq!(installs.body["data"][0]["active"], true);
    sb.shutdown().await;
}

#[tokio::test]
async fn token_endpoint_negative_cases() {
    let sb = start().await;
    let code = sb.code_for(0).await;

    let none = sb
        .call(
            Method::POST,
            "/v1/oauth/token",
            None,
            &[("grant_type", "authorization_code"), ("code", &code)],
        )
        .await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(none.body["error"], "invalid_client");
    assert!(none.body["error_description"].is_string(), "RFC 6749 shape");

    let wrong = sb.exchange("sk_test_notakey000000000000000", &code).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.body["error"], "invalid_client");

    let other_dev = sb.exchange(&sb.key(1), &code).await;
    assert_eq!(
        other_dev.status,
        StatusCode::BAD_REQUEST,
        "another account's secret key"
    );
    assert_eq!(other_dev.body["error"], "invalid_grant");

    let accounts = sb.control(Method::GET, "/accounts", None).await;
    let dev = accounts.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["role"] == "developer")
        .unwrap()
        .clone();
    let live = dev["live_secret_key"].as_str().unwrap();
    let live_r = sb.exchange(live, &code).await;
    assert_eq!(
        live_r.status,
        StatusCode::BAD_REQUEST,
        "a live key on a test code"
    );
    assert_eq!(live_r.body["error"], "invalid_grant");
    assert!(live_r.body["error_description"]
        .as_str()
        .unwrap()
        .contains("live mode"));
    let restricted = dev["restricted_key"].as_str().unwrap();
    let rk = sb.exchange(restricted, &code).await;
    assert_eq!(
        rk.body["error"], "invalid_client",
        "restricted keys cannot exchange"
    );

    let missing = sb
        .post("/v1/oauth/token", &sb.dev_key(), &[("code", &code)])
        .await;
    assert_eq!(missing.body["error"], "invalid_request");
    let unsupported = sb
        .post(
            "/v1/oauth/token",
            &sb.dev_key(),
            &[("grant_type", "password")],
        )
        .await;
    assert_eq!(unsupported.body["error"], "unsupported_grant_type");
    let scope = sb
        .post(
            "/v1/oauth/token",
            &sb.dev_key(),
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("scope", "read_write"),
            ],
        )
        .await;
    assert_eq!(scope.body["error"], "invalid_scope");
    let unknown = sb.exchange(&sb.dev_key(), "ac_doesnotexist").await;
    assert_eq!(unknown.body["error"], "invalid_grant");

    // None of the failures consumed the code.
    let ok = sb.exchange(&sb.dev_key(), &code).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    sb.shutdown().await;
}

#[tokio::test]
async fn reused_code_fails_and_revokes_the_tokens_it_produced() {
    let sb = start().await;
    let code = sb.code_for(0).await;
    let first = sb.exchange(&sb.dev_key(), &code).await;
    let access = first.body["access_token"].as_str().unwrap().to_string();
    let refresh = first.body["refresh_token"].as_str().unwrap().to_string();
    assert_eq!(
        sb.get("/v1/customers", &access, &[]).await.status,
        StatusCode::OK
    );

    let second = sb.exchange(&sb.dev_key(), &code).await;
    assert_eq!(second.status, StatusCode::BAD_REQUEST);
    assert_eq!(second.body["error"], "invalid_grant");

    let revoked = sb.get("/v1/customers", &access, &[]).await;
    assert_eq!(
        revoked.status,
        StatusCode::UNAUTHORIZED,
        "the access token is revoked"
    );
    assert!(
        revoked.body["error"]["message"].is_string(),
        "Stripe's error shape"
    );
    let r = sb
        .post(
            "/v1/oauth/token",
            &sb.dev_key(),
            &[("grant_type", "refresh_token"), ("refresh_token", &refresh)],
        )
        .await;
    assert_eq!(
        r.body["error"], "invalid_grant",
        "and so is the refresh token"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn expired_code_and_expired_access_token() {
    let sb = start().await;
    let code = sb.code_for(0).await;
    sb.advance(301).await;
    let r = sb.exchange(&sb.dev_key(), &code).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.body["error"], "invalid_grant");
    assert!(r.body["error_description"]
        .as_str()
        .unwrap()
        .contains("expired"));

    let fresh = sb.code_for(0).await;
    sb.advance(299).await;
    let t = sb.exchange(&sb.dev_key(), &fresh).await;
    assert_eq!(t.status, StatusCode::OK, "still valid at 299 s");
    let access = t.body["access_token"].as_str().unwrap().to_string();
    sb.advance(3599).await;
    assert_eq!(
        sb.get("/v1/customers", &access, &[]).await.status,
        StatusCode::OK,
        "valid just under an hour"
    );
    sb.advance(1).await;
    let expired = sb.get("/v1/customers", &access, &[]).await;
    assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
    assert_eq!(expired.error_code(), Some("api_key_expired"));
    let refresh = t.body["refresh_token"].as_str().unwrap();
    let again = sb
        .post(
            "/v1/oauth/token",
            &sb.dev_key(),
            &[("grant_type", "refresh_token"), ("refresh_token", refresh)],
        )
        .await;
    assert_eq!(
        again.status,
        StatusCode::OK,
        "refresh tokens outlive access tokens"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn refresh_rotates_and_the_old_refresh_token_dies_at_once() {
    let sb = start().await;
    let t = sb.token_for(2).await;
    let old = t["refresh_token"].as_str().unwrap().to_string();
    let r = sb
        .post(
            "/v1/oauth/token",
            &sb.dev_key(),
            &[("grant_type", "refresh_token"), ("refresh_token", &old)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let new = r.body["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(new, old, "a new refresh token");
    assert_ne!(
        r.body["access_token"], t["access_token"],
        "a new access token"
    );
    assert_eq!(r.body["stripe_user_id"], sb.account(2));
    let reuse = sb
        .post(
            "/v1/oauth/token",
            &sb.dev_key(),
            &[("grant_type", "refresh_token"), ("refresh_token", &old)],
        )
        .await;
    assert_eq!(reuse.status, StatusCode::BAD_REQUEST);
    assert_eq!(reuse.body["error"], "invalid_grant");
    let wrong_owner = sb
        .post(
            "/v1/oauth/token",
            &sb.key(0),
            &[("grant_type", "refresh_token"), ("refresh_token", &new)],
        )
        .await;
    assert_eq!(wrong_owner.body["error"], "invalid_grant");
    let via_token = sb
        .post(
            "/v1/oauth/token",
            r.body["access_token"].as_str().unwrap(),
            &[("grant_type", "refresh_token"), ("refresh_token", &new)],
        )
        .await;
    assert_eq!(
        via_token.body["error"], "invalid_client",
        "an access token is not the secret key"
    );
    let ok = sb
        .post(
            "/v1/oauth/token",
            &sb.dev_key(),
            &[("grant_type", "refresh_token"), ("refresh_token", &new)],
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "the new one works");
    let missing = sb
        .post(
            "/v1/oauth/token",
            &sb.dev_key(),
            &[("grant_type", "refresh_token")],
        )
        .await;
    assert_eq!(missing.body["error"], "invalid_request");
    sb.shutdown().await;
}

#[tokio::test]
async fn uninstall_revokes_tokens_and_records_the_event() {
    let sb = start().await;
    let t = sb.token_for(0).await;
    let access = t["access_token"].as_str().unwrap();
    let app = sb.info.app.clone().unwrap();
    let r = sb
        .control(
            Method::POST,
            "/installs/uninstall",
            Some(json!({"app": app.id, "account": sb.account(0)})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        sb.get("/v1/account", access, &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
    let refresh = t["refresh_token"].as_str().unwrap();
    let rr = sb
        .post(
            "/v1/oauth/token",
            &sb.dev_key(),
            &[("grant_type", "refresh_token"), ("refresh_token", refresh)],
        )
        .await;
    assert_eq!(rr.body["error"], "invalid_grant");
    let events = sb.get("/v1/events", &sb.key(0), &[]).await;
    assert_eq!(
        events.body["data"][0]["type"],
        "account.application.deauthorized"
    );
    let again = sb
        .control(
            Method::POST,
            "/installs/uninstall",
            Some(json!({"app": app.id, "account": sb.account(0)})),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    sb.shutdown().await;
}
