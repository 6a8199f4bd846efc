//! `appdeck tokens list|refresh|forget`: the installs an install flow produced
//! and their tokens.
//!
//! Invariants: no token is ever printed: `--json` has exactly
//! `{"install","app","account","stripe_user_id","livemode","access_expires_at","status"}`
//! per install (`status` is `active` or `needs-reauthorization`,
//! `access_expires_at` RFC 3339 or null for platform installs), and the table
//! shows masked hints only. `refresh` goes through core's single-flight
//! refresh (the new refresh token is stored before anything else); a rejected
//! refresh token marks the install `needs-reauthorization` (exit 1).

use std::io;

use appdeck_core::installs::{self, InstallRecord, InstallStatus};
use clap::Args;
use serde::Serialize;

use super::accounts::mode_label;
use super::{block_on, fail_coded, open_session};
use crate::context::Ctx;
use crate::exit::Exit;
use crate::output;

#[derive(Debug, Clone, Args)]
#[command(after_help = "\
Examples:
  appdeck tokens list
  appdeck tokens list --json | jq -r '.[] | select(.status == \"active\") | .install'")]
pub struct ListOpts {
    /// Print a JSON array of installs (never a token)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = flow_exit_codes_help!())]
pub struct InstallOpts {
    /// The install's handle (inst_…), as `appdeck tokens list` shows it
    #[arg(value_name = "INSTALL")]
    pub install: String,
}

/// One install as scripts see it (`tokens list --json`, `install run --json`).
#[derive(Debug, Serialize)]
pub struct JsonInstall<'a> {
    pub install: &'a str,
    pub app: &'a str,
    pub account: &'a str,
    pub stripe_user_id: &'a str,
    pub livemode: bool,
    pub access_expires_at: Option<&'a str>,
    pub status: InstallStatus,
}

impl<'a> From<&'a InstallRecord> for JsonInstall<'a> {
    fn from(r: &'a InstallRecord) -> Self {
        JsonInstall {
            install: &r.install,
            app: &r.app,
            account: &r.account,
            stripe_user_id: &r.stripe_user_id,
            livemode: r.livemode,
            access_expires_at: r.access_expires_at.as_deref(),
            status: r.status,
        }
    }
}

pub fn status_label(s: InstallStatus) -> &'static str {
    match s {
        InstallStatus::Active => "active",
        InstallStatus::NeedsReauthorization => "needs-reauthorization",
    }
}

pub fn list(ctx: &mut Ctx<'_>, opts: ListOpts) -> io::Result<Exit> {
    block_on(async {
        let core = open_session!(ctx);
        let list = match installs::list(&core) {
            Ok(l) => l,
            Err(e) => return fail_coded(ctx, &e),
        };
        if opts.json {
            let shown: Vec<JsonInstall> = list.iter().map(JsonInstall::from).collect();
            output::json_line(ctx.out, &shown)?;
            return Ok(Exit::Ok);
        }
        if list.is_empty() {
            writeln!(ctx.err, "no installs; run one with `appdeck install run`")?;
            return Ok(Exit::Ok);
        }
        print_table(ctx, &list)?;
        Ok(Exit::Ok)
    })
}

fn print_table(ctx: &mut Ctx<'_>, list: &[InstallRecord]) -> io::Result<()> {
    let w =
        |f: fn(&InstallRecord) -> usize, min: usize| list.iter().map(f).max().unwrap_or(0).max(min);
    let (inst_w, app_w, acct_w, user_w, exp_w, hint_w) = (
        w(|r| r.install.len(), 7),
        w(|r| r.app.len(), 3),
        w(|r| r.account.len(), 7),
        w(|r| r.stripe_user_id.len(), 14),
        w(|r| r.access_expires_at.as_deref().map_or(1, str::len), 14),
        w(
            |r| {
                r.access_token_hint
                    .as_deref()
                    .map_or(1, |h| h.chars().count())
            },
            12,
        ),
    );
    let header = format!(
        "{:inst_w$}  {:app_w$}  {:acct_w$}  {:5}  {:user_w$}  {:21}  {:exp_w$}  {:hint_w$}  REFRESH TOKEN",
        "INSTALL",
        "APP",
        "ACCOUNT",
        "MODE",
        "STRIPE_USER_ID",
        "STATUS",
        "ACCESS EXPIRES",
        "ACCESS TOKEN"
    );
    writeln!(ctx.out, "{}", ctx.paint_out.bold(&header))?;
    for r in list {
        let mode = match r.mode {
            appdeck_core::keychain::Mode::Live => format!("{} ", mode_label(ctx.paint_out, r.mode)),
            m => format!("{:5}", m.as_str()),
        };
        let line = format!(
            "{:inst_w$}  {:app_w$}  {:acct_w$}  {mode}  {:user_w$}  {:21}  {:exp_w$}  {:hint_w$}  {}",
            r.install,
            r.app,
            r.account,
            r.stripe_user_id,
            status_label(r.status),
            r.access_expires_at.as_deref().unwrap_or("-"),
            r.access_token_hint.as_deref().unwrap_or("-"),
            r.refresh_token_hint.as_deref().unwrap_or("-"),
        );
        writeln!(ctx.out, "{}", line.trim_end())?;
    }
    Ok(())
}

pub fn refresh(ctx: &mut Ctx<'_>, opts: InstallOpts) -> io::Result<Exit> {
    block_on(async {
        let core = open_session!(ctx);
        match installs::refresh(&core, &opts.install).await {
            Ok(r) => {
                writeln!(
                    ctx.out,
                    "Refreshed {}: access token {} (expires {}), refresh token {}",
                    r.install,
                    r.access_token_hint.as_deref().unwrap_or("-"),
                    r.access_expires_at.as_deref().unwrap_or("-"),
                    r.refresh_token_hint.as_deref().unwrap_or("-"),
                )?;
                Ok(Exit::Ok)
            }
            Err(e) => fail_coded(ctx, &e),
        }
    })
}

pub fn forget(ctx: &mut Ctx<'_>, opts: InstallOpts) -> io::Result<Exit> {
    block_on(async {
        let core = open_session!(ctx);
        match installs::forget(&core, &opts.install) {
            Ok(()) => {
                writeln!(
                    ctx.out,
                    "Forgot {}: its tokens are deleted from the store and its record removed",
                    opts.install
                )?;
                Ok(Exit::Ok)
            }
            Err(e) => fail_coded(ctx, &e),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use appdeck_core::keychain::Mode;

    #[test]
    fn the_json_install_has_exactly_the_documented_keys_and_no_token() {
        let r = InstallRecord {
            install: "inst_1".into(),
            app: "com.example.app".into(),
            account: "local".into(),
            mode: Mode::Local,
            stripe_user_id: "acct_1".into(),
            livemode: false,
            scope: "read_write".into(),
            kind: "oauth".into(),
            access_expires_at: Some("2030-01-01T00:00:00+00:00".into()),
            status: InstallStatus::NeedsReauthorization,
            installed_at: "2029-12-31T23:00:00+00:00".into(),
            refreshed_at: None,
            access_token_hint: Some("sk_test_…abcd".into()),
            refresh_token_hint: Some("rt_…wxyz".into()),
        };
        assert_eq!(
            serde_json::to_string(&JsonInstall::from(&r)).unwrap(),
            r#"{"install":"inst_1","app":"com.example.app","account":"local","stripe_user_id":"acct_1","livemode":false,"access_expires_at":"2030-01-01T00:00:00+00:00","status":"needs-reauthorization"}"#
        );
    }
}
