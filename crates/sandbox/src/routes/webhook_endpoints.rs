//! Webhook endpoints (`/v1/webhook_endpoints`): create, retrieve, update,
//! list, delete, as Stripe's API reference gives them (docs/stripe-fidelity.md).
//!
//! - Create takes `url` and `enabled_events` (required), `api_version`,
//!   `connect`, `description`, `metadata`; update takes `url`,
//!   `enabled_events`, `disabled`, `description`, `metadata`. The object:
//!   `id` (`we_…`), `object`, `api_version`, `application`, `created`,
//!   `description`, `enabled_events`, `livemode`, `metadata`, `status`
//!   (`enabled`/`disabled`), `url`; `secret` (`whsec_…`) in the create
//!   response only. `connect` is not part of Stripe's object.
//! - `enabled_events` entries are `*` or one of Stripe's event types
//!   (`events::types`); anything else is Stripe's enum error naming the entry.
//! - The URL must be a loopback one (`127.0.0.1`, `localhost`, `[::1]`, any
//!   port): the sandbox delivers nowhere else. That is the opposite of Stripe,
//!   which wants a public URL; the error says so.
//!
//! Invariant: the signing secret leaves the sandbox in the create response
//! and in signatures only.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use serde_json::{json, Map, Value};

use super::{check_expand, delete_live, list_page, live, only_params};
use crate::events::types;
use crate::http::auth::ApiCtx;
use crate::http::errors::ApiError;
use crate::http::form::expand_list;
use crate::http::{json_bytes, json_value, pagination, Params};
use crate::ids;
use crate::params::{apply, coerce, required, P};
use crate::state::{Kind, Shared, StoredObject};

const COMMON: &[(&str, P)] = &[("description", P::Str), ("metadata", P::Meta)];

/// The parameters of [`COMMON`] that `p` holds.
fn common(p: &Map<String, Value>) -> Map<String, Value> {
    p.iter()
        .filter(|(k, _)| COMMON.iter().any(|(c, _)| c == k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// `url`, when it is an http(s) URL on a loopback host.
fn loopback_url(v: &Value) -> Result<String, ApiError> {
    let given = v.as_str().unwrap_or_default();
    let bad = |why: &str| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            Some("url_invalid"),
            format!("Invalid URL: {why}"),
        )
        .with_param("url")
    };
    let url = url::Url::parse(given).map_err(|_| bad(&format!("{given:?} is not a URL.")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("the URL must use http or https."));
    }
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    if !loopback {
        return Err(bad(&format!(
            "the Appdeck sandbox delivers webhooks to loopback URLs only (127.0.0.1, localhost or [::1], any port), and {given} is not one. Stripe itself needs a public URL; `appdeck sandbox listen --forward-to` reaches a local server from the sandbox."
        )));
    }
    Ok(given.to_string())
}

/// `enabled_events`: a non-empty list of `*` or known event types.
fn enabled_events(v: &Value) -> Result<Vec<String>, ApiError> {
    let list = match v {
        Value::Array(items) => items,
        Value::String(s) if s.is_empty() => return Err(ApiError::param_missing("enabled_events")),
        _ => return Err(ApiError::param_invalid("enabled_events", "Invalid array")),
    };
    if list.is_empty() {
        return Err(ApiError::param_missing("enabled_events"));
    }
    list.iter()
        .enumerate()
        .map(|(i, e)| {
            let name = format!("enabled_events[{i}]");
            match e.as_str() {
                Some(t) if t == "*" || types::is_known(t) => Ok(t.to_string()),
                Some(_) => Err(ApiError::param_invalid(
                    &name,
                    &format!(
                        "Invalid {name}: must be one of *, {}",
                        types::all().join(", ")
                    ),
                )),
                None => Err(ApiError::param_invalid(&name, "Invalid string")),
            }
        })
        .collect()
}

/// `api_version`: `YYYY-MM-DD`, optionally `.name` (Stripe's version format).
fn api_version(v: &Value) -> Result<Value, ApiError> {
    let s = v.as_str().unwrap_or_default();
    let (date, name) = s.split_once('.').unwrap_or((s, "x"));
    let ok = date.len() == 10
        && date.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
        && !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_lowercase());
    if !ok {
        return Err(ApiError::param_invalid(
            "api_version",
            &format!("Invalid api_version: {s}"),
        ));
    }
    Ok(json!(s))
}

pub async fn create(
    State(s): State<Arc<Shared>>,
    Extension(ctx): Extension<ApiCtx>,
    Params(p): Params,
) -> Result<Response, ApiError> {
    only_params(
        &p,
        &[
            "url",
            "enabled_events",
            "api_version",
            "connect",
            "description",
            "metadata",
        ],
    )?;
    check_expand(&expand_list(&p), &[])?;
    let url = loopback_url(required(&p, "url")?)?;
    let events = enabled_events(required(&p, "enabled_events")?)?;
    let version = match p.get("api_version") {
        None => Value::Null,
        Some(v) => api_version(v)?,
    };
    let connect = match p.get("connect") {
        None => false,
        Some(v) => coerce(&P::Bool, v, "connect")?.as_bool().unwrap_or(false),
    };
    let now = s.clock.now();
    let application = s.read(|w| {
        w.apps
            .get(&ctx.namespace)
            .map(|a| json!(a.client_id))
            .unwrap_or(Value::Null)
    });
    let mut v = json!({
        "id": ids::with_prefix("we_", 24),
        "object": "webhook_endpoint",
        "api_version": version,
        "application": application,
        "created": now,
        "description": null,
        "enabled_events": events,
        "livemode": false,
        "metadata": {},
        "status": "enabled",
        "url": url,
    });
    if let Some(map) = v.as_object_mut() {
        apply(COMMON, map, &common(&p), &[])?;
    }
    let id = v["id"].as_str().unwrap_or_default().to_string();
    let secret = ids::with_prefix("whsec_", 32);
    s.write(|w| {
        let seq = w.next_seq();
        let mut obj = StoredObject::new(&ctx.account, Kind::WebhookEndpoint, seq, &v);
        obj.private = Some(secret.clone());
        obj.connect = connect;
        w.created_stored(&id, obj, &ctx.origin, now);
    })?;
    // Stripe's order: `secret` before `status`.
    let mut shown = Map::new();
    for (k, val) in v.as_object().cloned().unwrap_or_default() {
        if k == "status" {
            shown.insert("secret".into(), json!(secret));
        }
        shown.insert(k, val);
    }
    Ok(json_value(&Value::Object(shown)))
}

