//! `appdeck manifest validate`: paths, output shapes, exit codes, and the
//! Stripe example manifests as a corpus of real, valid apps.

use predicates::prelude::*;

use crate::support::{assert_diagnostic_shape, fixtures, json_lines, keys, Project, PLURAL_GUESS};

#[test]
fn defaults_to_stripe_app_json_in_the_current_dir() {
    let p = Project::sample();
    p.appdeck(["manifest", "validate"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(" in 1 file\n"));
    let out = p
        .appdeck(["manifest", "validate", "--json"])
        .output()
        .unwrap();
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 1);
    assert_eq!(
        lines[0]["file"], "stripe-app.json",
        "the default path is ./stripe-app.json"
    );
    assert_eq!(
        lines[0]["valid"], true,
        "the sample manifest is valid: {}",
        lines[0]
    );
}

#[test]
fn reports_every_path_in_argument_order() {
    let p = Project::sample();
    std::fs::write(p.path().join("plural.json"), PLURAL_GUESS).unwrap();
    let out = p
        .appdeck([
            "manifest",
            "validate",
            "--json",
            "plural.json",
            "stripe-app.json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "one file with an error makes exit 1"
    );
    let lines = json_lines(&out.stdout);
    let files: Vec<&str> = lines.iter().map(|l| l["file"].as_str().unwrap()).collect();
    assert_eq!(files, ["plural.json", "stripe-app.json"]);
    assert_eq!(lines[0]["valid"], false);
    assert_eq!(lines[1]["valid"], true);
}

#[test]
fn json_output_has_exactly_the_documented_keys() {
    let p = Project::with(PLURAL_GUESS);
    std::fs::copy(
        crate::support::sample_manifest_source(),
        p.path().join("sample.json"),
    )
    .unwrap();
    let out = p
        .appdeck([
            "manifest",
            "validate",
            "--json",
            "stripe-app.json",
            "sample.json",
        ])
        .output()
        .unwrap();
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 2, "one JSON object per file, one per line");
    for line in &lines {
        assert_eq!(
            keys(line),
            ["file", "valid", "diagnostics"],
            "report keys: {line}"
        );
        assert!(line["valid"].is_boolean());
        for d in line["diagnostics"].as_array().unwrap() {
            assert_diagnostic_shape(d);
        }
    }
    assert!(!lines[0]["diagnostics"].as_array().unwrap().is_empty());
}

