//! The API console's answers (`console.json`), from calls sent through core
//! to the embedded sandbox: a list and its next pages, every page fetched, a
//! create, a raw body, the history as the shell records it and searches it
//! (every word), the curl line, endpoint completions, a live write refused,
//! a cancelled call, and the install's 403 with the permission it lacks.

use appdeck_core::accounts::{self, AddOptions};
use appdeck_core::console::endpoints::{self, Endpoint};
use appdeck_core::console::pages::{self, FetchStop};
use appdeck_core::console::request::{self, ApiRequest, ApiResponse, AuthAs, LiveGuard};
use appdeck_core::console::{curl, history, permissions};
use appdeck_core::error::{Coded, ErrorCode};
use appdeck_core::installs;
use appdeck_core::manifest::{ops, ManifestEdit};
use appdeck_core::secret::ApiKey;
use serde_json::json;
use tokio_util::sync::CancellationToken;

use crate::canned::Canned;
use crate::install::{loopback_install, project, Streamed};
use crate::scrub::Scrub;
use crate::support::Sandboxed;

pub fn as_current() -> AuthAs {
    AuthAs::Account { name: None }
}

/// Sends `req` as `api_send` does: through core, then into the history.
pub async fn sent(env: &Sandboxed, req: &ApiRequest) -> ApiResponse {
    let resp = request::send(&env.ctx, req, &LiveGuard::default())
        .await
        .unwrap_or_else(|e| panic!("{req:?}: {e}"));
    history::record(&env.ctx, req, &resp).unwrap();
    resp
}

#[tokio::test]
async fn api_console() {
    let mut scrub = Scrub::new();
    let (proj, env, app) = project(&mut scrub).await;
    let ctx = &env.ctx;
    let manifest = proj.file("stripe-app.json");
    let mut out = Canned::new("console");
    out.put("manifest", &ops::open(&manifest).unwrap());
    out.put("accounts", &accounts::list(ctx).unwrap());
    env.control_post("/seed/customers", json!({"count": 15}))
        .await;

    let list = ApiRequest::new("GET", "/v1/customers", &[("limit", "10")], as_current());
    let page1 = sent(&env, &list).await;
    out.put("historyAfterSend", &history::search(ctx, "").unwrap());
    let again = sent(&env, &list).await;
    out.put("historyAfterRerun", &history::search(ctx, "").unwrap());
    out.put("customersAgain", &again);
    let next = pages::next_page(&list, &page1).expect("15 customers fill two pages");
    out.put("customers", &page1);
    out.put("nextPage", &next);
    let page2 = request::send(ctx, &next, &LiveGuard::default())
        .await
        .unwrap();
    out.put("nextPageAfterLast", &pages::next_page(&next, &page2));
    out.put("customersPage2", &page2);
    fetch_every_page(&env, &list, &mut out).await;

    let create = ApiRequest {
        stripe_account: Some("acct_123".into()),
        idempotency_key: Some("idem-1".into()),
        ..ApiRequest::new(
            "POST",
            "/v1/customers",
            &[
                ("email", "a@example.com"),
                ("metadata[plan]", "pro"),
                ("expand[]", "default_source"),
            ],
            as_current(),
        )
    };
    out.put("created", &sent(&env, &create).await);
    let raw = ApiRequest {
        raw_body: Some("email=b%40example.com".into()),
        ..ApiRequest::new("POST", "/v1/customers", &[], as_current())
    };
    out.put("createdFromRawBody", &sent(&env, &raw).await);
    let every_word = history::search(ctx, "POST customers").unwrap();
    assert!(
        every_word.iter().all(|e| e.request.method == "POST"),
        "{every_word:?}"
    );
    out.put("historyEveryWord", &every_word);
    out.put(
        "historyNoMatch",
        &history::search(ctx, "nothing-like-this").unwrap(),
    );

    out.put("curl", &curl::curl_for(ctx, &list, None).unwrap());
    for (name, method) in [("endpointsGet", "GET"), ("endpointsPost", "POST")] {
        let found: Vec<Endpoint> = endpoints::complete(Some(method), "/v1/customers")
            .into_iter()
            .cloned()
            .collect();
        out.put(name, &found);
    }
    let cancel = CancellationToken::new();
    cancel.cancel();
    let cancelled = request::send_abortable(ctx, &list, &LiveGuard::default(), &ctx.retry, &cancel)
        .await
        .unwrap_err();
    assert_eq!(cancelled.code(), ErrorCode::ApiCancelled);
    out.error("cancelled", &cancelled);

    live_write_locked(&env, &mut out).await;
    as_the_install(&env, &app, &manifest, &mut out).await;
    out.write(&mut scrub);
}

