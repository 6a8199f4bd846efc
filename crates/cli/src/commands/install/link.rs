//! `appdeck install link`: print an install link for the app and an account.
//!
//! Invariants: nothing is started and nothing is stored; the link carries a
//! fresh one-time `state` (which no one will check: use `install run` to
//! complete an install). The mode is the account's (default: the current
//! account, `local` when the local sandbox runs) or `--mode` without
//! `--account`; a `--mode` contradicting `--account` is a usage error. For
//! `local`, the link points at the running sandbox. A platform link needs no
//! client id, so one in test or live mode falls back to Stripe's marketplace.

use std::io;
use std::path::PathBuf;

use appdeck_core::accounts;
use appdeck_core::apps::AppError;
use appdeck_core::error::ErrorCode;
use appdeck_core::keychain::Mode;
use appdeck_core::oauth::links;
use clap::{Args, ValueEnum};

use super::load_app;
use crate::commands::{block_on, fail_coded, fail_with, open_session, usage};
use crate::context::Ctx;
use crate::exit::Exit;
use crate::output;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LinkMode {
    Test,
    Live,
}

impl From<LinkMode> for Mode {
    fn from(m: LinkMode) -> Mode {
        match m {
            LinkMode::Test => Mode::Test,
            LinkMode::Live => Mode::Live,
        }
    }
}

#[derive(Debug, Clone, Args)]
#[command(after_help = concat!("\
Examples:
  appdeck install link
  appdeck install link --account qa --redirect-uri https://example.com/stripe/callback
  appdeck install link --mode live --platform

", flow_exit_codes_help!()))]
pub struct LinkOpts {
    /// The account whose mode and app credentials to use [default: the current one]
    #[arg(long, value_name = "NAME")]
    pub account: Option<String>,
    /// test or live, without naming an account
    #[arg(long, value_enum)]
    pub mode: Option<LinkMode>,
    /// Where Stripe sends the user back [default: the manifest's first allowed_redirect_uris entry]
    #[arg(long, value_name = "URI")]
    pub redirect_uri: Option<String>,
    /// A platform install link (/apps/install/link/{app id}) instead of OAuth
    #[arg(long)]
    pub platform: bool,
    /// The app's manifest [default: ./stripe-app.json]
    #[arg(long, value_name = "PATH")]
    pub manifest: Option<PathBuf>,
}

pub fn run(ctx: &mut Ctx<'_>, opts: LinkOpts) -> io::Result<Exit> {
    let app = match load_app(opts.manifest.as_deref()) {
        Ok(a) => a,
        Err((exit, code, message)) => {
            output::error_line(ctx.err, ctx.paint_err, code, &message)?;
            return Ok(exit);
        }
    };
    block_on(async {
        let core = open_session!(ctx);
        let mode = match (&opts.account, opts.mode) {
            (None, Some(m)) => Mode::from(m),
            (name, wanted) => {
                let profile = match accounts::resolve(&core, name.as_deref()) {
                    Ok(p) => p,
                    Err(e) => return fail_coded(ctx, &e),
                };
                if let Some(w) = wanted.map(Mode::from).filter(|w| *w != profile.mode) {
                    return usage(
                        ctx,
                        &format!(
                            "account \"{}\" is a {} account, not {}; drop --mode or pick another account",
                            profile.name,
                            profile.mode.as_str(),
                            w.as_str()
                        ),
                    );
                }
                profile.mode
            }
        };
        let link = match links::install_link(
            &core,
            &app.id,
            &app.redirect_uris,
            mode,
            opts.redirect_uri.as_deref(),
            opts.platform,
        ) {
            Ok(link) => link,
            Err(AppError::NotConfigured { .. }) if mode == Mode::Local => {
                return fail_with(
                    ctx,
                    ErrorCode::AppNotConfigured,
                    "the local sandbox has no app registered; restart it with `appdeck sandbox serve --manifest PATH`",
                )
            }
            Err(e) => return fail_coded(ctx, &e),
        };
        writeln!(ctx.out, "{link}")?;
        Ok(Exit::Ok)
    })
}
