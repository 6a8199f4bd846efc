//! The platform install link's redirect carries exactly what
//! /stripe-apps/install-links lists, in its order: `user_id`, `account_id`,
//! `state` (if provided), `install_signature`, and `livemode=false` for a
//! test-mode install (live installs carry no `livemode`).

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::*;

async fn platform_app(sb: &Sb) {
    let reg = json!({
        "id": "com.example.platform-app",
        "permissions": [{"permission": "customer_read", "purpose": "Reads customers."}],
        "redirect_uris": ["https://platform.example/installed"],
        "distribution": "public",
        "access_type": "platform",
    });
    let r = sb.control(Method::POST, "/apps", Some(reg)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}

fn keys(u: &url::Url) -> Vec<String> {
    u.query_pairs().map(|(k, _)| k.into_owned()).collect()
}

#[tokio::test]
async fn platform_redirect_carries_the_documented_parameters_and_livemode_false() {
    let sb = start().await;
    platform_app(&sb).await;
    let page = sb
        .page("/apps/install/link/com.example.platform-app?state=abc")
        .await;
    let done = sb.answer(&page, &sb.account(1), "accept").await;
    assert_eq!(done.status, StatusCode::FOUND);
    let to = done.location().unwrap();
    assert!(to
        .as_str()
        .starts_with("https://platform.example/installed?"));
    assert_eq!(
        keys(&to),
        [
            "user_id",
            "account_id",
            "state",
            "install_signature",
            "livemode"
        ],
        "the docs' parameters, in the docs' order"
    );
    assert_eq!(query_of(&to, "livemode").as_deref(), Some("false"));

    // Without a state, no state parameter ("the state value, if provided").
    let page = sb.page("/apps/install/link/com.example.platform-app").await;
    let done = sb.answer(&page, &sb.account(2), "accept").await;
    let to = done.location().unwrap();
    assert_eq!(
        keys(&to),
        ["user_id", "account_id", "install_signature", "livemode"]
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn platform_link_with_an_unlisted_redirect_uri_is_a_400_page() {
    let sb = start().await;
    platform_app(&sb).await;
    let bad = "https://platform.example/installed/";
    let r = sb
        .page(&format!(
            "/apps/install/link/com.example.platform-app?redirect_uri={bad}&state=s"
        ))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.headers.get("location").is_none());
    assert!(r.text.contains(bad), "names the URI: {}", r.text);
    sb.shutdown().await;
}
