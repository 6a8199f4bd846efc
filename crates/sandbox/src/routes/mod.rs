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
use serde_json::{Map, Value};

use crate::http::errors::ApiError;
use crate::state::{Kind, PageError, Shared};

/// The stored JSON of `id` if it is a `kind` of `account` (deleted ones too).
pub fn stored_json(s: &Shared, account: &str, kind: Kind, id: &str) -> Result<Bytes, ApiError> {
    s.read(|w| w.objects.get_in(account, kind, id).map(|o| o.json.clone()))
        .ok_or_else(|| ApiError::missing(kind.noun(), id, "id"))
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
