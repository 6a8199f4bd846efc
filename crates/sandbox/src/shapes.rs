//! Object shapes and create/update parameters, from Stripe's own fixtures.
//!
//! The templates are Stripe's sample objects (`data/stripe-openapi-fixtures3.json`,
//! from github.com/stripe/openapi, MIT, embedded at build time) with the sample
//! values a new object would not have reset (no discount, no shipping…). The
//! parameters each endpoint accepts are data (`CUSTOMER`, `PRODUCT_CREATE`, …):
//! an unknown parameter is Stripe's `parameter_unknown`, a bad value
//! `parameter_invalid_*`, and form strings are coerced to the field's type.
//!
//! Why data tables: a new field is a one-line change, and the same tables
//! validate creates, updates and the seed.

use std::sync::OnceLock;

use serde_json::{json, Map, Value};

use crate::http::errors::ApiError;
use crate::ids;

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

/// The type of one parameter.
#[derive(Debug)]
pub enum P {
    Str,
    Int,
    Bool,
    Meta,
    StrList,
    Enum(&'static [&'static str]),
    Obj(&'static [(&'static str, P)]),
}

const ADDRESS: &[(&str, P)] = &[
    ("city", P::Str),
    ("country", P::Str),
    ("line1", P::Str),
    ("line2", P::Str),
    ("postal_code", P::Str),
    ("state", P::Str),
];
const SHIPPING: &[(&str, P)] = &[
    ("address", P::Obj(ADDRESS)),
    ("name", P::Str),
    ("phone", P::Str),
];

pub const CUSTOMER: &[(&str, P)] = &[
    ("address", P::Obj(ADDRESS)),
    ("balance", P::Int),
    ("description", P::Str),
    ("email", P::Str),
    ("invoice_prefix", P::Str),
    ("metadata", P::Meta),
    ("name", P::Str),
    ("phone", P::Str),
    ("preferred_locales", P::StrList),
    ("shipping", P::Obj(SHIPPING)),
    ("tax_exempt", P::Enum(&["none", "exempt", "reverse"])),
];

pub const PRODUCT_CREATE: &[(&str, P)] = &[
    ("active", P::Bool),
    ("description", P::Str),
    ("id", P::Str),
    ("images", P::StrList),
    ("metadata", P::Meta),
    ("name", P::Str),
    ("shippable", P::Bool),
    ("statement_descriptor", P::Str),
    ("tax_code", P::Str),
    ("unit_label", P::Str),
    ("url", P::Str),
];

pub const PRODUCT_UPDATE: &[(&str, P)] = &[
    ("active", P::Bool),
    ("default_price", P::Str),
    ("description", P::Str),
    ("images", P::StrList),
    ("metadata", P::Meta),
    ("name", P::Str),
    ("shippable", P::Bool),
    ("statement_descriptor", P::Str),
    ("tax_code", P::Str),
    ("unit_label", P::Str),
    ("url", P::Str),
];

const RECURRING: &[(&str, P)] = &[
    ("interval", P::Enum(&["day", "week", "month", "year"])),
    ("interval_count", P::Int),
    ("trial_period_days", P::Int),
    ("usage_type", P::Enum(&["licensed", "metered"])),
];

pub const PRICE_CREATE: &[(&str, P)] = &[
    ("active", P::Bool),
    ("billing_scheme", P::Enum(&["per_unit", "tiered"])),
    ("currency", P::Str),
    ("lookup_key", P::Str),
    ("metadata", P::Meta),
    ("nickname", P::Str),
    ("recurring", P::Obj(RECURRING)),
    (
        "tax_behavior",
        P::Enum(&["exclusive", "inclusive", "unspecified"]),
    ),
    ("unit_amount", P::Int),
    ("unit_amount_decimal", P::Str),
];

pub const PRICE_UPDATE: &[(&str, P)] = &[
    ("active", P::Bool),
    ("lookup_key", P::Str),
    ("metadata", P::Meta),
    ("nickname", P::Str),
    (
        "tax_behavior",
        P::Enum(&["exclusive", "inclusive", "unspecified"]),
    ),
];

/// Parameters every endpoint takes besides its own.
const COMMON: &[&str] = &["expand"];

/// Applies `params` to `target` according to `spec`. Parameters in `skip` are
/// left for the caller.
pub fn apply(
    spec: &[(&str, P)],
    target: &mut Map<String, Value>,
    params: &Map<String, Value>,
    skip: &[&str],
) -> Result<(), ApiError> {
    apply_at(spec, target, params, skip, "")
}

fn apply_at(
    spec: &[(&str, P)],
    target: &mut Map<String, Value>,
    params: &Map<String, Value>,
    skip: &[&str],
    prefix: &str,
) -> Result<(), ApiError> {
    for (key, raw) in params {
        if prefix.is_empty() && (COMMON.contains(&key.as_str()) || skip.contains(&key.as_str())) {
            continue;
        }
        let name = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}[{key}]")
        };
        let Some((_, p)) = spec.iter().find(|(k, _)| k == key) else {
            return Err(ApiError::param_unknown(&name));
        };
        let value = match p {
            P::Meta => {
                let mut meta = target
                    .get(key)
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default();
                merge_metadata(&mut meta, raw, &name)?;
                Value::Object(meta)
            }
            P::Obj(sub) => match raw {
                Value::String(s) if s.is_empty() => Value::Null,
                Value::Object(given) => {
                    let mut current = target
                        .get(key)
                        .and_then(Value::as_object)
                        .cloned()
                        .unwrap_or_else(|| nulls(sub));
                    apply_at(sub, &mut current, given, &[], &name)?;
                    Value::Object(current)
                }
                _ => return Err(ApiError::param_invalid(&name, "Invalid hash")),
            },
            other => coerce(other, raw, &name)?,
        };
        target.insert(key.clone(), value);
    }
    Ok(())
}

