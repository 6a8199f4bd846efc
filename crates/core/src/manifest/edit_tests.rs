//! Golden tests for the edit engine: each edit changes only its own span and
//! leaves every other byte (indentation, key order, final newline) identical.

use std::path::Path;

use super::edit::{apply_edit, EditError, ManifestEdit};
use crate::error::{Coded, ErrorCode};

const SAMPLE: &str = include_str!("../../../../stripe-app.json");

fn path() -> &'static Path {
    // No base dir checks (icon) in these tests: a bare file name in a temp-free spot.
    Path::new("/nonexistent-appdeck-test-dir/stripe-app.json")
}

fn edit(text: &str, e: ManifestEdit) -> String {
    apply_edit(path(), text, &e)
        .unwrap_or_else(|err| panic!("{e:?}: {err}"))
        .text
}

/// The changed region of `new` relative to `old`: (old middle, new middle).
fn changed<'a>(old: &'a str, new: &'a str) -> (&'a str, &'a str) {
    let p = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let s = old[p..]
        .bytes()
        .rev()
        .zip(new[p..].bytes().rev())
        .take_while(|(a, b)| a == b)
        .count();
    (&old[p..old.len() - s], &new[p..new.len() - s])
}

fn grant(name: &str, purpose: &str) -> ManifestEdit {
    ManifestEdit::GrantPermission {
        permission: name.into(),
        purpose: purpose.into(),
    }
}

#[test]
fn grant_permission_appends_one_object_in_the_file_style() {
    let new = edit(SAMPLE, grant("product_read", "Shows products."));
    let expected = SAMPLE.replace(
        "      \"purpose\": \"Receives install, uninstall and invoice events.\"\n    }\n  ],",
        "      \"purpose\": \"Receives install, uninstall and invoice events.\"\n    },\n    {\n      \"permission\": \"product_read\",\n      \"purpose\": \"Shows products.\"\n    }\n  ],",
    );
    assert_eq!(new, expected);
}

#[test]
fn grant_then_revoke_restores_the_file_byte_for_byte() {
    for text in [
        SAMPLE.to_string(),
        SAMPLE.trim_end().to_string(),
        SAMPLE.replace("  ", "\t"),
        SAMPLE.replace('\n', "\r\n"),
    ] {
        let granted = edit(&text, grant("product_read", "Shows products."));
        assert_ne!(granted, text);
        let revoked = edit(
            &granted,
            ManifestEdit::RevokePermission {
                permission: "product_read".into(),
            },
        );
        assert_eq!(revoked, text, "round trip must be exact");
    }
}

#[test]
fn revoking_an_existing_permission_removes_only_its_entry() {
    let new = edit(
        SAMPLE,
        ManifestEdit::RevokePermission {
            permission: "invoice_read".into(),
        },
    );
    let (old_mid, new_mid) = changed(SAMPLE, &new);
    assert!(old_mid.contains("invoice_read") && !new_mid.contains("invoice_read"));
    assert!(!old_mid.contains("customer_read") && !old_mid.contains("event_read"));
    assert!(serde_json::from_str::<serde_json::Value>(&new).is_ok());
}

