//! `redirect_uri` must equal an allowed URI exactly (scheme, host, port,
//! path, query); a mismatch is a 400 page naming the URI, never a redirect.

use reqwest::StatusCode;

use crate::support::*;

#[tokio::test]
async fn redirect_uri_matches_exactly_or_is_a_400_page_naming_it() {
    // Allowed: https://app.example/stripe/callback, http://127.0.0.1:5000/callback.
    let sb = start().await;
    for bad in [
        ("http://127.0.0.1:5001/callback", "another port"),
        ("http://127.0.0.1/callback", "no port"),
        ("http://127.0.0.1:5000/callback/", "a trailing slash"),
        ("http://127.0.0.1:5000/other", "another path"),
        ("http://127.0.0.1:5000/callback?x=1", "a query"),
        ("http://localhost:5000/callback", "another host"),
        ("https://127.0.0.1:5000/callback", "another scheme"),
        ("http://app.example/stripe/callback", "http for https"),
        ("https://app.example/stripe/callback/", "a trailing slash"),
        (
            "https://APP.example/stripe/Callback",
            "another case in the path",
        ),
    ] {
        let (uri, why) = bad;
        let r = sb.page(&sb.authorize_url(uri, "s")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{why}: {uri}");
        assert!(r.headers.get("location").is_none(), "{why}: no redirect");
        assert!(
            r.text.contains(&uri.replace('&', "&amp;")),
            "{why}: the page names the URI {uri}: {}",
            r.text
        );
        assert!(
            !r.text.contains("name=\"consent\""),
            "{why}: no consent form"
        );
    }
    for good in [REDIRECT, LOOPBACK_REDIRECT] {
        let r = sb.page(&sb.authorize_url(good, "s")).await;
        assert_eq!(r.status, StatusCode::OK, "an exact match: {good}");
        let done = sb.answer(&r, &sb.account(0), "accept").await;
        let to = done.location().expect("a redirect after consent");
        assert!(to.as_str().starts_with(&format!("{good}?")), "{to}");
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn exact_matching_is_the_default() {
    let sb = start_with(appdeck_sandbox::SandboxConfig {
        app: Some(oauth_app(&["customer_read"])),
        ..Default::default()
    })
    .await;
    let settings = sb.control(reqwest::Method::GET, "/settings", None).await;
    assert_eq!(settings.body["any_loopback_port"], false);
    sb.shutdown().await;
}