/// `api_fetch_all`: each page's progress as the shell reports it, and the result.
async fn fetch_every_page(env: &Sandboxed, list: &ApiRequest, out: &mut Canned) {
    let mut progress = Vec::new();
    let fetched = pages::fetch_all(
        &env.ctx,
        list,
        &LiveGuard::default(),
        1000,
        &CancellationToken::new(),
        |_, _, count| progress.push(json!({"count": count, "pages": progress.len() + 1})),
    )
    .await
    .unwrap();
    assert!(matches!(fetched.stop, FetchStop::Complete));
    out.put_as("fetchAllProgress", "Array<FetchProgress>", &progress);
    out.put_as(
        "fetchAll",
        "FetchAllResult",
        &json!({"data": fetched.data, "complete": true}),
    );
}

/// A live account (added unchecked: the sandbox has no live mode) made
/// current: core refuses its writes while they are locked.
async fn live_write_locked(env: &Sandboxed, out: &mut Canned) {
    let ctx = &env.ctx;
    let unchecked = AddOptions {
        skip_check: true,
        ..AddOptions::default()
    };
    let key = ApiKey::new("sk_live_fake_key_for_ui_01");
    accounts::add(ctx, "prod", key, &unchecked).await.unwrap();
    accounts::use_account(ctx, "prod").unwrap();
    out.put("accountsLive", &accounts::list(ctx).unwrap());
    let write = ApiRequest::new("POST", "/v1/customers", &[("limit", "10")], as_current());
    let locked = request::send(ctx, &write, &LiveGuard::default())
        .await
        .unwrap_err();
    assert_eq!(locked.code(), ErrorCode::LiveWriteLocked);
    out.error("liveWriteLocked", &locked);
    accounts::use_account(ctx, "local").unwrap();
    accounts::remove(ctx, "prod").unwrap();
}

/// Calls as the install, which holds `customer_read` only: the pre-check and
/// the 403 name `customer_write`; granting it clears the pre-check.
async fn as_the_install(
    env: &Sandboxed,
    app: &appdeck_core::oauth::install::AppManifest,
    manifest: &std::path::Path,
    out: &mut Canned,
) {
    let ctx = &env.ctx;
    let (_, outcome) = loopback_install(env, app, &Streamed::default(), None).await;
    out.put("installs", &installs::list(ctx).unwrap());
    let precheck =
        |method: &str| permissions::precheck_manifest(method, "/v1/customers", manifest).unwrap();
    assert_eq!(precheck("GET"), None);
    out.put("precheckPost", &precheck("POST"));
    let write = ApiRequest::new(
        "POST",
        "/v1/customers",
        &[("limit", "10")],
        AuthAs::Install {
            install: outcome.install.install.clone(),
        },
    );
    let denied = sent(env, &write).await;
    assert_eq!(denied.status, 403, "{}", denied.body);
    let missing = permissions::missing_from_error(&denied);
    assert_eq!(missing.as_deref(), Some("customer_write"));
    out.put("permissionDenied", &denied);
    out.put("missingPermission", &missing);
    let loaded = ops::open(manifest).unwrap();
    let granted = ops::edit_on_disk(
        manifest,
        Some(&loaded.document.revision),
        &ManifestEdit::GrantPermission {
            permission: "customer_write".into(),
            purpose: "Create customers from orders".into(),
        },
    )
    .unwrap();
    out.put("grantedCustomerWrite", &granted);
    out.put("precheckPostAfterGrant", &precheck("POST"));
}
