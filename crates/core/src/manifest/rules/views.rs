//! `ui_extension` and its `views`: where the app appears in the Dashboard.
//!
//! Viewports come from Stripe's viewport reference
//! (/stripe-apps/reference/viewports), which is the authority: it lists
//! `stripe.dashboard.shipping-rates.*`, which the published schema lacks.
//! `onboarding` (the OnboardingView pattern page) and `stripe.dashboard.fullpage`
//! (the full-page apps guide, Stripe's own full-page example) are documented
//! elsewhere: accepted, fullpage with an info note since neither the reference
//! nor the schema lists it. The two `*.page-module` viewports are in the schema
//! only, on no docs page: a warning, and an error in the release check (the
//! stricter reading of "not documented"). A component is the exported React
//! component's name.

use super::{key_span, span, Ctx};
use crate::manifest::diagnostic::{pointer_token, Severity};
use crate::manifest::parse::Node;
use crate::manifest::suggest::closest;

/// The viewports on Stripe's viewport reference page, in its order, plus
/// `onboarding` (documented on the onboarding pattern page and in the schema).
pub const VIEWPORTS: &[&str] = &[
    "stripe.dashboard.payment.list",
    "stripe.dashboard.payment.detail",
    "stripe.dashboard.customer.list",
    "stripe.dashboard.customer.detail",
    "stripe.dashboard.invoice.list",
    "stripe.dashboard.invoice.detail",
    "stripe.dashboard.product.list",
    "stripe.dashboard.product.detail",
    "stripe.dashboard.subscription.list",
    "stripe.dashboard.subscription.detail",
    "stripe.dashboard.payment-link.list",
    "stripe.dashboard.payment-link.detail",
    "stripe.dashboard.home.overview",
    "stripe.dashboard.balance.overview",
    "stripe.dashboard.billing.overview",
    "stripe.dashboard.report.overview",
    "stripe.dashboard.revenue-recognition.overview",
    "stripe.dashboard.shipping-rates.list",
    "stripe.dashboard.shipping-rates.detail",
    "stripe.dashboard.tax-report.overview",
    "stripe.dashboard.drawer.default",
    "settings",
    "onboarding",
];
/// Documented outside the viewport reference (full-page apps guide, Stripe's
/// full-page example) and absent from the schema.
pub const EXTRA_VIEWPORTS: &[&str] = &["stripe.dashboard.fullpage"];
/// In Stripe's schema but on no docs page.
pub const SCHEMA_ONLY_VIEWPORTS: &[&str] = &[
    "stripe.dashboard.customer.detail.page-module",
    "stripe.dashboard.invoice.detail.page-module",
];
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
            format!("\"{v}\" is documented in Stripe's full-page apps guide and used by its examples, but missing from the published schema and the viewport reference; it works"),
        );
        return;
    }
    if SCHEMA_ONLY_VIEWPORTS.contains(&v) {
        let severity = ctx.until_release(Severity::Warning);
        ctx.push(
            severity,
            "viewport-undocumented",
            pointer,
            span(node),
            format!("\"{v}\" is in Stripe's schema but on no docs page (not on the viewport reference); use a documented viewport such as \"{}\" unless Stripe has enabled it for your app", v.trim_end_matches(".page-module")),
            Some(v.trim_end_matches(".page-module").to_string()),
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
    fn the_docs_reference_list_is_accepted_including_shipping_rates() {
        for vp in crate::manifest::rules::VIEWPORTS {
            let d = views(&format!(
                "[{{\"viewport\": \"{vp}\", \"component\": \"App\"}}]"
            ));
            assert!(d.is_empty(), "{vp}: {:?}", codes(&d));
        }
        assert_eq!(
            crate::manifest::rules::VIEWPORTS.len(),
            23,
            "22 on the reference + onboarding"
        );
    }

    /// The viewports the UI's form offers, written from this list (like the
    /// ts-rs bindings, CI fails when the committed file drifts): documented
    /// ones only, so the form never offers a schema-only viewport.
    #[test]
    fn export_offered_viewports_for_the_ui() {
        use crate::manifest::rules::{EXTRA_VIEWPORTS, VIEWPORTS};
        let Some(dir) = std::env::var_os("TS_RS_EXPORT_DIR") else {
            return;
        };
        let list = VIEWPORTS
            .iter()
            .chain(EXTRA_VIEWPORTS)
            .map(|v| format!("  \"{v}\",\n"))
            .collect::<String>();
        let text = format!(
            "// Generated by appdeck-core (manifest::rules::views::tests::export_offered_viewports_for_the_ui). Do not edit.\n\n/** The documented viewports, in the order of Stripe's viewport reference. */\nexport const VIEWPORTS: readonly string[] = [\n{list}];\n"
        );
        let path = std::path::Path::new(&dir).join("viewports.ts");
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(&path, text).unwrap();
        }
    }

    #[test]
    fn schema_only_page_modules_warn_until_release() {
        let v = "[{\"viewport\": \"stripe.dashboard.customer.detail.page-module\", \"component\": \"App\"}]";
        let d = views(v);
        let w = find(&d, "viewport-undocumented");
        assert_eq!(w.severity.as_str(), "warning");
        assert_eq!(
            w.suggestion.as_deref(),
            Some("stripe.dashboard.customer.detail")
        );
        let r = check_release(&manifest(&format!("\"ui_extension\": {{\"views\": {v}}}")));
        assert_eq!(find(&r, "viewport-undocumented").severity.as_str(), "error");
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
