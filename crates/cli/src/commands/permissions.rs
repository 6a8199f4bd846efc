//! `appdeck permissions list|for-events`: the permission catalog, and which
//! permissions let an app receive the events it wants.
//!
//! Invariants: everything comes from the catalog embedded in appdeck-core
//! (`Catalog::embedded()`), so the CLI, the desktop app and the validator agree on
//! every name. `for-events` is "any of" (Stripe delivers an event to an app that
//! holds any one of its permissions); it exits 1 when an event is unknown, or,
//! when a manifest is in play, not unlocked by it. A manifest is in play when
//! `--manifest` names one (it must then be readable: else exit 2) or when
//! `./stripe-app.json` exists.

use std::io;
use std::path::PathBuf;

use appdeck_core::catalog::{Catalog, PermissionInfo};
use appdeck_core::error::{Coded, ErrorCode};
use appdeck_core::manifest::{advise, EventAdvice};
use clap::Args;
use serde::Serialize;

use super::manifest::default_manifest;
use crate::context::Ctx;
use crate::exit::Exit;
use crate::output::{self, truncate, JsonError};

/// Longest description shown in the `list` table (the JSON has it whole).
const DESCRIPTION_WIDTH: usize = 60;

#[derive(Debug, Clone, Args)]
#[command(after_help = "\
Examples:
  appdeck permissions list
  appdeck permissions list --search customer
  appdeck permissions list --json | jq -r '.[].permission'")]
