//! Top-level fields: which exist, which are required, their types and values,
//! and the rules that combine them (OAuth needs a public app and a redirect URI).
//!
//! Unknown fields: a near-miss of a known one (`ui_extensions`) is an error with
//! the fix, because Stripe silently ignores it and the app then lacks what the
//! developer thought they configured; fields Stripe's own examples still carry
//! (`app_backend`, `extensions`, `connect_permissions`) are info; others warn.

use super::{key_span, span, Ctx};
use crate::manifest::diagnostic::Severity;
use crate::manifest::parse::{Node, Value};
use crate::manifest::suggest::closest;

/// The top-level fields Stripe knows, in the order its docs list them (an
/// edit inserts a new field after the last present one that comes before it).
pub const KNOWN_FIELDS: &[&str] = &[
    "$schema",
    "extends",
    "id",
    "version",
    "name",
    "icon",
    "distribution_type",
    "stripe_api_access_type",
    "sandbox_install_compatible",
    "allowed_redirect_uris",
    "permissions",
    "ui_extension",
    "post_install_action",
    "constants",
];
const LEGACY_FIELDS: &[&str] = &["app_backend", "extensions", "connect_permissions"];
const REQUIRED: &[&str] = &["id", "version", "name"];
pub const DISTRIBUTION_TYPES: &[&str] = &["public", "private"];
pub const ACCESS_TYPES: &[&str] = &["platform", "oauth", "restricted_api_key"];
/// What Stripe takes when `distribution_type` is absent.
pub const DEFAULT_DISTRIBUTION: &str = "private";
/// What Stripe takes when `stripe_api_access_type` is absent.
pub const DEFAULT_ACCESS_TYPE: &str = "platform";
pub const POST_INSTALL_TYPES: &[&str] = &["settings", "onboarding", "external"];

pub fn check(ctx: &mut Ctx<'_, '_>, root: &Node) {
    unknown_fields(ctx, root);
    if !ctx.extension() {
        for field in REQUIRED {
            if root.get(field).is_none() {
                ctx.push(
                    Severity::Error,
                    "missing-field",
                    "",
                    (root.start, root.start + 1),
                    format!("the manifest has no \"{field}\"; add it (id, version and name are required)"),
                    None,
                );
            }
        }
        if let Some(ext) = root.prop("extends") {
            ctx.push(
                Severity::Warning,
                "extends-in-base",
                "/extends",
                key_span(ext),
                "\"extends\" belongs in an extension manifest (stripe-app.<name>.json); remove it from the base manifest",
                None,
            );
        }
    } else {
        extends_field(ctx, root);
    }
    id(ctx, root);
    non_empty_string(ctx, root, "version");
    non_empty_string(ctx, root, "name");
    icon(ctx, root);
    enum_field(ctx, root, "distribution_type", DISTRIBUTION_TYPES);
    enum_field(ctx, root, "stripe_api_access_type", ACCESS_TYPES);
    sandbox_install_compatible(ctx, root);
    post_install_action(ctx, root);
    if let Some(c) = root.get("constants") {
        ctx.expect_type(
            "/constants",
            c,
            c.as_object().is_some(),
            "an object of named values",
        );
    }
    if let Some(s) = root.get("$schema") {
        ctx.expect_type(
            "/$schema",
            s,
            s.as_str().is_some(),
            "a string (the schema URL)",
        );
    }
    oauth_combination(ctx, root);
}

fn unknown_fields(ctx: &mut Ctx<'_, '_>, root: &Node) {
    let Some(props) = root.as_object() else {
        return;
    };
    for prop in props {
        let key = prop.key.as_str();
        if KNOWN_FIELDS.contains(&key) {
            continue;
        }
        let pointer = format!("/{}", crate::manifest::diagnostic::pointer_token(key));
        if LEGACY_FIELDS.contains(&key) {
            ctx.push(
                Severity::Info,
                "legacy-field",
                &pointer,
                key_span(prop),
                format!("\"{key}\" is a legacy field that Stripe ignores; you can remove it"),
                None,
            );
        } else if let Some(near) = closest(key, KNOWN_FIELDS.iter().copied()) {
            ctx.push(
                Severity::Error,
                "unknown-field-typo",
                &pointer,
                key_span(prop),
                format!("unknown field \"{key}\": did you mean \"{near}\"? Stripe ignores unknown fields, so this setting has no effect"),
                Some(near.to_string()),
            );
        } else {
            ctx.push(
                Severity::Warning,
                "unknown-field",
                &pointer,
                key_span(prop),
                format!("unknown field \"{key}\"; Stripe ignores it. Remove it, or move app data into \"constants\""),
                None,
            );
        }
    }
}

