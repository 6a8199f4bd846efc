//! The webview's contract, checked against the command table: the capability
//! file allows exactly the table's commands (it stays hand-written: granting
//! a command is a decision), `build.rs` reads the same names, no answer names
//! a secret type, errors cross as `{code, message}` only, and the capability
//! grants no shell and only scoped URLs.

use std::collections::BTreeSet;

use super::names::command_names;
use super::{specs, NAMES};
use crate::commands::manifest::{load_manifest, save_manifest};

/// App commands allowed by the capability (`allow-<kebab-name>`), as snake_case names.
fn allowed_by_capability() -> BTreeSet<String> {
    let cap: serde_json::Value =
        serde_json::from_str(include_str!("../../capabilities/default.json")).unwrap();
    cap["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str())
        .filter(|p| !p.contains(':'))
        .map(|p| {
            p.strip_prefix("allow-")
                .unwrap_or_else(|| panic!("app permission {p} is not an allow-"))
                .replace('-', "_")
        })
        .collect()
}

#[test]
fn the_capability_allows_every_command_of_the_table_and_nothing_else() {
    let table: BTreeSet<String> = NAMES.iter().map(|s| s.to_string()).collect();
    assert_eq!(table.len(), NAMES.len(), "a command is in the table twice");
    assert_eq!(
        allowed_by_capability(),
        table,
        "capabilities/default.json vs the command table"
    );
}

#[test]
fn build_rs_reads_the_tables_names() {
    assert_eq!(
        command_names(include_str!("mod.rs")),
        NAMES,
        "build.rs's reading of src/command_table/mod.rs vs the table's NAMES"
    );
}

/// Core's secret types: none has `Serialize`, so no serializable answer can
/// hold one in a field either; this catches one named in an answer's type.
const SECRET_TYPES: &[&str] = &[
    "ApiKey",
    "AccessToken",
    "RefreshToken",
    "ClientSecret",
    "SigningSecret",
    "SecretValue",
];

#[test]
fn no_command_answers_a_secret_type() {
    for cmd in specs() {
        for secret in SECRET_TYPES {
            assert!(
                !cmd.returns.rust.contains(secret),
                "{} returns {}, which names the secret type {secret}",
                cmd.name,
                cmd.returns.rust
            );
        }
    }
}

#[test]
fn capability_grants_no_shell_and_only_scoped_opener_urls() {
    let cap = include_str!("../../capabilities/default.json");
    assert!(!cap.contains("shell:"), "no shell plugin");
    let json: serde_json::Value = serde_json::from_str(cap).unwrap();
    let opener: Vec<&serde_json::Value> = json["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p.to_string().contains("opener:"))
        .collect();
    assert_eq!(opener.len(), 1, "one opener permission, with a scope");
    let urls: Vec<&str> = opener[0]["allow"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["url"].as_str().unwrap())
        .collect();
    assert_eq!(urls, vec!["https://*", "http://127.0.0.1:*"]);
}

#[test]
fn ipc_errors_reach_the_ui_as_code_and_message_only() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("stripe-app.json");
    let err =
        tauri::async_runtime::block_on(load_manifest(missing.display().to_string())).unwrap_err();
    let json = serde_json::to_value(&err).unwrap();
    let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    assert_eq!(keys, vec!["code", "message"]);
    assert_eq!(json["code"], "manifest-unreadable");
    assert!(json["message"]
        .as_str()
        .unwrap()
        .contains("stripe-app.json"));

    std::fs::write(&missing, "{}\n").unwrap();
    let stale = tauri::async_runtime::block_on(save_manifest(
        missing.display().to_string(),
        "not-the-revision".into(),
        "{\"a\":1}\n".into(),
    ))
    .unwrap_err();
    assert_eq!(
        serde_json::to_value(&stale).unwrap()["code"],
        "manifest-changed-on-disk"
    );
    assert_eq!(
        std::fs::read_to_string(&missing).unwrap(),
        "{}\n",
        "refused save wrote nothing"
    );
}
