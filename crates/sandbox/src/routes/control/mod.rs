//! The control API under `/_appdeck/`, for the console and for tests. JSON in,
//! JSON out; errors in Stripe's error shape.
//!
//! | route | what |
//! |---|---|
//! | `GET /info` | the `SandboxInfo` (what `--json` prints) |
//! | `GET/POST /accounts` | list accounts with their keys / create one (`{display_name?, email?, restricted_permissions?}`) |
//! | `GET/POST /apps` | list apps / register or re-register (`{manifest: "…"}` or an `AppRegistration`, `owner?`) |
//! | `GET/POST /installs` | list installs / install directly (`{app, account}`) |
//! | `POST /installs/uninstall` | `{app, account}`: revoke tokens, record the deauthorized event |
//! | `GET/POST /settings` | `{auto_consent, any_loopback_port, rate_limit, webhook_timeout_ms}` |
//! | `GET /clock`, `POST /clock/advance` | `{seconds}`: move the sandbox clock forward |
//! | `GET/POST/DELETE /faults` | `{route, count, type: status|delay|drop, status?, ms?}` |
//! | `GET/DELETE /requests` | the request log (`?limit=`), no secrets |
//! | `POST /seed/customers` | `{account?, count}`: bulk-create customers (benchmarks) |
//! | `GET /webhook_endpoints` | every account's endpoints, with `account` and `connect` (no secrets) |
//! | `GET /webhook_endpoints/{id}/deliveries` | the delivery log: see `webhooks.rs` |
//! | `POST /webhook_endpoints/{id}/resend` | `{delivery}` or `{event}`: attempt it again now |
//!
//! Invariant: only loopback peers, with a loopback `Host` (and `Origin`, when
//! sent) get through: a web page cannot drive the sandbox by DNS rebinding.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{from_fn, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::config::AppRegistration;
use crate::faults::Fault;
use crate::http::errors::ApiError;
use crate::http::json_value;
use crate::shapes;
use crate::state::{Account, App, Kind, Role, Shared, Table};

mod webhooks;

pub fn router(_s: Arc<Shared>) -> Router<Arc<Shared>> {
    webhooks::routes(Router::new())
        .route("/info", get(info))
        .route("/accounts", get(accounts).post(create_account))
        .route("/apps", get(apps).post(register_app))
        .route("/installs", get(installs).post(install))
        .route("/installs/uninstall", post(uninstall))
        .route("/settings", get(settings).post(set_settings))
        .route("/clock", get(clock))
        .route("/clock/advance", post(advance))
        .route("/faults", get(faults).post(add_fault).delete(clear_faults))
        .route("/requests", get(requests).delete(clear_requests))
        .route("/seed/customers", post(seed_customers))
        .route_layer(from_fn(loopback_only))
}

fn forbidden(why: &str) -> Response {
    ApiError::new(StatusCode::FORBIDDEN, "invalid_request_error", None, why).into_response()
}

fn loopback_host(host: &str) -> bool {
    let name = match host.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    };
    matches!(name, "127.0.0.1" | "localhost" | "[::1]")
}

async fn loopback_only(req: Request, next: Next) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    if !peer.is_some_and(|p| p.ip().is_loopback()) {
        return forbidden("The control API answers loopback clients only.");
    }
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if !loopback_host(host) {
        return forbidden("The control API answers requests for a loopback host only.");
    }
    if let Some(origin) = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
    {
        let ok = origin == "null"
            || origin == "tauri://localhost"
            || url::Url::parse(origin).is_ok_and(|u| {
                u.host_str().is_some_and(|h| {
                    matches!(h, "127.0.0.1" | "localhost" | "[::1]" | "tauri.localhost")
                })
            });
        if !ok {
            return forbidden(
                "The control API refuses cross-origin requests from non-loopback pages.",
            );
        }
    }
    next.run(req).await
}

fn parse<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, ApiError> {
    serde_json::from_value(v).map_err(|e| ApiError::invalid(format!("Invalid body: {e}")))
}

fn account_json(a: &Account) -> Value {
    json!({
        "account": a.id,
        "role": a.role,
        "display_name": a.display_name,
        "email": a.email,
        "user_id": a.user_id,
        "secret_key": a.secret_key,
        "restricted_key": a.restricted_key,
        "restricted_permissions": a.restricted_permissions,
        "publishable_key": a.publishable_key,
        "live_secret_key": a.live_secret_key,
        "created": a.created,
    })
}

fn app_json(a: &App) -> Value {
    json!({
        "id": a.id,
        "owner": a.owner,
        "client_id": a.client_id,
        "channel_link": a.channel_link,
        "signing_secret": a.signing_secret,
        "permissions": a.permissions,
        "redirect_uris": a.redirect_uris,
        "distribution": a.distribution,
        "access_type": a.access_type,
        "created": a.created,
        "updated": a.updated,
    })
}

async fn info(State(s): State<Arc<Shared>>) -> Response {
    json_value(&serde_json::to_value(s.info()).unwrap_or_default())
}

