//! Secret Store (`/v1/apps/secrets`): create-or-replace, find, delete, list.
//!
//! Invariants:
//! - A secret is identified by (account, app, scope, name): an app's token
//!   (or its developer's key with `Stripe-Account`) sees only that app's
//!   secrets; an account's own keys see the account's own namespace.
//! - `scope[type]` is `account` or `user` (then `scope[user]` is required).
//!   At most 10 live secrets per scope; past `expires_at` a secret is neither
//!   found nor listed (and no longer counts).
//! - The payload is returned only with `expand[]=payload`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use serde_json::{json, Map, Value};

use super::{check_expand, list_page, only_params, text};
use crate::http::auth::ApiCtx;
use crate::http::errors::ApiError;
use crate::http::form::expand_list;
use crate::http::{json_bytes, json_value, pagination, Params};
use crate::shapes;
use crate::state::objects::secret_identity;
use crate::state::{Kind, Shared, StoredObject};

pub const PER_SCOPE: usize = 10;
const MAX_PAYLOAD: usize = 5000;

/// `scope[type]` and `scope[user]`, validated, as (type, user, JSON).
fn scope(p: &Map<String, Value>) -> Result<(String, String, Value), ApiError> {
    let scope = match p.get("scope") {
        Some(Value::Object(s)) => s,
        Some(_) => return Err(ApiError::param_invalid("scope", "Invalid hash")),
        None => return Err(ApiError::param_missing("scope")),
    };
    if let Some(k) = scope.keys().find(|k| *k != "type" && *k != "user") {
        return Err(ApiError::param_unknown(&format!("scope[{k}]")));
    }
    let kind = scope
        .get("type")
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::param_missing("scope[type]"))?;
    let user = scope
        .get("user")
        .and_then(Value::as_str)
        .unwrap_or_default();
    match kind {
        "account" if user.is_empty() => {
            Ok(("account".into(), String::new(), json!({"type": "account"})))
        }
        "account" => Err(ApiError::param_invalid(
            "scope[user]",
            "scope[user] can only be given with scope[type]=user",
        )),
        "user" if !user.is_empty() => Ok((
            "user".into(),
            user.to_string(),
            json!({"type": "user", "user": user}),
        )),
        "user" => Err(ApiError::param_missing("scope[user]")),
        _ => Err(ApiError::param_invalid(
            "scope[type]",
            "Invalid scope[type]: must be one of account, user",
        )),
    }
}

fn live(o: &StoredObject, now: i64) -> bool {
    !o.deleted && o.expires_at.is_none_or(|t| t > now)
}

fn with_payload(o: &StoredObject, expand: bool) -> Value {
    let mut v = o.value();
    if expand {
        v["payload"] = json!(o.private);
    }
    v
}

