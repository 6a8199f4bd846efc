//! Deliveries: signed with the endpoint's secret, to the right endpoints
//! (an account's own; Connect endpoints for connected accounts' events),
//! logged, resendable; `pending_webhooks` counts down.

use appdeck_sandbox::signature;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::receiver::{Answer, Receiver};
use crate::support::*;
use crate::{attempts, endpoint, event};

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[tokio::test]
async fn a_delivery_is_the_event_signed_with_the_endpoints_secret_and_logged() {
    let sb = start().await;
    let key = sb.key(1);
    let hook = Receiver::start(&[]).await;
    let (we, secret) = endpoint(&sb, &key, &hook.url, &["customer.created"], &[]).await;
    let c = sb
        .post("/v1/customers", &key, &[("email", "signed@example.com")])
        .await;
    sb.post(
        &format!("/v1/customers/{}", c.body["id"].as_str().unwrap()),
        &key,
        &[("name", "not subscribed")],
    )
    .await;
    let log = attempts(&sb, &we, 1).await;
    let got = hook.received();
    assert_eq!(got.len(), 1, "customer.updated is not subscribed");
    let delivery = &got[0];
    let body = &delivery.body;
    let header = delivery.header("stripe-signature").expect("signed");
    assert!(header.starts_with("t="), "{header}");
    assert!(
        signature::verify(header, body, &secret, now(), 300),
        "the whsec_ secret signs t.body: {header}"
    );
    assert!(
        !signature::verify(
            header,
            &body.replace("signed@", "forged@"),
            &secret,
            now(),
            300
        ),
        "a changed body fails"
    );
    assert!(!signature::verify(header, body, "whsec_other", now(), 300));
    assert_eq!(
        delivery.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert!(delivery
        .header("user-agent")
        .is_some_and(|ua| ua.starts_with("Stripe/1.0")));
    let sent = delivery.json();
    assert_eq!(sent["type"], "customer.created");
    assert_eq!(sent["data"]["object"]["id"], c.body["id"]);
    assert_eq!(
        sent["pending_webhooks"], 1,
        "sent while this endpoint is still pending"
    );

    let a = &log[0];
    assert_eq!(a["event"], sent["id"]);
    assert_eq!(a["event_type"], "customer.created");
    assert_eq!(a["endpoint"], we.as_str());
    assert_eq!(a["attempt"], 1);
    assert_eq!(a["status"], 200);
    assert_eq!(a["delivered"], true);
    assert!(a["latency_ms"].as_f64().unwrap() >= 0.0);
    assert!(a["response"].as_str().unwrap().contains("received"));
    assert_eq!(a["next_retry_at"], Value::Null);
    assert!(a["id"].as_str().unwrap().starts_with("whdel_"));
    assert!(
        !serde_json::to_string(&log).unwrap().contains(&secret),
        "the log never holds the secret"
    );
    let e = event(&sb, &key, sent["id"].as_str().unwrap()).await;
    assert_eq!(e["pending_webhooks"], 0, "counted down once delivered");
    let ok = sb
        .get("/v1/events", &key, &[("delivery_success", "true")])
        .await;
    assert!(ok.text.contains(sent["id"].as_str().unwrap()));

    let resent = sb
        .control(
            Method::POST,
            &format!("/webhook_endpoints/{we}/resend"),
            Some(json!({"delivery": a["id"]})),
        )
        .await;
    assert_eq!(resent.status, StatusCode::OK, "{}", resent.text);
    assert_eq!(resent.body["manual"], true);
    assert_eq!(resent.body["attempt"], 0);
    assert_eq!(resent.body["event"], sent["id"]);
    let again = hook.received();
    assert_eq!(again.len(), 2);
    assert_eq!(again[1].json()["id"], sent["id"], "the same event again");
    let unknown = sb
        .control(
            Method::POST,
            &format!("/webhook_endpoints/{we}/resend"),
            Some(json!({"delivery": "whdel_nope"})),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    sb.shutdown().await;
}

#[tokio::test]
async fn connect_endpoints_get_connected_accounts_events_and_own_endpoints_their_own() {
    let sb = start().await;
    let dev = sb.dev_key();
    let connect_hook = Receiver::start(&[]).await;
    let own_hook = Receiver::start(&[]).await;
    let (connect, _) = endpoint(&sb, &dev, &connect_hook.url, &["*"], &[("connect", "true")]).await;
    let (own, _) = endpoint(&sb, &dev, &own_hook.url, &["*"], &[]).await;
    let listed = sb.control(Method::GET, "/webhook_endpoints", None).await;
    let flags: Vec<(Value, Value)> = listed.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["id"].clone(), e["connect"].clone()))
        .collect();
    assert!(flags.contains(&(json!(connect), json!(true))));
    assert!(flags.contains(&(json!(own), json!(false))));
    assert!(
        !listed.text.contains("whsec_"),
        "no secrets in the control API"
    );

    // Installing the app (customer_read, event_read) connects account 0.
    sb.token_for(0).await;
    let a = sb.account(0);
    sb.post(
        "/v1/customers",
        &sb.key(0),
        &[("email", "conn@example.com")],
    )
    .await;
    sb.post("/v1/products", &sb.key(0), &[("name", "no product_read")])
        .await;
    sb.post(
        "/v1/customers",
        &sb.key(1),
        &[("email", "not-connected@example.com")],
    )
    .await;
    sb.post("/v1/customers", &dev, &[("email", "dev-own@example.com")])
        .await;
    attempts(&sb, &connect, 2).await;
    attempts(&sb, &own, 1).await;
    let connected: Vec<Value> = connect_hook.received().iter().map(|r| r.json()).collect();
    let mut types: Vec<&str> = connected
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    types.sort_unstable();
    assert_eq!(
        types,
        ["account.application.authorized", "customer.created"],
        "the install and the customer of the connected account; not the product (no product_read), not account 1 (not connected)"
    );
    for e in &connected {
        assert_eq!(e["account"], a.as_str(), "Connect events name the account");
    }
    let own_events: Vec<Value> = own_hook.received().iter().map(|r| r.json()).collect();
    assert_eq!(own_events.len(), 1);
    assert_eq!(own_events[0]["type"], "customer.created");
    assert_eq!(
        own_events[0]["data"]["object"]["email"],
        "dev-own@example.com"
    );
    assert!(
        own_events[0].get("account").is_none(),
        "the developer's own account is no connected account"
    );

    // The uninstall reaches the developer too, after the app lost access.
    let app = sb.info.app.clone().unwrap();
    sb.control(
        Method::POST,
        "/installs/uninstall",
        Some(json!({"app": app.id, "account": a})),
    )
    .await;
    let all = attempts(&sb, &connect, 3).await;
    assert_eq!(all[2]["event_type"], "account.application.deauthorized");
    sb.shutdown().await;
}

