//! `appdeck manifest grant|revoke|set`: minimal diffs, byte-exact round trips,
//! refusals that leave the file alone, and the exit codes scripts rely on.

use predicates::prelude::*;

use crate::support::{keys, Project};

/// Line diff by longest common subsequence: (lines only in `old`, lines only in `new`).
fn line_changes(old: &str, new: &str) -> (Vec<String>, Vec<String>) {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let (mut deleted, mut inserted) = (Vec::new(), Vec::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            inserted.push(b[j].to_string());
            j += 1;
        } else {
            deleted.push(a[i].to_string());
            i += 1;
        }
    }
    (deleted, inserted)
}

/// The lines `new` adds to `old`, checking that nothing else changed except, at
/// most, one line gaining a trailing comma (JSON needs it before an appended element).
fn added_lines(old: &str, new: &str) -> Vec<String> {
    assert_eq!(
        old.ends_with('\n'),
        new.ends_with('\n'),
        "the final newline is kept"
    );
    let (deleted, mut inserted) = line_changes(old, new);
    assert!(
        deleted.len() <= 1,
        "an edit may only touch one existing line: {deleted:?}"
    );
    for d in &deleted {
        let with_comma = format!("{d},");
        let pos = inserted
            .iter()
            .position(|i| *i == with_comma)
            .unwrap_or_else(|| panic!("{d:?} changed by more than a trailing comma:\n{new}"));
        inserted.remove(pos);
    }
    inserted
}

#[test]
fn line_changes_sees_an_appended_element_as_one_comma_and_new_lines() {
    let old = "[\n  1\n]\n";
    let new = "[\n  1,\n  2\n]\n";
    assert_eq!(
        line_changes(old, new),
        (
            vec!["  1".to_string()],
            vec!["  1,".to_string(), "  2".to_string()]
        )
    );
    assert_eq!(added_lines(old, new), ["  2"]);
}

#[test]
fn grant_then_revoke_restores_the_file_byte_for_byte() {
    let p = Project::sample();
    let before = p.bytes();
    p.appdeck([
        "manifest",
        "grant",
        "permission",
        "charge_read",
        "Shows recent charges.",
    ])
    .assert()
    .code(0)
    .stdout(predicate::str::contains("charge_read"));
    assert_ne!(p.bytes(), before, "the grant wrote the file");
    p.appdeck(["manifest", "revoke", "permission", "charge_read"])
        .assert()
        .code(0);
    assert_eq!(
        p.text(),
        String::from_utf8(before).unwrap(),
        "revoke undoes grant exactly"
    );
}

#[test]
fn grant_is_a_minimal_diff() {
    let p = Project::sample();
    let before = p.text();
    p.appdeck([
        "manifest",
        "grant",
        "permission",
        "charge_read",
        "Shows recent charges.",
    ])
    .assert()
    .code(0);
    let after = p.text();
    let added = added_lines(&before, &after);
    assert!(!added.is_empty());
    assert!(
        added.iter().any(|l| l.contains("\"charge_read\"")),
        "{added:?}"
    );
    assert!(
        added.iter().any(|l| l.contains("Shows recent charges.")),
        "{added:?}"
    );
    let perms = p.json()["permissions"].as_array().unwrap().clone();
    let last = perms.last().unwrap();
    assert_eq!(
        last["permission"], "charge_read",
        "appended at the end, like stripe apps grant"
    );
    assert_eq!(last["purpose"], "Shows recent charges.");
}