pub async fn create(
    State(s): State<Arc<Shared>>,
    Extension(ctx): Extension<ApiCtx>,
    Params(p): Params,
) -> Result<Response, ApiError> {
    only_params(&p, &["name", "payload", "scope", "expires_at"])?;
    let expand = expand_list(&p);
    check_expand(&expand, &["payload"])?;
    let name = text(&p, "name")
        .ok_or_else(|| ApiError::param_missing("name"))?
        .to_string();
    let payload = text(&p, "payload")
        .ok_or_else(|| ApiError::param_missing("payload"))?
        .to_string();
    if payload.chars().count() > MAX_PAYLOAD {
        return Err(ApiError::param_invalid(
            "payload",
            "The payload can have up to 5000 characters.",
        ));
    }
    let (scope_type, user, scope_json) = scope(&p)?;
    let now = s.clock.now();
    let expires_at = match p.get("expires_at") {
        None => None,
        Some(v) => {
            let t = crate::params::coerce(&crate::params::P::Int, v, "expires_at")?.as_i64();
            match t {
                Some(t) if t > now => Some(t),
                Some(_) => {
                    return Err(ApiError::param_invalid(
                        "expires_at",
                        "expires_at must be in the future.",
                    ))
                }
                None => None,
            }
        }
    };
    let identity = secret_identity(&ctx.account, &ctx.namespace, &scope_type, &user, &name);
    let obj = s.write(|w| -> Result<StoredObject, ApiError> {
        let existing = w.objects.secret_id(&identity).cloned();
        let in_scope = w
            .objects
            .iter_live(&ctx.account, Kind::Secret)
            .filter(|o| live(o, now))
            .filter(|o| {
                o.identity.as_deref().is_some_and(|i| {
                    i.starts_with(&secret_identity(&ctx.account, &ctx.namespace, &scope_type, &user, ""))
                })
            })
            .count();
        let replacing = existing
            .as_ref()
            .and_then(|id| w.objects.get(id))
            .is_some_and(|o| live(o, now));
        if !replacing && in_scope >= PER_SCOPE {
            return Err(ApiError::invalid(format!(
                "You can store at most {PER_SCOPE} secrets per scope. Delete one before adding another."
            ))
            .with_param("name"));
        }
        let mut value = shapes::new_secret(now, &name, scope_json, expires_at);
        if let Some(id) = &existing {
            value["id"] = json!(id);
        }
        let id = value["id"].as_str().unwrap_or_default().to_string();
        let seq = w.next_seq();
        let mut obj = StoredObject::new(&ctx.account, Kind::Secret, seq, &value);
        obj.identity = Some(identity.clone());
        obj.private = Some(payload.clone());
        obj.expires_at = expires_at;
        w.created_stored(&id, obj.clone(), &ctx.origin, now);
        Ok(obj)
    })??;
    Ok(json_value(&with_payload(&obj, !expand.is_empty())))
}

fn find_live(
    s: &Shared,
    ctx: &ApiCtx,
    p: &Map<String, Value>,
) -> Result<(String, StoredObject), ApiError> {
    let name = text(p, "name").ok_or_else(|| ApiError::param_missing("name"))?;
    let (scope_type, user, _) = scope(p)?;
    let identity = secret_identity(&ctx.account, &ctx.namespace, &scope_type, &user, name);
    let now = s.clock.now();
    s.read(|w| {
        w.objects
            .secret_id(&identity)
            .and_then(|id| w.objects.get(id).map(|o| (id.clone(), o.clone())))
    })
    .filter(|(_, o)| live(o, now))
    .ok_or_else(|| ApiError::missing("secret", name, "name"))
}

pub async fn find(
    State(s): State<Arc<Shared>>,
    Extension(ctx): Extension<ApiCtx>,
    Params(p): Params,
) -> Result<Response, ApiError> {
    only_params(&p, &["name", "scope"])?;
    let expand = expand_list(&p);
    check_expand(&expand, &["payload"])?;
    let (_, obj) = find_live(&s, &ctx, &p)?;
    Ok(json_value(&with_payload(&obj, !expand.is_empty())))
}

pub async fn delete(
    State(s): State<Arc<Shared>>,
    Extension(ctx): Extension<ApiCtx>,
    Params(p): Params,
) -> Result<Response, ApiError> {
    only_params(&p, &["name", "scope"])?;
    check_expand(&expand_list(&p), &[])?;
    let (id, obj) = find_live(&s, &ctx, &p)?;
    let mut gone = obj.value();
    gone["deleted"] = json!(true);
    let now = s.clock.now();
    s.write(|w| w.deleted(&id, &gone, &ctx.origin, now))?;
    Ok(json_value(&gone))
}

pub async fn list(
    State(s): State<Arc<Shared>>,
    Extension(ctx): Extension<ApiCtx>,
    Params(p): Params,
) -> Result<Response, ApiError> {
    let q = pagination::query(&p, &["scope"])?;
    check_expand(&expand_list(&p), &[])?;
    let (scope_type, user, _) = scope(&p)?;
    let prefix = secret_identity(&ctx.account, &ctx.namespace, &scope_type, &user, "");
    let now = s.clock.now();
    let body = s.read(|w| {
        list_page(w, &ctx.account, Kind::Secret, "/v1/apps/secrets", &q, |o| {
            live(o, now)
                && o.identity
                    .as_deref()
                    .is_some_and(|i| i.starts_with(&prefix))
        })
    })?;
    Ok(json_bytes(StatusCode::OK, body))
}