#[tokio::test]
async fn a_disabled_endpoint_gets_nothing_and_one_deleted_while_retrying_is_given_up() {
    let sb = start().await;
    let key = sb.key(2);
    let hook = Receiver::start(&[Answer::Status(500)]).await;
    let (we, _) = endpoint(&sb, &key, &hook.url, &["customer.created"], &[]).await;
    sb.post("/v1/customers", &key, &[("email", "retry@example.com")])
        .await;
    let first = attempts(&sb, &we, 1).await;
    assert_eq!(first[0]["status"], 500);
    assert!(first[0]["next_retry_at"].is_i64(), "a retry is scheduled");
    let evt = first[0]["event"].as_str().unwrap().to_string();
    sb.delete(&format!("/v1/webhook_endpoints/{we}"), &key)
        .await;
    sb.advance(600).await;
    let mut pending = Value::Null;
    for _ in 0..100 {
        pending = event(&sb, &key, &evt).await["pending_webhooks"].clone();
        if pending == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(pending, 0, "a deleted endpoint's retry is given up");
    assert_eq!(hook.received().len(), 1, "and never sent");
    let failed = sb
        .get("/v1/events", &key, &[("delivery_success", "false")])
        .await;
    assert_eq!(failed.body["data"][0]["id"], evt.as_str());

    let quiet = Receiver::start(&[]).await;
    let (off, _) = endpoint(&sb, &key, &quiet.url, &["*"], &[]).await;
    sb.post(
        &format!("/v1/webhook_endpoints/{off}"),
        &key,
        &[("disabled", "true")],
    )
    .await;
    let c = sb
        .post("/v1/customers", &key, &[("email", "quiet@example.com")])
        .await;
    assert_eq!(c.status, StatusCode::OK);
    let e = sb
        .get(
            "/v1/events",
            &key,
            &[("type", "customer.created"), ("limit", "1")],
        )
        .await;
    assert_eq!(
        e.body["data"][0]["pending_webhooks"], 0,
        "a disabled endpoint is not counted"
    );
    assert!(quiet.received().is_empty());
    sb.shutdown().await;
}
