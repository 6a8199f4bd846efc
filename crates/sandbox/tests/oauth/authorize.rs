//! Authorize and consent pages, redirect URI rules, auto-consent, install links.

use appdeck_sandbox::{AppRegistration, SandboxConfig};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::*;

#[tokio::test]
async fn consent_page_lists_permissions_with_purposes_and_accounts() {
    let sb = start().await;
    let page = sb.page(&sb.authorize_url(REDIRECT, "xyz")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    for p in ["customer_read", "event_read", "secret_write"] {
        assert!(page.text.contains(p), "lists {p}");
        assert!(
            page.text.contains(&format!("Because the test needs {p}.")),
            "with its purpose"
        );
    }
    for i in 0..3 {
        assert!(
            page.text.contains(&sb.account(i)),
            "offers install account {i}"
        );
    }
    assert!(page.text.contains("value=\"accept\"") && page.text.contains("value=\"decline\""));
    sb.shutdown().await;
}

#[tokio::test]
async fn decline_redirects_with_access_denied() {
    let sb = start().await;
    let page = sb.page(&sb.authorize_url(REDIRECT, "s1")).await;
    let done = sb.answer(&page, &sb.account(0), "decline").await;
    assert_eq!(done.status, StatusCode::FOUND);
    let loc = done.location().unwrap();
    assert_eq!(query_of(&loc, "error").as_deref(), Some("access_denied"));
    assert!(query_of(&loc, "error_description").is_some());
    assert_eq!(query_of(&loc, "state").as_deref(), Some("s1"));
    assert_eq!(query_of(&loc, "code"), None);
    let installs = sb.control(Method::GET, "/installs", None).await;
    assert_eq!(
        installs.body["data"].as_array().unwrap().len(),
        0,
        "nothing installed"
    );
    let replay = sb.answer(&page, &sb.account(0), "accept").await;
    assert_eq!(
        replay.status,
        StatusCode::BAD_REQUEST,
        "a consent is answered once"
    );
    assert!(replay.location().is_none());
    sb.shutdown().await;
}

#[tokio::test]
async fn mismatched_redirect_uri_shows_an_error_page_and_never_redirects() {
    let sb = start().await;
    for bad in [
        "https://app.example/stripe/callback/",
        "https://evil.example/stripe/callback",
        "http://127.0.0.1:5001/callback",
        "https://app.example/stripe/callback?x=1",
    ] {
        let r = sb.page(&sb.authorize_url(bad, "s")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(r.headers.get("location").is_none(), "no redirect for {bad}");
        assert!(r.text.contains("allowed_redirect_uris"));
        assert!(!r.text.contains("name=\"consent\""), "no consent form");
    }
    let app = sb.info.app.clone().unwrap();
    let r = sb
        .page(&format!(
            "/oauth/v2/authorize?client_id=ca_unknown&redirect_uri={REDIRECT}"
        ))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = sb.page("/oauth/v2/authorize").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = sb
        .page(&format!(
            "/oauth/v2/chnlink_wrong/authorize?client_id={}",
            app.client_id
        ))
        .await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "channel link of another app"
    );
    let r = sb
        .page(&format!(
            "/oauth/v2/{}/authorize?client_id={}",
            app.channel_link, app.client_id
        ))
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "the app's own channel link; redirect defaults to the first URI"
    );
    assert!(r.text.contains(REDIRECT));
    let xss = sb
        .page(&sb.authorize_url("https://x/<script>alert(1)</script>", "s"))
        .await;
    assert!(!xss.text.contains("<script>"), "echoed values are escaped");
    sb.shutdown().await;
}

