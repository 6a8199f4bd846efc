//! `appdeck api get|post|delete|history|curl`: Stripe API calls as an account
//! or as an installed app, over core's API console (stripe-apps.md §6).
//!
//! This file holds what `api` and `secrets` share: the request flags (`PATH`,
//! `-d KEY=VALUE`, `--account | --install`, headers), sending one call with
//! its guard rails, and printing what came back. `call` (get/post/delete,
//! `--all`), `history` and `curl` are the verbs.
//!
//! Invariants: stdout carries the response body only (pretty JSON on a
//! terminal, the raw body with `--json` or when piped), so `appdeck api get …
//! | jq` always works; everything else (the `error[type/code]: message
//! (Request-Id …)` summary, warnings, `help:` lines, progress) goes to stderr.
//! Exit 0 for 2xx, 1 for an API error (its body still printed) or a call that
//! could not be made (after its retries, which a `note:` on stderr lists, or
//! with `--json` a `{"attempts":[…]}` line there), 2 for usage (bad `-d`, a parameter row core rejects, a
//! bad path), 4 for a live-mode write without `--unlock-live`. Every call that
//! got an answer is recorded in the history (core redacts secrets). Calls as
//! an install are pre-checked against the manifest's permissions, and a 403
//! names the permission to grant.

pub mod call;
pub mod curl;
pub mod history;

use std::io;
use std::path::{Path, PathBuf};

use appdeck_core::console::history as console_history;
use appdeck_core::console::permissions::{missing_from_error, precheck};
use appdeck_core::console::request::{
    send_with, ApiRequest, ApiResponse, AuthAs, ConsoleError, LiveGuard,
};
use appdeck_core::console::retry::{self, RetryPolicy};
use appdeck_core::context::Context;
use appdeck_core::error::{Coded, ErrorCode};
use appdeck_core::keychain::Mode;
use appdeck_core::manifest::Severity;
use appdeck_core::store::StoreError;
use clap::Args;

use super::manifest::default_manifest;
use super::{fail_coded, usage};
use crate::context::Ctx;
use crate::exit::Exit;
use crate::output;

/// What names one call: the path, its parameters, who makes it, its headers.
#[derive(Debug, Clone, Args)]
pub struct RequestArgs {
    /// The API path: /v1/customers, /v1/customers/cus_123, …
    #[arg(value_name = "PATH")]
    pub path: String,
    /// A parameter as KEY=VALUE, with Stripe's bracket nesting (metadata[plan]=pro, expand[]=customer, items[0][price]=price_1); repeatable
    #[arg(short = 'd', long = "data", value_name = "KEY=VALUE")]
    pub data: Vec<String>,
    /// Call with this account's key [default: the current account]
    #[arg(long, value_name = "NAME", conflicts_with = "install")]
    pub account: Option<String>,
    /// Call as this install, with its OAuth access token (refreshed when expired)
    #[arg(long, value_name = "INSTALL")]
    pub install: Option<String>,
    /// Act on a connected account (Stripe-Account header)
    #[arg(long, value_name = "ACCT")]
    pub stripe_account: Option<String>,
    /// The API version to use (Stripe-Version header)
    #[arg(long, value_name = "V")]
    pub stripe_version: Option<String>,
    /// Idempotency-Key header [default for POST: a fresh one]
    #[arg(long, value_name = "K")]
    pub idempotency_key: Option<String>,
}

impl RequestArgs {
    /// The core request, or a usage message (a `-d` without `=`).
    pub fn to_request(&self, method: &str) -> Result<ApiRequest, String> {
        Ok(ApiRequest {
            method: method.to_string(),
            path: self.path.clone(),
            params: parse_rows(&self.data)?,
            raw_body: None,
            stripe_account: self.stripe_account.clone(),
            stripe_version: self.stripe_version.clone(),
            idempotency_key: self.idempotency_key.clone(),
            auth: match &self.install {
                Some(install) => AuthAs::Install {
                    install: install.clone(),
                },
                None => AuthAs::Account {
                    name: self.account.clone(),
                },
            },
        })
    }
}

/// How a call is sent and shown.
#[derive(Debug, Clone, Args)]
pub struct SendArgs {
    /// Print the raw response body (the default when stdout is not a terminal)
    #[arg(long)]
    pub json: bool,
    /// Allow this live-mode write (live calls are read-only otherwise)
    #[arg(long)]
    pub unlock_live: bool,
    /// The manifest whose permissions a call as an install is checked against [default: ./stripe-app.json, if present]
    #[arg(long, value_name = "PATH")]
    pub manifest: Option<PathBuf>,
    /// Retries after a 429, a 5xx or no answer, where repeating is safe [default: 2, or APPDECK_MAX_RETRIES]; 0 turns them off
    #[arg(long, value_name = "N")]
    pub max_retries: Option<u32>,
}

/// The retry policy for these flags: `--max-retries` over the session's
/// (`APPDECK_MAX_RETRIES`, resolved by `main.rs`).
pub fn retry_policy(core: &Context, flags: &SendArgs) -> RetryPolicy {
    let p = core.retry;
    match flags.max_retries {
        Some(n) => p.with_max_retries(n),
        None => p,
    }
}

