//! The token endpoint takes the developer's secret key only: a restricted key
//! is refused for both grants, in RFC 6749's error shape.

use reqwest::StatusCode;
use serde_json::Value;

use crate::support::*;

fn restricted_key(accounts: &Value) -> String {
    accounts["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["role"] == "developer")
        .and_then(|a| a["restricted_key"].as_str())
        .unwrap()
        .to_string()
}

fn refused(r: &Reply, grant: &str) {
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{grant}: {}", r.text);
    assert_eq!(r.body["error"], "invalid_client", "{grant}");
    assert!(
        r.body["error_description"]
            .as_str()
            .is_some_and(|d| d.contains("secret key")),
        "{grant}: says which key to use: {}",
        r.text
    );
    assert!(r.body.get("access_token").is_none(), "{grant}: no tokens");
}

#[tokio::test]
async fn restricted_keys_are_refused_for_both_grants() {
    let sb = start().await;
    let rk = restricted_key(
        &sb.control(reqwest::Method::GET, "/accounts", None)
            .await
            .body,
    );
    assert!(rk.starts_with("rk_test_"), "{rk}");
    let code = sb.code_for(0).await;
    refused(&sb.exchange(&rk, &code).await, "authorization_code");

    let tokens = sb.exchange(&sb.dev_key(), &code).await;
    assert_eq!(
        tokens.status,
        StatusCode::OK,
        "the code survived: {}",
        tokens.text
    );
    let refresh = tokens.body["refresh_token"].as_str().unwrap().to_string();
    let r = sb
        .post(
            "/v1/oauth/token",
            &rk,
            &[("grant_type", "refresh_token"), ("refresh_token", &refresh)],
        )
        .await;
    refused(&r, "refresh_token");
    let ok = sb
        .post(
            "/v1/oauth/token",
            &sb.dev_key(),
            &[("grant_type", "refresh_token"), ("refresh_token", &refresh)],
        )
        .await;
    assert_eq!(
        ok.status,
        StatusCode::OK,
        "the refresh token survived: {}",
        ok.text
    );
    sb.shutdown().await;
}
