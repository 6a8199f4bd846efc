//! The console's retries in core, against the embedded sandbox with faults:
//! a cancel cuts a wait between attempts short (the UI's "Cancel" on a fetch
//! of every page must not sit out a backoff, and lets the page in flight
//! finish), an abortable call also ends while waiting for its answer
//! (`api-cancelled`, naming a POST's Idempotency-Key), and a policy of 0
//! retries sends once. The waits are 30 s, so "at once" is told apart from
//! "waited it out" by a margin no loaded machine blurs. The CLI's tests (crates/cli/tests/api/retries.rs) cover what is
//! retried and how it is reported.

use std::sync::Arc;
use std::time::{Duration, Instant};

use appdeck_core::console::pages::{fetch_all_with, FetchStop, Fetched};
use appdeck_core::console::request::{
    send_abortable, send_with, ApiRequest, AuthAs, ConsoleError, LiveGuard,
};
use appdeck_core::console::retry::RetryPolicy;
use appdeck_core::context::{Context, LocalSandbox};
use appdeck_core::error::{Coded, ErrorCode};
use appdeck_core::keychain::MemoryStore;
use appdeck_core::secret::ApiKey;
use appdeck_sandbox::{RunningSandbox, Sandbox, SandboxConfig};
use tokio_util::sync::CancellationToken;

async fn start() -> (RunningSandbox, Context, tempfile::TempDir) {
    let sandbox = Sandbox::start(SandboxConfig {
        rate_limit: false,
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox starts");
    let info = sandbox.info();
    let dir = tempfile::tempdir().unwrap();
    let ctx = Context::new(dir.path().to_path_buf(), Arc::new(MemoryStore::new())).with_local(
        LocalSandbox {
            base_url: info.base_url.clone(),
            account_id: info.developer.account.clone(),
            secret_key: ApiKey::new(info.developer.secret_key.clone()),
            app: None,
        },
    );
    (sandbox, ctx, dir)
}

/// `POST /_appdeck{path}` on the sandbox's control API.
async fn control(sandbox: &RunningSandbox, path: &str, body: serde_json::Value) {
    let r = reqwest::Client::new()
        .post(format!("{}/_appdeck{path}", sandbox.base_url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{path}: {}", r.status());
}

async fn fault(sandbox: &RunningSandbox, body: serde_json::Value) {
    control(sandbox, "/faults", body).await;
}

fn list() -> ApiRequest {
    ApiRequest {
        method: "GET".into(),
        path: "/v1/customers".into(),
        params: vec![],
        raw_body: None,
        stripe_account: None,
        stripe_version: None,
        idempotency_key: None,
        auth: AuthAs::Account { name: None },
    }
}

#[tokio::test]
async fn a_cancel_during_a_backoff_stops_the_fetch_at_once() {
    let (sandbox, ctx, _dir) = start().await;
    fault(
        &sandbox,
        serde_json::json!({"route": "GET /v1/customers", "count": 10, "type": "status", "status": 503}),
    )
    .await;
    let started = Instant::now();
    fetch_cancelled_after(&ctx, 150).await;
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(10),
        "the first wait is 30 s; a cancel at 150 ms ends it: {took:?}"
    );
}

#[tokio::test]
async fn a_cancel_while_a_page_loads_lets_it_finish_and_keeps_what_was_fetched() {
    let (sandbox, ctx, _dir) = start().await;
    control(
        &sandbox,
        "/seed/customers",
        serde_json::json!({"count": 30}),
    )
    .await;
    fault(
        &sandbox,
        serde_json::json!({"route": "GET /v1/customers", "count": 1, "type": "delay", "ms": 1000}),
    )
    .await;
    let fetched = fetch_cancelled_after(&ctx, 150).await;
    assert_eq!(
        fetched.pages, 1,
        "the page in flight finished, and no other was asked for"
    );
}

/// Retries after 30 s waits: a test that ends sooner was cut short.
fn long_waits() -> RetryPolicy {
    RetryPolicy {
        max_retries: 2,
        base_delay: Duration::from_secs(30),
        max_delay: Duration::from_secs(30),
    }
}

fn cancel_after(ms: u64) -> CancellationToken {
    let cancel = CancellationToken::new();
    let c = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(ms)).await;
        c.cancel();
    });
    cancel
}

/// Fetches every customer with [`long_waits`] and a cancel after `ms`;
/// asserts the fetch ended as cancelled.
async fn fetch_cancelled_after(ctx: &Context, ms: u64) -> Fetched {
    let fetched = fetch_all_with(
        ctx,
        &list(),
        &LiveGuard::default(),
        &long_waits(),
        100,
        &cancel_after(ms),
        |_, _, _| {},
    )
    .await
    .expect("a cancel is an answer, not an error");
    assert!(
        matches!(fetched.stop, FetchStop::Cancelled),
        "{:?}",
        fetched.stop
    );
    fetched
}

#[tokio::test]
async fn a_cancel_while_a_call_waits_for_its_answer_ends_it_and_names_the_key_to_resend_with() {
    let (sandbox, ctx, _dir) = start().await;
    fault(
        &sandbox,
        serde_json::json!({"route": "/v1/customers", "count": 2, "type": "delay", "ms": 30000}),
    )
    .await;
    let started = Instant::now();
    let err = send_abortable(
        &ctx,
        &list(),
        &LiveGuard::default(),
        &long_waits(),
        &cancel_after(150),
    )
    .await
    .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(err.code(), ErrorCode::ApiCancelled);
    assert!(
        matches!(
            &err,
            ConsoleError::Cancelled {
                idempotency_key: None,
                ..
            }
        ),
        "a GET has no key to name: {err}"
    );

    let create = ApiRequest {
        method: "POST".into(),
        params: vec![("email".into(), "slow@example.com".into())],
        idempotency_key: Some("appdeck-test-slow-create".into()),
        ..list()
    };
    let err = send_abortable(
        &ctx,
        &create,
        &LiveGuard::default(),
        &long_waits(),
        &cancel_after(150),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::ApiCancelled);
    let message = err.to_string();
    assert!(
        message.starts_with("POST http")
            && message.contains("/v1/customers")
            && message.contains("appdeck-test-slow-create"),
        "{message}"
    );
}

#[tokio::test]
async fn with_no_retries_a_503_is_the_answer_and_the_next_call_works() {
    let (sandbox, ctx, _dir) = start().await;
    fault(
        &sandbox,
        serde_json::json!({"route": "GET /v1/customers", "count": 1, "type": "status", "status": 503}),
    )
    .await;
    let never = CancellationToken::new();
    let off = RetryPolicy::default().with_max_retries(0);
    let r = send_with(&ctx, &list(), &LiveGuard::default(), &off, &never)
        .await
        .unwrap();
    assert_eq!(r.status, 503);
    assert_eq!(r.attempts.len(), 1);
    let r = send_with(&ctx, &list(), &LiveGuard::default(), &off, &never)
        .await
        .unwrap();
    assert_eq!(r.status, 200, "the fault was used up; the console is fine");
    assert_eq!(r.attempts.len(), 1);
}
