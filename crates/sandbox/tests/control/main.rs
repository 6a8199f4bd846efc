//! The control API: accounts, apps, installs, settings, clock, faults, the
//! request log, bulk seeding; and the rate limit it switches.

#[path = "../support/mod.rs"]
mod support;

use std::time::Duration;

use appdeck_sandbox::SandboxConfig;
use reqwest::{Method, StatusCode};
use serde_json::json;
use support::*;

#[tokio::test]
async fn info_matches_the_json_line_shape() {
    let sb = start().await;
    let r = sb.control(Method::GET, "/info", None).await;
    let keys: Vec<&String> = r.body.as_object().unwrap().keys().collect();
    assert_eq!(keys, vec!["base_url", "developer", "accounts", "app"]);
    assert_eq!(r.body["base_url"], sb.base);
    assert!(
        sb.base.starts_with("http://127.0.0.1:"),
        "bound to loopback"
    );
    assert_eq!(
        r.body["accounts"].as_array().unwrap().len(),
        3,
        "three install accounts"
    );
    let app = &r.body["app"];
    assert_eq!(app["id"], "com.example.test-app");
    assert!(app["client_id"].as_str().unwrap().starts_with("ca_"));
    assert!(app["channel_link"]
        .as_str()
        .unwrap()
        .starts_with("chnlink_"));
    assert!(app["signing_secret"]
        .as_str()
        .unwrap()
        .starts_with("absec_"));
    assert!(r.body["developer"]["secret_key"]
        .as_str()
        .unwrap()
        .starts_with("sk_test_"));
    let other = start().await;
    assert_ne!(
        other.info.developer.secret_key, sb.info.developer.secret_key,
        "keys are random per sandbox"
    );
    assert_ne!(
        other.info.app.as_ref().unwrap().client_id,
        app["client_id"].as_str().unwrap()
    );
    other.shutdown().await;
    sb.shutdown().await;
}

#[tokio::test]
async fn accounts_and_apps() {
    let sb = start().await;
    let list = sb.control(Method::GET, "/accounts", None).await;
    assert_eq!(list.body["data"].as_array().unwrap().len(), 4);
    assert_eq!(list.body["data"][0]["role"], "developer");
    let a = sb
        .control(
            Method::POST,
            "/accounts",
            Some(json!({"display_name": "New Co"})),
        )
        .await;
    let key = a.body["secret_key"].as_str().unwrap();
    let me = sb.get("/v1/account", key, &[]).await;
    assert_eq!(me.body["business_profile"]["name"], "New Co");
    let page = sb.page(&sb.authorize_url(REDIRECT, "s")).await;
    assert!(
        page.text.contains(a.body["account"].as_str().unwrap()),
        "new accounts can install"
    );

    let manifest = include_str!("../../../../stripe-app.json");
    let r = sb
        .control(Method::POST, "/apps", Some(json!({ "manifest": manifest })))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["id"], "com.example.appdeck-sample");
    assert_eq!(r.body["permissions"][0]["permission"], "customer_read");
    let apps = sb.control(Method::GET, "/apps", None).await;
    assert_eq!(apps.body["data"].as_array().unwrap().len(), 2);
    let bad = sb
        .control(Method::POST, "/apps", Some(json!({ "manifest": "{" })))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    sb.shutdown().await;
}

