//! Prices: create (for `product`, or a new product from `product_data[name]`),
//! retrieve, update (`active`, `nickname`, `lookup_key`, `metadata`,
//! `tax_behavior`: Stripe allows no more), list (`active`, `product`, `type`,
//! `currency`). `expand[]=product` (`data.product` on lists) inlines the
//! product, and then needs the product permission too.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use serde_json::{json, Map, Value};

use super::{bool_filter, check_expand, cursor_error, text};
use crate::http::auth::ApiCtx;
use crate::http::errors::ApiError;
use crate::http::form::expand_list;
use crate::http::permissions::Need;
use crate::http::{json_bytes, json_value, pagination, Params};
use crate::shapes;
use crate::state::{Kind, Shared, World};

fn inline_product(w: &World, account: &str, price: &mut Value) {
    let product = price["product"]
        .as_str()
        .and_then(|id| w.objects.get_in(account, Kind::Product, id));
    if let Some(product) = product {
        price["product"] = product.value();
    }
}

pub async fn create(
    State(s): State<Arc<Shared>>,
    Extension(ctx): Extension<ApiCtx>,
    Params(p): Params,
) -> Result<Response, ApiError> {
    let expand = expand_list(&p);
    check_expand(&expand, &["product"])?;
    let now = s.clock.now();
    let product_data = match p.get("product_data") {
        None => None,
        Some(Value::Object(data)) => {
            ctx.require(Need::Write("product"))?;
            let mut data = data.clone();
            let name = data
                .remove("name")
                .ok_or_else(|| ApiError::param_missing("product_data[name]"))?;
            let mut params = Map::new();
            params.insert("name".into(), name);
            for (k, v) in data {
                if ![
                    "active",
                    "metadata",
                    "statement_descriptor",
                    "tax_code",
                    "unit_label",
                ]
                .contains(&k.as_str())
                {
                    return Err(ApiError::param_unknown(&format!("product_data[{k}]")));
                }
                params.insert(k, v);
            }
            Some(shapes::new_product(now, &params)?)
        }
        Some(_) => return Err(ApiError::param_invalid("product_data", "Invalid hash")),
    };
    let product_id = match (&product_data, text(&p, "product")) {
        (Some(prod), None) => prod["id"].as_str().unwrap_or_default().to_string(),
        (None, Some(id)) => id.to_string(),
        (Some(_), Some(_)) => {
            return Err(ApiError::invalid(
                "You may only specify one of these parameters: product, product_data.",
            )
            .with_param("product"))
        }
        (None, None) => return Err(ApiError::param_missing("product")),
    };
    let mut price = shapes::new_price(now, &product_id, &p)?;
    let price_id = price["id"].as_str().unwrap_or_default().to_string();
    s.write(|w| -> Result<(), ApiError> {
        match &product_data {
            Some(prod) => w.created(
                &ctx.account,
                Kind::Product,
                &product_id,
                prod,
                &ctx.origin,
                now,
            ),
            None => {
                w.objects
                    .get_in(&ctx.account, Kind::Product, &product_id)
                    .filter(|o| !o.deleted)
                    .ok_or_else(|| {
                        ApiError::missing("product", &product_id, "product")
                            .with_status(StatusCode::BAD_REQUEST)
                    })?;
            }
        }
        w.created(
            &ctx.account,
            Kind::Price,
            &price_id,
            &price,
            &ctx.origin,
            now,
        );
        Ok(())
    })??;
    if !expand.is_empty() {
        ctx.require(Need::Read("product"))?;
        s.read(|w| inline_product(w, &ctx.account, &mut price));
    }
    Ok(json_value(&price))
}

pub async fn retrieve(
    State(s): State<Arc<Shared>>,
    Extension(ctx): Extension<ApiCtx>,
    Path(id): Path<String>,
    Params(p): Params,
) -> Result<Response, ApiError> {
    super::only_params(&p, &[])?;
    let expand = expand_list(&p);
    check_expand(&expand, &["product"])?;
    if expand.is_empty() {
        return Ok(json_bytes(
            StatusCode::OK,
            super::stored_json(&s, &ctx.account, Kind::Price, &id)?,
        ));
    }
    ctx.require(Need::Read("product"))?;
    let price = s.read(|w| {
        w.objects.get_in(&ctx.account, Kind::Price, &id).map(|o| {
            let mut v = o.value();
            inline_product(w, &ctx.account, &mut v);
            v
        })
    });
    price
        .map(|v| json_value(&v))
        .ok_or_else(|| ApiError::missing("price", &id, "id"))
}

pub async fn update(
    State(s): State<Arc<Shared>>,
    Extension(ctx): Extension<ApiCtx>,
    Path(id): Path<String>,
    Params(p): Params,
) -> Result<Response, ApiError> {
    check_expand(&expand_list(&p), &[])?;
    let now = s.clock.now();
    let v = s.write(|w| -> Result<Value, ApiError> {
        let obj = w
            .objects
            .get_in(&ctx.account, Kind::Price, &id)
            .ok_or_else(|| ApiError::missing("price", &id, "id"))?;
        let mut v = obj.value();
        if let Some(map) = v.as_object_mut() {
            crate::params::apply(crate::params::PRICE_UPDATE, map, &p, &[])?;
        }
        w.updated(&id, &v, &ctx.origin, now);
        Ok(v)
    })??;
    Ok(json_value(&v))
}

pub async fn list(
    State(s): State<Arc<Shared>>,
    Extension(ctx): Extension<ApiCtx>,
    Params(p): Params,
) -> Result<Response, ApiError> {
    let q = pagination::query(&p, &["active", "product", "type", "currency"])?;
    let expand = expand_list(&p);
    check_expand(&expand, &["data.product"])?;
    if !expand.is_empty() {
        ctx.require(Need::Read("product"))?;
    }
    let active = bool_filter(&p, "active")?;
    let filters: Vec<(&str, Value)> = ["product", "type", "currency"]
        .into_iter()
        .filter_map(|k| text(&p, k).map(|v| (k, json!(v))))
        .collect();
    let body = s.read(|w| {
        let (items, more) = w
            .objects
            .page(&ctx.account, Kind::Price, &q, |o| {
                if active.is_none() && filters.is_empty() {
                    return true;
                }
                let v = o.value();
                active.is_none_or(|a| v["active"] == json!(a))
                    && filters.iter().all(|(k, want)| &v[*k] == want)
            })
            .map_err(cursor_error(Kind::Price))?;
        if expand.is_empty() {
            return Ok::<_, ApiError>(pagination::body(
                "/v1/prices",
                items.iter().map(|o| &o.json[..]),
                more,
            ));
        }
        let expanded: Vec<Vec<u8>> = items
            .iter()
            .map(|o| {
                let mut v = o.value();
                inline_product(w, &ctx.account, &mut v);
                serde_json::to_vec(&v).unwrap_or_default()
            })
            .collect();
        Ok(pagination::body(
            "/v1/prices",
            expanded.iter().map(Vec::as_slice),
            more,
        ))
    })?;
    Ok(json_bytes(StatusCode::OK, body))
}