fn extends_field(ctx: &mut Ctx<'_, '_>, root: &Node) {
    match root.get("extends") {
        None => ctx.push(
            Severity::Error,
            "missing-extends",
            "",
            (root.start, root.start + 1),
            "an extension manifest needs \"extends\": \"stripe-app.json\" naming the manifest it overrides",
            Some("stripe-app.json".into()),
        ),
        Some(n) => {
            if !ctx.expect_type("/extends", n, n.as_str().is_some(), "a string naming the base manifest") {
                return;
            }
            let name = n.as_str().unwrap_or_default();
            if let Some(dir) = ctx.opts.base_dir.clone() {
                if !dir.join(name).is_file() {
                    ctx.error(
                        "extends-not-found",
                        "/extends",
                        n,
                        format!("\"{name}\" does not exist beside this file; point \"extends\" at the base manifest (usually stripe-app.json)"),
                    );
                }
            }
        }
    }
}

fn id(ctx: &mut Ctx<'_, '_>, root: &Node) {
    let Some(n) = root.get("id") else { return };
    if !ctx.expect_type(
        "/id",
        n,
        n.as_str().is_some(),
        "a string such as \"com.example.my-app\"",
    ) {
        return;
    }
    let v = n.as_str().unwrap_or_default();
    let valid = !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if !valid {
        let fixed: String = v
            .trim()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        ctx.push(
            Severity::Error,
            "invalid-id",
            "/id",
            span(n),
            "\"id\" may contain only letters, digits, '_', '-' and '.', e.g. \"com.example.my-app\"",
            (!fixed.is_empty()).then_some(fixed),
        );
    }
}

fn non_empty_string(ctx: &mut Ctx<'_, '_>, root: &Node, field: &str) {
    let Some(n) = root.get(field) else { return };
    let pointer = format!("/{field}");
    if !ctx.expect_type(&pointer, n, n.as_str().is_some(), "a string") {
        return;
    }
    if n.as_str().unwrap_or_default().trim().is_empty() {
        ctx.error(
            "empty-value",
            &pointer,
            n,
            format!("\"{field}\" must not be empty"),
        );
    }
}

fn icon(ctx: &mut Ctx<'_, '_>, root: &Node) {
    let Some(n) = root.get("icon") else { return };
    if !ctx.expect_type(
        "/icon",
        n,
        n.as_str().is_some(),
        "a string: the relative path to a PNG",
    ) {
        return;
    }
    let v = n.as_str().unwrap_or_default();
    if v.is_empty() {
        ctx.info(
            "icon-empty",
            "/icon",
            n,
            "no icon set; Stripe shows a placeholder. Add a 300×300 PNG beside the manifest and set \"icon\": \"./icon.png\"",
        );
        return;
    }
    if !v.to_lowercase().ends_with(".png") {
        ctx.warn(
            "icon-not-png",
            "/icon",
            n,
            "the icon must be a PNG file (300×300); point \"icon\" at a .png",
        );
        return;
    }
    let Some(dir) = ctx.opts.base_dir.clone() else {
        return;
    };
    let path = dir.join(v);
    let is_png = std::fs::read(&path)
        .map(|b| b.starts_with(b"\x89PNG\r\n\x1a\n"))
        .unwrap_or(false);
    if !path.is_file() {
        ctx.warn(
            "icon-not-found",
            "/icon",
            n,
            format!(
                "\"{v}\" does not exist beside the manifest; add the PNG there or fix the path"
            ),
        );
    } else if !is_png {
        ctx.warn(
            "icon-not-png",
            "/icon",
            n,
            format!("\"{v}\" is not a PNG image; Stripe needs a 300×300 PNG"),
        );
    }
}

fn enum_field(ctx: &mut Ctx<'_, '_>, root: &Node, field: &str, allowed: &[&str]) {
    let Some(n) = root.get(field) else { return };
    let pointer = format!("/{field}");
    let list = allowed
        .iter()
        .map(|a| format!("\"{a}\""))
        .collect::<Vec<_>>()
        .join(", ");
    if !ctx.expect_type(&pointer, n, n.as_str().is_some(), &format!("one of {list}")) {
        return;
    }
    let v = n.as_str().unwrap_or_default();
    if !allowed.contains(&v) {
        let near = closest(v, allowed.iter().copied()).map(str::to_string);
        ctx.push(
            Severity::Error,
            "invalid-value",
            &pointer,
            span(n),
            format!("\"{field}\" must be one of {list}"),
            near,
        );
    }
}

