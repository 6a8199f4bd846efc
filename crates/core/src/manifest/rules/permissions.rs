//! `permissions`: `{permission, purpose}` objects naming real Stripe permissions.
//!
//! Names come from the embedded catalog. Unknown names get the most likely fix:
//! a plural guess (`customers_read` → `customer_read`), the real name behind one
//! of the schema's misspellings, or, for an event type used as a permission, the
//! permission that unlocks it. Purposes are shown to installers and read at
//! review, so a missing or empty one is an error.
//!
//! A name the catalog lists but `stripe apps upload` refuses (`webhook_write`)
//! is an error in every mode, not only in the release check: the upload fails
//! whatever version it is, and a plain `validate` in CI is what let PostHog's
//! app fail to publish for 18 days unnoticed (PostHog/posthog#89693).

use super::{span, Ctx};
use crate::manifest::diagnostic::Severity;
use crate::manifest::parse::{Node, Value};
use crate::manifest::suggest::closest;

pub fn check(ctx: &mut Ctx<'_, '_>, root: &Node) {
    let Some(list) = root.get("permissions") else {
        return;
    };
    if !ctx.expect_type(
        "/permissions",
        list,
        list.as_array().is_some(),
        "an array of {\"permission\": …, \"purpose\": …} objects",
    ) {
        return;
    }
    let mut seen: Vec<String> = Vec::new();
    for (i, item) in list.as_array().unwrap_or_default().iter().enumerate() {
        let pointer = format!("/permissions/{i}");
        match &item.value {
            Value::String(name) => {
                ctx.push(
                    Severity::Error,
                    "permission-not-object",
                    &pointer,
                    span(item),
                    format!("each permission is an object with a purpose; write {{\"permission\": \"{name}\", \"purpose\": \"why the app needs it\"}}"),
                    Some(format!("{{\"permission\": \"{name}\", \"purpose\": \"\"}}")),
                );
            }
            Value::Object(_) => entry(ctx, &pointer, item, &mut seen),
            _ => {
                ctx.expect_type(
                    &pointer,
                    item,
                    false,
                    "an object {\"permission\": …, \"purpose\": …}",
                );
            }
        }
    }
}

fn entry(ctx: &mut Ctx<'_, '_>, pointer: &str, item: &Node, seen: &mut Vec<String>) {
    for prop in item.as_object().unwrap_or_default() {
        if prop.key != "permission" && prop.key != "purpose" {
            ctx.push(
                Severity::Warning,
                "unknown-field",
                &format!("{pointer}/{}", crate::manifest::diagnostic::pointer_token(&prop.key)),
                super::key_span(prop),
                format!("a permission entry has only \"permission\" and \"purpose\"; Stripe ignores \"{}\"", prop.key),
                None,
            );
        }
    }
    match item.get("permission") {
        None => ctx.error(
            "missing-field",
            pointer,
            item,
            "this entry has no \"permission\"; add the permission name, e.g. \"customer_read\"",
        ),
        Some(name_node) => {
            let name_ptr = format!("{pointer}/permission");
            if ctx.expect_type(
                &name_ptr,
                name_node,
                name_node.as_str().is_some(),
                "a string",
            ) {
                let name = name_node.as_str().unwrap_or_default().to_string();
                name_rule(ctx, &name_ptr, name_node, &name);
                if seen.contains(&name) {
                    ctx.error(
                        "duplicate-permission",
                        &name_ptr,
                        name_node,
                        format!(
                            "\"{name}\" is requested twice; remove this entry (keep one purpose)"
                        ),
                    );
                } else {
                    seen.push(name);
                }
            }
        }
    }
    purpose(ctx, pointer, item);
}

