//! `allowed_redirect_uris`: where Stripe may send a user after an install.
//!
//! Stripe matches them exactly, so they must be absolute http(s) URLs with a
//! path (the schema's `^https?://.*/.+`), HTTPS unless loopback ("the live mode
//! `redirect_uri` must use a secure HTTPS connection", /stripe-apps/install-links;
//! we read it strictly and refuse plain http off loopback in every mode), and
//! without a fragment (RFC 6749 §3.1.2).
//!
//! Stripe accepts only the redirect URIs of an uploaded version, and `stripe
//! apps upload` reads stripe-app.json alone (Stripe staff, stripe/stripe-apps#841).
//! So a fixed-port loopback URI (`http://127.0.0.1:8765/callback`) in the base
//! manifest is how a test version takes a loopback callback on a real account:
//! info while developing, an error in the release check (testing URIs must be
//! replaced before the version sent to review, /stripe-apps/install-links). A
//! loopback URI without a port can never match the port a callback listens on:
//! a warning with the fix. In an extension manifest redirect URIs are fine for
//! `stripe apps start` and the local sandbox but never reach Stripe: info.

use super::{span, Ctx};
use crate::manifest::diagnostic::Severity;
use crate::manifest::parse::Node;

/// True for the loopback hosts RFC 8252 §7.3 and Stripe accept for development.
pub fn is_loopback_host(host: &url::Host<&str>) -> bool {
    match host {
        url::Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.is_loopback(),
    }
}

pub fn check(ctx: &mut Ctx<'_, '_>, root: &Node) {
    let Some(list) = root.get("allowed_redirect_uris") else {
        return;
    };
    if !ctx.expect_type(
        "/allowed_redirect_uris",
        list,
        list.as_array().is_some(),
        "an array of URLs",
    ) {
        return;
    }
    if ctx.extension() && list.as_array().is_some_and(|a| !a.is_empty()) {
        ctx.info(
            "redirect-uri-in-extension",
            "/allowed_redirect_uris",
            list,
            "redirect URIs here serve `stripe apps start` and the local sandbox only: `stripe apps upload` reads stripe-app.json alone, and Stripe accepts only an uploaded version's URIs. To test a loopback callback on a real account, list a fixed-port URI in stripe-app.json",
        );
    }
    let mut seen: Vec<&str> = Vec::new();
    for (i, item) in list.as_array().unwrap_or_default().iter().enumerate() {
        let pointer = format!("/allowed_redirect_uris/{i}");
        if !ctx.expect_type(&pointer, item, item.as_str().is_some(), "a URL string") {
            continue;
        }
        let uri = item.as_str().unwrap_or_default();
        if seen.contains(&uri) {
            ctx.warn(
                "duplicate-redirect-uri",
                &pointer,
                item,
                "this redirect URI is listed twice; remove one",
            );
            continue;
        }
        seen.push(uri);
        one(ctx, &pointer, item, uri);
    }
}

fn one(ctx: &mut Ctx<'_, '_>, pointer: &str, node: &Node, uri: &str) {
    let parsed = match url::Url::parse(uri) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => u,
        _ => {
            ctx.error(
                "invalid-redirect-uri",
                pointer,
                node,
                "a redirect URI must be an absolute http(s) URL with a path, e.g. https://example.com/stripe/callback",
            );
            return;
        }
    };
    let loopback = parsed.host().is_some_and(|h| is_loopback_host(&h));
    if parsed.scheme() == "http" && !loopback {
        let fixed = format!("https{}", &uri["http".len()..]);
        ctx.push(
            Severity::Error,
            "redirect-uri-not-https",
            pointer,
            span(node),
            "redirect URIs must use HTTPS (plain http is only allowed for loopback addresses)",
            Some(fixed),
        );
    }
    let after_host = uri
        .split_once("://")
        .map(|(_, rest)| rest.find('/').map(|i| &rest[i..]).unwrap_or(""))
        .unwrap_or("");
    if after_host.len() <= 1 || after_host.starts_with("/?") || after_host.starts_with("/#") {
        ctx.error(
            "redirect-uri-no-path",
            pointer,
            node,
            "a redirect URI needs a path after the host (Stripe requires one), e.g. /stripe/callback",
        );
    }
    if parsed.fragment().is_some() {
        ctx.error(
            "redirect-uri-fragment",
            pointer,
            node,
            "a redirect URI must not contain a #fragment; remove it",
        );
    }
    if loopback && ctx.base() {
        let severity = ctx.until_release(Severity::Info);
        ctx.push(
            severity,
            "redirect-uri-loopback",
            pointer,
            span(node),
            "a loopback redirect URI works for a test version (Stripe matches it exactly, port included); remove it before the version you send to review",
            None,
        );
        if !has_explicit_port(uri) {
            let fixed = {
                let mut u = parsed.clone();
                let _ = u.set_port(Some(SUGGESTED_LOOPBACK_PORT));
                u.to_string()
            };
            ctx.push(
                Severity::Warning,
                "redirect-uri-loopback-no-port",
                pointer,
                span(node),
                "Stripe matches redirect URIs exactly, so a loopback URI without a port never matches the port a local callback listens on; give it a fixed port and listen there",
                Some(fixed),
            );
        }
    }
    if loopback && parsed.host_str() == Some("localhost") {
        ctx.info(
            "redirect-uri-localhost",
            pointer,
            node,
            "prefer http://127.0.0.1 to localhost (RFC 8252 §8.3): localhost can resolve to another interface",
        );
    }
}