#[test]
fn every_edit_touches_only_its_span() {
    // (edit, text before, text after): the whole expected file is the sample
    // with exactly that one replacement.
    let url1 = "        \"https://api.invoicepilot.example.com/v1/\"\n";
    let img1 = "        \"https://cdn.invoicepilot.example.com/avatars/\"\n";
    let redirect = "    \"http://127.0.0.1:8765/callback\"\n";
    let cases: Vec<(ManifestEdit, String, String)> = vec![
        (ManifestEdit::SetName { value: "Invoice Copilot".into() }, "\"Invoice Pilot\"".into(), "\"Invoice Copilot\"".into()),
        (ManifestEdit::SetVersion { value: "1.0.1".into() }, "\"1.0.0\"".into(), "\"1.0.1\"".into()),
        (ManifestEdit::SetId { value: "com.example.other".into() }, "\"com.example.appdeck-sample\"".into(), "\"com.example.other\"".into()),
        (ManifestEdit::SetIcon { value: "./icon2.png".into() }, "\"./icon.png\"".into(), "\"./icon2.png\"".into()),
        (ManifestEdit::SetSandboxInstallCompatible { value: false }, "\"sandbox_install_compatible\": true".into(), "\"sandbox_install_compatible\": false".into()),
        (
            ManifestEdit::SetPermissionPurpose { permission: "invoice_read".into(), purpose: "New \"reason\".".into() },
            "\"Lists open and overdue invoices to follow up on.\"".into(),
            "\"New \\\"reason\\\".\"".into(),
        ),
        (ManifestEdit::SetCspPurpose { purpose: "Talks to our API.".into() }, "\"Loads follow-up schedules from the Invoice Pilot service and shows customer avatars.\"".into(), "\"Talks to our API.\"".into()),
        (
            ManifestEdit::GrantConnectSrc { url: "https://api.invoicepilot.example.com/v2/".into(), purpose: None },
            url1.into(),
            format!("{},\n        \"https://api.invoicepilot.example.com/v2/\"\n", url1.trim_end()),
        ),
        (
            ManifestEdit::GrantImageSrc { url: "https://img.example.com/x/".into() },
            img1.into(),
            format!("{},\n        \"https://img.example.com/x/\"\n", img1.trim_end()),
        ),
        (ManifestEdit::RevokeImageSrc { url: "https://cdn.invoicepilot.example.com/avatars/".into() }, format!("[\n{img1}      ]"), "[]".into()),
        (
            ManifestEdit::AddRedirectUri { uri: "https://b.example.com/cb".into() },
            redirect.into(),
            format!("{},\n    \"https://b.example.com/cb\"\n", redirect.trim_end()),
        ),
        (
            ManifestEdit::SetPostInstallAction { action_type: Some("onboarding".into()), url: None },
            "\"type\": \"settings\"".into(),
            "\"type\": \"onboarding\"".into(),
        ),
    ];
    for (e, from, to) in cases {
        assert_eq!(SAMPLE.matches(from.as_str()).count(), 1, "{from}");
        let expected = SAMPLE.replacen(from.as_str(), &to, 1);
        assert_eq!(edit(SAMPLE, e.clone()), expected, "{e:?}");
    }
}

#[test]
fn views_are_added_and_removed() {
    let added = edit(
        SAMPLE,
        ManifestEdit::AddView {
            viewport: "stripe.dashboard.invoice.detail".into(),
            component: "InvoiceView".into(),
        },
    );
    let (old_mid, new_mid) = changed(SAMPLE, &added);
    assert_eq!(old_mid, "");
    assert!(
        new_mid.contains("\"viewport\": \"stripe.dashboard.invoice.detail\""),
        "{new_mid}"
    );
    let removed = edit(
        &added,
        ManifestEdit::RemoveView {
            viewport: "stripe.dashboard.invoice.detail".into(),
            component: "InvoiceView".into(),
        },
    );
    assert_eq!(removed, SAMPLE);
}

