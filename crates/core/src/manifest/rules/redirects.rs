//! `allowed_redirect_uris`: where Stripe may send a user after an install.
//!
//! Stripe matches them exactly, so they must be absolute http(s) URLs with a
//! path (the schema's `^https?://.*/.+`), HTTPS unless loopback, and without a
//! fragment (RFC 6749 §3.1.2). A loopback URI is right for development but app
//! review rejects localhost links, so in a base manifest it is a warning with
//! the fix: move it to an extension manifest.

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
    if loopback && !ctx.extension() && !ctx.opts.merged {
        ctx.warn(
            "loopback-redirect-in-base",
            pointer,
            node,
            "app review rejects localhost links: move this loopback URI into an extension manifest (stripe-app.dev.json with \"extends\": \"stripe-app.json\") used during development",
        );
    } else if loopback && parsed.host_str() == Some("localhost") {
        ctx.info(
            "redirect-uri-localhost",
            pointer,
            node,
            "prefer http://127.0.0.1 to localhost (RFC 8252 §8.3): localhost can resolve to another interface",
        );
    }
}

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
    fn loopback_in_base_warns_but_not_in_extension() {
        for u in [
            "http://127.0.0.1:8080/cb",
            "http://[::1]/cb",
            "http://localhost:3000/cb",
        ] {
            let d = uris(&format!("[\"{u}\"]"));
            let w = find(&d, "loopback-redirect-in-base");
            assert_eq!(w.severity.as_str(), "warning");
            assert!(!has(&d, "redirect-uri-not-https"), "{u}");
        }
        let ext = check_ext("{\"extends\": \"stripe-app.json\", \"allowed_redirect_uris\": [\"http://127.0.0.1:8080/cb\"]}");
        assert!(ext.is_empty(), "{:?}", codes(&ext));
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