fn sandbox_install_compatible(ctx: &mut Ctx<'_, '_>, root: &Node) {
    let Some(n) = root.get("sandbox_install_compatible") else {
        return;
    };
    match &n.value {
        Value::Bool(_) => {}
        Value::String(s) if s == "true" || s == "false" => ctx.push(
            Severity::Error,
            "string-boolean",
            "/sandbox_install_compatible",
            span(n),
            format!("\"sandbox_install_compatible\" must be the boolean {s}, not the string \"{s}\"; remove the quotes"),
            Some(s.clone()),
        ),
        _ => {
            ctx.expect_type("/sandbox_install_compatible", n, false, "true or false");
        }
    }
}

fn post_install_action(ctx: &mut Ctx<'_, '_>, root: &Node) {
    let Some(n) = root.get("post_install_action") else {
        return;
    };
    if n.is_null() {
        return;
    }
    if !ctx.expect_type(
        "/post_install_action",
        n,
        n.as_object().is_some(),
        "null or an object such as {\"type\": \"settings\"}",
    ) {
        return;
    }
    let url = n.get("url");
    let Some(t) = n.get("type") else {
        ctx.error(
            "missing-field",
            "/post_install_action",
            n,
            "\"post_install_action\" needs a \"type\": \"settings\", \"onboarding\" or \"external\"",
        );
        return;
    };
    if !ctx.expect_type(
        "/post_install_action/type",
        t,
        t.as_str().is_some(),
        "a string",
    ) {
        return;
    }
    match t.as_str().unwrap_or_default() {
        "settings" | "onboarding" => {
            if let Some(u) = url {
                ctx.error(
                    "post-install-url-unused",
                    "/post_install_action/url",
                    u,
                    "\"url\" only goes with \"type\": \"external\"; remove it",
                );
            }
        }
        "external" => match url.and_then(Node::as_str) {
            None => ctx.error(
                "missing-field",
                "/post_install_action",
                n,
                "an \"external\" post-install action needs a \"url\" (https://…)",
            ),
            Some(u) => {
                let ok = url::Url::parse(u).is_ok_and(|p| p.scheme() == "https");
                if !ok {
                    if let Some(un) = url {
                        ctx.error(
                            "invalid-url",
                            "/post_install_action/url",
                            un,
                            "the post-install URL must be an absolute https:// URL",
                        );
                    }
                }
            }
        },
        "modal" => ctx.info(
            "post-install-modal",
            "/post_install_action/type",
            t,
            "\"modal\" is not in Stripe's published schema but Stripe's full-page example uses it; prefer \"settings\" or \"onboarding\" if review objects",
        ),
        other => {
            let near = closest(other, POST_INSTALL_TYPES.iter().copied()).map(str::to_string);
            ctx.push(
                Severity::Error,
                "invalid-value",
                "/post_install_action/type",
                span(t),
                "\"type\" must be \"settings\", \"onboarding\" or \"external\"",
                near,
            );
        }
    }
}

fn oauth_combination(ctx: &mut Ctx<'_, '_>, root: &Node) {
    let Some(access) = root.get("stripe_api_access_type") else {
        return;
    };
    if access.as_str() != Some("oauth") {
        return;
    }
    if ctx.extension() && !ctx.opts.merged {
        return; // checked on the merged result
    }
    let distribution = root
        .get("distribution_type")
        .and_then(Node::as_str)
        .unwrap_or(DEFAULT_DISTRIBUTION);
    if distribution != "public" {
        ctx.push(
            Severity::Error,
            "oauth-requires-public",
            "/stripe_api_access_type",
            span(access),
            "OAuth apps must be public: set \"distribution_type\": \"public\", or use \"platform\" access for a private app",
            Some("platform".into()),
        );
    }
    let has_redirect = root
        .get("allowed_redirect_uris")
        .and_then(Node::as_array)
        .is_some_and(|a| !a.is_empty());
    if !has_redirect {
        ctx.push(
            Severity::Error,
            "oauth-requires-redirect",
            "/stripe_api_access_type",
            span(access),
            "OAuth apps need at least one \"allowed_redirect_uris\" entry: where Stripe sends users after they install",
            None,
        );
    }
}