async fn accounts(State(s): State<Arc<Shared>>) -> Response {
    let mut list: Vec<Value> = s.read(|w| {
        let mut all: Vec<&Account> = w.accounts.values().collect();
        all.sort_by_key(|a| {
            (
                a.role != Role::Developer,
                a.role != Role::Install,
                a.created,
                a.id.clone(),
            )
        });
        all.into_iter().map(account_json).collect()
    });
    list.shrink_to_fit();
    json_value(&json!({ "data": list }))
}

#[derive(Deserialize, Default)]
struct NewAccount {
    display_name: Option<String>,
    email: Option<String>,
    restricted_permissions: Option<Vec<String>>,
}

async fn create_account(
    State(s): State<Arc<Shared>>,
    body: Option<Json<Value>>,
) -> Result<Response, ApiError> {
    let req: NewAccount = match body {
        Some(Json(v)) => parse(v)?,
        None => NewAccount::default(),
    };
    let now = s.clock.now();
    let a = s.write(|w| {
        let n = w.accounts.len() + 1;
        let name = req
            .display_name
            .clone()
            .unwrap_or_else(|| format!("Sandbox Account {n}"));
        let email = req
            .email
            .clone()
            .unwrap_or_else(|| format!("account{n}@appdeck.test"));
        let mut a = w.create_account(Role::Extra, &name, &email, now);
        if let Some(perms) = &req.restricted_permissions {
            a.restricted_permissions = perms.clone();
            if let Some(stored) = w.accounts.get_mut(&a.id) {
                stored.restricted_permissions = perms.clone();
            }
        }
        a
    })?;
    Ok(json_value(&account_json(&a)))
}

async fn apps(State(s): State<Arc<Shared>>) -> Response {
    let list: Vec<Value> = s.read(|w| {
        let mut all: Vec<&App> = w.apps.values().collect();
        all.sort_by_key(|a| (a.created, a.id.clone()));
        all.into_iter().map(app_json).collect()
    });
    json_value(&json!({ "data": list }))
}

async fn register_app(
    State(s): State<Arc<Shared>>,
    Json(body): Json<Value>,
) -> Result<Response, ApiError> {
    let reg = match body.get("manifest").and_then(Value::as_str) {
        Some(text) => AppRegistration::from_manifest_text(text)
            .map_err(|e| ApiError::invalid(e.to_string()).with_param("manifest"))?,
        None => parse::<AppRegistration>(body.clone())?,
    };
    let owner = body
        .get("owner")
        .and_then(Value::as_str)
        .map(str::to_string);
    let now = s.clock.now();
    let app = s.write(|w| -> Result<App, ApiError> {
        let owner = owner.unwrap_or_else(|| w.meta.developer.clone());
        if !w.accounts.contains_key(&owner) {
            return Err(ApiError::missing("account", &owner, "owner"));
        }
        let app = w.register_app(&reg, &owner, now);
        if w.meta.primary_app.is_none() {
            w.meta.primary_app = Some(app.id.clone());
            w.mark(Table::Meta, "meta");
        }
        Ok(app)
    })??;
    Ok(json_value(&app_json(&app)))
}

async fn installs(State(s): State<Arc<Shared>>) -> Response {
    let list: Vec<Value> = s.read(|w| {
        let mut all: Vec<_> = w.installs.values().collect();
        all.sort_by_key(|i| (i.created, i.app.clone(), i.account.clone()));
        all.into_iter()
            .map(|i| serde_json::to_value(i).unwrap_or_default())
            .collect()
    });
    json_value(&json!({ "data": list }))
}

#[derive(Deserialize)]
struct InstallRef {
    app: String,
    account: String,
}

async fn install(
    State(s): State<Arc<Shared>>,
    Json(body): Json<Value>,
) -> Result<Response, ApiError> {
    let r: InstallRef = parse(body)?;
    let now = s.clock.now();
    let created = s.write(|w| -> Result<bool, ApiError> {
        if !w.apps.contains_key(&r.app) {
            return Err(ApiError::missing("app", &r.app, "app"));
        }
        if !w.accounts.contains_key(&r.account) {
            return Err(ApiError::missing("account", &r.account, "account"));
        }
        Ok(w.install(&r.app, &r.account, now))
    })??;
    Ok(json_value(
        &json!({"app": r.app, "account": r.account, "active": true, "created": created}),
    ))
}

async fn uninstall(
    State(s): State<Arc<Shared>>,
    Json(body): Json<Value>,
) -> Result<Response, ApiError> {
    let r: InstallRef = parse(body)?;
    let now = s.clock.now();
    let done = s.write(|w| w.uninstall(&r.app, &r.account, now))?;
    if !done {
        return Err(ApiError::missing(
            "install",
            &format!("{} on {}", r.app, r.account),
            "app",
        ));
    }
    Ok(json_value(
        &json!({"app": r.app, "account": r.account, "active": false}),
    ))
}

