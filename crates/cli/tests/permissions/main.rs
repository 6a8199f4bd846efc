//! Integration tests for `appdeck permissions list|for-events`.

#[path = "../support/mod.rs"]
mod support;

use predicates::prelude::*;
use support::{keys, Project};

#[test]
fn list_prints_a_table_of_real_permissions() {
    let out = Project::empty()
        .appdeck(["permissions", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    for col in ["NAME", "ACCESS", "CATEGORY", "DESCRIPTION"] {
        assert!(header.contains(col), "{header}");
    }
    let names: Vec<&str> = lines
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert!(names.contains(&"customer_read"));
    assert!(
        !names.contains(&"shpping_rate_write"),
        "schema misspellings are not offered"
    );
    assert!(
        text.lines().all(|l| l.chars().count() < 140),
        "descriptions are truncated"
    );
}

#[test]
fn list_search_filters_by_every_word() {
    let p = Project::empty();
    let out = p
        .appdeck(["permissions", "list", "--search", "invoice"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("invoice_read"));
    assert!(
        !text.contains("customer_read\n") && !text.lines().any(|l| l.starts_with("customer_read "))
    );

    let out = p
        .appdeck(["permissions", "list", "--search", "customer read", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let hits = v.as_array().unwrap();
    assert_eq!(
        hits[0]["permission"], "customer_read",
        "an exact name ranks first"
    );
}

#[test]
fn list_json_is_an_array_of_permission_info() {
    let out = Project::empty()
        .appdeck(["permissions", "list", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let all = v.as_array().unwrap();
    assert!(all.len() > 100);
    assert_eq!(
        keys(&all[0]),
        [
            "permission",
            "access",
            "resource",
            "category",
            "kind",
            "description",
            "implies",
            "notes",
            "events",
            "grantable",
            "refusal"
        ]
    );
}

#[test]
fn list_search_without_hits_is_empty_not_an_error() {
    let p = Project::empty();
    p.appdeck(["permissions", "list", "--search", "zzzz-nothing", "--json"])
        .assert()
        .code(0)
        .stdout("[]\n");
    p.appdeck(["permissions", "list", "--search", "zzzz-nothing"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("no permission matches"));
}

#[test]
fn for_events_without_a_manifest_lists_what_unlocks_each_event() {
    let out = Project::empty()
        .appdeck(["permissions", "for-events", "invoice.paid", "--json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "no manifest: nothing to be unmet"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let a = &v[0];
    assert_eq!(
        keys(a),
        [
            "event",
            "known",
            "any_of",
            "granted_by",
            "suggestion",
            "did_you_mean"
        ]
    );
    assert_eq!(a["known"], true);
    assert!(a["any_of"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p == "invoice_read"));

    Project::empty()
        .appdeck(["permissions", "for-events", "invoice.paid"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("invoice_read"));
}

#[test]
fn for_events_uses_stripe_app_json_in_the_current_dir() {
    // The sample grants event_read (install events) and invoice_read.
    let p = Project::sample();
    let out = p
        .appdeck([
            "permissions",
            "for-events",
            "account.application.authorized",
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["granted_by"], "event_read");
    assert!(v[0]["suggestion"].is_null());

    p.appdeck([
        "permissions",
        "for-events",
        "account.application.authorized",
    ])
    .assert()
    .code(0)
    .stdout(predicate::str::contains("granted by event_read"));
}

#[test]
fn for_events_exits_1_when_the_manifest_lacks_a_permission() {
    let p = Project::sample();
    let out = p
        .appdeck(["permissions", "for-events", "charge.succeeded", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v[0]["granted_by"].is_null());
    assert_eq!(v[0]["suggestion"], "charge_read");

    p.appdeck(["permissions", "for-events", "charge.succeeded"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "appdeck manifest grant permission charge_read",
        ));
}

#[test]
fn for_events_with_manifest_flag_reads_that_file() {
    let p = Project::sample();
    let other = Project::empty();
    other
        .appdeck([
            "permissions",
            "for-events",
            "charge.succeeded",
            "--manifest",
        ])
        .arg(p.manifest())
        .assert()
        .code(1);
    other
        .appdeck([
            "permissions",
            "for-events",
            "customer.created",
            "--manifest",
        ])
        .arg(p.manifest())
        .assert()
        .code(0);
}

#[test]
fn for_events_flags_unknown_events_with_a_guess() {
    let out = Project::empty()
        .appdeck([
            "permissions",
            "for-events",
            "customer.created",
            "customer.craeted",
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[1]["known"], false);
    assert_eq!(v[1]["did_you_mean"], "customer.created");
}

#[test]
fn for_events_usage_and_unreadable_manifest_are_exit_2() {
    let p = Project::empty();
    p.appdeck(["permissions", "for-events"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("error[usage]: "));
    p.appdeck([
        "permissions",
        "for-events",
        "customer.created",
        "--manifest",
        "missing.json",
    ])
    .assert()
    .code(2)
    .stderr(predicate::str::starts_with("error[manifest-unreadable]: "));
}
