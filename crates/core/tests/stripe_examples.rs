//! Stripe's own example manifests must validate: the validator may warn, but it
//! must not reject what Stripe ships. The two examples requesting the retired
//! `datastore_write` get exactly one error each, at that permission.

use std::path::PathBuf;

use appdeck_core::manifest::{validate_file, Severity};

fn fixtures() -> Vec<PathBuf> {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/stripe-examples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

const DATASTORE: &[&str] = &[
    "data-store__ui-extension__stripe-app.json",
    "settings-view__data-store-backend__stripe-app.json",
];

#[test]
fn every_stripe_example_validates_without_errors_except_datastore() {
    let files = fixtures();
    assert_eq!(files.len(), 35, "all of Stripe's examples are checked");
    for path in files {
        let report = validate_file(&path).expect("readable");
        let errors: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if DATASTORE.contains(&name.as_str()) {
            assert_eq!(errors.len(), 1, "{name}: {errors:?}");
            assert_eq!(errors[0].code, "unknown-permission");
            let text = std::fs::read_to_string(&path).unwrap();
            let at = &text[errors[0].start as usize..errors[0].end as usize];
            assert_eq!(
                at, "\"datastore_write\"",
                "{name}: the error points at the permission"
            );
            assert!(!report.valid);
        } else {
            assert!(errors.is_empty(), "{name}: {errors:#?}");
            assert!(report.valid);
        }
    }
}

/// The sample is a test version: clean but for its fixed-port loopback
/// redirect URI, which is right while testing and noted for review.
#[test]
fn the_sample_app_validates_clean() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../stripe-app.json");
    let report = validate_file(&path).unwrap();
    let codes: Vec<(&str, &str)> = report
        .diagnostics
        .iter()
        .map(|d| (d.severity.as_str(), d.code.as_str()))
        .collect();
    assert_eq!(
        codes,
        [("info", "redirect-uri-loopback")],
        "{:#?}",
        report.diagnostics
    );
}
