//! `appdeck manifest grant|revoke|set …`: one edit to the manifest on disk,
//! mirroring `stripe apps grant/revoke/set`.
//!
//! Invariants (held by `appdeck_core::manifest::ops::edit_on_disk`, relied on
//! here): the edit is a minimal text change (untouched bytes stay as they were);
//! an edit that would add an error is refused and the file is left byte for byte
//! as it was; the save is atomic. This module only maps the outcome to output
//! and exit codes: 0 applied (or already in place), 1 refused / not applicable /
//! not valid JSON, 2 unreadable or unwritable file. Usage errors (a bad
//! `public|private`) never reach here: clap rejects them with exit 2.

use std::io;
use std::path::PathBuf;

use appdeck_core::error::{Coded, ErrorCode};
use appdeck_core::manifest::document::ManifestDocument;
use appdeck_core::manifest::ops::{edit_on_disk, ManifestOpError};
use appdeck_core::manifest::{Diagnostic, ManifestEdit};
use clap::{Args, ValueEnum};
use serde::Serialize;

use crate::context::Ctx;
use crate::exit::Exit;
use crate::output::{self, JsonDiagnostic, JsonError};

/// Which manifest an edit applies to and how to report it (every edit verb takes these).
#[derive(Debug, Clone, Args)]
pub struct Target {
    /// The manifest to edit
    #[arg(long, value_name = "PATH", default_value = appdeck_core::manifest::MANIFEST_FILE_NAME)]
    pub manifest: PathBuf,
    /// Print the outcome as one JSON object: {"ok","file","diagnostics"} or {"ok","error","diagnostics"}
    #[arg(long)]
    pub json: bool,
}

/// One edit verb's options once clap has filled them.
#[derive(Debug, Clone)]
pub struct EditOpts {
    pub target: Target,
    pub edit: ManifestEdit,
}

#[derive(Debug, Clone, Args)]
#[command(
    after_help = concat!("Example:\n  appdeck manifest grant permission customer_read \"Show the customer's plan\"\n\n", exit_codes_help!())
)]
pub struct GrantPermissionArgs {
    /// Permission name, as in `appdeck permissions list` (e.g. customer_read)
    pub name: String,
    /// Why the app needs it: shown to the person installing the app
    pub purpose: String,
    #[command(flatten)]
    pub target: Target,
}

#[derive(Debug, Clone, Args)]
#[command(
    after_help = concat!("Example:\n  appdeck manifest grant url https://api.example.com/v1/ \"Fetch the customer's orders\"\n\n", exit_codes_help!())
)]
pub struct GrantUrlArgs {
    /// HTTPS URL with a path; a trailing `/` allows everything below it
    pub url: String,
    /// Sets the content security policy's purpose
    pub purpose: Option<String>,
    #[command(flatten)]
    pub target: Target,
}

#[derive(Debug, Clone, Args)]
pub struct UrlArgs {
    /// The URL, as written in the manifest
    pub url: String,
    #[command(flatten)]
    pub target: Target,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = concat!("Example:\n  appdeck manifest revoke permission customer_write\n\n", exit_codes_help!()))]
