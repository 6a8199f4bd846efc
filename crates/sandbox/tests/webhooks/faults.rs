//! Endpoints that fail: a 500, a hang (timeout), a closed connection, a
//! refused one. Each attempt is logged; retries come at 10, 40 and 160
//! minutes on the sandbox clock (a test advances through them), then the
//! event is given up on; the API answers at once while deliveries wait.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::Value;

use crate::receiver::{Answer, Receiver};
use crate::support::*;
use crate::{attempts, endpoint, event, set_timeout_ms};

/// Polls until the event's `pending_webhooks` is `n`.
async fn pending_becomes(sb: &Sb, key: &str, evt: &str, n: u64) {
    let mut last = Value::Null;
    for _ in 0..200 {
        last = event(sb, key, evt).await["pending_webhooks"].clone();
        if last == n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("pending_webhooks stayed {last}, expected {n}");
}

#[tokio::test]
async fn a_500_is_retried_on_the_sandbox_clock_with_backoff_then_given_up() {
    let sb = start().await;
    let key = sb.key(0);
    let hook = Receiver::start(&[Answer::Status(500); 4]).await;
    let (we, _) = endpoint(&sb, &key, &hook.url, &["product.created"], &[]).await;
    sb.post("/v1/products", &key, &[("name", "Flaky")]).await;
    let first = attempts(&sb, &we, 1).await;
    let evt = first[0]["event"].as_str().unwrap().to_string();
    let at = first[0]["at"].as_i64().unwrap();
    assert_eq!(first[0]["status"], 500);
    assert_eq!(first[0]["delivered"], false);
    assert_eq!(first[0]["next_retry_at"], at + 600, "10 minutes later");
    assert!(first[0]["response"].as_str().unwrap().contains("500"));
    assert_eq!(event(&sb, &key, &evt).await["pending_webhooks"], 1);

    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        hook.received().len(),
        1,
        "no retry before the sandbox clock reaches it"
    );
    sb.advance(590).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(hook.received().len(), 1, "still ten seconds early");

    sb.advance(10).await;
    let second = attempts(&sb, &we, 2).await;
    assert_eq!(second[1]["attempt"], 2);
    let at2 = second[1]["at"].as_i64().unwrap();
    assert_eq!(second[1]["next_retry_at"], at2 + 2_400, "four times longer");
    sb.advance(2_400).await;
    let third = attempts(&sb, &we, 3).await;
    assert_eq!(
        third[2]["next_retry_at"],
        third[2]["at"].as_i64().unwrap() + 9_600
    );
    sb.advance(9_600).await;
    let fourth = attempts(&sb, &we, 4).await;
    assert_eq!(fourth[3]["attempt"], 4);
    assert_eq!(fourth[3]["gave_up"], true, "three retries, then no more");
    assert_eq!(fourth[3]["next_retry_at"], Value::Null);
    pending_becomes(&sb, &key, &evt, 0).await;
    let failed = sb
        .get("/v1/events", &key, &[("delivery_success", "false")])
        .await;
    assert_eq!(failed.body["data"][0]["id"], evt.as_str());
    sb.advance(100_000).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(hook.received().len(), 4, "nothing after giving up");
    sb.shutdown().await;
}

#[tokio::test]
async fn a_retry_that_succeeds_ends_the_pending_delivery() {
    let sb = start().await;
    let key = sb.key(1);
    let hook = Receiver::start(&[Answer::Close]).await;
    let (we, _) = endpoint(&sb, &key, &hook.url, &["*"], &[]).await;
    sb.post("/v1/customers", &key, &[("name", "Once closed")])
        .await;
    let first = attempts(&sb, &we, 1).await;
    assert_eq!(first[0]["status"], Value::Null, "no answer");
    assert_eq!(first[0]["error"], "connection_closed");
    let evt = first[0]["event"].as_str().unwrap().to_string();
    sb.advance(600).await;
    let both = attempts(&sb, &we, 2).await;
    assert_eq!(both[1]["status"], 200);
    assert_eq!(both[1]["delivered"], true);
    pending_becomes(&sb, &key, &evt, 0).await;
    let ok = sb
        .get("/v1/events", &key, &[("delivery_success", "false")])
        .await;
    assert_eq!(ok.body["data"].as_array().unwrap().len(), 0);
    sb.shutdown().await;
}

#[tokio::test]
async fn a_hanging_endpoint_times_out_and_never_slows_the_api() {
    let sb = start().await;
    let key = sb.key(2);
    set_timeout_ms(&sb, 3_000).await;
    let hook = Receiver::start(&[Answer::Hang, Answer::Hang, Answer::Hang]).await;
    let (we, _) = endpoint(&sb, &key, &hook.url, &["customer.created"], &[]).await;
    let started = Instant::now();
    let mut created = Vec::new();
    for i in 0..3 {
        let r = sb
            .post("/v1/customers", &key, &[("name", &format!("Hung {i}"))])
            .await;
        assert_eq!(r.status, StatusCode::OK);
        created.push(r);
    }
    let list = sb.get("/v1/customers", &key, &[]).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        started.elapsed() < Duration::from_millis(2_000),
        "three creates and a list answered while their deliveries hang: {:?}",
        started.elapsed()
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        hook.received().len(),
        3,
        "the three deliveries are in flight together"
    );
    let log = attempts(&sb, &we, 3).await;
    for a in &log {
        assert_eq!(a["error"], "timed_out", "{a}");
        assert!(a["latency_ms"].as_f64().unwrap() >= 2_900.0, "{a}");
        assert!(a["next_retry_at"].is_i64());
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn a_refused_connection_is_a_failed_attempt() {
    let sb = start().await;
    let key = sb.key(0);
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/gone", closed.local_addr().unwrap());
    drop(closed);
    let (we, _) = endpoint(&sb, &key, &url, &["*"], &[]).await;
    sb.post("/v1/customers", &key, &[("name", "Nobody home")])
        .await;
    let log = attempts(&sb, &we, 1).await;
    assert_eq!(log[0]["error"], "failed_to_connect");
    assert_eq!(log[0]["delivered"], false);
    assert!(log[0]["next_retry_at"].is_i64());
    sb.shutdown().await;
}

#[tokio::test]
async fn a_persisted_sandbox_resumes_the_retries_it_owed() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = || appdeck_sandbox::SandboxConfig {
        data_dir: Some(dir.path().to_path_buf()),
        ..config()
    };
    let sb = start_with(cfg()).await;
    let key = sb.key(0);
    let hook = Receiver::start(&[Answer::Status(503)]).await;
    let (we, _) = endpoint(&sb, &key, &hook.url, &["*"], &[]).await;
    sb.post("/v1/customers", &key, &[("name", "Owed")]).await;
    let first = attempts(&sb, &we, 1).await;
    let evt = first[0]["event"].as_str().unwrap().to_string();
    assert_eq!(first[0]["status"], 503);
    sb.shutdown().await;

    let sb = start_with(cfg()).await;
    assert_eq!(event(&sb, &key, &evt).await["pending_webhooks"], 1);
    sb.advance(600).await;
    pending_becomes(&sb, &key, &evt, 0).await;
    assert_eq!(hook.received().len(), 2, "the retry came after the restart");
    assert_eq!(hook.received()[1].json()["id"], evt.as_str());
    sb.shutdown().await;
}
