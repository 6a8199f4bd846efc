//! `ui_extension.content_security_policy`: the URLs a UI extension may fetch
//! (`connect-src`) or load images from (`image-src`), and why (`purpose`).
//!
//! Rules from Stripe's docs and dev server: HTTPS; a path is required
//! (`https://example.com/` is refused: "path cannot be empty"); a trailing `/`
//! grants everything below it; `*` only as the left-most DNS label; never a
//! Stripe API URL (extensions call Stripe through the SDK). The purpose is shown
//! to installers: missing is an error when URLs are listed, empty a warning.
//!
//! Loopback URLs (`http://localhost:3000/api/`) serve local development. In an
//! extension manifest they are fine (`stripe apps start` reads it; upload never
//! does). In stripe-app.json itself they are info while developing and an error
//! in the release check: Stripe "only allow[s] HTTPS schemes" for CSP URLs
//! (/stripe-apps/reference/app-manifest), and a reviewer's browser has nothing
//! listening on its loopback. Plain http to any other host is an error always.

use super::{key_span, span, Ctx};
use crate::manifest::diagnostic::{pointer_token, Severity};
use crate::manifest::parse::Node;
use crate::manifest::suggest::closest;

const CSP_KEYS: &[&str] = &["connect-src", "image-src", "purpose"];

