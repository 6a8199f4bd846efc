use std::path::Path;

use super::*;

const BASE: &str = r#"{
  "id": "com.example.release",
  "version": "1.2.0",
  "name": "HelpTable",
  "distribution_type": "public",
  "sandbox_install_compatible": true,
  "permissions": [
    {"permission": "customer_read", "purpose": "Show the customer's plan"},
    {"permission": "invoice_read", "purpose": {"en-US": "List invoices", "fr-FR": "Factures"}}
  ]
}
"#;

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn a_clean_manifest_passes_and_its_shape_matches_a_validation_report() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "stripe-app.json", BASE);
    let r = release_check_file(&path, None).unwrap();
    assert!(r.valid, "{:?}", r.diagnostics);
    assert!(r.diagnostics.is_empty());
    assert!(r.comparison.is_none());
}

#[test]
fn version_ordering_semver_dotted_and_the_stricter_reading() {
    assert_eq!(order("1.10.0", "1.9.0"), VersionOrdering::Greater);
    assert_eq!(order("1.0.0", "1.0.0"), VersionOrdering::Equal);
    assert_eq!(order("1.0.0-beta.1", "1.0.0"), VersionOrdering::Lower);
    assert_eq!(order("2024.10", "2024.9.1"), VersionOrdering::Greater);
    assert_eq!(order("1.0", "1.0.0"), VersionOrdering::Equal);
    assert_eq!(order("beta", "alpha"), VersionOrdering::Unordered);
}

#[test]
fn a_version_not_greater_than_the_previous_is_an_error_at_the_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "stripe-app.json", BASE);
    for prev_version in ["1.2.0", "1.3.0", "not-semver"] {
        let prev = write(
            dir.path(),
            "previous.json",
            &BASE.replace("1.2.0", prev_version),
        );
        let r = release_check_file(&path, Some(&prev)).unwrap();
        assert!(!r.valid, "{prev_version}");
        let d = r
            .diagnostics
            .iter()
            .find(|d| d.code == "release-version-not-greater")
            .unwrap_or_else(|| panic!("{prev_version}: {:?}", r.diagnostics));
        assert_eq!((d.pointer.as_str(), d.line), ("/version", 3));
        assert!(d.message.contains("previous.json"));
    }
    let prev = write(dir.path(), "previous.json", &BASE.replace("1.2.0", "1.1.9"));
    let r = release_check_file(&path, Some(&prev)).unwrap();
    assert!(r.valid, "{:?}", r.diagnostics);
    let c = r.comparison.unwrap();
    assert_eq!(c.ordering, VersionOrdering::Greater);
    assert!(!c.reauthorization && c.added.is_empty() && c.removed.is_empty());
}

#[test]
fn the_permission_diff_says_what_installers_approve_and_what_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let now = BASE.replace(
        r#"{"permission": "invoice_read", "purpose": {"en-US": "List invoices", "fr-FR": "Factures"}}"#,
        r#"{"permission": "customer_write", "purpose": "Update the plan"}"#,
    );
    let path = write(dir.path(), "stripe-app.json", &now);
    let prev = write(dir.path(), "previous.json", &BASE.replace("1.2.0", "1.1.0"));
    let r = release_check_file(&path, Some(&prev)).unwrap();
    assert!(
        r.valid,
        "a permission change is not an error: {:?}",
        r.diagnostics
    );
    let c = r.comparison.unwrap();
    assert_eq!(
        c.added,
        vec![PermissionRequest {
            permission: "customer_write".into(),
            purpose: Some("Update the plan".into())
        }]
    );
    assert_eq!(
        c.removed,
        vec![PermissionRequest {
            permission: "invoice_read".into(),
            purpose: Some("List invoices".into())
        }]
    );
    assert!(c.reauthorization);
    let info = r
        .diagnostics
        .iter()
        .find(|d| d.code == "release-permissions-changed")
        .unwrap();
    assert_eq!(info.severity, Severity::Info);
    assert!(info.message.contains("approve customer_write"));
    assert!(info.message.contains("no longer requested: invoice_read"));
}

#[test]
fn release_rules_turn_development_values_into_errors() {
    let dir = tempfile::tempdir().unwrap();
    let text = BASE.replace(
        r#""sandbox_install_compatible": true,"#,
        r#""allowed_redirect_uris": ["https://example.com/cb", "http://127.0.0.1:8765/callback"],"#,
    );
    let path = write(dir.path(), "stripe-app.json", &text);
    let plain = crate::manifest::validate_at(&path, &text);
    assert!(!plain.iter().any(Diagnostic::is_error), "{plain:?}");
    let r = release_check_file(&path, None).unwrap();
    let errors: Vec<&str> = r
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(
        errors,
        vec!["sandbox-support-undeclared", "redirect-uri-loopback"]
    );
}

#[test]
fn an_extension_manifest_is_told_it_never_reaches_stripe() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "stripe-app.json", BASE);
    let ext = write(
        dir.path(),
        "stripe-app.dev.json",
        r#"{"extends": "stripe-app.json"}"#,
    );
    let r = release_check_file(&ext, None).unwrap();
    assert!(r.valid);
    assert!(r
        .diagnostics
        .iter()
        .any(|d| d.code == "release-extension-manifest"));
}

#[test]
fn an_unreadable_or_malformed_previous_file_is_an_error_with_its_code() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "stripe-app.json", BASE);
    let missing = release_check_file(&path, Some(&dir.path().join("nope.json"))).unwrap_err();
    assert_eq!(missing.code(), ErrorCode::ManifestUnreadable);
    assert!(missing.to_string().contains("--previous"));
    let bad = write(dir.path(), "previous.json", "{\"version\": ");
    let syntax = release_check_file(&path, Some(&bad)).unwrap_err();
    assert_eq!(syntax.code(), ErrorCode::ManifestSyntax);
}