fn settings_json(s: &Shared) -> Value {
    json!({
        "auto_consent": s.settings.auto_consent.load(Ordering::Relaxed),
        "any_loopback_port": s.settings.any_loopback_port.load(Ordering::Relaxed),
        "rate_limit": s.settings.rate_limit.load(Ordering::Relaxed),
        "webhook_timeout_ms": s.settings.webhook_timeout_ms.load(Ordering::Relaxed),
    })
}

async fn settings(State(s): State<Arc<Shared>>) -> Response {
    json_value(&settings_json(&s))
}

async fn set_settings(
    State(s): State<Arc<Shared>>,
    Json(body): Json<Map<String, Value>>,
) -> Result<Response, ApiError> {
    for (k, v) in &body {
        if k == "webhook_timeout_ms" {
            let ms = v
                .as_u64()
                .filter(|ms| (1..=600_000).contains(ms))
                .ok_or_else(|| {
                    ApiError::param_invalid(k, "webhook_timeout_ms must be between 1 and 600000")
                })?;
            s.settings.webhook_timeout_ms.store(ms, Ordering::Relaxed);
            continue;
        }
        let flag = match k.as_str() {
            "auto_consent" => &s.settings.auto_consent,
            "any_loopback_port" => &s.settings.any_loopback_port,
            "rate_limit" => &s.settings.rate_limit,
            _ => return Err(ApiError::param_unknown(k)),
        };
        let on = v
            .as_bool()
            .ok_or_else(|| ApiError::param_invalid(k, "Invalid boolean"))?;
        flag.store(on, Ordering::Relaxed);
    }
    Ok(json_value(&settings_json(&s)))
}

async fn clock(State(s): State<Arc<Shared>>) -> Response {
    json_value(&json!({"now": s.clock.now(), "offset": s.clock.offset()}))
}

async fn advance(
    State(s): State<Arc<Shared>>,
    Json(body): Json<Value>,
) -> Result<Response, ApiError> {
    let seconds = body
        .get("seconds")
        .and_then(Value::as_i64)
        .filter(|n| *n >= 0)
        .ok_or_else(|| {
            ApiError::param_invalid("seconds", "seconds must be a non-negative integer")
        })?;
    let offset = s.clock.advance(seconds);
    s.write(|w| {
        w.meta.clock_offset = offset;
        w.mark(Table::Meta, "meta");
    })?;
    Ok(json_value(&json!({"now": s.clock.now(), "offset": offset})))
}

async fn faults(State(s): State<Arc<Shared>>) -> Response {
    json_value(&json!({"data": s.faults.list()}))
}

async fn add_fault(
    State(s): State<Arc<Shared>>,
    Json(body): Json<Value>,
) -> Result<Response, ApiError> {
    let fault: Fault = parse(body)?;
    if fault.count == 0 {
        return Err(ApiError::param_invalid("count", "count must be at least 1"));
    }
    s.faults.add(fault);
    Ok(json_value(&json!({"data": s.faults.list()})))
}

async fn clear_faults(State(s): State<Arc<Shared>>) -> Response {
    s.faults.clear();
    json_value(&json!({"data": []}))
}

async fn requests(
    State(s): State<Arc<Shared>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let limit = q.get("limit").and_then(|l| l.parse().ok()).unwrap_or(100);
    json_value(&json!({"data": s.log.recent(limit)}))
}

async fn clear_requests(State(s): State<Arc<Shared>>) -> Response {
    s.log.clear();
    json_value(&json!({"data": []}))
}

async fn seed_customers(
    State(s): State<Arc<Shared>>,
    Json(body): Json<Value>,
) -> Result<Response, ApiError> {
    let count = body
        .get("count")
        .and_then(Value::as_u64)
        .filter(|n| (1..=1_000_000).contains(n))
        .ok_or_else(|| ApiError::param_invalid("count", "count must be between 1 and 1000000"))?;
    let account = body
        .get("account")
        .and_then(Value::as_str)
        .map(str::to_string);
    let now = s.clock.now();
    let ids = s.write(|w| -> Result<Vec<String>, ApiError> {
        let account = account.unwrap_or_else(|| w.meta.developer.clone());
        if !w.accounts.contains_key(&account) {
            return Err(ApiError::missing("account", &account, "account"));
        }
        let mut ids = Vec::with_capacity(count as usize);
        for n in 0..count {
            let mut params = Map::new();
            params.insert("email".into(), json!(format!("customer{n}@example.com")));
            params.insert("name".into(), json!(format!("Customer {n}")));
            let c = shapes::new_customer(now, &params)?;
            let id = c["id"].as_str().unwrap_or_default().to_string();
            w.insert_object(&account, Kind::Customer, &id, &c);
            ids.push(id);
        }
        Ok(ids)
    })??;
    let sample: Vec<&String> = ids.iter().rev().take(1000).collect();
    Ok(json_value(&json!({"created": ids.len(), "ids": sample})))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        assert!(loopback_host("127.0.0.1:8080"));
        assert!(loopback_host("localhost"));
        assert!(loopback_host("[::1]:1"));
        assert!(!loopback_host("evil.example:8080"));
        assert!(!loopback_host("127.0.0.1.evil.example"));
    }
}
