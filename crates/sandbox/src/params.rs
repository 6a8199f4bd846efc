//! Create/update parameters of each endpoint, as data, and how form strings
//! become typed fields.
//!
//! An unknown parameter is Stripe's `parameter_unknown`, a bad value
//! `parameter_invalid_*` naming the parameter (`address[city]` for nested
//! ones), a missing one `parameter_missing`. Metadata follows Stripe's rules
//! (`metadata=` clears, `metadata[k]=` removes `k`, ≤ 50 keys).
//!
//! Why data tables: a new field is a one-line change, and the same tables
//! validate creates, updates and the seed.

use serde_json::{Map, Value};

use crate::http::errors::ApiError;

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

pub fn required<'a>(params: &'a Map<String, Value>, name: &str) -> Result<&'a Value, ApiError> {
    match params.get(name) {
        Some(Value::String(s)) if s.is_empty() => Err(ApiError::param_missing(name)),
        Some(v) => Ok(v),
        None => Err(ApiError::param_missing(name)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn params(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
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
}