fn name_rule(ctx: &mut Ctx<'_, '_>, pointer: &str, node: &Node, name: &str) {
    let catalog = ctx.catalog;
    if let Some(why) = catalog.upload_refusal(name) {
        ctx.error(
            "permission-refused-by-upload",
            pointer,
            node,
            format!("`stripe apps upload` refuses a manifest requesting \"{name}\" (\"{why}\"): no version that requests it can be uploaded; remove this entry"),
        );
        return;
    }
    if catalog.is_grantable(name) {
        return;
    }
    let (message, suggestion) = if let Some(real) = catalog.misspelling_of(name) {
        (
            format!("\"{name}\" is a misspelling in Stripe's published schema; the real permission is \"{real}\""),
            Some(real.to_string()),
        )
    } else if let Some(any_of) = catalog.event_permissions(name) {
        let pick = any_of
            .iter()
            .find(|p| p.ends_with("_read"))
            .or_else(|| any_of.first())
            .cloned();
        (
            format!(
                "\"{name}\" is an event type, not a permission; any of {} lets the app receive it",
                any_of.join(", ")
            ),
            pick,
        )
    } else if catalog.get(name).is_some() {
        (
            format!("\"{name}\" appears only in Stripe's JSON schema and is not a documented permission; remove it"),
            None,
        )
    } else {
        let guess = plural_guess(name)
            .filter(|g| catalog.is_grantable(g))
            .or_else(|| {
                closest(
                    name,
                    catalog
                        .all()
                        .iter()
                        .filter(|p| catalog.is_grantable(&p.permission))
                        .map(|p| p.permission.as_str()),
                )
                .map(str::to_string)
            });
        let hint = match &guess {
            Some(g) => format!("did you mean \"{g}\"?"),
            None => "see `appdeck permissions list` for the names Stripe knows".into(),
        };
        (
            format!("\"{name}\" is not a Stripe permission; {hint}"),
            guess,
        )
    };
    ctx.push(
        Severity::Error,
        "unknown-permission",
        pointer,
        span(node),
        message,
        suggestion,
    );
}

/// `customers_read` → `customer_read`, `invoice_items_write` → `invoice_item_write`,
/// `payment_intents_read` → `payment_intent_read`, `tax_rates_read` → `tax_rate_read`.
fn plural_guess(name: &str) -> Option<String> {
    let (stem, access) = name.rsplit_once('_')?;
    let singular = if let Some(s) = stem.strip_suffix("ies") {
        format!("{s}y")
    } else {
        stem.strip_suffix('s')?.to_string()
    };
    Some(format!("{singular}_{access}"))
}

