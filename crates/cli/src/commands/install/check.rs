//! `appdeck install check`: the pre-flight checklist of an install on a real
//! account, before anything listens or opens (core's `oauth::checklist`, the
//! same list the Install screen shows before Run).
//!
//! Invariants: one line per check, `PASS`/`WARN`/`FAIL` with the detail and,
//! for a line that doesn't pass, the fix; `--json` prints the `InstallCheck`
//! as core returns it; exit 1 when any line fails (`preflight-failed`), 0
//! otherwise (warnings allowed), 2 on usage or an unreadable manifest.

use std::io;
use std::path::PathBuf;

use appdeck_core::error::{Coded, ErrorCode};
use appdeck_core::manifest::Severity;
use appdeck_core::oauth::checklist::{self, CheckStatus, InstallCheck};
use appdeck_core::oauth::install::InstallRequest;
use clap::Args;

use super::super::manifest::default_manifest;
use crate::commands::accounts::kind_label_of;
use crate::commands::{block_on, open_session};
use crate::context::Ctx;
use crate::exit::Exit;
use crate::output;

#[derive(Debug, Clone, Args)]
#[command(after_help = "\
Examples:
  appdeck install check --account qa
  appdeck install check --account dev --via-backend --into qa --json

Exit codes:
  0  nothing fails (warnings allowed)
  1  a check fails (each failing line says what to do), or the account is unknown
  2  usage error, or a manifest that cannot be read")]
pub struct CheckOpts {
    /// The developer account the install would run as [default: the current one]
    #[arg(long, value_name = "NAME")]
    pub account: Option<String>,
    /// The redirect URI the install would use [default: as `install run` picks it]
    #[arg(long, value_name = "URI")]
    pub redirect_uri: Option<String>,
    /// Check a platform install link instead of OAuth
    #[arg(long)]
    pub platform: bool,
    /// Check an install the app's backend completes (see `install run --via-backend`)
    #[arg(long)]
    pub via_backend: bool,
    /// With --via-backend: the account the app is installed into (acct_… or an account name)
    #[arg(long, value_name = "ACCOUNT")]
    pub into: Option<String>,
    /// Print the checklist as JSON
    #[arg(long)]
    pub json: bool,
    /// The app's manifest [default: ./stripe-app.json]
    #[arg(long, value_name = "PATH")]
    pub manifest: Option<PathBuf>,
}

pub fn run(ctx: &mut Ctx<'_>, opts: CheckOpts) -> io::Result<Exit> {
    let manifest = opts.manifest.clone().unwrap_or_else(default_manifest);
    let req = InstallRequest {
        account: opts.account.clone(),
        redirect_uri: opts.redirect_uri.clone(),
        platform: opts.platform,
        via_backend: opts.via_backend,
        into: opts.into.clone(),
    };
    block_on(async {
        let core = open_session!(ctx);
        let checked = checklist::check(&core, &manifest, &req).await;
        let check = match checked {
            Ok(c) => c,
            Err(e) => {
                let code = e.code();
                output::error_line(ctx.err, ctx.paint_err, code, &e.to_string())?;
                return Ok(if code == ErrorCode::ManifestUnreadable {
                    Exit::Usage
                } else {
                    Exit::Findings
                });
            }
        };
        if opts.json {
            output::json_line(ctx.out, &check)?;
        } else {
            print(ctx, &check)?;
        }
        if check.ok {
            return Ok(Exit::Ok);
        }
        let failed = check
            .lines
            .iter()
            .filter(|l| l.status == CheckStatus::Fail)
            .count();
        let message = format!(
            "{failed} check(s) failed; fix them before running the install (nothing was opened)"
        );
        output::error_line(ctx.err, ctx.paint_err, ErrorCode::PreflightFailed, &message)?;
        Ok(Exit::Findings)
    })
}

fn print(ctx: &mut Ctx<'_>, c: &InstallCheck) -> io::Result<()> {
    writeln!(
        ctx.out,
        "Install check for {} as \"{}\" ({})",
        c.app,
        c.account,
        kind_label_of(ctx.paint_out, c.kind)
    )?;
    for l in &c.lines {
        let mark = match l.status {
            CheckStatus::Pass => ctx.paint_out.green("PASS"),
            CheckStatus::Warn => ctx.paint_out.severity(Severity::Warning, "WARN"),
            CheckStatus::Fail => ctx.paint_out.severity(Severity::Error, "FAIL"),
        };
        writeln!(ctx.out, "  {mark}  {:<18} {}", l.title, l.detail)?;
        if let Some(fix) = &l.fix {
            writeln!(ctx.out, "        {:<18} fix: {fix}", "")?;
        }
    }
    Ok(())
}