pub struct ListOpts {
    /// Only permissions whose name, resource, category, description or events contain every word
    #[arg(long, value_name = "TERM")]
    pub search: Option<String>,
    /// Print a JSON array of permission objects
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = concat!("\
Examples:
  appdeck permissions for-events customer.created invoice.paid
  appdeck permissions for-events account.application.authorized --manifest stripe-app.json --json

", exit_codes_help!()))]
pub struct ForEventsOpts {
    /// Event types, as in Stripe's webhooks (e.g. customer.created)
    #[arg(required = true, value_name = "EVENT")]
    pub events: Vec<String>,
    /// Check against this manifest [default: ./stripe-app.json, when it exists]
    #[arg(long, value_name = "PATH")]
    pub manifest: Option<PathBuf>,
    /// Print a JSON array with one object per event
    #[arg(long)]
    pub json: bool,
}

pub fn list(ctx: &mut Ctx<'_>, opts: ListOpts) -> io::Result<Exit> {
    let catalog = Catalog::embedded();
    let term = opts.search.as_deref().unwrap_or("");
    let hits = catalog.search(term);
    if opts.json {
        output::json_line(ctx.out, &hits)?;
        return Ok(Exit::Ok);
    }
    if hits.is_empty() {
        writeln!(
            ctx.err,
            "no permission matches {term:?}; try a shorter word"
        )?;
        return Ok(Exit::Ok);
    }
    print_table(ctx, &hits)?;
    Ok(Exit::Ok)
}

fn print_table(ctx: &mut Ctx<'_>, hits: &[&PermissionInfo]) -> io::Result<()> {
    let name_w = hits
        .iter()
        .map(|p| p.permission.len())
        .max()
        .unwrap_or(0)
        .max(4);
    let access_w = hits
        .iter()
        .map(|p| p.access.len())
        .max()
        .unwrap_or(0)
        .max(6);
    let category_w = hits
        .iter()
        .map(|p| p.category.chars().count())
        .max()
        .unwrap_or(0)
        .max(8);
    let header = format!(
        "{:name_w$}  {:access_w$}  {:category_w$}  DESCRIPTION",
        "NAME", "ACCESS", "CATEGORY"
    );
    writeln!(ctx.out, "{}", ctx.paint_out.bold(&header))?;
    for p in hits {
        let description = match (&p.refusal, p.grantable) {
            // The JSON carries Stripe's whole message (`refusal`).
            (Some(_), _) => "not grantable: stripe apps upload refuses it".to_string(),
            (None, false) => truncate(
                &format!("not grantable: {}", p.description),
                DESCRIPTION_WIDTH,
            ),
            (None, true) => truncate(&p.description, DESCRIPTION_WIDTH),
        };
        let line = format!(
            "{:name_w$}  {:access_w$}  {:category_w$}  {description}",
            p.permission, p.access, p.category,
        );
        writeln!(ctx.out, "{}", line.trim_end())?;
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonFailure<'a> {
    file: &'a str,
    error: JsonError<'a>,
}

pub fn for_events(ctx: &mut Ctx<'_>, opts: ForEventsOpts) -> io::Result<Exit> {
    let manifest = match opts.manifest {
        Some(p) => Some(p),
        None => Some(default_manifest()).filter(|p| p.is_file()),
    };
    let granted = match &manifest {
        None => None,
        Some(path) => match granted_permissions(path) {
            Ok(granted) => Some(granted),
            Err((code, message)) => {
                let file = path.display().to_string();
                if opts.json {
                    let error = JsonError {
                        code,
                        message: &message,
                    };
                    output::json_line(ctx.out, &JsonFailure { file: &file, error })?;
                } else {
                    output::error_line(ctx.err, ctx.paint_err, code, &message)?;
                }
                return Ok(if code == ErrorCode::ManifestUnreadable {
                    Exit::Usage
                } else {
                    Exit::Findings
                });
            }
        },
    };
    let advice = advise(
        Catalog::embedded(),
        granted.as_deref().unwrap_or(&[]),
        &opts.events,
    );
    let unmet = advice
        .iter()
        .any(|a| !a.known || (granted.is_some() && a.granted_by.is_none()));
    if opts.json {
        output::json_line(ctx.out, &advice)?;
    } else {
        let file = manifest.as_ref().map(|p| p.display().to_string());
        print_advice(ctx, &advice, file.as_deref())?;
    }
    Ok(if unmet { Exit::Findings } else { Exit::Ok })
}

fn print_advice(
    ctx: &mut Ctx<'_>,
    advice: &[EventAdvice],
    manifest: Option<&str>,
) -> io::Result<()> {
    let width = advice.iter().map(|a| a.event.len()).max().unwrap_or(0);
    let pad = " ".repeat(width + 2);
    let p = ctx.paint_out;
    for a in advice {
        let event = format!("{:width$}", a.event);
        if !a.known {
            let hint = a
                .did_you_mean
                .as_ref()
                .map(|d| format!(" (did you mean `{d}`?)"))
                .unwrap_or_default();
            writeln!(
                ctx.out,
                "{}  {}{hint}",
                p.bold(&event),
                p.severity(appdeck_core::manifest::Severity::Error, "unknown event")
            )?;
            continue;
        }
        let any_of = a.any_of.join(", ");
        match (manifest, &a.granted_by) {
            (None, _) => writeln!(ctx.out, "{}  any of: {any_of}", p.bold(&event))?,
            (Some(_), Some(by)) => writeln!(
                ctx.out,
                "{}  {} by {by}",
                p.bold(&event),
                p.green("granted")
            )?,
            (Some(file), None) => {
                let missing = p.severity(appdeck_core::manifest::Severity::Error, "not granted");
                writeln!(ctx.out, "{}  {missing}; any of: {any_of}", p.bold(&event))?;
                if let Some(s) = &a.suggestion {
                    writeln!(
                        ctx.out,
                        "{pad}fix: appdeck manifest grant permission {s} \"PURPOSE\" --manifest {file}"
                    )?;
                }
            }
        }
    }
    Ok(())
}

/// The permission names a manifest grants (an extension merged over its base):
/// core's `console::permissions::granted`, the same read the API screen's
/// pre-check makes; a syntax error is reported (`manifest-syntax`, exit 1).
pub(crate) fn granted_permissions(
    path: &std::path::Path,
) -> Result<Vec<String>, (ErrorCode, String)> {
    appdeck_core::console::permissions::granted(path).map_err(|e| (e.code(), e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_for(opts: ForEventsOpts) -> (Exit, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut ctx = Ctx::plain(&mut out, &mut err, PathBuf::from("unused-config"));
        let exit = for_events(&mut ctx, opts).unwrap();
        drop(ctx);
        (exit, String::from_utf8(out).unwrap())
    }

    #[test]
    fn granted_permissions_reads_permission_objects_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("stripe-app.json");
        std::fs::write(
            &path,
            r#"{"permissions":[{"permission":"event_read","purpose":"x"},"customer_read"]}"#,
        )
        .unwrap();
        assert_eq!(granted_permissions(&path).unwrap(), ["event_read"]);
    }

    #[test]
    fn a_manifest_lacking_the_permission_makes_exit_1_and_names_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("stripe-app.json");
        std::fs::write(&path, r#"{"permissions":[]}"#).unwrap();
        let (exit, out) = run_for(ForEventsOpts {
            events: vec!["customer.created".into()],
            manifest: Some(path),
            json: false,
        });
        assert_eq!(exit, Exit::Findings);
        assert!(out.contains("not granted"), "{out}");
        assert!(
            out.contains("fix: appdeck manifest grant permission"),
            "{out}"
        );
    }

    #[test]
    fn a_syntax_error_is_exit_1_and_a_missing_named_manifest_exit_2() {
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("stripe-app.json");
        std::fs::write(&bad, "{ nope").unwrap();
        let events = vec!["customer.created".to_string()];
        let (exit, out) = run_for(ForEventsOpts {
            events: events.clone(),
            manifest: Some(bad),
            json: true,
        });
        assert_eq!(exit, Exit::Findings);
        let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(v["error"]["code"], "manifest-syntax");
        let gone = dir.path().join("gone.json");
        assert_eq!(
            run_for(ForEventsOpts {
                events,
                manifest: Some(gone),
                json: false
            })
            .0,
            Exit::Usage
        );
    }
}