fn purpose(ctx: &mut Ctx<'_, '_>, pointer: &str, item: &Node) {
    let ptr = format!("{pointer}/purpose");
    match item.get("purpose") {
        None => ctx.error(
            "missing-purpose",
            pointer,
            item,
            "add a \"purpose\": installers see it, and app review rejects permissions without one",
        ),
        Some(p) => match &p.value {
            Value::String(s) if s.trim().is_empty() => ctx.error(
                "empty-purpose",
                &ptr,
                p,
                "the purpose is empty; say why the app needs this permission (installers see it)",
            ),
            Value::String(_) => {}
            Value::Object(locales) => {
                if locales.is_empty() {
                    ctx.error(
                        "empty-purpose",
                        &ptr,
                        p,
                        "the purpose has no text; add at least an \"en-US\" entry",
                    );
                }
                for l in locales {
                    let lp = format!(
                        "{ptr}/{}",
                        crate::manifest::diagnostic::pointer_token(&l.key)
                    );
                    if ctx.expect_type(&lp, &l.value, l.value.as_str().is_some(), "a string")
                        && l.value.as_str().unwrap_or_default().trim().is_empty()
                    {
                        ctx.error(
                            "empty-purpose",
                            &lp,
                            &l.value,
                            "this translation of the purpose is empty; fill it in or remove it",
                        );
                    }
                }
            }
            _ => {
                ctx.expect_type(&ptr, p, false, "a string (or an object of locale → text)");
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use crate::manifest::rules::test_support::*;

    fn perms(list: &str) -> Vec<crate::manifest::Diagnostic> {
        check(&manifest(&format!("\"permissions\": {list}")))
    }

    #[test]
    fn known_permissions_with_purposes_are_clean() {
        let d = perms("[{\"permission\": \"customer_read\", \"purpose\": \"x\"}, {\"permission\": \"event_read\", \"purpose\": {\"en-US\": \"y\"}}]");
        assert!(d.is_empty(), "{:?}", codes(&d));
    }

    #[test]
    fn plural_guess_is_suggested_at_the_name() {
        let d = perms("[{\"permission\": \"customers_read\", \"purpose\": \"x\"}]");
        let x = find(&d, "unknown-permission");
        assert_eq!(x.suggestion.as_deref(), Some("customer_read"));
        assert_eq!(x.pointer, "/permissions/0/permission");
        assert!(x.message.contains("did you mean \"customer_read\""));
        let d = perms("[{\"permission\": \"payment_intents_read\", \"purpose\": \"x\"}]");
        assert_eq!(
            find(&d, "unknown-permission").suggestion.as_deref(),
            Some("payment_intent_read")
        );
    }

    #[test]
    fn schema_misspellings_and_event_names_get_the_real_name() {
        let d = perms("[{\"permission\": \"shpping_rate_write\", \"purpose\": \"x\"}]");
        assert_eq!(
            find(&d, "unknown-permission").suggestion.as_deref(),
            Some("shipping_rate_write")
        );
        let d = perms("[{\"permission\": \"customer.created\", \"purpose\": \"x\"}]");
        let x = find(&d, "unknown-permission");
        assert!(x.message.contains("event type"));
        assert_eq!(x.suggestion.as_deref(), Some("customer_read"));
    }

    #[test]
    fn webhook_write_is_an_upload_refusal_in_every_mode() {
        let list = "[{\"permission\": \"webhook_write\", \"purpose\": \"x\"}]";
        for d in [
            perms(list),
            check_release(&manifest(&format!("\"permissions\": {list}"))),
        ] {
            let x = find(&d, "permission-refused-by-upload");
            assert_eq!(x.severity.as_str(), "error");
            assert_eq!(x.pointer, "/permissions/0/permission");
            assert!(x
                .message
                .contains("requesting webhook_write permission is disallowed"));
            assert!(!has(&d, "unknown-permission"), "one diagnostic, not two");
        }
        assert!(perms("[{\"permission\": \"webhook_read\", \"purpose\": \"x\"}]").is_empty());
    }

    #[test]
    fn unknown_without_close_match_points_to_the_list() {
        let d = perms("[{\"permission\": \"datastore_write\", \"purpose\": \"x\"}]");
        assert_eq!(d.iter().filter(|x| x.is_error()).count(), 1);
        assert!(has(&d, "unknown-permission"));
    }

    #[test]
    fn duplicates_bare_strings_and_purposes() {
        let d = perms("[{\"permission\": \"customer_read\", \"purpose\": \"x\"}, {\"permission\": \"customer_read\", \"purpose\": \"y\"}]");
        assert_eq!(
            find(&d, "duplicate-permission").pointer,
            "/permissions/1/permission"
        );
        let d = perms("[\"customer_read\"]");
        assert!(find(&d, "permission-not-object")
            .suggestion
            .as_deref()
            .unwrap()
            .contains("\"permission\": \"customer_read\""));
        assert!(has(
            &perms("[{\"permission\": \"customer_read\", \"purpose\": \"\"}]"),
            "empty-purpose"
        ));
        assert!(has(
            &perms("[{\"permission\": \"customer_read\"}]"),
            "missing-purpose"
        ));
        assert!(has(
            &perms("[{\"permission\": \"customer_read\", \"purpose\": 3}]"),
            "wrong-type"
        ));
        assert!(has(&perms("{}"), "wrong-type"));
    }
}