#[tokio::test]
async fn the_control_api_refuses_foreign_hosts_and_origins() {
    let sb = start().await;
    let r = sb
        .http
        .get(format!("{}/_appdeck/info", sb.base))
        .header("Host", "evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "DNS-rebinding guard");
    let r = sb
        .http
        .post(format!("{}/_appdeck/clock/advance", sb.base))
        .header("Origin", "https://evil.example")
        .json(&json!({"seconds": 10}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "cross-origin pages are refused"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn faults_fire_for_the_next_n_requests_on_a_route() {
    let sb = start().await;
    let key = sb.dev_key();
    let r = sb
        .control(
            Method::POST,
            "/faults",
            Some(
                json!({"route": "GET /v1/customers", "count": 2, "type": "status", "status": 500}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        sb.get("/v1/account", &key, &[]).await.status,
        StatusCode::OK,
        "other routes unaffected"
    );
    let f1 = sb.get("/v1/customers", &key, &[]).await;
    assert_eq!(f1.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(f1.body["error"]["type"], "api_error");
    assert!(f1.headers.contains_key("request-id"));
    assert_eq!(
        sb.get("/v1/customers", &key, &[]).await.status,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(
        sb.get("/v1/customers", &key, &[]).await.status,
        StatusCode::OK,
        "only N times"
    );

    sb.control(
        Method::POST,
        "/faults",
        Some(json!({"route": "POST /v1/customers*", "count": 1, "type": "status", "status": 429})),
    )
    .await;
    let limited = sb.post("/v1/customers", &key, &[]).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.error_code(), Some("rate_limit"));

    sb.control(
        Method::POST,
        "/faults",
        Some(json!({"route": "/v1/account", "count": 1, "type": "delay", "ms": 300})),
    )
    .await;
    let t = std::time::Instant::now();
    assert_eq!(
        sb.get("/v1/account", &key, &[]).await.status,
        StatusCode::OK,
        "a delay still answers"
    );
    assert!(t.elapsed() >= Duration::from_millis(300));

    sb.control(
        Method::POST,
        "/faults",
        Some(json!({"route": "/v1/account", "count": 1, "type": "drop"})),
    )
    .await;
    let dropped = async {
        let resp = sb
            .http
            .get(format!("{}/v1/account", sb.base))
            .basic_auth(&key, None::<&str>)
            .send()
            .await?;
        resp.bytes().await
    }
    .await;
    assert!(dropped.is_err(), "the connection is dropped: {dropped:?}");
    assert_eq!(
        sb.get("/v1/account", &key, &[]).await.status,
        StatusCode::OK,
        "and the next request is fine"
    );

    sb.control(
        Method::POST,
        "/faults",
        Some(json!({"route": "/v1/account", "count": 5, "type": "drop"})),
    )
    .await;
    let listed = sb.control(Method::GET, "/faults", None).await;
    assert_eq!(listed.body["data"][0]["count"], 5);
    sb.control(Method::DELETE, "/faults", None).await;
    assert_eq!(
        sb.get("/v1/account", &key, &[]).await.status,
        StatusCode::OK,
        "cleared"
    );
    let bad = sb
        .control(
            Method::POST,
            "/faults",
            Some(json!({"route": "/v1/account", "count": 1, "type": "explode"})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    sb.shutdown().await;
}

#[tokio::test]
async fn request_log_has_no_secrets() {
    let sb = start().await;
    let key = sb.key(0);
    sb.post(
        "/v1/apps/secrets",
        &key,
        &[
            ("name", "hidden_name"),
            ("payload", "hidden_payload"),
            ("scope[type]", "account"),
        ],
    )
    .await;
    sb.get(
        "/v1/apps/secrets/find",
        &key,
        &[("name", "hidden_name"), ("scope[type]", "account")],
    )
    .await;
    sb.get("/v1/customers/cus_missing", &key, &[]).await;
    let log = sb.control(Method::GET, "/requests?limit=10", None).await;
    let data = log.body["data"].as_array().unwrap();
    assert_eq!(data.len(), 3, "control calls are not logged");
    assert_eq!(data[0]["method"], "POST");
    assert_eq!(data[0]["path"], "/v1/apps/secrets");
    assert_eq!(data[0]["status"], 200);
    assert_eq!(data[0]["account"], sb.account(0));
    assert!(data[0]["ms"].as_f64().unwrap() >= 0.0);
    assert_eq!(data[2]["status"], 404);
    for secret in ["hidden_name", "hidden_payload", key.as_str()] {
        assert!(!log.text.contains(secret), "the log holds no {secret}");
    }
    sb.control(Method::DELETE, "/requests", None).await;
    assert_eq!(
        sb.control(Method::GET, "/requests", None).await.body["data"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn rate_limit_is_25_per_second_per_account_and_can_be_lifted() {
    let sb = start_with(SandboxConfig {
        rate_limit: true,
        ..config()
    })
    .await;
    let key = sb.key(0);
    let mut limited = None;
    for _ in 0..60 {
        let r = sb.get("/v1/account", &key, &[]).await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(r);
            break;
        }
    }
    let limited = limited.expect("60 quick requests hit the limit");
    assert_eq!(limited.error_code(), Some("rate_limit"));
    assert_eq!(limited.body["error"]["type"], "invalid_request_error");
    assert_eq!(
        sb.get("/v1/account", &sb.key(1), &[]).await.status,
        StatusCode::OK,
        "per account"
    );
    sb.control(
        Method::POST,
        "/settings",
        Some(json!({"rate_limit": false})),
    )
    .await;
    for _ in 0..60 {
        assert_eq!(
            sb.get("/v1/account", &key, &[]).await.status,
            StatusCode::OK,
            "lifted"
        );
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn bulk_seed_and_settings() {
    let sb = start().await;
    let r = sb
        .control(
            Method::POST,
            "/seed/customers",
            Some(json!({"count": 250, "account": sb.account(2)})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["created"], 250);
    let id = r.body["ids"][0].as_str().unwrap();
    assert_eq!(
        sb.get(&format!("/v1/customers/{id}"), &sb.key(2), &[])
            .await
            .status,
        StatusCode::OK
    );
    let s = sb.control(Method::GET, "/settings", None).await;
    assert_eq!(
        s.body,
        json!({"auto_consent": false, "any_loopback_port": false, "rate_limit": false, "webhook_timeout_ms": 30000})
    );
    let short = sb
        .control(
            Method::POST,
            "/settings",
            Some(json!({"webhook_timeout_ms": 250})),
        )
        .await;
    assert_eq!(short.body["webhook_timeout_ms"], 250);
    let bad = sb
        .control(
            Method::POST,
            "/settings",
            Some(json!({"webhook_timeout_ms": 0})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "a timeout of 0 ms");
    let bad = sb
        .control(Method::POST, "/settings", Some(json!({"turbo": true})))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let bad = sb
        .control(Method::POST, "/clock/advance", Some(json!({"seconds": -5})))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    sb.shutdown().await;
}

#[tokio::test]
async fn registering_a_primary_app_switches_the_reported_app_and_keeps_credentials() {
    let sb = start().await;
    let first = sb.info.app.clone().expect("the configured app");
    let running = sb.running.as_ref().unwrap();
    let other = appdeck_sandbox::AppRegistration {
        id: "com.example.second-app".into(),
        ..oauth_app(&["customer_read"])
    };
    let info = running.register_primary_app(&other).unwrap();
    let second = info.app.expect("the new primary app");
    assert_eq!(second.id, "com.example.second-app");
    assert_ne!(second.client_id, first.client_id);
    let apps = sb.control(Method::GET, "/apps", None).await;
    assert_eq!(apps.body["data"].as_array().unwrap().len(), 2);

    let back = running
        .register_primary_app(&oauth_app(&["customer_read"]))
        .unwrap()
        .app
        .unwrap();
    assert_eq!(back, first, "re-registering keeps the app's credentials");
    sb.shutdown().await;
}
