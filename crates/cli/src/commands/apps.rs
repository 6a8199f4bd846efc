//! `appdeck apps list|set`: per app and mode (test, live), the OAuth client
//! id and the external-test channel link from the Dashboard, and the signing
//! secret (stdin only, into the keychain), so install links and flows work
//! against real Stripe sandbox accounts. The local sandbox needs none of this.

use std::io;

use appdeck_core::apps;
use appdeck_core::keychain::Mode;
use appdeck_core::secret::SigningSecret;
use clap::Args;

use super::{fail_coded, open_session, secret_from_stdin, usage};
use crate::context::Ctx;
use crate::exit::Exit;
use crate::output;

#[derive(Debug, Clone, Args)]
#[command(after_help = "\
Examples:
  appdeck apps set com.example.invoice-pilot --mode test --client-id ca_123 --channel-link chnlink_456
  printf %s \"$SIGNING_SECRET\" | appdeck apps set com.example.invoice-pilot --mode test --client-id ca_123 --signing-secret-stdin")]
pub struct SetOpts {
    /// The app id, as in stripe-app.json
    #[arg(value_name = "APP_ID")]
    pub app: String,
    /// test or live (separate client ids and links)
    #[arg(long, value_parser = ["test", "live"])]
    pub mode: String,
    /// The OAuth client id (ca_…) from the app's settings in the Dashboard
    #[arg(long)]
    pub client_id: String,
    /// The external-test channel link (chnlink_…), if the app is unpublished
    #[arg(long)]
    pub channel_link: Option<String>,
    /// Read the app's signing secret (absec_…) from stdin into the keychain
    #[arg(long)]
    pub signing_secret_stdin: bool,
}

#[derive(Debug, Clone, Args)]
pub struct ListOpts {
    /// Print a JSON array (no secret)
    #[arg(long)]
    pub json: bool,
}

pub fn set(ctx: &mut Ctx<'_>, opts: SetOpts) -> io::Result<Exit> {
    let secret = if opts.signing_secret_stdin {
        match secret_from_stdin()? {
            Some(s) => Some(SigningSecret::new(s)),
            None => return usage(ctx, "--signing-secret-stdin: stdin is empty"),
        }
    } else {
        None
    };
    let mode = if opts.mode == "live" {
        Mode::Live
    } else {
        Mode::Test
    };
    super::block_on(async {
        let core = open_session!(ctx);
        match apps::configure(
            &core,
            &opts.app,
            mode,
            &opts.client_id,
            opts.channel_link.as_deref(),
            secret,
        ) {
            Ok(c) => {
                writeln!(
                    ctx.out,
                    "{} ({}): client id {}{}{}",
                    c.app_id,
                    mode.as_str(),
                    c.client_id,
                    c.channel_link
                        .as_deref()
                        .map(|l| format!(", channel link {l}"))
                        .unwrap_or_default(),
                    if c.has_signing_secret {
                        ", signing secret in the keychain"
                    } else {
                        ""
                    }
                )?;
                Ok(Exit::Ok)
            }
            Err(e @ apps::AppError::Invalid(_)) => usage(ctx, &e.to_string()),
            Err(e) => fail_coded(ctx, &e),
        }
    })
}

pub fn list(ctx: &mut Ctx<'_>, opts: ListOpts) -> io::Result<Exit> {
    super::block_on(async {
        let core = open_session!(ctx);
        let list = match apps::list(&core) {
            Ok(l) => l,
            Err(e) => return fail_coded(ctx, &e),
        };
        if opts.json {
            output::json_line(ctx.out, &list)?;
        } else if list.is_empty() {
            writeln!(
                ctx.err,
                "no apps configured; the local sandbox needs none (see `appdeck apps set --help`)"
            )?;
        } else {
            for c in &list {
                writeln!(
                    ctx.out,
                    "{}  {}  {}  {}  {}",
                    c.app_id,
                    c.mode.as_str(),
                    c.client_id,
                    c.channel_link.as_deref().unwrap_or("-"),
                    if c.has_signing_secret {
                        "signing secret: keychain"
                    } else {
                        "signing secret: none"
                    }
                )?;
            }
        }
        Ok(Exit::Ok)
    })
}
