//! Property tests over hostile input: the manifest parser and validator, the
//! edit engine, the callback/landed-URL parsing and the form encoder never
//! panic, and keep their invariants, on arbitrary input. CI runs a bounded
//! number of cases (PROPTEST_CASES, default 256 here); run longer locally with
//! `PROPTEST_CASES=100000 cargo test -p appdeck-core --test hostile_input`.

use std::path::Path;

use appdeck_core::console::form::{decode, encode_rows};
use appdeck_core::manifest::{apply_edit, validate_text, ManifestEdit, ValidateOptions};
use proptest::prelude::*;

const SAMPLE: &str = include_str!("../../../stripe-app.json");

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// JSON-ish text: fragments of manifests, brackets, quotes, escapes, unicode.
fn jsonish() -> impl Strategy<Value = String> {
    let atoms = prop_oneof![
        Just("{".to_string()),
        Just("}".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just(",".to_string()),
        Just(":".to_string()),
        Just("\"permissions\"".to_string()),
        Just("\"ui_extension\"".to_string()),
        Just("\"content_security_policy\"".to_string()),
        Just("\"connect-src\"".to_string()),
        Just("\"https://a.example.com/\"".to_string()),
        Just("null".to_string()),
        Just("true".to_string()),
        Just("// c\n".to_string()),
        Just("/*".to_string()),
        Just("\"\\u12".to_string()),
        Just("\u{feff}".to_string()),
        "[ -~]{0,8}".prop_map(|s| s),
        "\\PC{0,4}".prop_map(|s| s),
    ];
    prop::collection::vec(atoms, 0..60).prop_map(|v| v.concat())
}

/// The sample with one random byte range replaced: near-valid manifests.
fn mutated_sample() -> impl Strategy<Value = String> {
    (0..SAMPLE.len(), 0usize..20, "\\PC{0,6}").prop_map(|(at, len, with)| {
        let mut at = at;
        while !SAMPLE.is_char_boundary(at) {
            at -= 1;
        }
        let mut end = (at + len).min(SAMPLE.len());
        while !SAMPLE.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}{}{}", &SAMPLE[..at], with, &SAMPLE[end..])
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn validator_never_panics_and_locates_every_diagnostic(text in prop_oneof![jsonish(), mutated_sample()]) {
        let diags = validate_text(&text, &ValidateOptions::default());
        let lines = text.split('\n').count() as u32;
        for d in &diags {
            prop_assert!(d.line >= 1 && d.line <= lines.max(1), "line {} of {}", d.line, lines);
            prop_assert!(d.column >= 1);
            prop_assert!(d.start <= d.end && (d.end as usize) <= text.len());
            prop_assert!(!d.code.is_empty() && !d.message.is_empty());
        }
    }

    #[test]
    fn edits_never_panic_and_never_leave_invalid_json(text in mutated_sample(), name in "[a-z_]{1,20}", purpose in "\\PC{0,30}") {
        let edit = ManifestEdit::GrantPermission { permission: name, purpose };
        if let Ok(out) = apply_edit(Path::new("/nonexistent/stripe-app.json"), &text, &edit) {
            prop_assert!(serde_json::from_str::<serde_json::Value>(&out.text).is_ok(), "an applied edit yields JSON");
        }
    }

    #[test]
    fn form_rows_encode_and_decode_back(rows in prop::collection::vec(("[a-z]{1,6}(\\[[a-z0-9 ]{1,4}\\])?", "\\PC{0,12}"), 0..8)) {
        let rows: Vec<(String, String)> = rows;
        if let Ok(encoded) = encode_rows(&rows) {
            // Every pair is key=value with only qs-safe characters, brackets and %XX.
            for pair in encoded.split('&').filter(|p| !p.is_empty()) {
                prop_assert!(pair.contains('='));
                prop_assert!(pair.chars().all(|c| c.is_ascii_alphanumeric() || "-_.~[]%=".contains(c)), "{pair}");
            }
            let back = decode(&encoded);
            for (k, v) in &back {
                prop_assert!(rows.iter().any(|(rk, rv)| rv == v && (rk == k || k.starts_with(rk.split('[').next().unwrap_or_default()))));
            }
        }
    }

    #[test]
    fn landed_urls_and_queries_never_panic(raw in "\\PC{0,200}") {
        let _ = url::Url::parse(&raw);
        let _ = decode(&raw);
        let _ = appdeck_core::oauth::loopback::LoopbackSpec::from_redirect_uri(&raw);
        let _ = appdeck_core::signature::verify(&raw, "p", "s", 300, 0);
    }
}
