//! `appdeck manifest validate [PATH...] [--release [--previous FILE]] [--json]`:
//! check manifests as Stripe would.
//!
//! Invariants: every file named is reported, even after one fails to read; exit
//! 0 when no file has an error (warnings allowed), 1 when any has, 2 when any
//! file (or the `--previous` one) could not be read (worst wins). `--json`
//! prints one object per file per line, in argument order:
//! `{"file","valid","diagnostics"}` (with `--previous`, plus `"comparison"`) or,
//! for a file that cannot be read, `{"file","valid":false,"error":{"code","message"}}`.
//!
//! `--release` is core's release check (`appdeck_core::manifest::release`), the
//! same function the desktop's Release check view calls.

use std::io;
use std::path::PathBuf;

use appdeck_core::error::Coded;
use appdeck_core::manifest::{
    release_check_file, validate_file, ReleaseReport, ValidationReport, VersionComparison,
};
use clap::Args;
use serde::Serialize;

use crate::context::Ctx;
use crate::exit::Exit;
use crate::output::{self, JsonDiagnostic, JsonError, Tally};

#[derive(Debug, Clone, Args)]
#[command(after_help = concat!("\
Examples:
  appdeck manifest validate
  appdeck manifest validate stripe-app.json stripe-app.dev.json
  appdeck manifest validate --json | jq -r 'select(.valid | not) | .file'
  appdeck manifest validate --release --previous last-uploaded/stripe-app.json

", exit_codes_help!()))]
pub struct ValidateOpts {
    /// Manifests to check [default: ./stripe-app.json]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Print one JSON object per file, one per line
    #[arg(long)]
    pub json: bool,
    /// Also check what `stripe apps upload` and app review refuse (loopback URIs,
    /// refused name words, undeclared sandbox support): the version you send to review
    #[arg(long)]
    pub release: bool,
    /// The manifest of the version last uploaded: the version must be greater, and
    /// the permission changes are listed (what installers will be asked to approve)
    #[arg(long, value_name = "FILE", requires = "release")]
    pub previous: Option<PathBuf>,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    file: &'a str,
    valid: bool,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    comparison: Option<&'a VersionComparison>,
}

#[derive(Serialize)]
struct JsonUnreadable<'a> {
    file: &'a str,
    valid: bool,
    error: JsonError<'a>,
}

pub fn run(ctx: &mut Ctx<'_>, opts: ValidateOpts) -> io::Result<Exit> {
    let paths = if opts.paths.is_empty() {
        vec![super::default_manifest()]
    } else {
        opts.paths
    };
    let mut exit = Exit::Ok;
    let mut tally = Tally::default();
    let mut unreadable = 0;
    for path in &paths {
        let checked = if opts.release {
            release_check_file(path, opts.previous.as_deref())
                .map_err(|e| (e.code(), e.to_string()))
        } else {
            validate_file(path)
                .map(release_shape)
                .map_err(|e| (e.code(), e.to_string()))
        };
        match checked {
            Ok(report) => {
                if !report.valid {
                    exit = exit.worst(Exit::Findings);
                }
                tally.add(&report.diagnostics);
                if opts.json {
                    print_json(ctx, &report)?;
                } else {
                    for d in &report.diagnostics {
                        output::diagnostic(ctx.out, ctx.paint_out, &report.file, d)?;
                    }
                    if let Some(c) = &report.comparison {
                        print_comparison(ctx, &report.file, c)?;
                    }
                }
            }
            Err((code, message)) => {
                exit = exit.worst(Exit::Usage);
                unreadable += 1;
                let file = path.display().to_string();
                if opts.json {
                    output::json_line(
                        ctx.out,
                        &JsonUnreadable {
                            file: &file,
                            valid: false,
                            error: JsonError {
                                code,
                                message: &message,
                            },
                        },
                    )?;
                } else {
                    output::error_line(ctx.err, ctx.paint_err, code, &message)?;
                }
            }
        }
    }
    if !opts.json {
        writeln!(
            ctx.out,
            "{}",
            ctx.paint_out
                .dim(&tally.summary(paths.len() - unreadable, unreadable))
        )?;
    }
    Ok(exit)
}

