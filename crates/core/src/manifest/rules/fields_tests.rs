//! Tests of the top-level field rules (`fields.rs`), through the whole
//! validator as a user meets them.

use crate::manifest::rules::test_support::*;

#[test]
fn minimal_manifest_is_clean() {
    let d = check(&manifest(""));
    assert!(d.is_empty(), "{:?}", codes(&d));
}

#[test]
fn required_fields_are_reported_once_each() {
    let d = check("{}");
    assert_eq!(d.iter().filter(|x| x.code == "missing-field").count(), 3);
}

#[test]
fn id_pattern_with_a_fix() {
    let d = check("{\"id\": \"com example/app\", \"version\": \"1\", \"name\": \"x\"}");
    let x = find(&d, "invalid-id");
    assert_eq!(x.suggestion.as_deref(), Some("com-example-app"));
    assert_eq!((x.line, x.column), (1, 8));
}

#[test]
fn empty_version_and_name_are_errors() {
    let d = check("{\"id\": \"a\", \"version\": \"\", \"name\": \" \"}");
    assert_eq!(d.iter().filter(|x| x.code == "empty-value").count(), 2);
}

#[test]
fn icon_must_resolve_to_a_png() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ok.png"), b"\x89PNG\r\n\x1a\nrest").unwrap();
    std::fs::write(dir.path().join("fake.png"), b"GIF89a").unwrap();
    let opts = crate::manifest::ValidateOptions {
        base_dir: Some(dir.path().to_path_buf()),
        ..Default::default()
    };
    let run = |icon: &str| {
        crate::manifest::validate_text(&manifest(&format!("\"icon\": \"{icon}\"")), &opts)
    };
    assert!(run("./ok.png").is_empty());
    assert!(run("ok.png").is_empty(), "Stripe's examples omit ./");
    assert_eq!(
        find(&run("./missing.png"), "icon-not-found")
            .severity
            .as_str(),
        "warning"
    );
    assert!(has(&run("./fake.png"), "icon-not-png"));
    assert!(has(&run("./logo.svg"), "icon-not-png"));
    assert_eq!(find(&run(""), "icon-empty").severity.as_str(), "info");
}

#[test]
fn enum_values_and_string_boolean() {
    let d = check(&manifest(
        "\"distribution_type\": \"pubic\", \"stripe_api_access_type\": \"oauth2\"",
    ));
    let dist = d
        .iter()
        .find(|x| x.pointer == "/distribution_type")
        .unwrap();
    assert_eq!(dist.suggestion.as_deref(), Some("public"));
    assert!(d
        .iter()
        .any(|x| x.pointer == "/stripe_api_access_type" && x.code == "invalid-value"));
    let d = check(&manifest("\"sandbox_install_compatible\": \"true\""));
    let x = find(&d, "string-boolean");
    assert_eq!(
        (x.severity.as_str(), x.suggestion.as_deref()),
        ("error", Some("true"))
    );
    assert!(check(&manifest("\"sandbox_install_compatible\": false")).is_empty());
}

#[test]
fn oauth_needs_public_and_a_redirect() {
    let d = check(&manifest("\"stripe_api_access_type\": \"oauth\""));
    assert!(has(&d, "oauth-requires-public"));
    assert!(has(&d, "oauth-requires-redirect"));
    let ok = check(&manifest(
        "\"stripe_api_access_type\": \"oauth\", \"distribution_type\": \"public\", \"sandbox_install_compatible\": false, \"allowed_redirect_uris\": [\"https://a.example/cb\"]",
    ));
    assert!(ok.is_empty(), "{:?}", codes(&ok));
}

#[test]
fn post_install_action_shapes() {
    let ok = |s: &str| check(&manifest(&format!("\"post_install_action\": {s}")));
    assert!(ok("null").is_empty());
    assert!(ok("{\"type\": \"settings\"}").is_empty());
    assert!(ok("{\"type\": \"external\", \"url\": \"https://a.example/x\"}").is_empty());
    assert!(has(&ok("{\"type\": \"external\"}"), "missing-field"));
    assert!(has(
        &ok("{\"type\": \"external\", \"url\": \"http://a.example/x\"}"),
        "invalid-url"
    ));
    assert!(has(
        &ok("{\"type\": \"settings\", \"url\": \"https://a\"}"),
        "post-install-url-unused"
    ));
    assert_eq!(
        find(
            &ok("{\"type\": \"modal\", \"url\": \"\"}"),
            "post-install-modal"
        )
        .severity
        .as_str(),
        "info"
    );
    assert_eq!(
        find(&ok("{\"type\": \"setings\"}"), "invalid-value")
            .suggestion
            .as_deref(),
        Some("settings")
    );
    assert!(has(&ok("\"settings\""), "wrong-type"));
}

#[test]
fn unknown_fields_by_kind() {
    let d = check(&manifest(
        "\"ui_extensions\": {}, \"app_backend\": {}, \"my_custom\": 1",
    ));
    let typo = find(&d, "unknown-field-typo");
    assert_eq!(
        (typo.severity.as_str(), typo.suggestion.as_deref()),
        ("error", Some("ui_extension"))
    );
    assert_eq!(find(&d, "legacy-field").severity.as_str(), "info");
    assert_eq!(find(&d, "unknown-field").severity.as_str(), "warning");
    assert!(has(&check(&manifest("\"constants\": []")), "wrong-type"));
}

#[test]
fn extension_manifests_need_extends_but_no_required_fields() {
    let d = check_ext("{\"extends\": \"stripe-app.json\", \"name\": \"Dev\"}");
    assert!(d.is_empty(), "{:?}", codes(&d));
    assert!(has(&check_ext("{\"name\": \"Dev\"}"), "missing-extends"));
    assert!(has(
        &check(&manifest("\"extends\": \"stripe-app.json\"")),
        "extends-in-base"
    ));
}

/// The values the manifest form offers, written for the UI like the ts-rs
/// bindings (CI fails when the committed file drifts), so the form offers
/// exactly what these rules accept and never keeps a list of its own.
#[test]
fn export_field_choices_for_the_ui() {
    use super::fields::{ACCESS_TYPES, DISTRIBUTION_TYPES, POST_INSTALL_TYPES};
    let Some(dir) = std::env::var_os("TS_RS_EXPORT_DIR") else {
        return;
    };
    let list = |values: &[&str]| {
        values
            .iter()
            .map(|v| format!("\"{v}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let text = format!(
        "// Generated by appdeck-core (manifest::rules::fields_tests::export_field_choices_for_the_ui). Do not edit.\n\n\
         /** `distribution_type` values the rules accept. */\nexport const DISTRIBUTION_TYPES: readonly string[] = [{}];\n\n\
         /** `stripe_api_access_type` values the rules accept. */\nexport const ACCESS_TYPES: readonly string[] = [{}];\n\n\
         /** `post_install_action.type` values the rules accept. */\nexport const POST_INSTALL_TYPES: readonly string[] = [{}];\n",
        list(DISTRIBUTION_TYPES),
        list(ACCESS_TYPES),
        list(POST_INSTALL_TYPES)
    );
    let path = std::path::Path::new(&dir).join("fieldChoices.ts");
    if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
        std::fs::write(&path, text).unwrap();
    }
}
