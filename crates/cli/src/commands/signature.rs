//! `appdeck sign …` / `appdeck verify …`: Stripe-Signature style headers
//! (`t=<unix>,v1=<hex>`, stripe-apps.md §7) through core's `signature.rs`.
//!
//! - `sign stripe-signature`: the header for a payload file (a webhook body).
//! - `verify stripe-signature`: checks a header against a payload file.
//! - `sign|verify install-signature`: an install link's `install_signature`,
//!   over `{"state","user_id","account_id"}` in that order.
//! - `sign ui-extension`: what a UI extension's `fetchStripeSignature()`
//!   sends, over `{"user_id","account_id",…payload}`, to test an app backend.
//!
//! Invariants: the secret comes from stdin only (`--secret-stdin`, its first
//! line), never argv; payload files are signed byte for byte (a trailing
//! newline counts). Exit 0 signed / valid; 1 `signature-mismatch` or
//! `signature-expired`; 2 a malformed header, or usage (no secret, an
//! unreadable payload file).

use appdeck_core::context::SystemClock;
use appdeck_core::error::Coded;
use appdeck_core::signature::{
    install_payload, sign_at, ui_extension_payload_text, verify_now, SignatureError, Verified,
    DEFAULT_TOLERANCE_SECS,
};
use clap::Args;
use std::io;
use std::path::{Path, PathBuf};

use super::{fail_coded, secret_from_stdin, usage};
use crate::context::Ctx;
use crate::exit::Exit;

/// The secret and the signing time.
#[derive(Debug, Clone, Args)]
pub struct SignArgs {
    /// Read the signing secret (whsec_…, absec_…) from stdin (required: secrets never go on the command line)
    #[arg(long, required = true)]
    pub secret_stdin: bool,
    /// The signature's time (Unix seconds) [default: now]
    #[arg(long, value_name = "UNIX")]
    pub timestamp: Option<i64>,
}

/// The secret, the header and the tolerance.
#[derive(Debug, Clone, Args)]
pub struct VerifyArgs {
    /// Read the signing secret from stdin (required: secrets never go on the command line)
    #[arg(long, required = true)]
    pub secret_stdin: bool,
    /// The header value to check: t=<unix>,v1=<hex>[,v1=…]
    #[arg(long, value_name = "H")]
    pub header: String,
    /// How old the signature may be, in seconds (0: don't check the time)
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_TOLERANCE_SECS)]
    pub tolerance: i64,
}

