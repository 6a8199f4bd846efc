//! `/v1/webhook_endpoints`: CRUD in Stripe's shape, the secret shown once,
//! Stripe's errors for unknown event types, loopback URLs only.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::*;
use crate::{endpoint, keys};

#[tokio::test]
async fn create_retrieve_update_list_delete() {
    let sb = start().await;
    let key = sb.key(0);
    let r = sb
        .post(
            "/v1/webhook_endpoints",
            &key,
            &[
                ("url", "http://127.0.0.1:4242/webhook"),
                ("enabled_events[0]", "customer.created"),
                ("enabled_events[1]", "customer.updated"),
                ("description", "local handler"),
                ("metadata[team]", "billing"),
                ("api_version", "2024-06-20"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        keys(&r.body),
        [
            "id",
            "object",
            "api_version",
            "application",
            "created",
            "description",
            "enabled_events",
            "livemode",
            "metadata",
            "secret",
            "status",
            "url"
        ],
        "Stripe's object, with the secret at creation"
    );
    let id = r.body["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("we_"), "{id}");
    let secret = r.body["secret"].as_str().unwrap();
    assert!(secret.starts_with("whsec_") && secret.len() > 30);
    assert_eq!(r.body["status"], "enabled");
    assert_eq!(r.body["api_version"], "2024-06-20");
    assert_eq!(r.body["metadata"], json!({"team": "billing"}));
    assert_eq!(r.body["application"], Value::Null);

    let got = sb
        .get(&format!("/v1/webhook_endpoints/{id}"), &key, &[])
        .await;
    assert_eq!(got.status, StatusCode::OK);
    assert!(
        got.body.get("secret").is_none(),
        "the secret only at creation"
    );
    assert!(!got.text.contains(secret), "nowhere in a retrieve");

    let u = sb
        .post(
            &format!("/v1/webhook_endpoints/{id}"),
            &key,
            &[
                ("disabled", "true"),
                ("enabled_events[]", "*"),
                ("url", "http://localhost:5000/hooks"),
                ("description", ""),
            ],
        )
        .await;
    assert_eq!(u.status, StatusCode::OK, "{}", u.text);
    assert_eq!(u.body["status"], "disabled");
    assert_eq!(u.body["enabled_events"], json!(["*"]));
    assert_eq!(u.body["url"], "http://localhost:5000/hooks");
    assert_eq!(u.body["description"], Value::Null);
    assert!(u.body.get("secret").is_none());
    let again = sb
        .post(
            &format!("/v1/webhook_endpoints/{id}"),
            &key,
            &[("disabled", "false")],
        )
        .await;
    assert_eq!(again.body["status"], "enabled");
    let refused = sb
        .post(
            &format!("/v1/webhook_endpoints/{id}"),
            &key,
            &[("connect", "true")],
        )
        .await;
    assert_eq!(
        refused.error_code(),
        Some("parameter_unknown"),
        "connect is fixed at creation"
    );

    let (second, _) = endpoint(&sb, &key, "http://[::1]:1/x", &["*"], &[]).await;
    let list = sb
        .get("/v1/webhook_endpoints", &key, &[("limit", "1")])
        .await;
    assert_eq!(list.body["url"], "/v1/webhook_endpoints");
    assert_eq!(list.body["data"][0]["id"], second.as_str(), "newest first");
    assert_eq!(list.body["has_more"], true);
    assert!(!list.text.contains("whsec_"), "no secret in a list");
    let other = sb.get("/v1/webhook_endpoints", &sb.key(1), &[]).await;
    assert_eq!(
        other.body["data"],
        json!([]),
        "endpoints belong to their account"
    );

    let gone = sb
        .delete(&format!("/v1/webhook_endpoints/{id}"), &key)
        .await;
    assert_eq!(
        gone.body,
        json!({"id": id, "object": "webhook_endpoint", "deleted": true})
    );
    let missing = sb
        .get(&format!("/v1/webhook_endpoints/{id}"), &key, &[])
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(
        missing.body["error"]["message"],
        format!("No such webhook_endpoint: '{id}'")
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn bad_parameters_get_stripes_errors() {
    let sb = start().await;
    let key = sb.key(0);
    let create = |form: Vec<(&'static str, &'static str)>| {
        let (sb, key) = (&sb, key.clone());
        async move { sb.post("/v1/webhook_endpoints", &key, &form).await }
    };
    let r = create(vec![
        ("url", "http://127.0.0.1:1/x"),
        ("enabled_events[]", "customer.created"),
        ("enabled_events[]", "customer.craeted"),
    ])
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.body["error"]["type"], "invalid_request_error");
    assert_eq!(r.body["error"]["param"], "enabled_events[1]");
    let msg = r.body["error"]["message"].as_str().unwrap();
    assert!(
        msg.starts_with("Invalid enabled_events[1]: must be one of *, ")
            && msg.contains("customer.created"),
        "{msg}"
    );
    let r = create(vec![("url", "http://127.0.0.1:1/x")]).await;
    assert_eq!(r.error_code(), Some("parameter_missing"));
    assert_eq!(r.body["error"]["param"], "enabled_events");
    let r = create(vec![("enabled_events[]", "*")]).await;
    assert_eq!(r.body["error"]["param"], "url");

    let r = create(vec![
        ("url", "https://example.com/webhook"),
        ("enabled_events[]", "*"),
    ])
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error_code(), Some("url_invalid"));
    assert_eq!(r.body["error"]["param"], "url");
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("loopback URLs only"),
        "{}",
        r.text
    );
    let r = create(vec![
        ("url", "http://127.0.0.1:1/x"),
        ("enabled_events[]", "*"),
        ("api_version", "latest"),
    ])
    .await;
    assert_eq!(r.body["error"]["param"], "api_version");
    let r = create(vec![
        ("url", "http://127.0.0.1:1/x"),
        ("enabled_events[]", "*"),
        ("colour", "red"),
    ])
    .await;
    assert_eq!(r.error_code(), Some("parameter_unknown"));
    let r = create(vec![
        ("url", "http://127.0.0.1:1/x"),
        ("enabled_events[]", "*"),
        ("connect", "maybe"),
    ])
    .await;
    assert_eq!(r.body["error"]["param"], "connect");
    let list = sb.get("/v1/webhook_endpoints", &key, &[]).await;
    assert_eq!(list.body["data"], json!([]), "nothing was created");
    sb.shutdown().await;
}

#[tokio::test]
async fn apps_need_the_webhook_permissions() {
    // The test app holds customer_read, event_read and secret_write only.
    let sb = start().await;
    let token = sb.token_for(0).await["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let r = sb
        .call(Method::GET, "/v1/webhook_endpoints", Some(&token), &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert!(r.text.contains("webhook_read"), "{}", r.text);
    let r = sb
        .post(
            "/v1/webhook_endpoints",
            &token,
            &[("url", "http://127.0.0.1:1/x"), ("enabled_events[]", "*")],
        )
        .await;
    assert!(r.text.contains("webhook_write"), "{}", r.text);
    sb.shutdown().await;
}
