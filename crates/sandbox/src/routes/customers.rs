//! Customers: create, retrieve, update, delete, list (filter `email`), and
//! search (`query=email:'x'`, also `name`, `phone`, `description`,
//! `metadata['k']`, with `:` for equality, `~` for substring, joined by AND).
//!
//! Invariant: retrieve is the hot path: one read lock, one map lookup, a
//! refcount increment, no JSON work.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use serde_json::{json, Value};

use super::{delete_live, list_page, live, only_params, stored_json, text};
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
    let c = shapes::new_customer(now, &p)?;
    let id = c["id"].as_str().unwrap_or_default().to_string();
    s.write(|w| w.created(&ctx.account, Kind::Customer, &id, &c, &ctx.origin, now))?;
    Ok(json_value(&c))
}

pub async fn retrieve(
    State(s): State<Arc<Shared>>,
    Extension(ctx): Extension<ApiCtx>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let bytes = stored_json(&s, &ctx.account, Kind::Customer, &id)?;
    Ok(json_bytes(StatusCode::OK, bytes))
}

pub async fn update(
    State(s): State<Arc<Shared>>,
    Extension(ctx): Extension<ApiCtx>,
    Path(id): Path<String>,
    Params(p): Params,
) -> Result<Response, ApiError> {
    let now = s.clock.now();
    let v = s.write(|w| -> Result<Value, ApiError> {
        let mut v = live(w, &ctx.account, Kind::Customer, &id)?.value();
        if let Some(map) = v.as_object_mut() {
            crate::params::apply(crate::params::CUSTOMER, map, &p, &[])?;
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
    delete_live(&s, &ctx, Kind::Customer, "customer", &id, |_| Ok(()))
}

pub async fn list(
    State(s): State<Arc<Shared>>,
    Extension(ctx): Extension<ApiCtx>,
    Params(p): Params,
) -> Result<Response, ApiError> {
    let q = pagination::query(&p, &["email"])?;
    super::check_expand(&crate::http::form::expand_list(&p), &[])?;
    let email = text(&p, "email").map(str::to_string);
    let body = s.read(|w| {
        list_page(
            w,
            &ctx.account,
            Kind::Customer,
            "/v1/customers",
            &q,
            |o| match &email {
                None => true,
                Some(e) => o.value().get("email").and_then(Value::as_str) == Some(e.as_str()),
            },
        )
    })?;
    Ok(json_bytes(StatusCode::OK, body))
}

/// One `field:'value'` (or `~`) clause of a search query.
#[derive(Debug, PartialEq)]
struct Clause {
    field: Vec<String>,
    contains: bool,
    value: String,
}

fn parse_query(query: &str) -> Result<Vec<Clause>, ApiError> {
    let bad = || ApiError::param_invalid("query", &format!("Invalid search query: {query}"));
    let mut clauses = Vec::new();
    for part in split_and(query) {
        let part = part.trim();
        let op = part.find([':', '~']).ok_or_else(bad)?;
        let (field, rest) = part.split_at(op);
        let contains = rest.starts_with('~');
        let value = rest[1..].trim();
        let value = value
            .strip_prefix('\'')
            .and_then(|v| v.strip_suffix('\''))
            .or_else(|| value.strip_prefix('"').and_then(|v| v.strip_suffix('"')))
            .ok_or_else(bad)?;
        let field = field.trim();
        let path = if let Some(key) = field
            .strip_prefix("metadata[")
            .and_then(|f| f.strip_suffix(']'))
        {
            let key = key.trim_matches(|c| c == '\'' || c == '"');
            vec!["metadata".to_string(), key.to_string()]
        } else if ["email", "name", "phone", "description"].contains(&field) {
            vec![field.to_string()]
        } else {
            return Err(bad());
        };
        clauses.push(Clause {
            field: path,
            contains,
            value: value.to_string(),
        });
    }
    if clauses.is_empty() {
        return Err(bad());
    }
    Ok(clauses)
}

/// Splits on ` AND ` (any case) outside quotes.
fn split_and(query: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut quote: Option<char> = None;
    let chars: Vec<char> = query.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
        } else if c == '\'' || c == '"' {
            quote = Some(c);
        } else if c == ' ' {
            let word: String = chars[i..].iter().take(5).collect();
            if word.eq_ignore_ascii_case(" and ") {
                parts.push(String::new());
                i += 5;
                continue;
            }
        }
        if let Some(last) = parts.last_mut() {
            last.push(c);
        }
        i += 1;
    }
    parts
}

fn matches(v: &Value, clauses: &[Clause]) -> bool {
    clauses.iter().all(|c| {
        let field = c.field.iter().try_fold(v, |v, k| v.get(k));
        match field.and_then(Value::as_str) {
            Some(s) if c.contains => s.to_lowercase().contains(&c.value.to_lowercase()),
            Some(s) => s.eq_ignore_ascii_case(&c.value),
            None => false,
        }
    })
}

pub async fn search(
    State(s): State<Arc<Shared>>,
    Extension(ctx): Extension<ApiCtx>,
    Params(p): Params,
) -> Result<Response, ApiError> {
    only_params(&p, &["query", "limit", "page"])?;
    let query = text(&p, "query").ok_or_else(|| ApiError::param_missing("query"))?;
    let clauses = parse_query(query)?;
    let limit = match text(&p, "limit") {
        None => 10,
        Some(l) => match l.parse::<usize>() {
            Ok(n) if (1..=100).contains(&n) => n,
            _ => {
                return Err(ApiError::param_invalid(
                    "limit",
                    "Invalid limit: must be between 1 and 100",
                ))
            }
        },
    };
    let offset = match text(&p, "page") {
        None => 0,
        Some(token) => token
            .strip_prefix("page_")
            .and_then(|n| n.parse::<usize>().ok())
            .ok_or_else(|| ApiError::param_invalid("page", "Invalid page token"))?,
    };
    let (items, more) = s.read(|w| {
        let mut hits = w
            .objects
            .iter_live(&ctx.account, Kind::Customer)
            .filter(|o| matches(&o.value(), &clauses))
            .skip(offset);
        let items: Vec<_> = hits.by_ref().take(limit).map(|o| o.json.clone()).collect();
        (items, hits.next().is_some())
    });
    let data: Vec<Value> = items
        .iter()
        .filter_map(|b| serde_json::from_slice(b).ok())
        .collect();
    let next_page = more.then(|| format!("page_{}", offset + limit));
    Ok(json_value(&json!({
        "object": "search_result",
        "data": data,
        "has_more": more,
        "next_page": next_page,
        "url": "/v1/customers/search",
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_search_queries() {
        let c = parse_query("email:'a@b.c' AND metadata['plan']:\"pro\"").unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].value, "a@b.c");
        assert_eq!(c[1].field, vec!["metadata", "plan"]);
        let c = parse_query("name~'ada and co'").unwrap();
        assert!(c[0].contains);
        assert_eq!(c[0].value, "ada and co", "AND inside quotes is text");
        assert!(parse_query("colour:'red'").is_err());
        assert!(parse_query("email:unquoted").is_err());
        assert!(parse_query("").is_err());
    }

    #[test]
    fn matches_case_insensitively() {
        let v = json!({"email": "Ada@Example.com", "name": "Ada Lovelace", "metadata": {"plan": "pro"}});
        assert!(matches(
            &v,
            &parse_query("email:'ada@example.com'").unwrap()
        ));
        assert!(matches(&v, &parse_query("name~'love'").unwrap()));
        assert!(matches(&v, &parse_query("metadata['plan']:'pro'").unwrap()));
        assert!(!matches(
            &v,
            &parse_query("email:'ada@example.co'").unwrap()
        ));
    }
}
