//! Object shapes, from Stripe's own fixtures.
//!
//! The templates are Stripe's sample objects (`data/stripe-openapi-fixtures3.json`,
//! from github.com/stripe/openapi, MIT, embedded at build time) with the sample
//! values a new object would not have reset (no discount, no shipping…); the
//! constructors fill ids and timestamps and apply the request's parameters
//! through the tables in `params`.
//!
//! Why templates from fixtures: the objects keep every field Stripe's own
//! libraries expect, without hand-copying shapes.

use std::sync::OnceLock;

use serde_json::{json, Map, Value};

use crate::http::errors::ApiError;
use crate::ids;
use crate::params::{apply, required, CUSTOMER, PRICE_CREATE, PRODUCT_CREATE};

static FIXTURES: &str = include_str!("../data/stripe-openapi-fixtures3.json");

fn templates() -> &'static Map<String, Value> {
    static T: OnceLock<Map<String, Value>> = OnceLock::new();
    T.get_or_init(|| {
        let all: Value = serde_json::from_str(FIXTURES).unwrap_or(Value::Null);
        all.get("resources")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    })
}

/// A copy of Stripe's sample object for `resource` (e.g. `"customer"`).
pub fn template(resource: &str) -> Map<String, Value> {
    templates()
        .get(resource)
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

pub fn new_customer(now: i64, params: &Map<String, Value>) -> Result<Value, ApiError> {
    let mut c = template("customer");
    for (k, v) in [
        ("id", json!(ids::with_prefix("cus_", 14))),
        ("created", json!(now)),
        ("livemode", json!(false)),
        ("address", Value::Null),
        ("currency", Value::Null),
        ("discount", Value::Null),
        ("shipping", Value::Null),
        ("email", Value::Null),
        ("name", Value::Null),
        ("phone", Value::Null),
        ("description", Value::Null),
        ("balance", json!(0)),
        ("metadata", json!({})),
        ("invoice_prefix", json!(ids::invoice_prefix())),
    ] {
        c.insert(k.to_string(), v);
    }
    apply(CUSTOMER, &mut c, params, &[])?;
    Ok(Value::Object(c))
}

pub fn new_product(now: i64, params: &Map<String, Value>) -> Result<Value, ApiError> {
    required(params, "name")?;
    let mut p = template("product");
    for (k, v) in [
        ("id", json!(ids::with_prefix("prod_", 14))),
        ("created", json!(now)),
        ("updated", json!(now)),
        ("livemode", json!(false)),
        ("default_price", Value::Null),
        ("description", Value::Null),
        ("package_dimensions", Value::Null),
        ("images", json!([])),
        ("metadata", json!({})),
        ("type", json!("service")),
    ] {
        p.insert(k.to_string(), v);
    }
    apply(PRODUCT_CREATE, &mut p, params, &[])?;
    if let Some(id) = p.get("id").and_then(Value::as_str) {
        if id.is_empty() || id.len() > 255 {
            return Err(ApiError::param_invalid("id", "Invalid id"));
        }
    }
    Ok(Value::Object(p))
}

/// A price of `product` (the caller checks that the product exists).
pub fn new_price(now: i64, product: &str, params: &Map<String, Value>) -> Result<Value, ApiError> {
    required(params, "currency")?;
    if !params.contains_key("unit_amount") && !params.contains_key("unit_amount_decimal") {
        return Err(ApiError::param_missing("unit_amount"));
    }
    let mut p = template("price");
    for (k, v) in [
        ("id", json!(ids::with_prefix("price_", 24))),
        ("created", json!(now)),
        ("livemode", json!(false)),
        ("product", json!(product)),
        ("custom_unit_amount", Value::Null),
        ("transform_quantity", Value::Null),
        ("recurring", Value::Null),
        ("lookup_key", Value::Null),
        ("nickname", Value::Null),
        ("metadata", json!({})),
        ("unit_amount", Value::Null),
    ] {
        p.insert(k.to_string(), v);
    }
    apply(PRICE_CREATE, &mut p, params, &["product", "product_data"])?;
    if let Some(cur) = p.get("currency").and_then(Value::as_str) {
        p.insert("currency".into(), json!(cur.to_ascii_lowercase()));
    }
    if let Some(Value::Object(rec)) = p.get_mut("recurring") {
        if rec.get("interval").is_none_or(Value::is_null) {
            return Err(ApiError::param_missing("recurring[interval]"));
        }
        if rec.get("interval_count").is_none_or(Value::is_null) {
            rec.insert("interval_count".into(), json!(1));
        }
        if rec.get("usage_type").is_none_or(Value::is_null) {
            rec.insert("usage_type".into(), json!("licensed"));
        }
        rec.insert("meter".into(), Value::Null);
    }
    let recurring = p.get("recurring").is_some_and(Value::is_object);
    p.insert(
        "type".into(),
        json!(if recurring { "recurring" } else { "one_time" }),
    );
    let decimal = match (
        p.get("unit_amount").cloned(),
        p.get("unit_amount_decimal").cloned(),
    ) {
        (Some(Value::Number(n)), _) => Value::String(n.to_string()),
        (_, Some(Value::String(d))) => {
            if let Ok(n) = d.parse::<i64>() {
                p.insert("unit_amount".into(), json!(n));
            }
            Value::String(d)
        }
        _ => Value::Null,
    };
    p.insert("unit_amount_decimal".into(), decimal);
    Ok(Value::Object(p))
}

pub fn new_secret(now: i64, name: &str, scope: Value, expires_at: Option<i64>) -> Value {
    json!({
        "id": ids::with_prefix("appsecret_", 30),
        "object": "apps.secret",
        "created": now,
        "expires_at": expires_at,
        "livemode": false,
        "name": name,
        "scope": scope,
    })
}

/// `GET /v1/account` for an account.
pub fn account(a: &crate::state::Account) -> Value {
    let mut v = template("account");
    for (k, val) in [
        ("id", json!(a.id)),
        ("email", json!(a.email)),
        ("created", json!(a.created)),
        ("charges_enabled", json!(true)),
        ("payouts_enabled", json!(true)),
        ("details_submitted", json!(true)),
    ] {
        v.insert(k.to_string(), val);
    }
    if let Some(Value::Object(bp)) = v.get_mut("business_profile") {
        bp.insert("name".into(), json!(a.display_name));
    }
    if let Some(Value::Object(settings)) = v.get_mut("settings") {
        if let Some(Value::Object(dash)) = settings.get_mut("dashboard") {
            dash.insert("display_name".into(), json!(a.display_name));
        }
    }
    if let Some(Value::Object(ext)) = v.get_mut("external_accounts") {
        ext.insert(
            "url".into(),
            json!(format!("/v1/accounts/{}/external_accounts", a.id)),
        );
    }
    Value::Object(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn customer_from_form_strings() {
        let c = new_customer(
            10,
            &params(json!({"email": "a@b.c", "balance": "-5", "metadata": {"plan": "pro"}, "address": {"city": "Oslo"}})),
        )
        .unwrap();
        assert_eq!(c["object"], "customer");
        assert_eq!(c["balance"], -5, "integers are coerced from form strings");
        assert_eq!(c["metadata"]["plan"], "pro");
        assert_eq!(c["address"]["city"], "Oslo");
        assert_eq!(
            c["address"]["line1"],
            Value::Null,
            "unset sub-fields are null"
        );
        assert_eq!(
            c["discount"],
            Value::Null,
            "the fixture's sample discount is not kept"
        );
        assert!(c["id"].as_str().unwrap().starts_with("cus_"));
    }

    #[test]
    fn unknown_and_invalid_params_are_errors() {
        let e = new_customer(0, &params(json!({"emial": "x"}))).unwrap_err();
        assert_eq!(e.code, Some("parameter_unknown"));
        assert_eq!(e.param.as_deref(), Some("emial"));
        let e = new_customer(0, &params(json!({"address": {"town": "x"}}))).unwrap_err();
        assert_eq!(e.param.as_deref(), Some("address[town]"));
        let e = new_customer(0, &params(json!({"balance": "ten"}))).unwrap_err();
        assert_eq!(e.code, Some("parameter_invalid_integer"));
        let e = new_product(0, &params(json!({}))).unwrap_err();
        assert_eq!(e.code, Some("parameter_missing"));
    }

    #[test]
    fn prices_derive_type_and_decimal() {
        let p = new_price(0, "prod_1", &params(json!({"currency": "USD", "unit_amount": "900", "recurring": {"interval": "month"}}))).unwrap();
        assert_eq!(p["type"], "recurring");
        assert_eq!(p["currency"], "usd");
        assert_eq!(p["unit_amount_decimal"], "900");
        assert_eq!(p["recurring"]["interval_count"], 1);
        let p = new_price(
            0,
            "prod_1",
            &params(json!({"currency": "usd", "unit_amount": "5"})),
        )
        .unwrap();
        assert_eq!(p["type"], "one_time");
        assert!(new_price(0, "prod_1", &params(json!({"currency": "usd"}))).is_err());
    }
}
