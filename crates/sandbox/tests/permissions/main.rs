//! Permissions granted at install are enforced on app tokens (and on
//! restricted keys), with Stripe's 403 naming the missing permission.

#[path = "../support/mod.rs"]
mod support;

use appdeck_sandbox::SandboxConfig;
use reqwest::{Method, StatusCode};
use serde_json::json;
use support::*;

#[tokio::test]
async fn reads_need_read_or_write_and_writes_need_write() {
    // The app holds customer_read, event_read and secret_write.
    let sb = start().await;
    let t = sb.token_for(0).await;
    let token = t["access_token"].as_str().unwrap();
    assert_eq!(
        sb.get("/v1/customers", token, &[]).await.status,
        StatusCode::OK
    );
    let denied = sb.post("/v1/customers", token, &[("name", "x")]).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    assert_eq!(denied.body["error"]["type"], "invalid_request_error");
    let msg = denied.body["error"]["message"].as_str().unwrap();
    assert!(
        msg.contains("'customer_write'"),
        "names the missing permission: {msg}"
    );
    assert!(!msg.contains(token), "the token is masked");

    let products = sb.get("/v1/products", token, &[]).await;
    assert_eq!(products.status, StatusCode::FORBIDDEN);
    assert!(products.text.contains("product_read"));
    let prices = sb.get("/v1/prices", token, &[]).await;
    assert!(
        prices.text.contains("plan_read"),
        "prices are gated by plan_*"
    );
    assert_eq!(
        sb.get("/v1/events", token, &[]).await.status,
        StatusCode::OK
    );
    assert_eq!(
        sb.get("/v1/account", token, &[]).await.status,
        StatusCode::OK,
        "no permission needed"
    );
    let first = sb.get("/v1/customers", token, &[("limit", "1")]).await;
    let id = first.body["data"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(
        sb.get(&format!("/v1/customers/{id}"), token, &[])
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        sb.delete(&format!("/v1/customers/{id}"), token)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let search = sb
        .get(
            "/v1/customers/search",
            token,
            &[("query", "email:'ada@example.com'")],
        )
        .await;
    assert_eq!(search.status, StatusCode::OK);
    sb.shutdown().await;
}

#[tokio::test]
async fn write_permission_allows_reads_and_secret_store_needs_secret_write() {
    let sb = start_with(SandboxConfig {
        app: Some(oauth_app(&["customer_write", "plan_read"])),
        ..config()
    })
    .await;
    let t = sb.token_for(1).await;
    let token = t["access_token"].as_str().unwrap();
    assert_eq!(
        sb.get("/v1/customers", token, &[]).await.status,
        StatusCode::OK,
        "write implies read"
    );
    assert_eq!(
        sb.post("/v1/customers", token, &[("name", "ok")])
            .await
            .status,
        StatusCode::OK
    );
    let secrets = sb
        .get("/v1/apps/secrets", token, &[("scope[type]", "account")])
        .await;
    assert_eq!(secrets.status, StatusCode::FORBIDDEN);
    assert!(secrets.text.contains("secret_write"));
    let events = sb.get("/v1/events", token, &[]).await;
    assert!(events.text.contains("event_read"));
    let price = sb.get("/v1/prices", token, &[("limit", "1")]).await;
    assert_eq!(price.status, StatusCode::OK);
    let expand = sb
        .get("/v1/prices", token, &[("expand[]", "data.product")])
        .await;
    assert_eq!(
        expand.status,
        StatusCode::FORBIDDEN,
        "expanding needs the expanded object's permission"
    );
    assert!(expand.text.contains("product_read"));
    sb.shutdown().await;
}

#[tokio::test]
async fn restricted_keys_have_their_permission_list() {
    let sb = start().await;
    let a = sb
        .control(Method::POST, "/accounts", Some(json!({"display_name": "Restricted Co", "restricted_permissions": ["customer_read"]})))
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    let rk = a.body["restricted_key"].as_str().unwrap();
    assert!(rk.starts_with("rk_test_"));
    assert_eq!(
        sb.get("/v1/customers", rk, &[]).await.status,
        StatusCode::OK
    );
    let w = sb.post("/v1/customers", rk, &[("name", "x")]).await;
    assert_eq!(w.status, StatusCode::FORBIDDEN);
    assert!(
        w.text.contains("rk_test_****"),
        "the key is masked in the message"
    );
    let sk = a.body["secret_key"].as_str().unwrap();
    assert_eq!(
        sb.post("/v1/customers", sk, &[("name", "x")]).await.status,
        StatusCode::OK,
        "secret keys can do everything"
    );
    sb.shutdown().await;
}
