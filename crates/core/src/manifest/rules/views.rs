//! `ui_extension` and its `views`: where the app appears in the Dashboard.
//!
//! Viewports come from Stripe's schema list; `stripe.dashboard.fullpage`, used by
//! Stripe's own full-page example but absent from the schema, is accepted with an
//! info note. A component is the exported React component's name.

use super::{key_span, span, Ctx};
use crate::manifest::diagnostic::{pointer_token, Severity};
use crate::manifest::parse::Node;
use crate::manifest::suggest::closest;

pub const VIEWPORTS: &[&str] = &[
    "onboarding",
    "settings",
    "stripe.dashboard.balance.overview",
    "stripe.dashboard.billing.overview",
    "stripe.dashboard.customer.detail",
    "stripe.dashboard.customer.detail.page-module",
    "stripe.dashboard.customer.list",
    "stripe.dashboard.drawer.default",
    "stripe.dashboard.home.overview",
    "stripe.dashboard.invoice.detail",
    "stripe.dashboard.invoice.detail.page-module",
    "stripe.dashboard.invoice.list",
    "stripe.dashboard.payment-link.detail",
    "stripe.dashboard.payment-link.list",
    "stripe.dashboard.payment.detail",
    "stripe.dashboard.payment.list",
    "stripe.dashboard.product.detail",
    "stripe.dashboard.product.list",
    "stripe.dashboard.report.overview",
    "stripe.dashboard.revenue-recognition.overview",
    "stripe.dashboard.subscription.detail",
    "stripe.dashboard.subscription.list",
    "stripe.dashboard.tax-report.overview",
];
/// Used by Stripe's own examples, absent from the schema.
pub const EXTRA_VIEWPORTS: &[&str] = &["stripe.dashboard.fullpage"];
const UI_EXTENSION_KEYS: &[&str] = &["views", "content_security_policy"];
const UI_EXTENSION_LEGACY: &[&str] = &["actions"];

pub fn check(ctx: &mut Ctx<'_, '_>, root: &Node) {
    let Some(ui) = root.get("ui_extension") else {
        return;
    };
    if ui.is_null() {
        return;
    }
    if !ctx.expect_type(
        "/ui_extension",
        ui,
        ui.as_object().is_some(),
        "an object with \"views\"",
    ) {
        return;
    }
    for prop in ui.as_object().unwrap_or_default() {
        let k = prop.key.as_str();
        let pointer = format!("/ui_extension/{}", pointer_token(k));
        if UI_EXTENSION_KEYS.contains(&k) {
            continue;
        }
        if UI_EXTENSION_LEGACY.contains(&k) {
            ctx.push(
                Severity::Info,
                "legacy-field",
                &pointer,
                key_span(prop),
                format!("\"{k}\" is a legacy field that Stripe ignores; you can remove it"),
                None,
            );
        } else {
            let near = closest(k, UI_EXTENSION_KEYS.iter().copied());
            let msg = match near {
                Some(n) => format!("unknown field \"{k}\" in ui_extension: did you mean \"{n}\"?"),
                None => format!("unknown field \"{k}\" in ui_extension; it has \"views\" and \"content_security_policy\""),
            };
            let sev = if near.is_some() {
                Severity::Error
            } else {
                Severity::Warning
            };
            let code = if near.is_some() {
                "unknown-field-typo"
            } else {
                "unknown-field"
            };
            ctx.push(
                sev,
                code,
                &pointer,
                key_span(prop),
                msg,
                near.map(str::to_string),
            );
        }
    }
    let Some(views) = ui.get("views") else { return };
    if !ctx.expect_type(
        "/ui_extension/views",
        views,
        views.as_array().is_some(),
        "an array of {\"viewport\", \"component\"}",
    ) {
        return;
    }
    let mut seen: Vec<&str> = Vec::new();
    for (i, view) in views.as_array().unwrap_or_default().iter().enumerate() {
        let pointer = format!("/ui_extension/views/{i}");
        if !ctx.expect_type(
            &pointer,
            view,
            view.as_object().is_some(),
            "an object {\"viewport\", \"component\"}",
        ) {
            continue;
        }
        match view.get("viewport") {
            None => ctx.error("missing-field", &pointer, view, "this view has no \"viewport\"; add one such as \"stripe.dashboard.customer.detail\""),
            Some(vp) => {
                let vptr = format!("{pointer}/viewport");
                if ctx.expect_type(&vptr, vp, vp.as_str().is_some(), "a string") {
                    let v = vp.as_str().unwrap_or_default();
                    viewport(ctx, &vptr, vp, v);
                    if seen.contains(&v) {
                        ctx.warn("duplicate-viewport", &vptr, vp, format!("\"{v}\" already has a view; Stripe shows one view per viewport"));
                    } else {
                        seen.push(v);
                    }
                }
            }
        }
        match view.get("component") {
            None => ctx.error(
                "missing-field",
                &pointer,
                view,
                "this view has no \"component\"; name the React component to render",
            ),
            Some(c) => {
                let cptr = format!("{pointer}/component");
                if ctx.expect_type(&cptr, c, c.as_str().is_some(), "a string") {
                    let name = c.as_str().unwrap_or_default();
                    if name.is_empty()
                        || !name
                            .chars()
                            .all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
                    {
                        let fixed: String = name
                            .chars()
                            .filter(|ch| ch.is_ascii_alphanumeric() || *ch == '_')
                            .collect();
                        ctx.push(
                            Severity::Error,
                            "invalid-component",
                            &cptr,
                            span(c),
                            "a component name has only letters, digits and '_' (the exported component's name)",
                            (!fixed.is_empty()).then_some(fixed),
                        );
                    }
                }
            }
        }
    }
}

