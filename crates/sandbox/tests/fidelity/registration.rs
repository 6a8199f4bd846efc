//! Registration reads `stripe-app.json` alone, as `stripe apps upload` does
//! (stripe/stripe-apps#841): an extension manifest never changes the app.

use appdeck_sandbox::{register_from, Sandbox, SandboxConfig};

fn project() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("stripe-app.json"),
        r#"{
  "id": "com.example.reg",
  "stripe_api_access_type": "oauth",
  "distribution_type": "public",
  "allowed_redirect_uris": ["https://reg.example/cb", "http://127.0.0.1:8765/callback"],
  "permissions": [{"permission": "customer_read", "purpose": "p"}]
}"#,
    )
    .unwrap();
    std::fs::write(
        d.path().join("stripe-app.dev.json"),
        r#"{
  // what `stripe apps start --manifest stripe-app.dev.json` reads
  "extends": "stripe-app.json",
  "allowed_redirect_uris": ["http://127.0.0.1/callback"],
  "permissions": [{"permission": "secret_write", "purpose": "dev only"}],
}"#,
    )
    .unwrap();
    d
}

#[tokio::test]
async fn extension_manifests_never_change_what_is_registered() {
    let d = project();
    let from_base = register_from(&d.path().join("stripe-app.json")).unwrap();
    let from_ext = register_from(&d.path().join("stripe-app.dev.json")).unwrap();
    assert_eq!(from_ext.app, from_base.app, "the same app, from the base");
    assert_eq!(from_ext.file, d.path().join("stripe-app.json"));
    assert_eq!(
        from_ext.instead_of.as_deref(),
        Some(d.path().join("stripe-app.dev.json").as_path())
    );
    assert!(from_ext.describe().contains("stripe apps upload"));
    assert_eq!(
        from_ext.app.redirect_uris,
        vec!["https://reg.example/cb", "http://127.0.0.1:8765/callback"]
    );
    assert_eq!(from_ext.app.permissions.len(), 1, "no dev-only permission");

    // And the running sandbox holds exactly that: the extension's URI is refused.
    let running = Sandbox::start(SandboxConfig {
        app: Some(from_ext.app),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let info = running.info();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let url = |redirect: &str| {
        format!(
            "{}/oauth/v2/authorize?client_id={}&redirect_uri={}",
            info.base_url,
            info.app.as_ref().unwrap().client_id,
            url::form_urlencoded::byte_serialize(redirect.as_bytes()).collect::<String>()
        )
    };
    let ext = client
        .get(url("http://127.0.0.1/callback"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        ext.status().as_u16(),
        400,
        "the extension's URI never reached it"
    );
    let base = client
        .get(url("http://127.0.0.1:8765/callback"))
        .send()
        .await
        .unwrap();
    assert_eq!(base.status().as_u16(), 200);
    running.shutdown().await;
}