#[test]
fn a_plural_guess_is_an_error_with_its_fix() {
    let p = Project::with(PLURAL_GUESS);
    let out = p
        .appdeck(["manifest", "validate", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report = &json_lines(&out.stdout)[0];
    assert_eq!(report["valid"], false);
    let errors: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert_eq!(
        errors.len(),
        1,
        "exactly the plural guess is wrong: {report}"
    );
    assert_eq!(errors[0]["pointer"], "/permissions/0/permission");
    assert_eq!(errors[0]["suggestion"], "customer_read");
    assert_eq!(
        (errors[0]["line"].as_u64(), errors[0]["column"].as_u64()),
        (Some(8), Some(21))
    );

    // The same, compiler style.
    p.appdeck(["manifest", "validate"])
        .assert()
        .code(1)
        .stdout(
            predicate::str::is_match(
                r"(?m)^stripe-app\.json:8:21: error\[[a-z-]+\]: .*customers_read",
            )
            .unwrap(),
        )
        .stdout(predicate::str::contains(
            "\n  help: replace with \"customer_read\"\n",
        ))
        .stdout(
            predicate::str::is_match(r"(?m)^1 error, \d+ warnings?(, \d+ info)? in 1 file$")
                .unwrap(),
        );
}

#[test]
fn a_missing_file_is_exit_2_and_the_other_files_are_still_checked() {
    let p = Project::sample();
    let out = p
        .appdeck([
            "manifest",
            "validate",
            "--json",
            "missing.json",
            "stripe-app.json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 2);
    assert_eq!(keys(&lines[0]), ["file", "valid", "error"]);
    assert_eq!(lines[0]["file"], "missing.json");
    assert_eq!(lines[0]["valid"], false);
    assert_eq!(lines[0]["error"]["code"], "manifest-unreadable");
    assert!(lines[0]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("missing.json"));
    assert_eq!(lines[1]["valid"], true);

    p.appdeck(["manifest", "validate", "missing.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("error[manifest-unreadable]: "));
}

#[test]
fn no_manifest_in_the_current_dir_is_exit_2() {
    Project::empty()
        .appdeck(["manifest", "validate"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("stripe-app.json"));
}

#[test]
fn an_unknown_flag_is_a_usage_error() {
    Project::sample()
        .appdeck(["manifest", "validate", "--jsn"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("error[usage]: "));
}

#[test]
fn errors_win_over_warnings_across_files() {
    // Exit 2 (unreadable) beats exit 1 (errors): the worst outcome wins.
    let p = Project::with(PLURAL_GUESS);
    p.appdeck(["manifest", "validate", "stripe-app.json", "missing.json"])
        .assert()
        .code(2);
}

#[test]
fn every_stripe_example_is_valid_except_the_two_datastore_write_ones() {
    let p = Project::empty();
    let paths = fixtures();
    assert!(paths.len() >= 30, "the corpus is there");
    let mut args = vec!["manifest".to_string(), "validate".into(), "--json".into()];
    args.extend(paths.iter().map(|f| f.display().to_string()));
    let out = p.appdeck(&args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "the datastore_write examples make exit 1"
    );
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), paths.len());
    let mut invalid = Vec::new();
    for (path, report) in paths.iter().zip(&lines) {
        let name = path.file_name().unwrap().to_str().unwrap();
        let errors: Vec<&serde_json::Value> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["severity"] == "error")
            .collect();
        if report["valid"] == false {
            invalid.push(name);
            assert_eq!(errors.len(), 1, "{name}: exactly one error: {report}");
            assert!(
                errors[0]["pointer"]
                    .as_str()
                    .unwrap()
                    .starts_with("/permissions/")
                    && errors[0]["pointer"]
                        .as_str()
                        .unwrap()
                        .ends_with("/permission"),
                "{name}: the error points at the permission: {report}"
            );
            assert!(
                errors[0]["message"]
                    .as_str()
                    .unwrap()
                    .contains("datastore_write"),
                "{report}"
            );
        } else {
            assert!(errors.is_empty(), "{name}: {report}");
        }
    }
    assert_eq!(
        invalid,
        [
            "data-store__ui-extension__stripe-app.json",
            "settings-view__data-store-backend__stripe-app.json"
        ]
    );
}

#[test]
fn each_valid_stripe_example_exits_0_on_its_own() {
    let p = Project::empty();
    for path in fixtures() {
        let text = std::fs::read_to_string(&path).unwrap();
        if text.contains("datastore_write") {
            continue;
        }
        let out = p
            .appdeck(["manifest", "validate"])
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}:\n{}",
            path.display(),
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

#[test]
fn output_is_uncolored_when_not_a_terminal() {
    let p = Project::with(PLURAL_GUESS);
    p.appdeck(["manifest", "validate"])
        .env_remove("NO_COLOR")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\x1b[").not());
}

#[test]
fn help_documents_examples_and_exit_codes() {
    let p = Project::empty();
    p.appdeck(["--help"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Exit codes:"))
        .stdout(predicate::str::contains("Examples:"))
        .stdout(predicate::str::contains("--config-dir"));
    p.appdeck(["manifest", "validate", "--help"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Exit codes:"))
        .stdout(predicate::str::contains("appdeck manifest validate --json"));
    p.appdeck(["--version"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("appdeck "));
}

#[test]
fn config_dir_is_accepted_anywhere() {
    let p = Project::sample();
    let config = p.path().join("cfg");
    p.appdeck(["--config-dir"])
        .arg(&config)
        .args(["manifest", "validate"])
        .assert()
        .code(0);
    p.appdeck(["manifest", "validate", "--config-dir"])
        .arg(&config)
        .assert()
        .code(0);
    assert!(!config.exists(), "validate writes no configuration");
}

#[test]
fn an_extension_manifest_names_the_base_file_for_its_diagnostics() {
    let p = Project::with(PLURAL_GUESS);
    std::fs::write(
        p.path().join("stripe-app.dev.json"),
        "{\n  \"extends\": \"stripe-app.json\",\n  \"name\": \"Plural (dev)\"\n}\n",
    )
    .unwrap();
    let out = p
        .appdeck(["manifest", "validate", "--json", "stripe-app.dev.json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "the base's error shows through the merge"
    );
    let report = &json_lines(&out.stdout)[0];
    assert_eq!(report["file"], "stripe-app.dev.json");
    let plural = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["suggestion"] == "customer_read")
        .unwrap_or_else(|| panic!("the merged check finds the base's plural guess: {report}"));
    assert_diagnostic_shape(plural);
    assert!(
        plural["file"]
            .as_str()
            .unwrap()
            .ends_with("stripe-app.json"),
        "{plural}"
    );

    p.appdeck(["manifest", "validate", "stripe-app.dev.json"])
        .assert()
        .code(1)
        .stdout(predicate::str::is_match(r"(?m)^stripe-app\.json:8:21: error\[").unwrap());
}