fn viewport(ctx: &mut Ctx<'_, '_>, pointer: &str, node: &Node, v: &str) {
    if VIEWPORTS.contains(&v) {
        return;
    }
    if EXTRA_VIEWPORTS.contains(&v) {
        ctx.info(
            "viewport-not-in-schema",
            pointer,
            node,
            format!("\"{v}\" is used by Stripe's own examples but missing from the published schema; it works"),
        );
        return;
    }
    let near = closest(v, VIEWPORTS.iter().chain(EXTRA_VIEWPORTS).copied()).or_else(|| {
        // "customer.detail" → "stripe.dashboard.customer.detail"
        let full = format!("stripe.dashboard.{v}");
        VIEWPORTS.iter().copied().find(|x| *x == full)
    });
    let msg = match near {
        Some(n) => format!("unknown viewport \"{v}\": did you mean \"{n}\"?"),
        None => format!("unknown viewport \"{v}\"; see Stripe's viewport list (e.g. \"stripe.dashboard.customer.detail\")"),
    };
    ctx.push(
        Severity::Error,
        "unknown-viewport",
        pointer,
        span(node),
        msg,
        near.map(str::to_string),
    );
}

#[cfg(test)]
mod tests {
    use crate::manifest::rules::test_support::*;

    fn views(v: &str) -> Vec<crate::manifest::Diagnostic> {
        check(&manifest(&format!("\"ui_extension\": {{\"views\": {v}}}")))
    }

    #[test]
    fn known_viewports_are_clean_and_fullpage_is_info() {
        assert!(views("[{\"viewport\": \"settings\", \"component\": \"App\"}]").is_empty());
        let d =
            views("[{\"viewport\": \"stripe.dashboard.fullpage\", \"component\": \"Full_Page1\"}]");
        assert_eq!(
            codes(&d),
            vec![("info".to_string(), "viewport-not-in-schema".to_string())]
        );
    }

    #[test]
    fn unknown_viewport_gets_a_suggestion() {
        let d = views(
            "[{\"viewport\": \"stripe.dashboard.customer.details\", \"component\": \"App\"}]",
        );
        assert_eq!(
            find(&d, "unknown-viewport").suggestion.as_deref(),
            Some("stripe.dashboard.customer.detail")
        );
        let d = views("[{\"viewport\": \"customer.detail\", \"component\": \"App\"}]");
        assert_eq!(
            find(&d, "unknown-viewport").suggestion.as_deref(),
            Some("stripe.dashboard.customer.detail")
        );
    }

    #[test]
    fn component_pattern_and_missing_parts() {
        let d = views("[{\"viewport\": \"settings\", \"component\": \"My-App\"}]");
        assert_eq!(
            find(&d, "invalid-component").suggestion.as_deref(),
            Some("MyApp")
        );
        assert!(has(
            &views("[{\"viewport\": \"settings\"}]"),
            "missing-field"
        ));
        assert!(has(&views("[{\"viewport\": \"settings\", \"component\": \"A\"}, {\"viewport\": \"settings\", \"component\": \"B\"}]"), "duplicate-viewport"));
    }

    #[test]
    fn ui_extension_shape() {
        let d = check(&manifest(
            "\"ui_extension\": {\"view\": [], \"actions\": []}",
        ));
        assert_eq!(
            find(&d, "unknown-field-typo").suggestion.as_deref(),
            Some("views")
        );
        assert!(has(&d, "legacy-field"));
        assert!(check(&manifest("\"ui_extension\": null")).is_empty());
    }
}