pub async fn retrieve(
    State(s): State<Arc<Shared>>,
    Extension(ctx): Extension<ApiCtx>,
    Path(id): Path<String>,
    Params(p): Params,
) -> Result<Response, ApiError> {
    only_params(&p, &[])?;
    check_expand(&expand_list(&p), &[])?;
    // A deleted endpoint is gone (no tombstone answer, unlike customers).
    let body =
        s.read(|w| live(w, &ctx.account, Kind::WebhookEndpoint, &id).map(|o| o.json.clone()))?;
    Ok(json_bytes(StatusCode::OK, body))
}

pub async fn update(
    State(s): State<Arc<Shared>>,
    Extension(ctx): Extension<ApiCtx>,
    Path(id): Path<String>,
    Params(p): Params,
) -> Result<Response, ApiError> {
    only_params(
        &p,
        &[
            "url",
            "enabled_events",
            "disabled",
            "description",
            "metadata",
        ],
    )?;
    check_expand(&expand_list(&p), &[])?;
    let url = p.get("url").map(loopback_url).transpose()?;
    let events = p.get("enabled_events").map(enabled_events).transpose()?;
    let disabled = match p.get("disabled") {
        None => None,
        Some(v) => coerce(&P::Bool, v, "disabled")?.as_bool(),
    };
    let common = common(&p);
    let now = s.clock.now();
    let v = s.write(|w| -> Result<Value, ApiError> {
        let mut v = live(w, &ctx.account, Kind::WebhookEndpoint, &id)?.value();
        if let Some(url) = url {
            v["url"] = json!(url);
        }
        if let Some(events) = events {
            v["enabled_events"] = json!(events);
        }
        if let Some(d) = disabled {
            v["status"] = json!(if d { "disabled" } else { "enabled" });
        }
        if let Some(map) = v.as_object_mut() {
            apply(COMMON, map, &common, &[])?;
        }
        w.updated(&id, &v, &ctx.origin, now);
        Ok(v)
    })??;
    Ok(json_value(&v))
}

pub async fn delete(
    State(s): State<Arc<Shared>>,
    Extension(ctx): Extension<ApiCtx>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    delete_live(
        &s,
        &ctx,
        Kind::WebhookEndpoint,
        "webhook_endpoint",
        &id,
        |_| Ok(()),
    )
}

pub async fn list(
    State(s): State<Arc<Shared>>,
    Extension(ctx): Extension<ApiCtx>,
    Params(p): Params,
) -> Result<Response, ApiError> {
    let q = pagination::query(&p, &[])?;
    check_expand(&expand_list(&p), &[])?;
    let body = s.read(|w| {
        list_page(
            w,
            &ctx.account,
            Kind::WebhookEndpoint,
            "/v1/webhook_endpoints",
            &q,
            |_| true,
        )
    })?;
    Ok(json_bytes(StatusCode::OK, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_urls_only() {
        for ok in [
            "http://127.0.0.1:4242/webhook",
            "http://localhost:3000/hooks",
            "https://LOCALHOST/x",
            "http://[::1]:8080/",
            "http://127.0.0.2/",
        ] {
            assert!(loopback_url(&json!(ok)).is_ok(), "{ok}");
        }
        for bad in [
            "https://example.com/webhook",
            "http://localhost.example.com/",
            "http://10.0.0.1/",
            "ftp://127.0.0.1/",
            "not a url",
        ] {
            let e = loopback_url(&json!(bad)).unwrap_err();
            assert_eq!(e.param.as_deref(), Some("url"), "{bad}");
            assert_eq!(e.code, Some("url_invalid"));
        }
    }

    #[test]
    fn enabled_events_are_stripes_types_or_star() {
        assert_eq!(
            enabled_events(&json!(["*", "customer.created"])).unwrap(),
            ["*", "customer.created"]
        );
        let e = enabled_events(&json!(["customer.created", "customer.craeted"])).unwrap_err();
        assert_eq!(e.param.as_deref(), Some("enabled_events[1]"));
        assert!(e
            .message
            .starts_with("Invalid enabled_events[1]: must be one of *, account."));
        assert_eq!(
            enabled_events(&json!([])).unwrap_err().code,
            Some("parameter_missing")
        );
    }

    #[test]
    fn api_versions_have_stripes_format() {
        assert!(api_version(&json!("2024-06-20")).is_ok());
        assert!(api_version(&json!("2025-03-31.basil")).is_ok());
        assert!(api_version(&json!("2024-6-20")).is_err());
        assert!(api_version(&json!("latest")).is_err());
        assert!(api_version(&json!("2024-06-20.")).is_err());
    }
}
