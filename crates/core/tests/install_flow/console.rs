//! The API console against the sandbox: as an account and as an install,
//! idempotency, pagination to the end, an expired token refreshed mid-call,
//! a permission error turned into a manifest grant, live writes refused.

use appdeck_core::accounts;
use appdeck_core::console::pages::{fetch_all, FetchStop};
use appdeck_core::console::permissions::{missing_from_error, precheck};
use appdeck_core::console::request::{send, ApiRequest, AuthAs, LiveGuard};
use appdeck_core::error::{Coded, ErrorCode};
use appdeck_core::manifest::{ops, ManifestEdit};
use appdeck_core::secret::ApiKey;
use tokio_util::sync::CancellationToken;

use crate::support::*;

fn req(method: &str, path: &str, params: &[(&str, &str)], auth: AuthAs) -> ApiRequest {
    ApiRequest::new(method, path, params, auth)
}

fn local() -> AuthAs {
    AuthAs::Account { name: None }
}

#[tokio::test]
async fn account_calls_idempotency_and_pagination_to_the_end() {
    let env = env(true).await;
    let guard = LiveGuard::default();
    let r = send(&env.ctx, &req("GET", "/v1/account", &[], local()), &guard)
        .await
        .unwrap();
    assert_eq!(r.status, 200);
    assert!(r
        .request_id
        .as_deref()
        .is_some_and(|id| id.starts_with("req_")));
    let mut create = req(
        "POST",
        "/v1/customers",
        &[("email", "a@example.com"), ("metadata[plan]", "pro")],
        local(),
    );
    create.idempotency_key = Some("idem-1".into());
    let first = send(&env.ctx, &create, &guard).await.unwrap();
    let again = send(&env.ctx, &create, &guard).await.unwrap();
    assert_eq!(first.status, 200);
    assert_eq!(
        first.body, again.body,
        "a replay returns the first response"
    );
    create.params[0].1 = "b@example.com".into();
    let conflict = send(&env.ctx, &create, &guard).await.unwrap();
    assert_eq!(
        conflict.stripe_error.unwrap().kind.as_deref(),
        Some("idempotency_error")
    );
    let auto = send(
        &env.ctx,
        &req(
            "POST",
            "/v1/customers",
            &[("email", "c@example.com")],
            local(),
        ),
        &guard,
    )
    .await
    .unwrap();
    assert!(
        auto.idempotency_key.is_some(),
        "POSTs get a key automatically"
    );
    for i in 0..23 {
        let e = format!("bulk{i}@example.com");
        send(
            &env.ctx,
            &req("POST", "/v1/customers", &[("email", &e)], local()),
            &guard,
        )
        .await
        .unwrap();
    }
    let total: usize = {
        let r = send(
            &env.ctx,
            &req("GET", "/v1/customers", &[("limit", "100")], local()),
            &guard,
        )
        .await
        .unwrap();
        serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["data"]
            .as_array()
            .unwrap()
            .len()
    };
    let mut seen_pages = 0;
    let fetched = fetch_all(
        &env.ctx,
        &req("GET", "/v1/customers", &[("limit", "10")], local()),
        &guard,
        10_000,
        &CancellationToken::new(),
        |_, _, _| seen_pages += 1,
    )
    .await
    .unwrap();
    assert!(matches!(fetched.stop, FetchStop::Complete));
    assert_eq!(fetched.pages, seen_pages);
    assert!(seen_pages >= 3);
    let all = fetched.data;
    assert_eq!(all.len(), total);
    let ids: std::collections::HashSet<_> = all
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), all.len(), "no duplicates across pages");
    let list = |limit: &str, max| {
        let r = req("GET", "/v1/customers", &[("limit", limit)], local());
        let ctx = env.ctx.clone();
        async move {
            fetch_all(
                &ctx,
                &r,
                &LiveGuard::default(),
                max,
                &CancellationToken::new(),
                |_, _, _| {},
            )
            .await
            .unwrap()
        }
    };
    let capped = list("10", 15).await;
    assert_eq!(capped.data.len(), 15);
    assert!(matches!(capped.stop, FetchStop::Max));
    let failed = list("1000", 15).await;
    assert!(
        matches!(failed.stop, FetchStop::Failed(ref r) if r.status == 400),
        "limit=1000 is refused: {:?}",
        failed.stop
    );
}

