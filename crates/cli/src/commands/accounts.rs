//! `appdeck accounts list|add|remove|use`: the Stripe accounts Appdeck acts as.
//!
//! Invariants: a key is read from stdin only (`--key-stdin`, never argv), is
//! checked with `GET /v1/account` before it is saved (unless `--skip-check`),
//! and goes to the secret store, never to a file or to the output; `list`
//! shows no secret, in the table or in `--json`. A live key is flagged loudly
//! wherever an account is shown. The running local sandbox's developer account
//! is listed as `local` with no set-up and cannot be removed.

use std::io;

use appdeck_core::accounts::{self, AccountKind, AccountProfile, CredentialKind, LOCAL_ACCOUNT};
use appdeck_core::error::ErrorCode;
use appdeck_core::keychain::Mode;
use appdeck_core::manifest::Severity;
use appdeck_core::secret::ApiKey;
use clap::Args;

use super::{block_on, fail_coded, fail_with, open_session, secret_from_stdin, usage};
use crate::context::Ctx;
use crate::exit::Exit;
use crate::output::{self, Paint};

#[derive(Debug, Clone, Args)]
#[command(after_help = "\
Examples:
  appdeck accounts list
  appdeck accounts list --json | jq -r '.accounts[].name'")]
pub struct ListOpts {
    /// Print {\"current\", \"accounts\": [...]} as JSON (no secrets)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = concat!("\
Examples:
  pbpaste | appdeck accounts add qa-sandbox --key-stdin --stripe-sandbox
  printf %s \"$STRIPE_KEY\" | appdeck accounts add ci --key-stdin --api-base http://127.0.0.1:12111

", flow_exit_codes_help!()))]
pub struct AddOpts {
    /// A name for the account (letters, digits, '.', '_', '-')
    #[arg(value_name = "NAME")]
    pub name: String,
    /// Read the secret or restricted key (sk_…, rk_…) from stdin (required: keys never go on the command line)
    #[arg(long, required = true)]
    pub key_stdin: bool,
    /// The Stripe API base URL [default: https://api.stripe.com]
    #[arg(long, value_name = "URL")]
    pub api_base: Option<String>,
    /// Save without checking the key with GET /v1/account
    #[arg(long)]
    pub skip_check: bool,
    /// The key belongs to a Stripe sandbox (not the local one): sandbox keys look
    /// like test-mode keys (sk_test_…), so only you can tell
    #[arg(long)]
    pub stripe_sandbox: bool,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = flow_exit_codes_help!())]
pub struct NameOpts {
    #[arg(value_name = "NAME")]
    pub name: String,
}

/// `test`, `local`, or a loud `LIVE`.
pub fn mode_label(paint: Paint, mode: Mode) -> String {
    match mode {
        Mode::Live => paint.severity(Severity::Error, "LIVE"),
        other => other.as_str().to_string(),
    }
}

/// `test`, `sandbox`, `local`, or a loud `LIVE`: where the mode is shown, the
/// kind is, so a sandbox is never mistaken for test mode.
pub fn kind_label_of(paint: Paint, kind: AccountKind) -> String {
    match kind {
        AccountKind::Live => paint.severity(Severity::Error, "LIVE"),
        other => other.as_str().to_string(),
    }
}

fn key_label(kind: CredentialKind) -> &'static str {
    match kind {
        CredentialKind::SecretKey => "secret key",
        CredentialKind::RestrictedKey => "restricted key",
    }
}

fn live_warning(ctx: &mut Ctx<'_>, name: &str) -> io::Result<()> {
    writeln!(
        ctx.err,
        "{}: \"{name}\" holds a LIVE key: installs and API calls through it touch real accounts and real money",
        ctx.paint_err.severity(Severity::Warning, "warning")
    )
}

pub fn list(ctx: &mut Ctx<'_>, opts: ListOpts) -> io::Result<Exit> {
    block_on(async {
        let core = open_session!(ctx);
        let view = match accounts::list(&core) {
            Ok(v) => v,
            Err(e) => return fail_coded(ctx, &e),
        };
        if opts.json {
            output::json_line(ctx.out, &view)?;
            return Ok(Exit::Ok);
        }
        if view.accounts.is_empty() {
            writeln!(
                ctx.err,
                "no accounts; add one with `appdeck accounts add NAME --key-stdin`, or start the local sandbox with `appdeck sandbox serve`"
            )?;
            return Ok(Exit::Ok);
        }
        print_table(ctx, &view.accounts, view.current.as_deref())?;
        Ok(Exit::Ok)
    })
}