/// `-d KEY=VALUE` rows, split at the first `=` (values may hold `=`).
pub fn parse_rows(data: &[String]) -> Result<Vec<(String, String)>, String> {
    data.iter()
        .map(|d| match d.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
            _ => Err(format!(
                "-d takes KEY=VALUE, e.g. -d metadata[plan]=pro (got {d:?})"
            )),
        })
        .collect()
}

/// Before a call as an install: warns when the manifest lacks the permission
/// the route needs. `Err(exit)` only when `--manifest` names an unreadable file.
pub fn permission_precheck(
    ctx: &mut Ctx<'_>,
    req: &ApiRequest,
    manifest: Option<&Path>,
) -> io::Result<Result<(), Exit>> {
    if !matches!(req.auth, AuthAs::Install { .. }) {
        return Ok(Ok(()));
    }
    let (path, explicit) = match manifest {
        Some(p) => (p.to_path_buf(), true),
        None => match Some(default_manifest()).filter(|p| p.is_file()) {
            Some(p) => (p, false),
            None => return Ok(Ok(())),
        },
    };
    let granted = match super::permissions::granted_permissions(&path) {
        Ok(g) => g,
        Err((code, message)) if explicit && code == ErrorCode::ManifestUnreadable => {
            output::error_line(ctx.err, ctx.paint_err, code, &message)?;
            return Ok(Err(Exit::Usage));
        }
        Err((_, message)) => {
            warning(ctx, &format!("permissions not pre-checked: {message}"))?;
            return Ok(Ok(()));
        }
    };
    if let Some(needed) = precheck(&req.method, &req.path, &granted) {
        warning(
            ctx,
            &format!(
                "{} does not grant {needed}, which {} {} needs; the call will likely fail with a permission error",
                path.display(),
                req.method,
                req.path.trim()
            ),
        )?;
        grant_help(ctx, &needed)?;
    }
    Ok(Ok(()))
}

pub fn warning(ctx: &mut Ctx<'_>, message: &str) -> io::Result<()> {
    writeln!(
        ctx.err,
        "{}: {message}",
        ctx.paint_err.severity(Severity::Warning, "warning")
    )
}

fn help(ctx: &mut Ctx<'_>, message: &str) -> io::Result<()> {
    writeln!(ctx.err, "{}: {message}", ctx.paint_err.green("help"))
}

fn grant_help(ctx: &mut Ctx<'_>, permission: &str) -> io::Result<()> {
    help(
        ctx,
        &format!("grant it with: appdeck manifest grant permission {permission} \"<purpose>\""),
    )
}

/// What a call that never got an answer exits with: 4 for a locked live
/// write, 2 for a request core rejects as malformed, else 1.
pub fn console_failure(ctx: &mut Ctx<'_>, e: &ConsoleError) -> io::Result<Exit> {
    match e {
        ConsoleError::LiveWriteLocked(_) => {
            output::error_line(ctx.err, ctx.paint_err, e.code(), &e.to_string())?;
            help(
                ctx,
                "pass --unlock-live to send it anyway: it changes real data in a live account",
            )?;
            Ok(Exit::LiveLocked)
        }
        ConsoleError::Form(_) | ConsoleError::Method(_) | ConsoleError::Path(_) => {
            usage(ctx, &e.to_string())
        }
        _ => fail_coded(ctx, e),
    }
}

/// Sends `req` with its guard rails, records it, prints what came back.
pub async fn send_and_print(
    ctx: &mut Ctx<'_>,
    core: &Context,
    req: &ApiRequest,
    flags: &SendArgs,
) -> io::Result<Exit> {
    if let Err(exit) = permission_precheck(ctx, req, flags.manifest.as_deref())? {
        return Ok(exit);
    }
    let resp = match send_recorded(ctx, core, req, flags).await? {
        Ok(resp) => resp,
        Err(exit) => return Ok(exit),
    };
    print_answer(ctx, req, &resp, flags.json)
}

/// The body on stdout, then the verdict: exit 0 for 2xx, else the error
/// summary on stderr and exit 1.
pub fn print_answer(
    ctx: &mut Ctx<'_>,
    req: &ApiRequest,
    resp: &ApiResponse,
    json: bool,
) -> io::Result<Exit> {
    print_body(ctx, &resp.body, json)?;
    report_status(ctx, req, resp)
}

/// [`send`] under the session's live guard, then [`console_history::record`];
/// `Err(exit)` when no answer came (already reported).
pub async fn send_recorded(
    ctx: &mut Ctx<'_>,
    core: &Context,
    req: &ApiRequest,
    flags: &SendArgs,
) -> io::Result<Result<ApiResponse, Exit>> {
    let guard = guard(flags);
    let never = tokio_util::sync::CancellationToken::new();
    let resp = match send_with(core, req, &guard, &retry_policy(core, flags), &never).await {
        Ok(r) => r,
        Err(e) => return Ok(Err(console_failure(ctx, &e)?)),
    };
    record(ctx, core, req, &resp)?;
    report_sent(ctx, req, &resp, flags.json)?;
    Ok(Ok(resp))
}