#[test]
fn granting_an_unknown_permission_is_refused_and_the_file_is_untouched() {
    let p = Project::sample();
    let before = p.bytes();
    p.appdeck([
        "manifest",
        "grant",
        "permission",
        "customers_read",
        "Shows customers.",
    ])
    .assert()
    .code(1)
    .stderr(predicate::str::starts_with("error[edit-refused]: "))
    .stderr(predicate::str::contains("customer_read"));
    assert_eq!(p.bytes(), before);

    let out = p
        .appdeck([
            "manifest",
            "grant",
            "permission",
            "customers_read",
            "Shows customers.",
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(keys(&v), ["ok", "error", "diagnostics"]);
    assert_eq!(v["ok"], false);
    assert_eq!(v["error"]["code"], "edit-refused");
    let diags = v["diagnostics"].as_array().unwrap();
    assert!(
        diags.iter().any(|d| d["suggestion"] == "customer_read"),
        "the refusal says what to write: {v}"
    );
    for d in diags {
        crate::support::assert_diagnostic_shape(d);
    }
    assert_eq!(p.bytes(), before);
}

#[test]
fn granting_with_an_empty_purpose_is_refused_and_the_file_is_untouched() {
    let p = Project::sample();
    let before = p.bytes();
    p.appdeck(["manifest", "grant", "permission", "charge_read", ""])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with("error["));
    assert_eq!(p.bytes(), before);
}

#[test]
fn granting_what_is_already_granted_changes_nothing() {
    let p = Project::sample();
    let first = p.json()["permissions"][0].clone();
    let before = p.bytes();
    p.appdeck([
        "manifest",
        "grant",
        "permission",
        first["permission"].as_str().unwrap(),
        first["purpose"].as_str().unwrap(),
    ])
    .assert()
    .code(0);
    assert_eq!(p.bytes(), before);
}

#[test]
fn revoking_a_permission_that_is_not_granted_does_not_apply() {
    let p = Project::sample();
    let before = p.bytes();
    p.appdeck(["manifest", "revoke", "permission", "payout_write"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with("error[edit-not-applicable]: "));
    assert_eq!(p.bytes(), before);
}

#[test]
fn json_success_names_the_file_and_the_remaining_diagnostics() {
    let p = Project::sample();
    let out = p
        .appdeck([
            "manifest",
            "grant",
            "permission",
            "charge_read",
            "Shows recent charges.",
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(keys(&v), ["ok", "file", "diagnostics"]);
    assert_eq!(v["ok"], true);
    assert_eq!(v["file"], "stripe-app.json");
    assert!(v["diagnostics"].is_array());
}

#[test]
fn manifest_flag_edits_another_file() {
    let p = Project::sample();
    let elsewhere = Project::empty();
    let before = p.bytes();
    elsewhere
        .appdeck([
            "manifest",
            "grant",
            "permission",
            "charge_read",
            "Shows recent charges.",
            "--manifest",
        ])
        .arg(p.manifest())
        .assert()
        .code(0);
    assert_ne!(p.bytes(), before);
    assert!(
        !elsewhere.manifest().exists(),
        "nothing written in the current dir"
    );
}

#[test]
fn a_missing_manifest_is_exit_2() {
    Project::empty()
        .appdeck(["manifest", "revoke", "permission", "customer_read"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("error[manifest-unreadable]: "));
}

#[test]
fn grant_url_adds_to_connect_src_and_sets_the_purpose() {
    let p = Project::sample();
    let url = "https://api.example.com/v2/";
    p.appdeck([
        "manifest",
        "grant",
        "url",
        url,
        "Syncs orders with Example.",
    ])
    .assert()
    .code(0);
    let csp = &p.json()["ui_extension"]["content_security_policy"];
    assert!(
        csp["connect-src"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u == url),
        "{csp}"
    );
    assert_eq!(csp["purpose"], "Syncs orders with Example.");
}

#[test]
fn grant_url_then_revoke_connect_src_restores_the_file() {
    let p = Project::sample();
    let before = p.text();
    let url = "https://api.example.com/v2/";
    p.appdeck(["manifest", "grant", "url", url])
        .assert()
        .code(0);
    let added = added_lines(&before, &p.text());
    assert!(
        added.iter().all(|l| l.contains(url)),
        "only the URL is added: {added:?}"
    );
    p.appdeck(["manifest", "revoke", "connect-src", url])
        .assert()
        .code(0);
    assert_eq!(p.text(), before);
}

#[test]
fn revoke_connect_src_removes_an_existing_url() {
    let p = Project::sample();
    let existing = p.json()["ui_extension"]["content_security_policy"]["connect-src"][0]
        .as_str()
        .expect("the sample has a connect-src URL")
        .to_string();
    p.appdeck(["manifest", "revoke", "connect-src", &existing])
        .assert()
        .code(0);
    let csp = &p.json()["ui_extension"]["content_security_policy"];
    let still = csp["connect-src"]
        .as_array()
        .is_some_and(|a| a.iter().any(|u| u == existing.as_str()));
    assert!(!still, "{csp}");
}

#[test]
fn grant_url_without_a_path_is_refused() {
    let p = Project::sample();
    let before = p.bytes();
    p.appdeck(["manifest", "grant", "url", "https://example.com/"])
        .assert()
        .code(1);
    assert_eq!(
        p.bytes(),
        before,
        "Stripe rejects connect-src without a path"
    );
}

#[test]
fn grant_image_url_then_revoke_restores_the_file() {
    let p = Project::sample();
    let before = p.text();
    let url = "https://images.example.com/avatars/";
    p.appdeck(["manifest", "grant", "image-url", url])
        .assert()
        .code(0);
    let csp = &p.json()["ui_extension"]["content_security_policy"];
    assert!(
        csp["image-src"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u == url),
        "{csp}"
    );
    p.appdeck(["manifest", "revoke", "image-url", url])
        .assert()
        .code(0);
    assert_eq!(p.text(), before);
}

#[test]
fn revoke_image_url_of_an_absent_url_does_not_apply() {
    let p = Project::sample();
    let before = p.bytes();
    p.appdeck([
        "manifest",
        "revoke",
        "image-url",
        "https://nowhere.example.com/x/",
    ])
    .assert()
    .code(1);
    assert_eq!(p.bytes(), before);
}

#[test]
fn set_access_type_then_distribution() {
    let p = Project::sample();
    p.appdeck(["manifest", "set", "access-type", "platform"])
        .assert()
        .code(0);
    assert_eq!(p.json()["stripe_api_access_type"], "platform");
    p.appdeck(["manifest", "set", "distribution", "private"])
        .assert()
        .code(0);
    assert_eq!(p.json()["distribution_type"], "private");
    p.appdeck(["manifest", "set", "access-type", "restricted_api_key"])
        .assert()
        .code(0);
    assert_eq!(p.json()["stripe_api_access_type"], "restricted_api_key");
}

#[test]
fn an_oauth_app_cannot_become_private() {
    // Stripe: private apps can't use OAuth. The sample is a public OAuth app.
    let p = Project::sample();
    if p.json()["stripe_api_access_type"] != "oauth" {
        p.appdeck(["manifest", "set", "distribution", "public"])
            .assert()
            .code(0);
        p.appdeck(["manifest", "set", "access-type", "oauth"])
            .assert()
            .code(0);
    }
    let before = p.bytes();
    p.appdeck(["manifest", "set", "distribution", "private"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with("error[edit-refused]: "));
    assert_eq!(p.bytes(), before);
}

#[test]
fn invalid_values_are_usage_errors_and_touch_nothing() {
    let p = Project::sample();
    let before = p.bytes();
    p.appdeck(["manifest", "set", "distribution", "secret"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("error[usage]: "))
        .stderr(predicate::str::contains("public"));
    p.appdeck(["manifest", "set", "access-type", "restricted-api-key"])
        .assert()
        .code(2);
    p.appdeck(["manifest", "grant", "permission", "customer_read"])
        .assert()
        .code(2);
    assert_eq!(p.bytes(), before);
}
