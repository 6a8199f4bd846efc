//! Request-Id, authentication, errors, idempotency, Stripe-Account.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn every_response_has_a_request_id_even_errors() {
    let sb = start().await;
    for r in [
        sb.get("/v1/account", &sb.dev_key(), &[]).await,
        sb.call(Method::GET, "/v1/customers", None, &[]).await,
        sb.get("/v1/nope", &sb.dev_key(), &[]).await,
    ] {
        let id = r
            .headers
            .get("request-id")
            .expect("Request-Id header")
            .to_str()
            .unwrap()
            .to_string();
        assert!(id.starts_with("req_") && id.len() > 10, "{id}");
    }
    let a = sb.get("/v1/account", &sb.dev_key(), &[]).await;
    let b = sb.get("/v1/account", &sb.dev_key(), &[]).await;
    assert_ne!(
        a.headers["request-id"], b.headers["request-id"],
        "fresh per request"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn authentication_errors_are_401_in_stripes_shape() {
    let sb = start().await;
    let none = sb.call(Method::GET, "/v1/customers", None, &[]).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(none.body["error"]["type"], "invalid_request_error");
    assert!(none.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("did not provide an API key"));

    let bad = sb
        .get("/v1/customers", "sk_test_doesnotexist000000000000", &[])
        .await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert!(
        !bad.text.contains("sk_test_doesnotexist000000000000"),
        "key is masked"
    );

    let bearer = sb
        .http
        .get(format!("{}/v1/customers", sb.base))
        .bearer_auth(sb.dev_key())
        .send()
        .await
        .unwrap();
    assert_eq!(bearer.status(), StatusCode::OK, "Bearer works like Basic");

    let accounts = sb.control(Method::GET, "/accounts", None).await;
    let live = accounts.body["data"][0]["live_secret_key"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(live.starts_with("sk_live_"));
    let r = sb.get("/v1/customers", &live, &[]).await;
    assert_eq!(
        r.status,
        StatusCode::UNAUTHORIZED,
        "the sandbox is test mode only"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn account_is_the_callers() {
    let sb = start().await;
    let r = sb.get("/v1/account", &sb.key(0), &[]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["object"], "account");
    assert_eq!(r.body["id"], sb.account(0));
    assert!(r.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    sb.shutdown().await;
}

#[tokio::test]
async fn validation_errors_name_the_param() {
    let sb = start().await;
    let key = sb.key(0);
    let r = sb.post("/v1/customers", &key, &[("emial", "x")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error_code(), Some("parameter_unknown"));
    assert_eq!(r.body["error"]["param"], "emial");
    let r = sb.post("/v1/customers", &key, &[("balance", "lots")]).await;
    assert_eq!(r.body["error"]["param"], "balance");
    let r = sb
        .post("/v1/customers", &key, &[("a", "1"), ("a[b]", "2")])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = sb.get("/v1/customers/cus_nope", &key, &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.body["error"]["message"], "No such customer: 'cus_nope'");
    let r = sb.call(Method::PUT, "/v1/customers", Some(&key), &[]).await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "unknown method is an unrecognized URL"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn idempotency_replays_and_refuses_other_params() {
    let sb = start().await;
    let key = sb.key(0);
    let h = [("Idempotency-Key", "order-1")];
    let a = sb
        .call_h(
            Method::POST,
            "/v1/customers",
            Some(&key),
            &[("email", "i@example.com")],
            &h,
        )
        .await;
    let b = sb
        .call_h(
            Method::POST,
            "/v1/customers",
            Some(&key),
            &[("email", "i@example.com")],
            &h,
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.body, b.body, "the replay is the first response");
    assert_eq!(b.headers["idempotent-replayed"], "true");
    let list = sb
        .get("/v1/customers", &key, &[("email", "i@example.com")])
        .await;
    assert_eq!(
        list.body["data"].as_array().unwrap().len(),
        1,
        "created once"
    );

    let c = sb
        .call_h(
            Method::POST,
            "/v1/customers",
            Some(&key),
            &[("email", "other@example.com")],
            &h,
        )
        .await;
    assert_eq!(c.status, StatusCode::BAD_REQUEST);
    assert_eq!(c.body["error"]["type"], "idempotency_error");

    let other_account = sb
        .call_h(
            Method::POST,
            "/v1/customers",
            Some(&sb.key(1)),
            &[("email", "other@example.com")],
            &h,
        )
        .await;
    assert_eq!(other_account.status, StatusCode::OK, "keys are per account");

    let failed = sb
        .call_h(
            Method::POST,
            "/v1/customers",
            Some(&key),
            &[("bogus", "1")],
            &[("Idempotency-Key", "k2")],
        )
        .await;
    assert_eq!(failed.status, StatusCode::BAD_REQUEST);
    let retry = sb
        .call_h(
            Method::POST,
            "/v1/customers",
            Some(&key),
            &[("email", "k2@example.com")],
            &[("Idempotency-Key", "k2")],
        )
        .await;
    assert_eq!(
        retry.status,
        StatusCode::OK,
        "validation failures are not saved"
    );

    let long = "x".repeat(256);
    let too_long = sb
        .call_h(
            Method::POST,
            "/v1/customers",
            Some(&key),
            &[],
            &[("Idempotency-Key", &long)],
        )
        .await;
    assert_eq!(too_long.status, StatusCode::BAD_REQUEST);
    sb.shutdown().await;
}

#[tokio::test]
async fn stripe_account_needs_an_install() {
    let sb = start().await;
    let target = sb.account(0);
    let h = [("Stripe-Account", target.as_str())];
    let r = sb
        .call_h(Method::GET, "/v1/customers", Some(&sb.key(1)), &[], &h)
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "an unrelated account's key"
    );
    assert_eq!(r.error_code(), Some("account_invalid"));
    let r = sb
        .call_h(Method::GET, "/v1/customers", Some(&sb.dev_key()), &[], &h)
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "the developer before any install"
    );
    let same = sb
        .call_h(Method::GET, "/v1/account", Some(&sb.key(0)), &[], &h)
        .await;
    assert_eq!(
        same.status,
        StatusCode::OK,
        "naming your own account is fine"
    );

    let app = sb.info.app.clone().unwrap();
    let r = sb
        .control(
            Method::POST,
            "/installs",
            Some(json!({"app": app.id, "account": target})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = sb
        .call_h(Method::GET, "/v1/customers", Some(&sb.dev_key()), &[], &h)
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "the developer acts on the installing account"
    );
    assert_eq!(
        r.body["data"].as_array().unwrap().len(),
        3,
        "the installing account's customers"
    );
    let w = sb
        .call_h(
            Method::POST,
            "/v1/customers",
            Some(&sb.dev_key()),
            &[("name", "x")],
            &h,
        )
        .await;
    assert_eq!(
        w.status,
        StatusCode::FORBIDDEN,
        "with the install's permissions only"
    );
    assert!(w.text.contains("customer_write"));
    sb.shutdown().await;
}
