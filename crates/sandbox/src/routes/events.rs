//! Events: `GET /v1/events` (filter `type`, newest first) and
//! `GET /v1/events/{id}`. The sandbox records `account.application.authorized`
//! and `account.application.deauthorized` on the installing account.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use serde_json::{json, Value};

use super::{cursor_error, stored_json, text};
use crate::http::auth::ApiCtx;
use crate::http::errors::ApiError;
use crate::http::{json_bytes, pagination, Params};
use crate::state::{Kind, Shared};

pub async fn list(
    State(s): State<Arc<Shared>>,
    Extension(ctx): Extension<ApiCtx>,
    Params(p): Params,
) -> Result<Response, ApiError> {
    let q = pagination::query(&p, &["type"])?;
    super::check_expand(&crate::http::form::expand_list(&p), &[])?;
    let kind: Option<Value> = text(&p, "type").map(|t| json!(t));
    let body = s.read(|w| {
        let (items, more) = w
            .objects
            .page(&ctx.account, Kind::Event, &q, |o| {
                kind.as_ref().is_none_or(|t| &o.value()["type"] == t)
            })
            .map_err(cursor_error(Kind::Event))?;
        Ok::<_, ApiError>(pagination::body(
            "/v1/events",
            items.iter().map(|o| &o.json[..]),
            more,
        ))
    })?;
    Ok(json_bytes(StatusCode::OK, body))
}

pub async fn retrieve(
    State(s): State<Arc<Shared>>,
    Extension(ctx): Extension<ApiCtx>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(json_bytes(
        StatusCode::OK,
        stored_json(&s, &ctx.account, Kind::Event, &id)?,
    ))
}
