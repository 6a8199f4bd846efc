//! Reports of a run, as plain files a CI job keeps: Markdown with a timing
//! table per account (steps × loops) and the failures with their request and
//! response, an SVG chart of step timings per loop and account, and JUnit XML
//! (a testsuite per account, a testcase per loop and step).
//!
//! Invariant: every text taken from a run goes through [`scrub`] before it is
//! written (results are already masked; this is the second net).

pub mod junit;
pub mod markdown;
pub mod scrub;
pub mod svg;

use std::path::{Path, PathBuf};

use super::result::RunReport;

/// The files [`write_all`] wrote.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
#[ts(export, export_to = "QaWritten.ts", rename = "QaWritten")]
pub struct Written {
    pub markdown: PathBuf,
    pub svg: PathBuf,
    pub junit: PathBuf,
}

pub const MARKDOWN_FILE: &str = "report.md";
pub const SVG_FILE: &str = "timings.svg";
pub const JUNIT_FILE: &str = "junit.xml";

/// Writes the Markdown report and its chart into `dir`, and the JUnit XML to
/// `junit` (default: `dir/junit.xml`).
pub fn write_all(report: &RunReport, dir: &Path, junit: Option<&Path>) -> std::io::Result<Written> {
    std::fs::create_dir_all(dir)?;
    let written = Written {
        markdown: dir.join(MARKDOWN_FILE),
        svg: dir.join(SVG_FILE),
        junit: junit
            .map(Path::to_path_buf)
            .unwrap_or_else(|| dir.join(JUNIT_FILE)),
    };
    std::fs::write(&written.svg, svg::render(report))?;
    std::fs::write(&written.markdown, markdown::render(report, SVG_FILE))?;
    if let Some(parent) = written.junit.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&written.junit, junit::render(report))?;
    Ok(written)
}
