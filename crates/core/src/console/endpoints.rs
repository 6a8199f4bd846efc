//! The endpoint catalog: the routes Stripe Apps use most, as data
//! (`data/endpoints.json`), with the permission each needs. It drives path
//! autocomplete and the permission pre-check. A read route is satisfied by the
//! resource's `_read` or `_write` permission (Stripe: write implies read).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

const DATA: &str = include_str!("../../data/endpoints.json");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export, export_to = "Endpoint.ts")]
pub struct Endpoint {
    pub method: String,
    /// With `{id}` placeholders.
    pub path: String,
    pub description: String,
    pub permission: Option<String>,
}

pub fn all() -> &'static [Endpoint] {
    static E: OnceLock<Vec<Endpoint>> = OnceLock::new();
    E.get_or_init(|| {
        serde_json::from_str(DATA).expect("the embedded endpoint catalog is valid (tested)")
    })
}

fn matches(pattern: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap_or(path).trim_end_matches('/');
    let (p, q): (Vec<&str>, Vec<&str>) = (pattern.split('/').collect(), path.split('/').collect());
    p.len() == q.len()
        && p.iter()
            .zip(&q)
            .all(|(a, b)| (a.starts_with('{') && !b.is_empty()) || a == b)
}

/// The catalog entry for a call, if the route is known.
pub fn find(method: &str, path: &str) -> Option<&'static Endpoint> {
    // Literal routes win over placeholders (`/v1/customers/search` vs `{id}`).
    let mut hits: Vec<&Endpoint> = all()
        .iter()
        .filter(|e| e.method.eq_ignore_ascii_case(method) && matches(&e.path, path))
        .collect();
    hits.sort_by_key(|e| e.path.matches('{').count());
    hits.first().copied()
}

/// Whether `granted` satisfies `needed` (write implies read).
pub fn satisfied(needed: &str, granted: &[String]) -> bool {
    if granted.iter().any(|g| g == needed) {
        return true;
    }
    needed
        .strip_suffix("_read")
        .is_some_and(|res| granted.iter().any(|g| g == &format!("{res}_write")))
}

/// Completions for a partly typed path, best first.
pub fn complete(method: Option<&str>, prefix: &str) -> Vec<&'static Endpoint> {
    all()
        .iter()
        .filter(|e| method.is_none_or(|m| e.method.eq_ignore_ascii_case(m)))
        .filter(|e| {
            e.path.starts_with(prefix)
                || e.description
                    .to_lowercase()
                    .contains(&prefix.to_lowercase())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    #[test]
    fn every_permission_named_is_real() {
        for e in all() {
            if let Some(p) = &e.permission {
                assert!(
                    Catalog::embedded().is_grantable(p),
                    "{} {} needs unknown {p}",
                    e.method,
                    e.path
                );
            }
        }
        assert!(all().len() >= 40);
    }

    #[test]
    fn routes_match_with_placeholders_and_literals_win() {
        assert_eq!(
            find("GET", "/v1/customers/cus_123").unwrap().path,
            "/v1/customers/{id}"
        );
        assert_eq!(
            find("get", "/v1/customers/search?query=x").unwrap().path,
            "/v1/customers/search"
        );
        assert_eq!(
            find("POST", "/v1/customers").unwrap().permission.as_deref(),
            Some("customer_write")
        );
        assert!(find("GET", "/v1/nothing").is_none());
    }

    #[test]
    fn write_implies_read() {
        assert!(satisfied("customer_read", &["customer_write".into()]));
        assert!(!satisfied("customer_write", &["customer_read".into()]));
        assert!(complete(Some("GET"), "/v1/cus")
            .iter()
            .all(|e| e.path.starts_with("/v1/cus")));
    }
}