#[test]
fn missing_sections_are_created_in_the_documented_order() {
    let text = "{\n  \"id\": \"com.example.x\",\n  \"version\": \"1.0.0\",\n  \"name\": \"X\"\n}";
    let new = edit(text, grant("customer_read", "Reads customers."));
    let v: serde_json::Value = serde_json::from_str(&new).unwrap();
    assert_eq!(v["permissions"][0]["permission"], "customer_read");
    assert!(!new.ends_with('\n'), "no trailing newline added");
    let new = edit(
        text,
        ManifestEdit::GrantConnectSrc {
            url: "https://a.example.com/v1/".into(),
            purpose: Some("Sync.".into()),
        },
    );
    let v: serde_json::Value = serde_json::from_str(&new).unwrap();
    assert_eq!(
        v["ui_extension"]["content_security_policy"]["connect-src"][0],
        "https://a.example.com/v1/"
    );
    assert_eq!(
        v["ui_extension"]["content_security_policy"]["purpose"],
        "Sync."
    );
    let new = edit(
        text,
        ManifestEdit::SetDistribution {
            value: "public".into(),
        },
    );
    let keys: Vec<&str> = new
        .lines()
        .filter_map(|l| l.trim().strip_prefix('"')?.split('"').next())
        .collect();
    assert_eq!(keys, vec!["id", "version", "name", "distribution_type"]);
    let with_null = "{\"id\": \"a\", \"version\": \"1\", \"name\": \"A\", \"ui_extension\": {\"views\": [], \"content_security_policy\": {\"connect-src\": null, \"purpose\": \"p\"}}}";
    let new = edit(
        with_null,
        ManifestEdit::GrantConnectSrc {
            url: "https://a.example.com/v1/".into(),
            purpose: None,
        },
    );
    let v: serde_json::Value = serde_json::from_str(&new).unwrap();
    assert_eq!(
        v["ui_extension"]["content_security_policy"]["connect-src"][0],
        "https://a.example.com/v1/"
    );
}

#[test]
fn edits_that_add_an_error_are_refused() {
    for e in [
        grant("customers_read", "x"),
        grant("product_read", ""),
        ManifestEdit::GrantConnectSrc {
            url: "https://example.com/".into(),
            purpose: None,
        },
        ManifestEdit::SetDistribution {
            value: "private".into(),
        }, // OAuth app must stay public
        ManifestEdit::SetAccessType {
            value: "oauth2".into(),
        },
        ManifestEdit::AddRedirectUri {
            uri: "http://a.example.com/cb".into(),
        },
        ManifestEdit::SetId {
            value: "has spaces".into(),
        },
    ] {
        let err = apply_edit(path(), SAMPLE, &e).unwrap_err();
        assert_eq!(err.code(), ErrorCode::EditRefused, "{e:?}");
        let EditError::Refused {
            diagnostics,
            message,
        } = err
        else {
            unreachable!()
        };
        assert!(
            !diagnostics.is_empty() && message.contains("line"),
            "{message}"
        );
    }
    let refused = apply_edit(path(), SAMPLE, &grant("customers_read", "x")).unwrap_err();
    assert!(refused.to_string().contains("customer_read"), "{refused}");
}

#[test]
fn existing_errors_elsewhere_do_not_block_unrelated_edits() {
    let broken = SAMPLE.replace("\"invoice_read\"", "\"invoices_read\"");
    let new = edit(&broken, grant("product_read", "Shows products."));
    assert!(new.contains("product_read") && new.contains("invoices_read"));
    // Revoking the bad entry is allowed too (it removes an error).
    edit(
        &broken,
        ManifestEdit::RevokePermission {
            permission: "invoices_read".into(),
        },
    );
}

#[test]
fn not_applicable_and_syntax_errors_are_reported() {
    let e = apply_edit(
        path(),
        SAMPLE,
        &ManifestEdit::RevokePermission {
            permission: "product_read".into(),
        },
    )
    .unwrap_err();
    assert_eq!(e.code(), ErrorCode::EditNotApplicable);
    let e = apply_edit(path(), "{\n  // c\n}", &grant("customer_read", "x")).unwrap_err();
    assert_eq!(e.code(), ErrorCode::ManifestSyntax);
    assert!(e.to_string().contains("line 2"), "{e}");
}

#[test]
fn granting_what_is_granted_changes_nothing() {
    let out = apply_edit(
        path(),
        SAMPLE,
        &grant(
            "customer_read",
            "Shows each customer's overdue invoices next to their profile.",
        ),
    )
    .unwrap();
    assert!(out.unchanged);
    assert_eq!(out.text, SAMPLE);
}