fn nulls(spec: &[(&str, P)]) -> Map<String, Value> {
    spec.iter()
        .map(|(k, _)| (k.to_string(), Value::Null))
        .collect()
}

/// A form string (or JSON value) as the type `p` wants.
pub fn coerce(p: &P, raw: &Value, name: &str) -> Result<Value, ApiError> {
    let text = raw.as_str();
    Ok(match p {
        P::Str => match raw {
            Value::String(s) if s.is_empty() => Value::Null,
            Value::String(_) | Value::Null => raw.clone(),
            _ => return Err(ApiError::param_invalid(name, "Invalid string")),
        },
        P::Int => match (raw, text) {
            (Value::Number(n), _) if n.is_i64() => raw.clone(),
            (_, Some("")) => Value::Null,
            (_, Some(s)) => s
                .parse::<i64>()
                .map(Value::from)
                .map_err(|_| ApiError::param_invalid_integer(name, s))?,
            _ => return Err(ApiError::param_invalid(name, "Invalid integer")),
        },
        P::Bool => match (raw, text) {
            (Value::Bool(_), _) => raw.clone(),
            (_, Some("true")) => Value::Bool(true),
            (_, Some("false")) => Value::Bool(false),
            _ => return Err(ApiError::param_invalid(name, "Invalid boolean")),
        },
        P::Enum(allowed) => match text {
            Some(s) if allowed.contains(&s) => raw.clone(),
            Some(_) => {
                return Err(ApiError::param_invalid(
                    name,
                    &format!("Invalid {name}: must be one of {}", allowed.join(", ")),
                ))
            }
            None => return Err(ApiError::param_invalid(name, "Invalid string")),
        },
        P::StrList => match raw {
            Value::String(s) if s.is_empty() => Value::Array(vec![]),
            Value::Array(items) if items.iter().all(Value::is_string) => raw.clone(),
            _ => return Err(ApiError::param_invalid(name, "Invalid array")),
        },
        P::Meta | P::Obj(_) => return Err(ApiError::param_invalid(name, "Invalid hash")),
    })
}

/// Stripe's metadata rules: `metadata=` clears, `metadata[k]=` removes `k`,
/// at most 50 keys of ≤ 40 characters with values of ≤ 500.
fn merge_metadata(meta: &mut Map<String, Value>, raw: &Value, name: &str) -> Result<(), ApiError> {
    match raw {
        Value::String(s) if s.is_empty() => meta.clear(),
        Value::Object(given) => {
            for (k, v) in given {
                let v = match v {
                    Value::String(s) => s.clone(),
                    Value::Number(n) => n.to_string(),
                    Value::Bool(b) => b.to_string(),
                    _ => {
                        return Err(ApiError::param_invalid(
                            &format!("{name}[{k}]"),
                            "Invalid string",
                        ))
                    }
                };
                if k.chars().count() > 40 {
                    return Err(ApiError::param_invalid(
                        &format!("{name}[{k}]"),
                        "Metadata keys can have up to 40 characters.",
                    ));
                }
                if v.chars().count() > 500 {
                    return Err(ApiError::param_invalid(
                        &format!("{name}[{k}]"),
                        "Metadata values can have up to 500 characters.",
                    ));
                }
                if v.is_empty() {
                    meta.remove(k);
                } else {
                    meta.insert(k.clone(), Value::String(v));
                }
            }
            if meta.len() > 50 {
                return Err(ApiError::param_invalid(
                    name,
                    "You can have up to 50 metadata keys.",
                ));
            }
        }
        _ => return Err(ApiError::param_invalid(name, "Invalid hash")),
    }
    Ok(())
}

fn required<'a>(params: &'a Map<String, Value>, name: &str) -> Result<&'a Value, ApiError> {
    match params.get(name) {
        Some(Value::String(s)) if s.is_empty() => Err(ApiError::param_missing(name)),
        Some(v) => Ok(v),
        None => Err(ApiError::param_missing(name)),
    }
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

pub fn new_event(now: i64, account: &str, kind: &str, object: Value) -> Value {
    let mut e = template("event");
    for (k, v) in [
        ("id", json!(ids::with_prefix("evt_", 24))),
        ("account", json!(account)),
        ("api_version", json!("2024-06-20")),
        ("created", json!(now)),
        ("data", json!({"object": object})),
        ("livemode", json!(false)),
        ("pending_webhooks", json!(0)),
        ("request", json!({"id": null, "idempotency_key": null})),
        ("type", json!(kind)),
    ] {
        e.insert(k.to_string(), v);
    }
    Value::Object(e)
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
    fn metadata_merges_removes_and_clears() {
        let mut c = params(json!({"metadata": {"a": "1", "b": "2"}}));
        apply(
            CUSTOMER,
            &mut c,
            &params(json!({"metadata": {"a": "", "c": "3"}})),
            &[],
        )
        .unwrap();
        assert_eq!(c["metadata"], json!({"b": "2", "c": "3"}));
        apply(CUSTOMER, &mut c, &params(json!({"metadata": ""})), &[]).unwrap();
        assert_eq!(c["metadata"], json!({}));
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