fn print_table(
    ctx: &mut Ctx<'_>,
    list: &[AccountProfile],
    current: Option<&str>,
) -> io::Result<()> {
    let name_w = list.iter().map(|a| a.name.len()).max().unwrap_or(0).max(4);
    let acct_w = list
        .iter()
        .map(|a| a.account_id.len())
        .max()
        .unwrap_or(0)
        .max(7);
    let header = format!(
        "  {:name_w$}  {:7}  {:acct_w$}  {:14}  API BASE",
        "NAME", "MODE", "ACCOUNT", "KEY"
    );
    writeln!(ctx.out, "{}", ctx.paint_out.bold(&header))?;
    for a in list {
        let marker = if current == Some(a.name.as_str()) {
            "*"
        } else {
            " "
        };
        // Pad before painting, so escape codes don't break the columns.
        let mode = match a.kind {
            AccountKind::Live => format!("{}   ", kind_label_of(ctx.paint_out, a.kind)),
            other => format!("{:7}", other.as_str()),
        };
        let account = if a.account_id.is_empty() {
            "(unchecked)"
        } else {
            &a.account_id
        };
        writeln!(
            ctx.out,
            "{marker} {:name_w$}  {mode}  {account:acct_w$}  {:14}  {}",
            a.name,
            key_label(a.credential),
            a.api_base
        )?;
    }
    Ok(())
}

pub fn add(ctx: &mut Ctx<'_>, opts: AddOpts) -> io::Result<Exit> {
    let Some(key) = secret_from_stdin()? else {
        return usage(
            ctx,
            "no key on stdin; pipe it in, e.g. `pbpaste | appdeck accounts add NAME --key-stdin`",
        );
    };
    if accounts::classify_key(&key).is_ok_and(|(mode, _)| mode == Mode::Live) {
        live_warning(ctx, &opts.name)?;
    }
    block_on(async {
        let core = open_session!(ctx);
        let add = accounts::AddOptions {
            api_base: opts.api_base.clone(),
            skip_check: opts.skip_check,
            sandbox: opts.stripe_sandbox,
        };
        let added = accounts::add(&core, &opts.name, ApiKey::new(key), &add).await;
        let p = match added {
            Ok(p) => p,
            Err(e) => return fail_coded(ctx, &e),
        };
        let account = if p.account_id.is_empty() {
            "not checked".to_string()
        } else {
            p.account_id.clone()
        };
        let shown = p
            .display_name
            .as_deref()
            .map(|d| format!(", {d}"))
            .unwrap_or_default();
        writeln!(
            ctx.out,
            "Added account \"{}\" ({account}{shown}; {}, {}); its key is in the {}",
            p.name,
            kind_label_of(ctx.paint_out, p.kind),
            key_label(p.credential),
            store_name(&core)
        )?;
        Ok(Exit::Ok)
    })
}

fn store_name(core: &appdeck_core::context::Context) -> &'static str {
    match core.secrets.kind() {
        appdeck_core::keychain::StoreKind::OsKeychain => "OS keychain",
        appdeck_core::keychain::StoreKind::SessionMemory => {
            "session-only memory store (gone when this command exits)"
        }
    }
}

pub fn remove(ctx: &mut Ctx<'_>, opts: NameOpts) -> io::Result<Exit> {
    if opts.name == LOCAL_ACCOUNT {
        return fail_with(
            ctx,
            ErrorCode::InvalidInput,
            "\"local\" is the running local sandbox's account; it goes away when the sandbox stops",
        );
    }
    block_on(async {
        let core = open_session!(ctx);
        match accounts::remove(&core, &opts.name) {
            Ok(()) => {
                writeln!(
                    ctx.out,
                    "Removed account \"{}\" and its key from the {}",
                    opts.name,
                    store_name(&core)
                )?;
                Ok(Exit::Ok)
            }
            Err(e) => fail_coded(ctx, &e),
        }
    })
}

pub fn use_account(ctx: &mut Ctx<'_>, opts: NameOpts) -> io::Result<Exit> {
    block_on(async {
        let core = open_session!(ctx);
        match accounts::use_account(&core, &opts.name) {
            Ok(p) => {
                writeln!(
                    ctx.out,
                    "Now using \"{}\" ({})",
                    p.name,
                    kind_label_of(ctx.paint_out, p.kind)
                )?;
                if p.mode == Mode::Live {
                    live_warning(ctx, &p.name)?;
                }
                Ok(Exit::Ok)
            }
            Err(e) => fail_coded(ctx, &e),
        }
    })
}