#[tokio::test]
async fn install_calls_refresh_an_expired_token_mid_call() {
    let env = env(true).await;
    let (url, _, task) = {
        let p =
            appdeck_core::oauth::install::prepare(&env.ctx, env.app(), &Default::default(), None)
                .await
                .ok()
                .unwrap();
        let (u, r) = (p.authorize_url.clone(), p.redirect_uri.clone());
        let ctx = env.ctx.clone();
        (
            u,
            r,
            tokio::spawn(async move {
                appdeck_core::oauth::install::finish(
                    &ctx,
                    p,
                    std::time::Duration::from_secs(10),
                    &CancellationToken::new(),
                )
                .await
            }),
        )
    };
    env.browse(&url).await;
    let install = task.await.unwrap().ok().unwrap().install.install;
    let as_install = AuthAs::Install {
        install: install.clone(),
    };
    let guard = LiveGuard::default();
    // The sandbox's clock moves on; ours doesn't know: the API says 401.
    env.control(
        "POST",
        "/clock/advance",
        serde_json::json!({"seconds": 7200}),
    )
    .await;
    let r = send(
        &env.ctx,
        &req("GET", "/v1/customers", &[], as_install.clone()),
        &guard,
    )
    .await
    .unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.refreshed);
    // Writing without customer_write: a permission error naming it.
    let r = send(
        &env.ctx,
        &req(
            "POST",
            "/v1/customers",
            &[("email", "x@example.com")],
            as_install,
        ),
        &guard,
    )
    .await
    .unwrap();
    assert_eq!(r.status, 403, "{}", r.body);
    let missing = missing_from_error(&r).expect("names the permission");
    assert_eq!(missing, "customer_write");
    assert_eq!(
        precheck("POST", "/v1/customers", &["customer_read".into()]).as_deref(),
        Some("customer_write")
    );
    // ... and "grant in manifest" goes through the manifest engine.
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("stripe-app.json");
    let sample = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../stripe-app.json"
    ))
    .unwrap();
    std::fs::write(&manifest, &sample).unwrap();
    let state = ops::edit_on_disk(
        &manifest,
        None,
        &ManifestEdit::GrantPermission {
            permission: missing,
            purpose: "Creates customers from the console.".into(),
        },
    )
    .unwrap();
    assert!(state
        .document
        .text
        .contains("\"permission\": \"customer_write\""));
    assert!(!state.diagnostics.iter().any(|d| d.is_error()));
}

#[tokio::test]
async fn live_mode_writes_are_refused_until_unlocked() {
    let env = env(true).await;
    accounts::add(
        &env.ctx,
        "prod",
        ApiKey::new("sk_live_fake_console_test_key_1"),
        &accounts::AddOptions {
            api_base: Some(env.sandbox.base_url()),
            skip_check: true,
            sandbox: false,
        },
    )
    .await
    .unwrap();
    let as_live = AuthAs::Account {
        name: Some("prod".into()),
    };
    let locked = LiveGuard::default();
    let e = send(
        &env.ctx,
        &req(
            "POST",
            "/v1/customers",
            &[("email", "x@example.com")],
            as_live.clone(),
        ),
        &locked,
    )
    .await
    .unwrap_err();
    assert_eq!(e.code(), ErrorCode::LiveWriteLocked);
    let e = send(
        &env.ctx,
        &req("DELETE", "/v1/customers/cus_1", &[], as_live.clone()),
        &locked,
    )
    .await
    .unwrap_err();
    assert_eq!(e.code(), ErrorCode::LiveWriteLocked);
    // Reads go through (the sandbox itself refuses live keys: a 401, not a lock).
    let r = send(
        &env.ctx,
        &req("GET", "/v1/customers", &[], as_live.clone()),
        &locked,
    )
    .await
    .unwrap();
    assert_eq!(r.status, 401);
    let r = send(
        &env.ctx,
        &req(
            "POST",
            "/v1/customers",
            &[("email", "x@example.com")],
            as_live,
        ),
        &LiveGuard::unlocked(),
    )
    .await
    .unwrap();
    assert_eq!(
        r.status, 401,
        "unlocked: sent (and refused by the sandbox, which has no live mode)"
    );
}
