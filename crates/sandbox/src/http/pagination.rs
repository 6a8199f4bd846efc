//! List parameters and list bodies, as Stripe shapes them.
//!
//! `limit` 1–100 (default 10), `starting_after` or `ending_before` (not both);
//! the body is `{"object":"list","data":[…],"has_more":…,"url":"/v1/…"}`.
//! Invariant: items are written from their stored JSON bytes, not re-parsed.

use serde_json::{Map, Value};

use super::errors::ApiError;
use crate::state::ListQuery;

/// Reads the list parameters and rejects any parameter not in `filters`.
pub fn query(params: &Map<String, Value>, filters: &[&str]) -> Result<ListQuery, ApiError> {
    for key in params.keys() {
        let known = matches!(
            key.as_str(),
            "limit" | "starting_after" | "ending_before" | "expand"
        ) || filters.contains(&key.as_str());
        if !known {
            return Err(ApiError::param_unknown(key));
        }
    }
    let limit = match params.get("limit") {
        None => 10,
        Some(Value::String(s)) => {
            let n: i64 = s
                .parse()
                .map_err(|_| ApiError::param_invalid_integer("limit", s))?;
            if !(1..=100).contains(&n) {
                return Err(ApiError::param_invalid(
                    "limit",
                    "Invalid limit: must be between 1 and 100",
                ));
            }
            n as usize
        }
        Some(_) => return Err(ApiError::param_invalid("limit", "Invalid integer")),
    };
    let text = |k: &str| -> Result<Option<String>, ApiError> {
        match params.get(k) {
            None => Ok(None),
            Some(Value::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
            Some(_) => Err(ApiError::param_invalid(k, "Invalid string")),
        }
    };
    let q = ListQuery {
        limit,
        starting_after: text("starting_after")?,
        ending_before: text("ending_before")?,
    };
    if q.starting_after.is_some() && q.ending_before.is_some() {
        return Err(ApiError::invalid(
            "You may only specify one of these parameters: ending_before, starting_after.",
        )
        .with_param("ending_before"));
    }
    Ok(q)
}

/// A list body from items' JSON.
pub fn body<'a>(url: &str, items: impl IntoIterator<Item = &'a [u8]>, has_more: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    out.extend_from_slice(br#"{"object":"list","data":["#);
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(item);
    }
    out.extend_from_slice(br#"],"has_more":"#);
    out.extend_from_slice(if has_more { b"true" } else { b"false" });
    out.extend_from_slice(br#","url":"#);
    out.extend_from_slice(serde_json::to_string(url).unwrap_or_default().as_bytes());
    out.push(b'}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn p(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn limits_and_cursors() {
        assert_eq!(query(&p(json!({})), &[]).unwrap().limit, 10);
        assert_eq!(query(&p(json!({"limit": "100"})), &[]).unwrap().limit, 100);
        assert!(query(&p(json!({"limit": "0"})), &[]).is_err());
        assert!(query(&p(json!({"limit": "101"})), &[]).is_err());
        assert!(query(&p(json!({"limit": "x"})), &[]).is_err());
        assert!(query(
            &p(json!({"starting_after": "a", "ending_before": "b"})),
            &[]
        )
        .is_err());
        assert_eq!(
            query(&p(json!({"colour": "x"})), &[]).unwrap_err().code,
            Some("parameter_unknown")
        );
        assert!(query(&p(json!({"email": "x"})), &["email"]).is_ok());
    }

    #[test]
    fn body_is_a_stripe_list() {
        let b = body("/v1/customers", [&br#"{"id":"cus_1"}"#[..]], true);
        let v: Value = serde_json::from_slice(&b).unwrap();
        assert_eq!(
            v,
            json!({"object": "list", "data": [{"id": "cus_1"}], "has_more": true, "url": "/v1/customers"})
        );
    }
}
