//! `appdeck manifest validate [PATH...] [--json]`: check manifests as Stripe would.
//!
//! Invariants: every file named is reported, even after one fails to read; exit
//! 0 when no file has an error (warnings allowed), 1 when any has, 2 when any
//! file could not be read (worst wins). `--json` prints one object per file per
//! line, in argument order: `{"file","valid","diagnostics"}` or, for a file that
//! cannot be read, `{"file","valid":false,"error":{"code","message"}}`.

use std::io;
use std::path::PathBuf;

use appdeck_core::error::Coded;
use appdeck_core::manifest::{validate_file, ValidationReport};
use clap::Args;
use serde::Serialize;

use crate::context::Ctx;
use crate::exit::Exit;
use crate::output::{self, code_str, JsonDiagnostic, JsonError, Tally};

#[derive(Debug, Clone, Args)]
#[command(after_help = concat!("\
Examples:
  appdeck manifest validate
  appdeck manifest validate stripe-app.json stripe-app.dev.json
  appdeck manifest validate --json | jq -r 'select(.valid | not) | .file'

", exit_codes_help!()))]
pub struct ValidateOpts {
    /// Manifests to check [default: ./stripe-app.json]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Print one JSON object per file, one per line
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    file: &'a str,
    valid: bool,
    diagnostics: Vec<JsonDiagnostic<'a>>,
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
        match validate_file(path) {
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
                }
            }
            Err(e) => {
                exit = exit.worst(Exit::Usage);
                unreadable += 1;
                let file = path.display().to_string();
                let code = code_str(e.code());
                let message = e.to_string();
                if opts.json {
                    output::json_line(
                        ctx.out,
                        &JsonUnreadable {
                            file: &file,
                            valid: false,
                            error: JsonError {
                                code: &code,
                                message: &message,
                            },
                        },
                    )?;
                } else {
                    output::error_line(ctx.err, ctx.paint_err, &code, &message)?;
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

fn print_json(ctx: &mut Ctx<'_>, report: &ValidationReport) -> io::Result<()> {
    output::json_line(
        ctx.out,
        &JsonReport {
            file: &report.file,
            valid: report.valid,
            diagnostics: output::json_diagnostics(&report.diagnostics),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_in(dir: &std::path::Path, paths: Vec<PathBuf>, json: bool) -> (Exit, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut ctx = Ctx::plain(&mut out, &mut err, dir.join("config"));
        let exit = run(&mut ctx, ValidateOpts { paths, json }).unwrap();
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