/// A plain report in the release report's shape (no comparison).
fn release_shape(r: ValidationReport) -> ReleaseReport {
    ReleaseReport {
        file: r.file,
        valid: r.valid,
        diagnostics: r.diagnostics,
        comparison: None,
    }
}

fn print_json(ctx: &mut Ctx<'_>, report: &ReleaseReport) -> io::Result<()> {
    output::json_line(
        ctx.out,
        &JsonReport {
            file: &report.file,
            valid: report.valid,
            diagnostics: output::json_diagnostics(&report.diagnostics),
            comparison: report.comparison.as_ref(),
        },
    )
}

/// The comparison with the previous version, for people: the version step,
/// then what installers will be asked to approve and what is no longer requested.
fn print_comparison(ctx: &mut Ctx<'_>, file: &str, c: &VersionComparison) -> io::Result<()> {
    let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
    writeln!(
        ctx.out,
        "{}",
        ctx.paint_out.bold(&format!(
            "{file}: compared with {} (version {} -> {})",
            c.previous_file,
            show(&c.previous_version),
            show(&c.version)
        ))
    )?;
    if !c.reauthorization {
        writeln!(
            ctx.out,
            "  permissions unchanged: installed users are not asked again"
        )?;
        return Ok(());
    }
    if !c.added.is_empty() {
        writeln!(ctx.out, "  installers will be asked to approve:")?;
        for r in &c.added {
            let purpose = r
                .purpose
                .as_deref()
                .map(|p| format!("  \"{p}\""))
                .unwrap_or_default();
            writeln!(
                ctx.out,
                "    + {}{purpose}",
                ctx.paint_out.green(&r.permission)
            )?;
        }
    }
    if !c.removed.is_empty() {
        writeln!(ctx.out, "  no longer requested:")?;
        for r in &c.removed {
            writeln!(ctx.out, "    - {}", r.permission)?;
        }
    }
    writeln!(
        ctx.out,
        "  installed users are prompted to re-authorize the app (its permissions changed)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_in(dir: &std::path::Path, paths: Vec<PathBuf>, json: bool) -> (Exit, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut ctx = Ctx::plain(&mut out, &mut err, dir.join("config"));
        let exit = run(
            &mut ctx,
            ValidateOpts {
                paths,
                json,
                release: false,
                previous: None,
            },
        )
        .unwrap();
        drop(ctx);
        (
            exit,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    #[test]
    fn an_unreadable_file_is_exit_2_and_the_others_are_still_reported() {
        let dir = tempfile::tempdir().unwrap();
        let ok = dir.path().join("stripe-app.json");
        std::fs::write(
            &ok,
            r#"{"id":"com.example.a","version":"1.0.0","name":"A","permissions":[]}"#,
        )
        .unwrap();
        let missing = dir.path().join("missing.json");
        let (exit, out, _) = run_in(dir.path(), vec![missing.clone(), ok.clone()], true);
        assert_eq!(exit, Exit::Usage);
        let lines: Vec<serde_json::Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2, "one line per file, in argument order");
        assert_eq!(lines[0]["error"]["code"], "manifest-unreadable");
        assert_eq!(lines[0]["valid"], false);
        assert_eq!(lines[1]["file"], ok.display().to_string());
    }

    #[test]
    fn human_output_ends_with_a_summary_and_errors_go_to_stderr() {
        let dir = tempfile::tempdir().unwrap();
        let (exit, out, err) = run_in(dir.path(), vec![dir.path().join("nope.json")], false);
        assert_eq!(exit, Exit::Usage);
        assert!(err.starts_with("error[manifest-unreadable]: "), "{err}");
        assert_eq!(
            out,
            "0 errors, 0 warnings in 0 files; 1 file could not be read\n"
        );
    }
}
