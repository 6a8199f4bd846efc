//! Events for every change, webhook endpoints, and signed deliveries with
//! retries on the sandbox clock (contracts in `src/events/mod.rs`,
//! `src/routes/webhook_endpoints.rs`, `src/state/deliveries.rs`,
//! `src/webhooks/`; sources in docs/stripe-fidelity.md).

#[path = "../support/mod.rs"]
mod support;

mod delivery;
mod endpoints;
mod events;
mod faults;
mod receiver;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use support::*;

/// Creates an endpoint with `key` (extra form fields in `more`); its id and secret.
pub async fn endpoint(
    sb: &Sb,
    key: &str,
    url: &str,
    events: &[&str],
    more: &[(&str, &str)],
) -> (String, String) {
    let mut form: Vec<(&str, &str)> = vec![("url", url)];
    form.extend(events.iter().map(|e| ("enabled_events[]", *e)));
    form.extend_from_slice(more);
    let r = sb.post("/v1/webhook_endpoints", key, &form).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    (
        r.body["id"].as_str().unwrap().to_string(),
        r.body["secret"].as_str().unwrap().to_string(),
    )
}

/// The endpoint's delivery attempts after `after`, waiting up to 10 s for
/// at least `n` in all.
pub async fn attempts(sb: &Sb, endpoint: &str, n: usize) -> Vec<Value> {
    let mut all: Vec<Value> = Vec::new();
    let started = std::time::Instant::now();
    while all.len() < n {
        assert!(
            started.elapsed().as_secs() < 10,
            "{n} attempts expected, got {all:?}"
        );
        let after = all.last().map_or(0, |a| a["seq"].as_u64().unwrap());
        let r = sb
            .control(
                Method::GET,
                &format!("/webhook_endpoints/{endpoint}/deliveries?after={after}&wait_ms=2000"),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        all.extend(r.body["data"].as_array().unwrap().iter().cloned());
    }
    all
}

pub async fn event(sb: &Sb, key: &str, id: &str) -> Value {
    let r = sb.get(&format!("/v1/events/{id}"), key, &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.body
}

pub async fn set_timeout_ms(sb: &Sb, ms: u64) {
    let r = sb
        .control(
            Method::POST,
            "/settings",
            Some(json!({ "webhook_timeout_ms": ms })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}

/// An object's keys, in order.
pub fn keys(v: &Value) -> Vec<&str> {
    v.as_object()
        .unwrap_or_else(|| panic!("an object: {v}"))
        .keys()
        .map(String::as_str)
        .collect()
}

/// Event types of a list answer.
pub fn types_of(r: &Reply) -> Vec<String> {
    r.body["data"]
        .as_array()
        .unwrap_or_else(|| panic!("a list: {}", r.text))
        .iter()
        .map(|e| e["type"].as_str().unwrap().to_string())
        .collect()
}