/// True when the authority names a port (`url` hides an explicit default one).
fn has_explicit_port(uri: &str) -> bool {
    let rest = uri.split_once("://").map(|(_, r)| r).unwrap_or(uri);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority
        .rsplit_once('@')
        .map(|(_, h)| h)
        .unwrap_or(authority);
    let after_host = host_port
        .rsplit_once(']')
        .map(|(_, p)| p)
        .unwrap_or(host_port);
    after_host.contains(':')
}

/// The port suggested for a loopback redirect URI that has none.
pub const SUGGESTED_LOOPBACK_PORT: u16 = 8765;

#[cfg(test)]
mod tests {
    use crate::manifest::rules::test_support::*;

    fn uris(list: &str) -> Vec<crate::manifest::Diagnostic> {
        check(&manifest(&format!("\"allowed_redirect_uris\": {list}")))
    }

    #[test]
    fn https_with_path_is_clean() {
        assert!(uris("[\"https://a.example.com/cb\"]").is_empty());
    }

    #[test]
    fn http_non_loopback_is_an_error_with_https_fix() {
        let d = uris("[\"http://a.example.com/cb\"]");
        assert_eq!(
            find(&d, "redirect-uri-not-https").suggestion.as_deref(),
            Some("https://a.example.com/cb")
        );
    }

    #[test]
    fn path_is_required_and_urls_must_be_absolute() {
        assert!(has(
            &uris("[\"https://a.example.com/\"]"),
            "redirect-uri-no-path"
        ));
        assert!(has(
            &uris("[\"https://a.example.com\"]"),
            "redirect-uri-no-path"
        ));
        assert!(has(&uris("[\"/cb\"]"), "invalid-redirect-uri"));
        assert!(has(
            &uris("[\"ftp://a.example.com/cb\"]"),
            "invalid-redirect-uri"
        ));
        assert!(has(
            &uris("[\"https://a.example.com/cb#x\"]"),
            "redirect-uri-fragment"
        ));
    }

    #[test]
    fn loopback_in_base_is_info_while_developing_and_an_error_in_release() {
        for u in [
            "http://127.0.0.1:8765/cb",
            "http://[::1]:8080/cb",
            "http://localhost:3000/cb",
        ] {
            let list = format!("\"allowed_redirect_uris\": [\"{u}\"]");
            let d = uris(&format!("[\"{u}\"]"));
            let x = find(&d, "redirect-uri-loopback");
            assert_eq!(x.severity.as_str(), "info", "{u}");
            assert!(x
                .message
                .contains("remove it before the version you send to review"));
            assert!(!has(&d, "redirect-uri-not-https"), "{u}");
            assert!(!has(&d, "redirect-uri-loopback-no-port"), "{u} has a port");
            let r = check_release(&manifest(&list));
            assert_eq!(
                find(&r, "redirect-uri-loopback").severity.as_str(),
                "error",
                "{u}"
            );
        }
    }

    #[test]
    fn loopback_without_a_port_warns_with_a_fixed_port() {
        let d = uris("[\"http://127.0.0.1/callback\"]");
        let w = find(&d, "redirect-uri-loopback-no-port");
        assert_eq!(w.severity.as_str(), "warning");
        assert_eq!(
            w.suggestion.as_deref(),
            Some("http://127.0.0.1:8765/callback")
        );
    }

    #[test]
    fn extension_redirects_never_reach_stripe() {
        let ext = check_ext("{\"extends\": \"stripe-app.json\", \"allowed_redirect_uris\": [\"http://127.0.0.1:8080/cb\"]}");
        assert_eq!(
            codes(&ext),
            vec![("info".to_string(), "redirect-uri-in-extension".to_string())]
        );
    }

    #[test]
    fn duplicates_and_wrong_types() {
        assert!(has(
            &uris("[\"https://a.example/cb\", \"https://a.example/cb\"]"),
            "duplicate-redirect-uri"
        ));
        assert!(has(&uris("[3]"), "wrong-type"));
        assert!(has(&uris("\"https://a.example/cb\""), "wrong-type"));
    }
}
