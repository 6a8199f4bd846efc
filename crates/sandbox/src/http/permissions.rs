//! Which permission each `/v1` route needs when an app calls it (with an
//! OAuth access token, or with the developer's key and `Stripe-Account` for a
//! platform app), and for restricted keys.
//!
//! The map is data: one row per (method, route pattern as axum matched it).
//! `Read(r)` is satisfied by `r_read` or `r_write`; `Write(r)` needs `r_write`;
//! `Exact(p)` needs `p`. Invariant: a route missing from the table is denied
//! to restricted callers (fail closed); a unit test checks that every route
//! the router serves has a row.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Nothing,
    Read(&'static str),
    Write(&'static str),
    Exact(&'static str),
}

pub const ROUTES: &[(&str, &str, Need)] = &[
    ("GET", "/v1/account", Need::Nothing),
    ("GET", "/v1/customers", Need::Read("customer")),
    ("POST", "/v1/customers", Need::Write("customer")),
    ("GET", "/v1/customers/search", Need::Read("customer")),
    ("GET", "/v1/customers/{id}", Need::Read("customer")),
    ("POST", "/v1/customers/{id}", Need::Write("customer")),
    ("DELETE", "/v1/customers/{id}", Need::Write("customer")),
    ("GET", "/v1/products", Need::Read("product")),
    ("POST", "/v1/products", Need::Write("product")),
    ("GET", "/v1/products/{id}", Need::Read("product")),
    ("POST", "/v1/products/{id}", Need::Write("product")),
    ("DELETE", "/v1/products/{id}", Need::Write("product")),
    ("GET", "/v1/prices", Need::Read("plan")),
    ("POST", "/v1/prices", Need::Write("plan")),
    ("GET", "/v1/prices/{id}", Need::Read("plan")),
    ("POST", "/v1/prices/{id}", Need::Write("plan")),
    ("GET", "/v1/apps/secrets", Need::Exact("secret_write")),
    ("POST", "/v1/apps/secrets", Need::Exact("secret_write")),
    ("GET", "/v1/apps/secrets/find", Need::Exact("secret_write")),
    (
        "POST",
        "/v1/apps/secrets/delete",
        Need::Exact("secret_write"),
    ),
    ("GET", "/v1/events", Need::Exact("event_read")),
    ("GET", "/v1/events/{id}", Need::Exact("event_read")),
    ("GET", "/v1/webhook_endpoints", Need::Read("webhook")),
    ("POST", "/v1/webhook_endpoints", Need::Write("webhook")),
    ("GET", "/v1/webhook_endpoints/{id}", Need::Read("webhook")),
    ("POST", "/v1/webhook_endpoints/{id}", Need::Write("webhook")),
    (
        "DELETE",
        "/v1/webhook_endpoints/{id}",
        Need::Write("webhook"),
    ),
];

/// The row for a request; `None` when the route has none.
pub fn need(method: &str, route: &str) -> Option<Need> {
    ROUTES
        .iter()
        .find(|(m, r, _)| *m == method && *r == route)
        .map(|(_, _, n)| *n)
}

/// The permission to name in a denial, or `None` when `granted` suffices.
pub fn missing(need: Need, granted: &[String]) -> Option<String> {
    let has = |p: &str| granted.iter().any(|g| g == p);
    match need {
        Need::Nothing => None,
        Need::Read(r) => {
            let (read, write) = (format!("{r}_read"), format!("{r}_write"));
            (!has(&read) && !has(&write)).then_some(read)
        }
        Need::Write(r) => {
            let write = format!("{r}_write");
            (!has(&write)).then_some(write)
        }
        Need::Exact(p) => (!has(p)).then(|| p.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn reads_accept_write_and_writes_need_write() {
        assert_eq!(
            missing(Need::Read("customer"), &g(&["customer_write"])),
            None
        );
        assert_eq!(
            missing(Need::Read("customer"), &g(&["customer_read"])),
            None
        );
        assert_eq!(
            missing(Need::Read("customer"), &g(&[])).as_deref(),
            Some("customer_read")
        );
        assert_eq!(
            missing(Need::Write("customer"), &g(&["customer_read"])).as_deref(),
            Some("customer_write")
        );
        assert_eq!(
            missing(Need::Exact("secret_write"), &g(&["secret_write"])),
            None
        );
        assert_eq!(missing(Need::Nothing, &g(&[])), None);
    }

    #[test]
    fn lookup_by_method_and_pattern() {
        assert_eq!(
            need("GET", "/v1/customers/{id}"),
            Some(Need::Read("customer"))
        );
        assert_eq!(need("PUT", "/v1/customers/{id}"), None);
    }
}
