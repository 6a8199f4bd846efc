//! The console's permission guard rails for calls made as an install: a
//! pre-check against the manifest's permissions before sending, and, after a
//! permission error from the API, the permission to grant (found in the
//! error's message, else from the endpoint catalog), so the UI can offer
//! "grant in manifest" through the manifest engine.

use super::endpoints;
use super::request::ApiResponse;
use crate::catalog::Catalog;

/// The permission a call needs that `granted` lacks, if the route is known.
pub fn precheck(method: &str, path: &str, granted: &[String]) -> Option<String> {
    let needed = endpoints::find(method, path)?.permission.clone()?;
    (!endpoints::satisfied(&needed, granted)).then_some(needed)
}

/// After a 403 permission error: the permission to grant.
pub fn missing_from_error(resp: &ApiResponse) -> Option<String> {
    if resp.status != 403 {
        return None;
    }
    let message = resp
        .stripe_error
        .as_ref()?
        .message
        .clone()
        .unwrap_or_default();
    let catalog = Catalog::embedded();
    let named = message
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .find(|w| catalog.is_grantable(w))
        .map(str::to_string);
    named.or_else(|| {
        let path = resp
            .url
            .split("://")
            .nth(1)
            .and_then(|r| r.find('/').map(|i| &r[i..]))
            .unwrap_or("");
        endpoints::find(&resp.method, path)?.permission.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precheck_knows_write_implies_read() {
        assert_eq!(
            precheck("POST", "/v1/customers", &["customer_read".into()]).as_deref(),
            Some("customer_write")
        );
        assert_eq!(
            precheck("GET", "/v1/customers", &["customer_write".into()]),
            None
        );
        assert_eq!(precheck("GET", "/v1/unknown", &[]), None);
    }
}