/// The ids an install link or a UI extension signs.
#[derive(Debug, Clone, Args)]
pub struct IdArgs {
    /// The Dashboard user (usr_…)
    #[arg(long, value_name = "U")]
    pub user_id: String,
    /// The account (acct_…)
    #[arg(long, value_name = "A")]
    pub account_id: String,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = concat!("\
Example:
  printf %s \"$WEBHOOK_SECRET\" | appdeck sign stripe-signature --secret-stdin --payload event.json

", signature_exit_codes_help!()))]
pub struct SignStripeOpts {
    /// The payload file, signed byte for byte
    #[arg(long, value_name = "FILE")]
    pub payload: PathBuf,
    #[command(flatten)]
    pub sign: SignArgs,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = concat!("\
Example:
  printf %s \"$WEBHOOK_SECRET\" | appdeck verify stripe-signature --secret-stdin \\
      --header \"t=1700000000,v1=5257a8…\" --payload event.json

", signature_exit_codes_help!()))]
pub struct VerifyStripeOpts {
    /// The payload file the header should cover
    #[arg(long, value_name = "FILE")]
    pub payload: PathBuf,
    #[command(flatten)]
    pub verify: VerifyArgs,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = concat!("\
Example:
  printf %s \"$APP_SECRET\" | appdeck sign install-signature --secret-stdin \\
      --state 3f9a… --user-id usr_123 --account-id acct_123

", signature_exit_codes_help!()))]
pub struct SignInstallOpts {
    /// The install link's state
    #[arg(long, value_name = "S")]
    pub state: String,
    #[command(flatten)]
    pub ids: IdArgs,
    #[command(flatten)]
    pub sign: SignArgs,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = signature_exit_codes_help!())]
pub struct VerifyInstallOpts {
    /// The install link's state
    #[arg(long, value_name = "S")]
    pub state: String,
    #[command(flatten)]
    pub ids: IdArgs,
    #[command(flatten)]
    pub verify: VerifyArgs,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = concat!("\
Example:
  printf %s \"$APP_SECRET\" | appdeck sign ui-extension --secret-stdin --user-id usr_123 --account-id acct_123

The signed body (what the backend receives) goes to stderr; the header to stdout.

", signature_exit_codes_help!()))]
pub struct SignUiOpts {
    #[command(flatten)]
    pub ids: IdArgs,
    /// A JSON object the extension passes to fetchStripeSignature(), merged after the ids
    #[arg(long, value_name = "FILE")]
    pub payload: Option<PathBuf>,
    #[command(flatten)]
    pub sign: SignArgs,
}

/// The secret on stdin, or the usage message.
fn secret(what: &str) -> io::Result<Result<String, String>> {
    Ok(secret_from_stdin()?.ok_or_else(|| {
        format!(
            "no secret on stdin; pipe it in, e.g. `printf %s \"$SECRET\" | appdeck {what} --secret-stdin …`"
        )
    }))
}

fn read_payload(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Prints the header for `payload`.
fn print_signed(ctx: &mut Ctx<'_>, what: &str, args: &SignArgs, payload: &str) -> io::Result<Exit> {
    let secret = match secret(what)? {
        Ok(s) => s,
        Err(m) => return usage(ctx, &m),
    };
    writeln!(
        ctx.out,
        "{}",
        sign_at(&secret, payload, args.timestamp, &SystemClock)
    )?;
    Ok(Exit::Ok)
}

/// `valid (t=…, age …s, tolerance …s)`, or the failure with its exit.
fn check(ctx: &mut Ctx<'_>, what: &str, args: &VerifyArgs, payload: &str) -> io::Result<Exit> {
    let secret = match secret(what)? {
        Ok(s) => s,
        Err(m) => return usage(ctx, &m),
    };
    match verify_now(&args.header, payload, &secret, args.tolerance, &SystemClock) {
        Ok(Verified { t, age }) => {
            let tolerance = if args.tolerance == 0 {
                "not checked".to_string()
            } else {
                format!("{}s", args.tolerance)
            };
            writeln!(
                ctx.out,
                "{} (t={t}, age {}s, tolerance {tolerance})",
                ctx.paint_out.green("valid"),
                age
            )?;
            Ok(Exit::Ok)
        }
        Err(e @ (SignatureError::Malformed(_) | SignatureError::NegativeTolerance(_))) => {
            crate::output::error_line(ctx.err, ctx.paint_err, e.code(), &e.to_string())?;
            Ok(Exit::Usage)
        }
        Err(e) => fail_coded(ctx, &e),
    }
}

pub fn sign_stripe(ctx: &mut Ctx<'_>, opts: SignStripeOpts) -> io::Result<Exit> {
    match read_payload(&opts.payload) {
        Ok(p) => print_signed(ctx, "sign stripe-signature", &opts.sign, &p),
        Err(m) => usage(ctx, &m),
    }
}

pub fn verify_stripe(ctx: &mut Ctx<'_>, opts: VerifyStripeOpts) -> io::Result<Exit> {
    match read_payload(&opts.payload) {
        Ok(p) => check(ctx, "verify stripe-signature", &opts.verify, &p),
        Err(m) => usage(ctx, &m),
    }
}

pub fn sign_install(ctx: &mut Ctx<'_>, opts: SignInstallOpts) -> io::Result<Exit> {
    let payload = install_payload(&opts.state, &opts.ids.user_id, &opts.ids.account_id);
    print_signed(ctx, "sign install-signature", &opts.sign, &payload)
}

pub fn verify_install(ctx: &mut Ctx<'_>, opts: VerifyInstallOpts) -> io::Result<Exit> {
    let payload = install_payload(&opts.state, &opts.ids.user_id, &opts.ids.account_id);
    check(ctx, "verify install-signature", &opts.verify, &payload)
}

pub fn sign_ui_extension(ctx: &mut Ctx<'_>, opts: SignUiOpts) -> io::Result<Exit> {
    let extra = match &opts.payload {
        None => None,
        Some(path) => match read_payload(path) {
            Ok(t) => Some(t),
            Err(m) => return usage(ctx, &m),
        },
    };
    let (user, account) = (&opts.ids.user_id, &opts.ids.account_id);
    let payload = match ui_extension_payload_text(user, account, extra.as_deref()) {
        Ok(p) => p,
        Err(e) => {
            let file = opts.payload.as_deref().unwrap_or(Path::new("payload"));
            return usage(ctx, &format!("{}: {e}", file.display()));
        }
    };
    let exit = print_signed(ctx, "sign ui-extension", &opts.sign, &payload)?;
    if exit == Exit::Ok {
        writeln!(ctx.err, "signed body: {payload}")?;
    }
    Ok(exit)
}
