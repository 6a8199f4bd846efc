//! `appdeck apps set|list`: an app's client id and channel link per mode make
//! install links for real (test/live) accounts; nothing secret is printed.

use assert_cmd::Command;

fn appdeck(config: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("appdeck").unwrap();
    c.arg("--config-dir").arg(config).arg("--session-secrets");
    c
}

#[test]
fn configured_app_gives_test_mode_install_links() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../stripe-app.json"),
        dir.path().join("stripe-app.json"),
    )
    .unwrap();
    let cfg = dir.path().join("cfg");
    let app = "com.example.appdeck-sample";
    appdeck(&cfg)
        .args([
            "apps",
            "set",
            app,
            "--mode",
            "test",
            "--client-id",
            "ca_test123",
            "--channel-link",
            "chnlink_abc",
        ])
        .assert()
        .success();
    let out = appdeck(&cfg)
        .args(["apps", "list", "--json"])
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list[0]["client_id"], "ca_test123");
    assert_eq!(list[0]["mode"], "test");
    let link = appdeck(&cfg)
        .current_dir(dir.path())
        .args([
            "install",
            "link",
            "--mode",
            "test",
            "--redirect-uri",
            "https://invoicepilot.example.com/stripe/oauth/callback",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&link.stdout);
    assert!(
        link.status.success(),
        "{text} {}",
        String::from_utf8_lossy(&link.stderr)
    );
    assert!(
        text.starts_with("https://marketplace.stripe.com/oauth/v2/chnlink_abc/authorize?client_id=ca_test123&redirect_uri="),
        "{text}"
    );
    appdeck(&cfg)
        .args(["apps", "set", app, "--mode", "test", "--client-id", "nope"])
        .assert()
        .code(2);
}
