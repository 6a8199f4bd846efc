//! Validating a manifest (`manifest validate` in the CLI; the Manifest
//! screen's `load_manifest`, and `validate_manifest_text` as the user types)
//! and the release check (`manifest validate --release --previous` against
//! the Release check view's `manifest_release_check`): the same problems, at
//! the same line and column, with the same words.

use appdeck_shell::commands::manifest::{
    load_manifest, manifest_release_check, validate_manifest_text,
};
use serde_json::{json, Value};

use crate::sandbox::Env;
use crate::support::{as_json, cli_json, rt};

/// A manifest with a problem of each kind: an unknown permission, an empty
/// purpose, a version Stripe refuses, a CSP URL without a path, a comment.
const BROKEN: &str = r#"{
  // what a developer has mid-edit
  "id": "com.example.broken",
  "version": "1.0",
  "name": "Broken",
  "icon": "./missing.png",
  "distribution_type": "public",
  "stripe_api_access_type": "oauth",
  "allowed_redirect_uris": ["https://example.com/cb", "http://localhost/cb"],
  "permissions": [
    {"permission": "nope_read", "purpose": "x"},
    {"permission": "customer_read", "purpose": ""}
  ],
  "ui_extension": {
    "views": [{"viewport": "stripe.dashboard.customer.detail", "component": "Pane"}],
    "content_security_policy": {"connect-src": ["https://api.example.com"], "purpose": ""}
  }
}
"#;

fn diagnostics_of_cli(env: &Env, args: &[&str]) -> (i32, Value) {
    let (code, out) = cli_json(env, args);
    (code, out["diagnostics"].clone())
}

/// A diagnostic as both faces state it. The shell adds the byte span and the
/// file of a merged problem for the editor to underline; the CLI prints the
/// line and column a terminal needs. What is said must be equal.
fn said(diagnostics: &Value) -> Value {
    const SAID: [&str; 7] = [
        "severity",
        "code",
        "message",
        "pointer",
        "line",
        "column",
        "suggestion",
    ];
    Value::Array(
        diagnostics
            .as_array()
            .expect("a list of diagnostics")
            .iter()
            .map(|d| {
                SAID.iter()
                    .map(|k| (k.to_string(), d[*k].clone()))
                    .collect()
            })
            .collect(),
    )
}

#[test]
fn both_faces_name_the_same_problems_at_the_same_places() {
    let env = Env::new();
    std::fs::write(env.path().join("broken.json"), BROKEN).unwrap();
    // An extension manifest is checked merged with its base, by both.
    std::fs::write(
        env.path().join("stripe-app.dev.json"),
        r#"{"extends": "./stripe-app.json", "ui_extension": {"content_security_policy": {"connect-src": ["http://localhost:4242/api/"]}}}"#,
    )
    .unwrap();
    let mut files = vec!["broken.json", "stripe-app.json", "stripe-app.dev.json"];
    let examples = crate::sandbox::repo_root().join("tests/fixtures/stripe-examples");
    let mut copied = Vec::new();
    for e in std::fs::read_dir(examples).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if name.ends_with(".json") {
            std::fs::copy(e.path(), env.path().join(format!("example-{name}"))).unwrap();
            copied.push(format!("example-{name}"));
        }
    }
    assert!(!copied.is_empty(), "Stripe's examples are there");
    files.extend(copied.iter().map(String::as_str));

    let rt = rt();
    let mut with_errors = 0;
    for file in files {
        let (code, by_cli) = diagnostics_of_cli(&env, &["manifest", "validate", "--json", file]);
        let path = env.path().join(file).display().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let loaded = rt.block_on(load_manifest(path.clone())).unwrap();
        let typed = rt
            .block_on(validate_manifest_text(path.clone(), text))
            .unwrap();
        assert_eq!(
            said(&by_cli),
            said(&as_json(&loaded.diagnostics)),
            "{file}: CLI vs load_manifest"
        );
        assert_eq!(
            said(&by_cli),
            said(&as_json(&typed.diagnostics)),
            "{file}: CLI vs validate_manifest_text"
        );
        let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
        assert_eq!(
            code == 1,
            errors > 0,
            "{file}: exit {code} with {errors} error(s)"
        );
        with_errors += usize::from(errors > 0);
    }
    assert!(with_errors >= 1, "the broken manifest has errors");
}

#[test]
fn the_release_check_agrees_with_the_version_last_uploaded() {
    let env = Env::new();
    let previous = env.path().join("previous.json");
    std::fs::copy(env.manifest(), &previous).unwrap();
    // The next version asks for more and keeps a loopback redirect URI.
    let mut next: Value =
        serde_json::from_str(&std::fs::read_to_string(env.manifest()).unwrap()).unwrap();
    next["version"] = json!("1.1.0");
    next["permissions"]
        .as_array_mut()
        .unwrap()
        .push(json!({"permission": "customer_write", "purpose": "Tags customers."}));
    let text = serde_json::to_string_pretty(&next).unwrap();
    std::fs::write(env.manifest(), &text).unwrap();

    let (_, by_cli) = cli_json(
        &env,
        &[
            "manifest",
            "validate",
            "--json",
            "--release",
            "--previous",
            "previous.json",
            "stripe-app.json",
        ],
    );
    let report = rt()
        .block_on(manifest_release_check(
            env.manifest().display().to_string(),
            text,
            Some(previous.display().to_string()),
        ))
        .unwrap();
    let by_shell = as_json(&report);
    assert_eq!(said(&by_cli["diagnostics"]), said(&by_shell["diagnostics"]));
    assert_eq!(by_cli["valid"], by_shell["valid"]);
    // The CLI names the files as given; the shell as the absolute paths it got.
    let mut cmp_cli = by_cli["comparison"].clone();
    let mut cmp_shell = by_shell["comparison"].clone();
    cmp_cli["previous_file"] = Value::Null;
    cmp_shell["previous_file"] = Value::Null;
    assert_eq!(cmp_cli, cmp_shell);
    assert_eq!(
        cmp_shell["added"][0]["permission"], "customer_write",
        "{cmp_shell}"
    );
    assert_eq!(cmp_shell["reauthorization"], true);
}