pub struct RevokePermissionArgs {
    /// Permission name to remove from `permissions`
    pub name: String,
    #[command(flatten)]
    pub target: Target,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Distribution {
    Public,
    Private,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AccessType {
    Platform,
    Oauth,
    #[value(name = "restricted_api_key")]
    RestrictedApiKey,
}

#[derive(Debug, Clone, Args)]
pub struct SetDistributionArgs {
    /// `distribution_type`: public (Marketplace) or private (your account, or a link)
    pub value: Distribution,
    #[command(flatten)]
    pub target: Target,
}

#[derive(Debug, Clone, Args)]
pub struct SetAccessTypeArgs {
    /// `stripe_api_access_type` (oauth needs distribution public)
    pub value: AccessType,
    #[command(flatten)]
    pub target: Target,
}

impl GrantPermissionArgs {
    pub fn into_opts(self) -> EditOpts {
        EditOpts {
            target: self.target,
            edit: ManifestEdit::GrantPermission {
                permission: self.name,
                purpose: self.purpose,
            },
        }
    }
}

impl RevokePermissionArgs {
    pub fn into_opts(self) -> EditOpts {
        EditOpts {
            target: self.target,
            edit: ManifestEdit::RevokePermission {
                permission: self.name,
            },
        }
    }
}

impl GrantUrlArgs {
    pub fn into_opts(self) -> EditOpts {
        EditOpts {
            target: self.target,
            edit: ManifestEdit::GrantConnectSrc {
                url: self.url,
                purpose: self.purpose,
            },
        }
    }
}

impl UrlArgs {
    pub fn into_opts(self, make: fn(String) -> ManifestEdit) -> EditOpts {
        EditOpts {
            target: self.target,
            edit: make(self.url),
        }
    }
}

impl SetDistributionArgs {
    pub fn into_opts(self) -> EditOpts {
        let value = match self.value {
            Distribution::Public => "public",
            Distribution::Private => "private",
        };
        EditOpts {
            target: self.target,
            edit: ManifestEdit::SetDistribution {
                value: value.into(),
            },
        }
    }
}

impl SetAccessTypeArgs {
    pub fn into_opts(self) -> EditOpts {
        let value = match self.value {
            AccessType::Platform => "platform",
            AccessType::Oauth => "oauth",
            AccessType::RestrictedApiKey => "restricted_api_key",
        };
        EditOpts {
            target: self.target,
            edit: ManifestEdit::SetAccessType {
                value: value.into(),
            },
        }
    }
}

#[derive(Serialize)]
struct JsonOk<'a> {
    ok: bool,
    file: &'a str,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonFailed<'a> {
    ok: bool,
    error: JsonError<'a>,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

pub fn run(ctx: &mut Ctx<'_>, opts: EditOpts) -> io::Result<Exit> {
    let path = &opts.target.manifest;
    let file = path.display().to_string();
    let before = ManifestDocument::disk_revision(path);
    match edit_on_disk(path, None, &opts.edit) {
        Ok(state) => {
            if opts.target.json {
                output::json_line(
                    ctx.out,
                    &JsonOk {
                        ok: true,
                        file: &file,
                        diagnostics: output::json_diagnostics(&state.diagnostics),
                    },
                )?;
            } else {
                let changed = before.as_deref() != Some(state.document.revision.as_str());
                report_success(ctx, &file, &opts.edit, changed, &state.diagnostics)?;
            }
            Ok(Exit::Ok)
        }
        Err(e) => report_failure(ctx, &file, opts.target.json, &e),
    }
}

fn report_success(
    ctx: &mut Ctx<'_>,
    file: &str,
    edit: &ManifestEdit,
    changed: bool,
    diagnostics: &[Diagnostic],
) -> io::Result<()> {
    if changed {
        writeln!(
            ctx.out,
            "{} {} in {file}",
            ctx.paint_out.green("✓"),
            describe(edit)
        )?;
    } else {
        writeln!(ctx.out, "{file}: {}; nothing changed", already(edit))?;
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    if errors > 0 {
        writeln!(
            ctx.err,
            "note: {file} still has {} elsewhere; run `appdeck manifest validate {file}`",
            output::plural(errors, "error")
        )?;
    }
    Ok(())
}

fn report_failure(
    ctx: &mut Ctx<'_>,
    file: &str,
    json: bool,
    e: &ManifestOpError,
) -> io::Result<Exit> {
    let code = e.code();
    let exit = match code {
        ErrorCode::ManifestUnreadable | ErrorCode::ManifestWriteFailed => Exit::Usage,
        _ => Exit::Findings,
    };
    let message = e.to_string();
    let diagnostics = e.refusal().unwrap_or(&[]);
    if json {
        output::json_line(
            ctx.out,
            &JsonFailed {
                ok: false,
                error: JsonError {
                    code,
                    message: &message,
                },
                diagnostics: output::json_diagnostics(diagnostics),
            },
        )?;
    } else {
        output::error_line(ctx.err, ctx.paint_err, code, &message)?;
        for d in diagnostics {
            output::diagnostic(ctx.err, ctx.paint_err, file, d)?;
        }
    }
    Ok(exit)
}

/// What an edit did, for people: "granted permission customer_read".
fn describe(edit: &ManifestEdit) -> String {
    match edit {
        ManifestEdit::GrantPermission { permission, .. } => {
            format!("granted permission {permission}")
        }
        ManifestEdit::RevokePermission { permission } => format!("revoked permission {permission}"),
        ManifestEdit::GrantConnectSrc { url, purpose: None } => {
            format!("allowed {url} in connect-src")
        }
        ManifestEdit::GrantConnectSrc {
            url,
            purpose: Some(_),
        } => {
            format!("allowed {url} in connect-src and set the CSP purpose")
        }
        ManifestEdit::RevokeConnectSrc { url } => format!("removed {url} from connect-src"),
        ManifestEdit::GrantImageSrc { url } => format!("allowed {url} in image-src"),
        ManifestEdit::RevokeImageSrc { url } => format!("removed {url} from image-src"),
        ManifestEdit::SetDistribution { value } => format!("set distribution_type to {value}"),
        ManifestEdit::SetAccessType { value } => format!("set stripe_api_access_type to {value}"),
        other => format!("applied {other:?}"),
    }
}

/// Why an edit changed nothing: "permission charge_read is already granted".
fn already(edit: &ManifestEdit) -> String {
    match edit {
        ManifestEdit::GrantPermission { permission, .. } => {
            format!("permission {permission} is already granted with that purpose")
        }
        ManifestEdit::GrantConnectSrc { url, .. } => format!("{url} is already in connect-src"),
        ManifestEdit::GrantImageSrc { url } => format!("{url} is already in image-src"),
        ManifestEdit::SetDistribution { value } => format!("distribution_type is already {value}"),
        ManifestEdit::SetAccessType { value } => {
            format!("stripe_api_access_type is already {value}")
        }
        _ => "the manifest already says that".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_on(path: PathBuf, json: bool, edit: ManifestEdit) -> (Exit, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut ctx = Ctx::plain(&mut out, &mut err, PathBuf::from("unused-config"));
        let exit = run(
            &mut ctx,
            EditOpts {
                target: Target {
                    manifest: path,
                    json,
                },
                edit,
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
    fn a_missing_manifest_is_exit_2_with_a_coded_json_error() {
        let dir = tempfile::tempdir().unwrap();
        let edit = ManifestEdit::RevokePermission {
            permission: "customer_read".into(),
        };
        let (exit, out, err) = run_on(dir.path().join("stripe-app.json"), true, edit);
        assert_eq!(exit, Exit::Usage);
        assert!(err.is_empty(), "--json keeps stderr quiet: {err}");
        let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(v["ok"], false);
        assert_eq!(v["error"]["code"], "manifest-unreadable");
        assert_eq!(v["diagnostics"], serde_json::json!([]));
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["ok", "error", "diagnostics"]);
    }

    #[test]
    fn value_enums_write_stripes_spelling() {
        let target = Target {
            manifest: "m.json".into(),
            json: false,
        };
        let opts = SetAccessTypeArgs {
            value: AccessType::RestrictedApiKey,
            target,
        }
        .into_opts();
        assert_eq!(
            opts.edit,
            ManifestEdit::SetAccessType {
                value: "restricted_api_key".into()
            }
        );
    }
}
