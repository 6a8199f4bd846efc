//! Request handlers, one module per resource or page, and the helpers they
//! share (retrieve by id within the caller's account, expansion checks).
//!
//! Invariant: a handler only sees objects of the account in its `ApiCtx`; an
//! id of another account is "No such …", exactly like an unknown id.

pub mod account;
pub mod authorize;
pub mod control;
pub mod customers;
pub mod events;
pub mod install_link;
pub mod oauth_token;
pub mod prices;
pub mod products;
pub mod provider;
pub mod secrets;
pub mod webhook_endpoints;

use axum::body::Bytes;
use axum::response::Response;
use serde_json::{json, Map, Value};

use crate::http::auth::ApiCtx;
use crate::http::errors::ApiError;
use crate::http::{json_value, pagination};
use crate::state::{Kind, ListQuery, PageError, Shared, StoredObject, World};

/// The stored JSON of `id` if it is a `kind` of `account` (deleted ones too).
pub fn stored_json(s: &Shared, account: &str, kind: Kind, id: &str) -> Result<Bytes, ApiError> {
    s.read(|w| w.objects.get_in(account, kind, id).map(|o| o.json.clone()))
        .ok_or_else(|| ApiError::missing(kind.noun(), id, "id"))
}

/// `id` if it is a live (not deleted) `kind` of `account`; else "No such …".
pub fn live<'a>(
    w: &'a World,
    account: &str,
    kind: Kind,
    id: &str,
) -> Result<&'a StoredObject, ApiError> {
    w.objects
        .get_in(account, kind, id)
        .filter(|o| !o.deleted)
        .ok_or_else(|| ApiError::missing(kind.noun(), id, "id"))
}

/// Deletes the live `kind` `id` of the caller's account (recording its
/// event) when `allowed` agrees; answers Stripe's `{id, object, deleted}`.
pub fn delete_live(
    s: &Shared,
    ctx: &ApiCtx,
    kind: Kind,
    object: &str,
    id: &str,
    allowed: impl FnOnce(&World) -> Result<(), ApiError>,
) -> Result<Response, ApiError> {
    let gone = json!({"id": id, "object": object, "deleted": true});
    let now = s.clock.now();
    s.write(|w| -> Result<(), ApiError> {
        live(w, &ctx.account, kind, id)?;
        allowed(w)?;
        w.deleted(id, &gone, &ctx.origin, now);
        Ok(())
    })??;
    Ok(json_value(&gone))
}

/// One page of `kind` in `account` (those `keep` accepts) as Stripe's list
/// body for `url`.
pub fn list_page(
    w: &World,
    account: &str,
    kind: Kind,
    url: &str,
    q: &ListQuery,
    keep: impl FnMut(&StoredObject) -> bool,
) -> Result<Vec<u8>, ApiError> {
    let (items, more) = w
        .objects
        .page(account, kind, q, keep)
        .map_err(cursor_error(kind))?;
    Ok(pagination::body(
        url,
        items.iter().map(|o| &o.json[..]),
        more,
    ))
}

/// Fails unless every `expand[]` entry is one of `allowed`.
pub fn check_expand(expand: &[String], allowed: &[&str]) -> Result<(), ApiError> {
    match expand.iter().find(|e| !allowed.contains(&e.as_str())) {
        None => Ok(()),
        Some(bad) => Err(
            ApiError::invalid(format!("This property cannot be expanded ({bad})."))
                .with_param("expand"),
        ),
    }
}

/// Fails on the first parameter not in `allowed` (plus `expand`).
pub fn only_params(params: &Map<String, Value>, allowed: &[&str]) -> Result<(), ApiError> {
    match params
        .keys()
        .find(|k| k.as_str() != "expand" && !allowed.contains(&k.as_str()))
    {
        None => Ok(()),
        Some(k) => Err(ApiError::param_unknown(k)),
    }
}

/// A string parameter, if present and non-empty.
pub fn text<'a>(params: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    params
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// A boolean list filter (`active=true`).
pub fn bool_filter(params: &Map<String, Value>, key: &str) -> Result<Option<bool>, ApiError> {
    match params.get(key) {
        None => Ok(None),
        Some(v) => match v.as_str() {
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            _ => Err(ApiError::param_invalid(key, "Invalid boolean")),
        },
    }
}

/// A list cursor naming no object of the list.
pub fn cursor_error(kind: Kind) -> impl Fn(PageError) -> ApiError {
    move |e| ApiError::missing(kind.noun(), &e.id, e.param)
}
