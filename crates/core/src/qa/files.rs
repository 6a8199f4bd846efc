//! Where a project's flows and reports live, for the desktop's QA screen:
//! flows in `flows/` beside the manifest (what `appdeck qa run` is pointed
//! at), reports in `qa-reports/<flow file stem>/` beside it (the CLI's
//! default, relative to the project instead of the working directory).
//!
//! Invariant: listing never fails on one bad file: a flow that does not parse
//! is listed with its located error, so the picker can say why it can't run.

use std::path::{Path, PathBuf};

use serde::Serialize;
use ts_rs::TS;

use super::flow;

pub const FLOWS_DIR: &str = "flows";
pub const REPORTS_DIR: &str = "qa-reports";

/// A flow file as the picker shows it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export, export_to = "QaFlowFile.ts", rename = "QaFlowFile")]
pub struct FlowFile {
    pub path: String,
    pub file_name: String,
    /// The flow's `name` (when it parses).
    pub name: Option<String>,
    pub description: Option<String>,
    pub steps: usize,
    pub loops: u32,
    pub accounts: Vec<String>,
    /// `file:line:column: why`, for a flow that does not parse.
    pub error: Option<String>,
}

/// The project's flows folder: `flows/` beside the manifest.
pub fn flows_dir(manifest: &Path) -> PathBuf {
    manifest
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .join(FLOWS_DIR)
}

/// Where a recorded flow named `name` is saved: `flows/<name as a file
/// name>.yaml` beside the manifest (lowercase letters and digits, the rest
/// folded into `-`; `recorded` when nothing is left).
pub fn recorded_flow_path(manifest: &Path, name: &str) -> PathBuf {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    let slug = if slug.is_empty() { "recorded" } else { slug };
    flows_dir(manifest).join(format!("{slug}.yaml"))
}

/// Where a run of `flow` writes its reports:
/// `qa-reports/<flow stem>/<UTC start, YYYYMMDD-HHMMSS>-<run>/` beside the
/// manifest, so a later run never overwrites the report an earlier one opens,
/// and a folder's runs sort by time.
/// `started` comes from the context's clock.
pub fn report_dir(
    manifest: &Path,
    flow: &Path,
    run: &str,
    started: chrono::DateTime<chrono::Utc>,
) -> PathBuf {
    let stamp = started.format("%Y%m%d-%H%M%S");
    reports_of(manifest, flow).join(format!("{stamp}-{run}"))
}

/// A fresh id for one run (`run_…`), for its report folder.
pub fn new_run_id() -> String {
    let handle = crate::installs::new_handle();
    format!("run_{}", handle.strip_prefix("inst_").unwrap_or(&handle))
}

/// The folder holding every run's reports of `flow`.
fn reports_of(manifest: &Path, flow: &Path) -> PathBuf {
    let stem = flow
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "flow".into());
    manifest
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .join(REPORTS_DIR)
        .join(stem)
}

/// Reads one flow file for the picker.
pub fn describe(path: &Path) -> FlowFile {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let base = FlowFile {
        path: path.display().to_string(),
        file_name,
        name: None,
        description: None,
        steps: 0,
        loops: 0,
        accounts: Vec::new(),
        error: None,
    };
    match flow::load(path) {
        Ok(f) => FlowFile {
            name: Some(f.name),
            description: f.description,
            steps: f.steps.len(),
            loops: f.loops,
            accounts: f.accounts.iter().map(ToString::to_string).collect(),
            ..base
        },
        Err(e) => FlowFile {
            error: Some(e.to_string()),
            ..base
        },
    }
}

/// The `.yaml` / `.yml` files in `dir`, by file name; none when it does not exist.
pub fn list(dir: &Path) -> Vec<FlowFile> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    paths.sort();
    paths.iter().map(|p| describe(p)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_picker_lists_yaml_flows_with_their_errors_located() {
        let dir = tempfile::tempdir().unwrap();
        assert!(list(&dir.path().join("missing")).is_empty());
        std::fs::write(
            dir.path().join("b.yaml"),
            "name: b\nloops: 2\nsteps: [install, uninstall]\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("a.yml"), "name: a\nsteps:\n  - instal\n").unwrap();
        std::fs::write(dir.path().join("notes.md"), "not a flow").unwrap();
        let got = list(dir.path());
        let names: Vec<_> = got.iter().map(|f| f.file_name.as_str()).collect();
        assert_eq!(names, ["a.yml", "b.yaml"], "flows only, by name");
        assert!(got[0].name.is_none());
        assert!(
            got[0]
                .error
                .as_deref()
                .unwrap()
                .contains("a.yml:3:5: steps[0]: unknown step `instal`"),
            "{:?}",
            got[0].error
        );
        assert_eq!(
            (got[1].name.as_deref(), got[1].steps, got[1].loops),
            (Some("b"), 2, 2)
        );
        assert_eq!(got[1].accounts, ["install-1"]);
    }

    #[test]
    fn a_recorded_flow_is_named_for_its_title_in_flows() {
        let m = Path::new("/p/app/stripe-app.json");
        assert_eq!(
            recorded_flow_path(m, "My Install: smoke!"),
            Path::new("/p/app/flows/my-install-smoke.yaml")
        );
        assert_eq!(
            recorded_flow_path(m, "***"),
            Path::new("/p/app/flows/recorded.yaml")
        );
        assert_eq!(
            recorded_flow_path(m, "../../etc/passwd"),
            Path::new("/p/app/flows/etc-passwd.yaml"),
            "a name never leaves flows/"
        );
    }

    #[test]
    fn flows_and_reports_sit_beside_the_manifest() {
        let m = Path::new("/p/app/stripe-app.json");
        assert_eq!(flows_dir(m), Path::new("/p/app/flows"));
        let started = chrono::DateTime::parse_from_rfc3339("2026-03-04T05:06:07Z")
            .unwrap()
            .to_utc();
        let run = report_dir(m, Path::new("/elsewhere/smoke.yaml"), "qa_1", started);
        assert_eq!(
            run,
            Path::new("/p/app/qa-reports/smoke/20260304-050607-qa_1"),
            "the UTC start from the clock given, then the run"
        );
        assert_ne!(
            run,
            report_dir(m, Path::new("/elsewhere/smoke.yaml"), "qa_2", started)
        );
    }
}
