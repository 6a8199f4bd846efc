//! `appdeck manifest validate --release [--previous FILE]`: what upload and app
//! review refuse, each code with its exit status, the `--json` shape (a
//! validation report plus `comparison`), and the permission diff for people.

use predicates::prelude::*;

use crate::support::{assert_diagnostic_shape, json_lines, keys, Project};

/// A public app that passes the release check.
const RELEASABLE: &str = r#"{
  "id": "com.example.release",
  "version": "1.2.0",
  "name": "HelpTable",
  "distribution_type": "public",
  "sandbox_install_compatible": true,
  "allowed_redirect_uris": ["https://helptable.example.com/stripe/callback"],
  "permissions": [
    {"permission": "customer_read", "purpose": "Show the customer's plan"},
    {"permission": "invoice_read", "purpose": "List open invoices"}
  ]
}
"#;

/// Runs `validate` with `args` in a project holding `text`; (exit, JSON lines).
fn check(text: &str, args: &[&str]) -> (i32, Vec<serde_json::Value>) {
    let p = Project::with(text);
    let mut all = vec!["manifest", "validate", "--json"];
    all.extend_from_slice(args);
    let out = p.appdeck(all).output().unwrap();
    (out.status.code().unwrap(), json_lines(&out.stdout))
}

/// (severity, code) of every diagnostic in the one report.
fn found(lines: &[serde_json::Value]) -> Vec<(String, String)> {
    lines[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            assert_diagnostic_shape(d);
            (
                d["severity"].as_str().unwrap().to_string(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn has(lines: &[serde_json::Value], severity: &str, code: &str) -> bool {
    found(lines).contains(&(severity.to_string(), code.to_string()))
}

#[test]
fn a_releasable_manifest_exits_0_with_the_validation_report_shape() {
    let (code, lines) = check(RELEASABLE, &["--release"]);
    assert_eq!(code, 0, "{lines:?}");
    assert_eq!(keys(&lines[0]), ["file", "valid", "diagnostics"]);
    assert_eq!(lines[0]["valid"], true);
}

#[test]
fn webhook_write_is_an_error_with_and_without_release() {
    let text = RELEASABLE.replace("\"invoice_read\"", "\"webhook_write\"");
    for args in [&[][..], &["--release"][..]] {
        let (code, lines) = check(&text, args);
        assert_eq!(code, 1, "{args:?}: upload refuses webhook_write");
        let d = &lines[0]["diagnostics"][0];
        assert_eq!(d["code"], "permission-refused-by-upload");
        assert_eq!(d["pointer"], "/permissions/1/permission");
        assert!(d["message"]
            .as_str()
            .unwrap()
            .contains("requesting webhook_write permission is disallowed"));
    }
}

#[test]
fn granting_webhook_write_is_refused_and_the_catalog_says_it_is_not_grantable() {
    let p = Project::with(RELEASABLE);
    p.appdeck([
        "manifest",
        "grant",
        "permission",
        "webhook_write",
        "Manage endpoints",
    ])
    .assert()
    .code(1)
    .stderr(predicate::str::contains("error[edit-refused]"))
    .stderr(predicate::str::contains(
        "requesting webhook_write permission is disallowed",
    ));
    assert_eq!(p.text(), RELEASABLE, "the refused grant wrote nothing");
    p.appdeck(["permissions", "list", "--search", "webhook"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "webhook_write  write   Core      not grantable",
        ));
    let out = p
        .appdeck(["permissions", "list", "--search", "webhook_write", "--json"])
        .output()
        .unwrap();
    let list = &json_lines(&out.stdout)[0];
    let w = list
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["permission"] == "webhook_write")
        .unwrap();
    assert_eq!(w["grantable"], false);
    assert_eq!(
        w["refusal"],
        "requesting webhook_write permission is disallowed"
    );
}

#[test]
fn loopback_redirect_uris_are_info_until_release_and_a_portless_one_warns() {
    let text = RELEASABLE.replace(
        r#""https://helptable.example.com/stripe/callback"]"#,
        r#""https://helptable.example.com/stripe/callback", "http://127.0.0.1:8765/callback", "http://localhost/cb"]"#,
    );
    let (code, lines) = check(&text, &[]);
    assert_eq!(code, 0, "development values are fine while developing");
    assert!(has(&lines, "info", "redirect-uri-loopback"));
    assert!(has(&lines, "warning", "redirect-uri-loopback-no-port"));
    assert!(!found(&lines)
        .iter()
        .any(|(_, c)| c == "loopback-redirect-in-base"));
    let (code, lines) = check(&text, &["--release"]);
    assert_eq!(code, 1);
    assert!(has(&lines, "error", "redirect-uri-loopback"));
}

#[test]
fn loopback_csp_urls_are_info_until_release() {
    let text = RELEASABLE.replace(
        "  \"permissions\"",
        "  \"ui_extension\": {\"views\": [], \"content_security_policy\": {\"connect-src\": [\"http://localhost:8888/v1/\"], \"purpose\": \"Local API\"}},\n  \"permissions\"",
    );
    let (code, lines) = check(&text, &[]);
    assert_eq!(code, 0, "{lines:?}");
    assert!(has(&lines, "info", "csp-loopback"));
    let (code, lines) = check(&text, &["--release"]);
    assert_eq!(code, 1);
    assert!(has(&lines, "error", "csp-loopback"));
}

#[test]
fn review_refusals_sandbox_support_and_name_words() {
    let text = RELEASABLE
        .replace("  \"sandbox_install_compatible\": true,\n", "")
        .replace("\"HelpTable\"", "\"HelpTable API Key Generator\"");
    let (code, lines) = check(&text, &[]);
    assert_eq!(code, 0);
    assert!(has(&lines, "info", "sandbox-support-undeclared"));
    assert!(has(&lines, "warning", "public-name-refused-word"));
    let (code, lines) = check(&text, &["--release"]);
    assert_eq!(code, 1);
    assert!(has(&lines, "error", "sandbox-support-undeclared"));
    assert!(has(&lines, "error", "public-name-refused-word"));
    let msg = lines[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "public-name-refused-word")
        .unwrap()["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(msg.contains("\"Generator\", \"API Key\""), "{msg}");
}

#[test]
fn documented_viewports_pass_and_schema_only_ones_fail_the_release() {
    let with = |vp: &str| {
        RELEASABLE.replace(
            "  \"permissions\"",
            &format!("  \"ui_extension\": {{\"views\": [{{\"viewport\": \"{vp}\", \"component\": \"App\"}}]}},\n  \"permissions\""),
        )
    };
    for vp in [
        "stripe.dashboard.shipping-rates.list",
        "stripe.dashboard.shipping-rates.detail",
    ] {
        let (code, lines) = check(&with(vp), &["--release"]);
        assert_eq!((code, found(&lines)), (0, vec![]), "{vp}");
    }
    let page_module = with("stripe.dashboard.invoice.detail.page-module");
    let (code, lines) = check(&page_module, &[]);
    assert_eq!(code, 0);
    assert!(has(&lines, "warning", "viewport-undocumented"));
    let (code, lines) = check(&page_module, &["--release"]);
    assert_eq!(code, 1);
    assert!(has(&lines, "error", "viewport-undocumented"));
}

#[test]
fn previous_version_must_be_lower_and_the_diff_is_in_the_json() {
    let p = Project::with(RELEASABLE);
    let previous = RELEASABLE.replace("1.2.0", "1.1.0").replace(
        "\"customer_read\", \"purpose\": \"Show the customer's plan\"",
        "\"charge_read\", \"purpose\": \"Show charges\"",
    );
    std::fs::write(p.path().join("previous.json"), &previous).unwrap();
    let out = p
        .appdeck([
            "manifest",
            "validate",
            "--release",
            "--previous",
            "previous.json",
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "a permission change alone is not an error"
    );
    let line = &json_lines(&out.stdout)[0];
    assert_eq!(keys(line), ["file", "valid", "diagnostics", "comparison"]);
    let c = &line["comparison"];
    assert_eq!(c["ordering"], "greater");
    assert_eq!(c["added"][0]["permission"], "customer_read");
    assert_eq!(c["added"][0]["purpose"], "Show the customer's plan");
    assert_eq!(c["removed"][0]["permission"], "charge_read");
    assert_eq!(c["reauthorization"], true);
    assert_eq!(
        line["diagnostics"][0]["code"],
        "release-permissions-changed"
    );

    std::fs::write(
        p.path().join("previous.json"),
        RELEASABLE.replace("1.2.0", "1.10.0"),
    )
    .unwrap();
    let out = p
        .appdeck([
            "manifest",
            "validate",
            "--release",
            "--previous",
            "previous.json",
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "1.2.0 is not greater than 1.10.0"
    );
    let line = &json_lines(&out.stdout)[0];
    assert_eq!(
        line["diagnostics"][0]["code"],
        "release-version-not-greater"
    );
    assert_eq!(line["diagnostics"][0]["suggestion"], "1.10.1");
    assert_eq!(line["comparison"]["ordering"], "lower");
}

#[test]
fn the_text_output_lists_what_installers_will_be_asked_to_approve() {
    let p = Project::with(RELEASABLE);
    let previous = RELEASABLE.replace("1.2.0", "1.0.0").replace(
        "{\"permission\": \"invoice_read\", \"purpose\": \"List open invoices\"}",
        "{\"permission\": \"event_read\", \"purpose\": \"Events\"}",
    );
    std::fs::write(p.path().join("previous.json"), previous).unwrap();
    p.appdeck(["manifest", "validate", "--release", "--previous", "previous.json"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "stripe-app.json: compared with previous.json (version 1.0.0 -> 1.2.0)\n  installers will be asked to approve:\n    + invoice_read  \"List open invoices\"\n  no longer requested:\n    - event_read\n  installed users are prompted to re-authorize the app",
        ));
}

#[test]
fn an_unreadable_or_malformed_previous_file_is_exit_2() {
    let p = Project::with(RELEASABLE);
    p.appdeck([
        "manifest",
        "validate",
        "--release",
        "--previous",
        "missing.json",
    ])
    .assert()
    .code(2)
    .stderr(predicate::str::contains(
        "error[manifest-unreadable]: the previous version's manifest (--previous)",
    ));
    std::fs::write(p.path().join("broken.json"), "{\"version\": ").unwrap();
    let out = p
        .appdeck([
            "manifest",
            "validate",
            "--release",
            "--previous",
            "broken.json",
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        json_lines(&out.stdout)[0]["error"]["code"],
        "manifest-syntax"
    );
}

#[test]
fn previous_without_release_is_a_usage_error() {
    let p = Project::with(RELEASABLE);
    p.appdeck(["manifest", "validate", "--previous", "x.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--release"));
}
