//! Shared by the CLI's integration test binaries: a temp project holding a copy
//! of the sample manifest, and a command for the built `appdeck` binary.
//!
//! Invariants: tests never touch the repository's own files (they copy them into
//! a temp dir) nor the user's config dir (`APPDECK_CONFIG_DIR` points into the
//! temp dir); output is uncolored (`NO_COLOR=1`) and runs in the temp dir, so the
//! default `./stripe-app.json` is the copy.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// The repository root (crates/cli/../..).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn fixtures_dir() -> PathBuf {
    repo_root().join("tests/fixtures/stripe-examples")
}

/// Every Stripe example manifest, sorted by name.
pub fn fixtures() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures/stripe-examples exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    out.sort();
    out
}

/// The sample app's manifest: the repo's `stripe-app.json`, or a Stripe example
/// with permissions and a CSP if the sample is not there.
pub fn sample_manifest_source() -> PathBuf {
    let repo = repo_root().join("stripe-app.json");
    if repo.is_file() {
        repo
    } else {
        fixtures_dir().join("dropbox-oauth-pkce__stripe-app.json")
    }
}

/// A temp dir standing in for an app's project folder.
pub struct Project {
    pub dir: TempDir,
}

impl Project {
    /// A copy of the sample manifest (and its icon, if any) in a fresh temp dir.
    pub fn sample() -> Project {
        let project = Project::empty();
        let src = sample_manifest_source();
        std::fs::copy(&src, project.manifest()).unwrap();
        let icon = src.parent().unwrap().join("icon.png");
        if icon.is_file() {
            std::fs::copy(icon, project.path().join("icon.png")).unwrap();
        }
        project
    }

    pub fn empty() -> Project {
        Project {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// A project whose `stripe-app.json` is `text`.
    pub fn with(text: &str) -> Project {
        let project = Project::empty();
        std::fs::write(project.manifest(), text).unwrap();
        project
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn manifest(&self) -> PathBuf {
        self.path().join("stripe-app.json")
    }

    pub fn bytes(&self) -> Vec<u8> {
        std::fs::read(self.manifest()).unwrap()
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.bytes()).unwrap()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.bytes()).unwrap()
    }

    /// `appdeck ARGS…` run inside the project.
    pub fn appdeck<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_appdeck"));
        cmd.current_dir(self.path())
            .env("NO_COLOR", "1")
            .env("APPDECK_CONFIG_DIR", self.path().join(".appdeck-config"))
            .args(args);
        cmd
    }
}

/// A manifest that is valid but for one plural guess, `customers_read`.
pub const PLURAL_GUESS: &str = r#"{
  "id": "com.example.plural",
  "version": "1.0.0",
  "name": "Plural",
  "icon": "",
  "permissions": [
    {
      "permission": "customers_read",
      "purpose": "Shows customers."
    }
  ]
}
"#;

/// Parses stdout as one JSON value per line.
pub fn json_lines(stdout: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8(stdout.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

pub fn keys(v: &serde_json::Value) -> Vec<&str> {
    v.as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .map(String::as_str)
        .collect()
}

/// Checks the documented `--json` diagnostic shape: exactly these keys in this
/// order, plus `file` last only when it names another file.
pub fn assert_diagnostic_shape(d: &serde_json::Value) {
    let k = keys(d);
    let base = [
        "severity",
        "code",
        "message",
        "pointer",
        "line",
        "column",
        "suggestion",
    ];
    assert_eq!(
        &k[..base.len().min(k.len())],
        &base[..],
        "diagnostic keys: {d}"
    );
    match k.len() {
        7 => {}
        8 => {
            assert_eq!(k[7], "file", "only `file` may follow: {d}");
            assert!(
                d["file"].is_string(),
                "`file` is present only when non-null: {d}"
            );
        }
        _ => panic!("unexpected diagnostic keys: {d}"),
    }
    assert!(
        matches!(d["severity"].as_str(), Some("error" | "warning" | "info")),
        "{d}"
    );
    assert!(
        d["line"].as_u64().unwrap() >= 1 && d["column"].as_u64().unwrap() >= 1,
        "{d}"
    );
    assert!(
        d["suggestion"].is_null() || d["suggestion"].is_string(),
        "{d}"
    );
}