/// What stderr says of every call that got an answer: its retries, and that
/// it went to a live account.
pub fn report_sent(
    ctx: &mut Ctx<'_>,
    req: &ApiRequest,
    resp: &ApiResponse,
    json: bool,
) -> io::Result<()> {
    report_attempts(ctx, resp, json)?;
    if resp.mode == Mode::Live {
        warning(
            ctx,
            &format!(
                "{}: {} {} went to a live account (real data)",
                ctx.paint_err.severity(Severity::Error, "LIVE"),
                resp.method,
                req.path.trim()
            ),
        )?;
    }
    Ok(())
}

/// When the call was retried: `note: retried 2× after 429, 500 (…)` on stderr,
/// or with `--json` one line `{"attempts":[…]}` there (stdout stays the body).
pub fn report_attempts(ctx: &mut Ctx<'_>, resp: &ApiResponse, json: bool) -> io::Result<()> {
    let Some(summary) = retry::summary(&resp.attempts) else {
        return Ok(());
    };
    if json {
        return output::json_line(ctx.err, &serde_json::json!({ "attempts": resp.attempts }));
    }
    writeln!(ctx.err, "{}: {summary}", ctx.paint_err.dim("note"))
}

pub fn guard(flags: &SendArgs) -> LiveGuard {
    if flags.unlock_live {
        LiveGuard::unlocked()
    } else {
        LiveGuard::default()
    }
}

/// Records the call in the history; a failure to is a warning, not a failed call.
pub fn record(
    ctx: &mut Ctx<'_>,
    core: &Context,
    req: &ApiRequest,
    resp: &ApiResponse,
) -> io::Result<()> {
    match console_history::record(core, req, resp) {
        Ok(_) => Ok(()),
        Err(e) => not_recorded(ctx, &e),
    }
}

/// A call missing from the history is a warning, not a failed call.
pub fn not_recorded(ctx: &mut Ctx<'_>, e: &StoreError) -> io::Result<()> {
    warning(
        ctx,
        &format!("the call was not recorded in the history: {e}"),
    )
}

/// The body on stdout: pretty JSON on a terminal, else (or with `--json`) as
/// received; always ending with a newline.
pub fn print_body(ctx: &mut Ctx<'_>, body: &str, raw: bool) -> io::Result<()> {
    if ctx.out_is_terminal && !raw {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(body) {
            serde_json::to_writer_pretty(&mut *ctx.out, &v)?;
            return writeln!(ctx.out);
        }
    }
    ctx.out.write_all(body.as_bytes())?;
    if !body.ends_with('\n') {
        writeln!(ctx.out)?;
    }
    Ok(())
}

/// Exit 0 for 2xx; otherwise the one-line summary and, for a permission
/// error, the permission to grant; exit 1.
pub fn report_status(ctx: &mut Ctx<'_>, req: &ApiRequest, resp: &ApiResponse) -> io::Result<Exit> {
    if (200..300).contains(&resp.status) {
        return Ok(Exit::Ok);
    }
    let (label, message) = resp.error_summary();
    output::api_error_line(ctx.err, ctx.paint_err, &label, &message)?;
    if let Some(permission) = missing_from_error(resp) {
        if matches!(req.auth, AuthAs::Install { .. }) || req.stripe_account.is_some() {
            grant_help(ctx, &permission)?;
        } else {
            help(
                ctx,
                &format!("this key lacks {permission}; use a key that has it (a secret key, or a restricted key granted {permission})"),
            )?;
        }
    }
    Ok(Exit::Findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_split_at_the_first_equals_sign() {
        let rows = parse_rows(&[
            "metadata[k]=a=b".into(),
            "expand[]=customer".into(),
            "x=".into(),
        ])
        .unwrap();
        assert_eq!(
            rows,
            [
                ("metadata[k]".to_string(), "a=b".to_string()),
                ("expand[]".to_string(), "customer".to_string()),
                ("x".to_string(), String::new()),
            ]
        );
        assert!(parse_rows(&["novalue".into()]).is_err());
        assert!(parse_rows(&["=v".into()]).is_err(), "a row needs a key");
    }

    #[test]
    fn bodies_print_raw_off_a_terminal_and_pretty_on_one() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut ctx = Ctx::plain(&mut out, &mut err, PathBuf::from("unused"));
        print_body(&mut ctx, r#"{"b":1,"a":2}"#, false).unwrap();
        ctx.out_is_terminal = true;
        print_body(&mut ctx, r#"{"b":1,"a":2}"#, false).unwrap();
        print_body(&mut ctx, r#"{"b":1,"a":2}"#, true).unwrap();
        drop(ctx);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"b\":1,\"a\":2}\n{\n  \"b\": 1,\n  \"a\": 2\n}\n{\"b\":1,\"a\":2}\n",
            "pretty keeps key order; --json is raw even on a terminal"
        );
    }
}