pub fn check(ctx: &mut Ctx<'_, '_>, root: &Node) {
    let Some(csp) = root
        .get("ui_extension")
        .and_then(|u| u.get("content_security_policy"))
    else {
        return;
    };
    let base = "/ui_extension/content_security_policy";
    if csp.is_null() {
        return;
    }
    if !ctx.expect_type(
        base,
        csp,
        csp.as_object().is_some(),
        "an object with connect-src, image-src and purpose",
    ) {
        return;
    }
    for prop in csp.as_object().unwrap_or_default() {
        if !CSP_KEYS.contains(&prop.key.as_str()) {
            let near = closest(&prop.key, CSP_KEYS.iter().copied());
            let pointer = format!("{base}/{}", pointer_token(&prop.key));
            let (sev, code, msg) = match near {
                Some(n) => (Severity::Error, "unknown-field-typo", format!("unknown CSP directive \"{}\": did you mean \"{n}\"?", prop.key)),
                None => (Severity::Warning, "unknown-field", format!("Stripe Apps support only \"connect-src\" and \"image-src\"; \"{}\" is ignored", prop.key)),
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
    let mut url_count = 0;
    for directive in ["connect-src", "image-src"] {
        let Some(list) = csp.get(directive) else {
            continue;
        };
        if list.is_null() {
            continue;
        }
        let pointer = format!("{base}/{directive}");
        if !ctx.expect_type(
            &pointer,
            list,
            list.as_array().is_some(),
            "an array of URLs (or null)",
        ) {
            continue;
        }
        let mut seen: Vec<&str> = Vec::new();
        for (i, item) in list.as_array().unwrap_or_default().iter().enumerate() {
            let ip = format!("{pointer}/{i}");
            if !ctx.expect_type(&ip, item, item.as_str().is_some(), "a URL string") {
                continue;
            }
            url_count += 1;
            let u = item.as_str().unwrap_or_default();
            if seen.contains(&u) {
                ctx.warn(
                    "duplicate-csp-url",
                    &ip,
                    item,
                    format!("\"{u}\" is listed twice in {directive}; remove one"),
                );
                continue;
            }
            seen.push(u);
            if is_loopback_url(u) && ctx.base() {
                let severity = ctx.until_release(Severity::Info);
                ctx.push(
                    severity,
                    "csp-loopback",
                    &ip,
                    span(item),
                    format!("{directive}: a loopback URL serves local development only; remove it before the version you send to review (or keep it in stripe-app.dev.json, which upload never reads)"),
                    None,
                );
            }
            if let Some((code, msg, fix)) = url_problem(u, true) {
                // Stripe's docs state the path rule for connect-src; for images it
                // is a warning (the dev server's behaviour there is undocumented).
                let severity = if code == "csp-no-path" && directive == "image-src" {
                    Severity::Warning
                } else {
                    Severity::Error
                };
                ctx.push(
                    severity,
                    code,
                    &ip,
                    span(item),
                    format!("{directive}: {msg}"),
                    fix,
                );
            }
        }
    }
    let purpose_ptr = format!("{base}/purpose");
    match csp.get("purpose") {
        None if url_count > 0 && !ctx.extension() => ctx.error(
            "csp-missing-purpose",
            base,
            csp,
            "add a \"purpose\" to content_security_policy: installers see why the app contacts these URLs",
        ),
        None => {}
        Some(p) if !ctx.expect_type(&purpose_ptr, p, p.as_str().is_some() || p.as_object().is_some(), "a string") => {}
        Some(p) if p.as_str().is_some_and(|s| s.trim().is_empty()) && url_count > 0 => ctx.warn(
            "csp-empty-purpose",
            &purpose_ptr,
            p,
            "the CSP purpose is empty; installers see it, so say why the app contacts these URLs",
        ),
        Some(_) => {}
    }
}

/// `http(s)://localhost…`, `127.0.0.1` or `[::1]`, with or without a port.
pub fn is_loopback_url(u: &str) -> bool {
    let Some((_, rest)) = u.split_once("://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit_once('@').map(|(_, h)| h).unwrap_or(host);
    let hostname = host
        .rsplit_once(':')
        .filter(|(_, p)| p.chars().all(|c| c.is_ascii_digit()))
        .map(|(h, _)| h)
        .unwrap_or(host);
    matches!(
        hostname.to_ascii_lowercase().as_str(),
        "localhost" | "127.0.0.1" | "[::1]"
    )
}

/// What is wrong with one CSP URL, if anything: (code, message, suggested fix).
/// `extension`: plain http to a loopback host is allowed (the caller reports
/// loopback URLs in a base manifest itself, as `csp-loopback`).
pub fn url_problem(u: &str, extension: bool) -> Option<(&'static str, String, Option<String>)> {
    let Some((scheme, rest)) = u.split_once("://") else {
        return Some((
            "csp-invalid-url",
            "must be an absolute https:// URL with a path, e.g. https://api.example.com/v1/".into(),
            None,
        ));
    };
    let (host, path) = match rest.find(['/', '?', '#']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let host_only = host.rsplit_once('@').map(|(_, h)| h).unwrap_or(host);
    let hostname = host_only
        .rsplit_once(':')
        .filter(|(_, p)| p.chars().all(|c| c.is_ascii_digit()))
        .map(|(h, _)| h)
        .unwrap_or(host_only);
    let loopback = matches!(hostname, "localhost" | "127.0.0.1" | "[::1]");
    if scheme != "https" && !(scheme == "http" && loopback && extension) {
        let fix = (scheme == "http").then(|| format!("https://{rest}"));
        let msg = if scheme == "http" && loopback {
            "http://localhost URLs belong in an extension manifest used for development (stripe-app.dev.json); the base manifest needs https".to_string()
        } else {
            "must use https".to_string()
        };
        return Some(("csp-not-https", msg, fix));
    }
    if hostname.is_empty() {
        return Some(("csp-invalid-url", "has no host".into(), None));
    }
    if hostname.contains('*') {
        let labels: Vec<&str> = hostname.split('.').collect();
        let ok = labels[0] == "*"
            && labels[1..]
                .iter()
                .all(|l| !l.contains('*') && !l.is_empty())
            && labels.len() >= 3;
        if !ok {
            return Some(("csp-wildcard", "`*` is allowed only as the whole left-most DNS label, e.g. https://*.example.com/api/".into(), None));
        }
    }
    if path.contains('*') {
        let fix = path
            .strip_suffix('*')
            .filter(|p| p.ends_with('/') && p.len() > 1 && !p.contains('*'))
            .map(|p| format!("{scheme}://{host}{p}"));
        return Some((
            "csp-wildcard",
            "`*` is not allowed in the path; end the path with `/` to allow everything below it"
                .into(),
            fix,
        ));
    }
    let lower = hostname.to_lowercase();
    if lower == "stripe.com" || lower.ends_with(".stripe.com") || lower.ends_with(".stripe.network")
    {
        return Some((
            "csp-stripe-url",
            "Stripe's own URLs may not be listed; call Stripe through the UI extension SDK instead"
                .into(),
            None,
        ));
    }
    if path.is_empty() || path == "/" || path.starts_with('?') || path.starts_with('#') {
        return Some(("csp-no-path", "the path cannot be empty; add one, e.g. https://api.example.com/v1/ (a trailing / allows everything below it)".into(), None));
    }
    if path.contains('?') || path.contains('#') {
        let clean = path.split(['?', '#']).next().unwrap_or_default();
        return Some((
            "csp-query",
            "must not contain a query string or fragment".into(),
            Some(format!("{scheme}://{host}{clean}")),
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::url_problem;
    use crate::manifest::rules::test_support::*;

    fn csp(body: &str) -> Vec<crate::manifest::Diagnostic> {
        check(&manifest(&format!(
            "\"ui_extension\": {{\"views\": [], \"content_security_policy\": {body}}}"
        )))
    }

    fn code(u: &str) -> Option<&'static str> {
        url_problem(u, false).map(|p| p.0)
    }

    #[test]
    fn url_rules() {
        assert_eq!(code("https://api.example.com/v1/"), None);
        assert_eq!(code("https://api.example.com/v1/items"), None);
        assert_eq!(code("https://*.example.com/api/"), None);
        assert_eq!(code("https://example.com/"), Some("csp-no-path"));
        assert_eq!(code("https://example.com"), Some("csp-no-path"));
        assert_eq!(code("http://example.com/x/"), Some("csp-not-https"));
        assert_eq!(code("https://api.example.com/*"), Some("csp-wildcard"));
        assert_eq!(code("https://api.*.example.com/x/"), Some("csp-wildcard"));
        assert_eq!(code("https://*.com/x/"), Some("csp-wildcard"));
        assert_eq!(code("https://api.stripe.com/v1/"), Some("csp-stripe-url"));
        assert_eq!(code("https://a.example.com/x?y=1"), Some("csp-query"));
        assert_eq!(code("api.example.com/v1/"), Some("csp-invalid-url"));
        assert_eq!(
            url_problem("https://a.example.com/v1/*", false)
                .unwrap()
                .2
                .as_deref(),
            Some("https://a.example.com/v1/")
        );
        assert_eq!(code("http://localhost:3000/api/"), Some("csp-not-https"));
        assert_eq!(url_problem("http://localhost:3000/api/", true), None);
    }

    #[test]
    fn purpose_missing_is_error_empty_is_warning() {
        let d = csp("{\"connect-src\": [\"https://a.example.com/v1/\"]}");
        assert_eq!(find(&d, "csp-missing-purpose").severity.as_str(), "error");
        let d = csp("{\"connect-src\": [\"https://a.example.com/v1/\"], \"purpose\": \"\"}");
        assert_eq!(find(&d, "csp-empty-purpose").severity.as_str(), "warning");
        assert!(csp("{\"connect-src\": null, \"image-src\": null, \"purpose\": \"\"}").is_empty());
        assert!(
            csp("{\"connect-src\": [\"https://a.example.com/v1/\"], \"purpose\": \"Sync\"}")
                .is_empty()
        );
    }

    #[test]
    fn diagnostics_point_at_the_url() {
        let d = csp("{\"image-src\": [\"https://a.example.com/i/\", \"https://b.example.com/\"], \"purpose\": \"x\"}");
        let x = find(&d, "csp-no-path");
        assert_eq!(
            x.pointer,
            "/ui_extension/content_security_policy/image-src/1"
        );
        assert!(x.message.starts_with("image-src:"));
        assert!(has(
            &csp("{\"conect-src\": [], \"purpose\": \"x\"}"),
            "unknown-field-typo"
        ));
        assert!(has(
            &csp("{\"connect-src\": \"https://a.example.com/v1/\", \"purpose\": \"x\"}"),
            "wrong-type"
        ));
    }

    #[test]
    fn loopback_urls_in_the_base_are_info_until_release() {
        let body = "{\"connect-src\": [\"http://localhost:3000/api/\", \"https://127.0.0.1:8443/v1/\"], \"purpose\": \"x\"}";
        let d = csp(body);
        let found: Vec<_> = d.iter().filter(|x| x.code == "csp-loopback").collect();
        assert_eq!(found.len(), 2, "{:?}", codes(&d));
        assert!(found.iter().all(|x| x.severity.as_str() == "info"));
        assert!(
            !has(&d, "csp-not-https"),
            "loopback http is not also refused as http"
        );
        let r = check_release(&manifest(&format!(
            "\"ui_extension\": {{\"views\": [], \"content_security_policy\": {body}}}"
        )));
        assert!(r
            .iter()
            .filter(|x| x.code == "csp-loopback")
            .all(|x| x.severity.as_str() == "error"));
        let ext = check_ext(
            "{\"extends\": \"stripe-app.json\", \"ui_extension\": {\"content_security_policy\": {\"connect-src\": [\"http://localhost:3000/api/\"]}}}",
        );
        assert!(ext.is_empty(), "{:?}", codes(&ext));
        assert_eq!(
            find(
                &csp("{\"connect-src\": [\"http://a.example.com/v1/\"], \"purpose\": \"x\"}"),
                "csp-not-https"
            )
            .severity
            .as_str(),
            "error"
        );
    }
}