#[tokio::test]
async fn any_loopback_port_setting_follows_rfc_8252() {
    let sb = start_with(SandboxConfig {
        any_loopback_port: true,
        ..config()
    })
    .await;
    let ok = sb
        .page(&sb.authorize_url("http://127.0.0.1:61234/callback", "s"))
        .await;
    assert_eq!(ok.status, StatusCode::OK, "any port on the loopback URI");
    let done = sb.answer(&ok, &sb.account(0), "accept").await;
    assert_eq!(
        done.location().unwrap().port(),
        Some(61234),
        "redirects to the port asked for"
    );
    let path = sb
        .page(&sb.authorize_url("http://127.0.0.1:61234/other", "s"))
        .await;
    assert_eq!(
        path.status,
        StatusCode::BAD_REQUEST,
        "only the port may differ"
    );
    let https = sb
        .page(&sb.authorize_url("https://app.example:8443/stripe/callback", "s"))
        .await;
    assert_eq!(
        https.status,
        StatusCode::BAD_REQUEST,
        "non-loopback URIs match exactly"
    );
    sb.control(
        Method::POST,
        "/settings",
        Some(json!({"any_loopback_port": false})),
    )
    .await;
    let off = sb
        .page(&sb.authorize_url("http://127.0.0.1:61234/callback", "s"))
        .await;
    assert_eq!(
        off.status,
        StatusCode::BAD_REQUEST,
        "the setting can be turned off"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn auto_consent_answers_at_once_with_the_first_install_account() {
    let sb = start_with(SandboxConfig {
        auto_consent: true,
        ..config()
    })
    .await;
    let r = sb.page(&sb.authorize_url(REDIRECT, "auto")).await;
    assert_eq!(r.status, StatusCode::FOUND);
    let loc = r.location().unwrap();
    let code = query_of(&loc, "code").unwrap();
    assert_eq!(query_of(&loc, "state").as_deref(), Some("auto"));
    let t = sb.exchange(&sb.dev_key(), &code).await;
    assert_eq!(t.body["stripe_user_id"], sb.account(0));
    let bad = sb
        .page(&sb.authorize_url("https://evil.example/cb", "auto"))
        .await;
    assert_eq!(
        bad.status,
        StatusCode::BAD_REQUEST,
        "auto-consent still checks the redirect URI"
    );
    sb.control(
        Method::POST,
        "/settings",
        Some(json!({"auto_consent": false})),
    )
    .await;
    let page = sb.page(&sb.authorize_url(REDIRECT, "manual")).await;
    assert_eq!(
        page.status,
        StatusCode::OK,
        "toggled off through the control API"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn reregistering_updates_permissions_for_new_installs_only() {
    let sb = start().await;
    let t0 = sb.token_for(0).await;
    let mut reg: AppRegistration = oauth_app(&["customer_write", "event_read"]);
    reg.redirect_uris = vec![REDIRECT.into()];
    let r = sb
        .control(
            Method::POST,
            "/apps",
            Some(serde_json::to_value(&reg).unwrap()),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        r.body["client_id"],
        sb.info.app.as_ref().unwrap().client_id,
        "same credentials"
    );
    let old = sb
        .post(
            "/v1/customers",
            t0["access_token"].as_str().unwrap(),
            &[("name", "x")],
        )
        .await;
    assert_eq!(
        old.status,
        StatusCode::FORBIDDEN,
        "the existing install keeps what it was granted"
    );
    let page = sb.page(&sb.authorize_url(REDIRECT, "s")).await;
    assert!(page.text.contains("customer_write") && !page.text.contains("secret_write"));
    let t1 = sb.token_for(1).await;
    let new = sb
        .post(
            "/v1/customers",
            t1["access_token"].as_str().unwrap(),
            &[("name", "x")],
        )
        .await;
    assert_eq!(
        new.status,
        StatusCode::OK,
        "a new install gets the new permissions"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn platform_install_link_redirects_with_a_valid_signature() {
    let sb = start().await;
    let reg = json!({
        "id": "com.example.platform-app",
        "permissions": [{"permission": "customer_read", "purpose": "Reads customers."}],
        "redirect_uris": ["https://platform.example/installed"],
        "distribution": "public",
        "access_type": "platform",
    });
    let app = sb.control(Method::POST, "/apps", Some(reg)).await;
    let secret = app.body["signing_secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("absec_"));
    let page = sb
        .page("/apps/install/link/com.example.platform-app?state=abc")
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(page.text.contains("Reads customers."));
    let done = sb.answer(&page, &sb.account(2), "accept").await;
    assert_eq!(done.status, StatusCode::FOUND);
    let loc = done.location().unwrap();
    let user = query_of(&loc, "user_id").unwrap();
    let account = query_of(&loc, "account_id").unwrap();
    let sig = query_of(&loc, "install_signature").unwrap();
    assert_eq!(account, sb.account(2));
    assert!(user.starts_with("usr_"));
    assert_eq!(query_of(&loc, "state").as_deref(), Some("abc"));
    assert_eq!(query_of(&loc, "livemode").as_deref(), Some("false"));
    let payload = format!(r#"{{"state":"abc","user_id":"{user}","account_id":"{account}"}}"#);
    let now = sb.control(Method::GET, "/clock", None).await.body["now"]
        .as_i64()
        .unwrap();
    assert!(
        appdeck_sandbox::signature::verify(&sig, &payload, &secret, now, 300),
        "{sig}"
    );
    assert!(!appdeck_sandbox::signature::verify(
        &sig,
        &payload,
        "absec_other",
        now,
        300
    ));

    let oauth_app_link = sb
        .page(&format!(
            "/apps/install/link/{}",
            sb.info.app.as_ref().unwrap().id
        ))
        .await;
    assert_eq!(
        oauth_app_link.status,
        StatusCode::BAD_REQUEST,
        "OAuth apps use the authorize URL"
    );
    let unknown = sb.page("/apps/install/link/com.nope").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let platform_oauth = sb
        .page(&format!(
            "/oauth/v2/authorize?client_id={}",
            app.body["client_id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(
        platform_oauth.status,
        StatusCode::BAD_REQUEST,
        "platform apps have no OAuth"
    );
    let _: Value = app.body;
    sb.shutdown().await;
}
