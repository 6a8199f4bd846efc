//! Which event types exist, how a pattern names a group of them, and which of
//! them an app may receive.
//!
//! - The type list is Stripe's own: the `enabled_events` enum of
//!   `POST /v1/webhook_endpoints` (`data/stripe-event-types.txt`, with its
//!   source). A webhook endpoint may subscribe to any of them, emitted by the
//!   sandbox or not yet, as on Stripe.
//! - An app receives (and, with its credentials, lists) an event only with
//!   `event_read` plus one of the permissions Stripe's event permission table
//!   names for its type (core's `data/stripe-apps-event-permissions.csv`,
//!   read here as data: the sandbox links no core code). A type missing from
//!   that table reaches no app (fail closed).
//!
//! Why data files: a new Stripe event type is a one-line change, and the same
//! lists validate subscriptions and decide deliveries.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

static TYPES: &str = include_str!("../../data/stripe-event-types.txt");
static APP_PERMISSIONS: &str = include_str!("../../../core/data/stripe-apps-event-permissions.csv");

fn types() -> &'static HashSet<&'static str> {
    static T: OnceLock<HashSet<&'static str>> = OnceLock::new();
    T.get_or_init(|| {
        TYPES
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

fn app_permissions() -> &'static HashMap<&'static str, Vec<&'static str>> {
    static T: OnceLock<HashMap<&'static str, Vec<&'static str>>> = OnceLock::new();
    T.get_or_init(|| {
        APP_PERMISSIONS
            .lines()
            .skip(1)
            .filter_map(|l| l.split_once(','))
            .map(|(event, perms)| (event.trim(), perms.trim().split(';').collect()))
            .collect()
    })
}

/// Whether Stripe knows `name` as an event type.
pub fn is_known(name: &str) -> bool {
    types().contains(name)
}

/// Every known type, sorted (for error messages and the control API).
pub fn all() -> Vec<&'static str> {
    let mut all: Vec<&str> = types().iter().copied().collect();
    all.sort_unstable();
    all
}

/// Whether an app holding `granted` may receive an event of type `kind`
/// (`x_write` grants what `x_read` does, as for objects).
pub fn app_may_receive(kind: &str, granted: &[String]) -> bool {
    let held = |p: &str| granted.iter().any(|g| g == p);
    let has = |p: &str| {
        held(p)
            || p.strip_suffix("_read")
                .is_some_and(|r| held(&format!("{r}_write")))
    };
    held("event_read")
        && app_permissions()
            .get(kind)
            .is_some_and(|any_of| any_of.iter().any(|p| has(p)))
}

/// Whether `name` matches `pattern`, where `*` matches any run of characters
/// (`customer.*`, `account.application.*`, `*`).
pub fn wildcard(pattern: &str, name: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = name.strip_prefix(first) else {
        return false;
    };
    let tail: Vec<&str> = parts.collect();
    let Some((last, middle)) = tail.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_stripes_and_holds_what_the_sandbox_emits() {
        for t in [
            "customer.created",
            "customer.updated",
            "customer.deleted",
            "product.created",
            "product.updated",
            "product.deleted",
            "price.created",
            "price.updated",
            "account.application.authorized",
            "account.application.deauthorized",
        ] {
            assert!(is_known(t), "{t}");
        }
        assert!(!is_known("customer.create"), "a near miss is unknown");
        assert!(!is_known("*"), "`*` is a subscription, not a type");
        assert!(all().len() > 250, "Stripe's full list, not a sample");
    }

    #[test]
    fn apps_need_event_read_and_one_of_the_types_permissions() {
        let g = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(app_may_receive(
            "customer.created",
            &g(&["event_read", "customer_read"])
        ));
        assert!(
            app_may_receive("customer.created", &g(&["event_read", "customer_write"])),
            "write grants read"
        );
        assert!(!app_may_receive("customer.created", &g(&["customer_read"])));
        assert!(!app_may_receive("customer.created", &g(&["event_read"])));
        assert!(app_may_receive(
            "account.application.authorized",
            &g(&["event_read"])
        ));
        assert!(
            !app_may_receive("not.a.type", &g(&["event_read"])),
            "fail closed"
        );
    }

    #[test]
    fn wildcards_match_groups_of_types() {
        assert!(wildcard(
            "account.application.*",
            "account.application.authorized"
        ));
        assert!(wildcard("*", "customer.created"));
        assert!(wildcard(
            "customer.*.created",
            "customer.subscription.created"
        ));
        assert!(wildcard("customer.created", "customer.created"));
        assert!(!wildcard("customer.created", "customer.created.x"));
        assert!(!wildcard("account.*", "customer.created"));
        assert!(!wildcard("a*b*c", "ab"));
    }
}
