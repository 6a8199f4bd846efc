//! Products: create (optionally with your own `id`), retrieve, update,
//! delete (refused while prices refer to it, as Stripe does), list (`active`).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use serde_json::{json, Value};

use super::{bool_filter, delete_live, list_page, live, stored_json, text};
use crate::http::auth::ApiCtx;
use crate::http::errors::ApiError;
use crate::http::{json_bytes, json_value, pagination, Params};
use crate::shapes;
use crate::state::{Kind, Shared};

pub async fn create(
    State(s): State<Arc<Shared>>,
    Extension(ctx): Extension<ApiCtx>,
    Params(p): Params,
) -> Result<Response, ApiError> {
    let now = s.clock.now();
    let v = shapes::new_product(now, &p)?;
    let id = v["id"].as_str().unwrap_or_default().to_string();
    s.write(|w| {
        if w.objects.get(&id).is_some() {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_request_error",
                Some("resource_already_exists"),
                "Product already exists.",
            )
            .with_param("id"));
        }
        w.created(&ctx.account, Kind::Product, &id, &v, &ctx.origin, now);
        Ok(())
    })??;
    Ok(json_value(&v))
}

pub async fn retrieve(
    State(s): State<Arc<Shared>>,
    Extension(ctx): Extension<ApiCtx>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(json_bytes(
        StatusCode::OK,
        stored_json(&s, &ctx.account, Kind::Product, &id)?,
    ))
}

pub async fn update(
    State(s): State<Arc<Shared>>,
    Extension(ctx): Extension<ApiCtx>,
    Path(id): Path<String>,
    Params(p): Params,
) -> Result<Response, ApiError> {
    let now = s.clock.now();
    let v = s.write(|w| -> Result<Value, ApiError> {
        let mut v = live(w, &ctx.account, Kind::Product, &id)?.value();
        if let Some(price) = text(&p, "default_price") {
            let ok = w
                .objects
                .get_in(&ctx.account, Kind::Price, price)
                .is_some_and(|o| o.value()["product"] == json!(id));
            if !ok {
                return Err(ApiError::missing("price", price, "default_price")
                    .with_status(StatusCode::BAD_REQUEST));
            }
        }
        if let Some(map) = v.as_object_mut() {
            crate::params::apply(crate::params::PRODUCT_UPDATE, map, &p, &[])?;
            map.insert("updated".into(), json!(now));
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
    delete_live(&s, &ctx, Kind::Product, "product", &id, |w| {
        let has_prices = w
            .objects
            .iter_live(&ctx.account, Kind::Price)
            .any(|o| o.value()["product"] == json!(id));
        if has_prices {
            return Err(ApiError::invalid(
                "This product cannot be deleted because it has one or more user-created prices.",
            ));
        }
        Ok(())
    })
}

pub async fn list(
    State(s): State<Arc<Shared>>,
    Extension(ctx): Extension<ApiCtx>,
    Params(p): Params,
) -> Result<Response, ApiError> {
    let q = pagination::query(&p, &["active"])?;
    super::check_expand(&crate::http::form::expand_list(&p), &[])?;
    let active = bool_filter(&p, "active")?;
    let body = s.read(|w| {
        list_page(w, &ctx.account, Kind::Product, "/v1/products", &q, |o| {
            active.is_none_or(|a| o.value()["active"] == json!(a))
        })
    })?;
    Ok(json_bytes(StatusCode::OK, body))
}
