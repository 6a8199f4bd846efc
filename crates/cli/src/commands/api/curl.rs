//! `appdeck api curl get|post|delete PATH …`: the call as a `curl` command
//! line, to paste into a terminal or a bug report.
//!
//! Invariant: the credential is never printed: the line reads it from an
//! environment variable (`--env-var`, default `STRIPE_API_KEY`). Core's
//! `console::curl::curl_for` holds the rules (a plain identifier, the
//! account's API base); a bad name or path is a usage error (exit 2).

use std::io;

use appdeck_core::console::curl;
use appdeck_core::error::Coded;
use clap::Args;

use super::RequestArgs;
use crate::commands::{block_on, fail, open_session, usage};
use crate::context::Ctx;
use crate::exit::Exit;

#[derive(Debug, Clone, Args)]
#[command(after_help = concat!("\
Examples:
  appdeck api curl get /v1/customers -d limit=3
  appdeck api curl post /v1/customers -d metadata[plan]=pro --env-var STRIPE_SECRET_KEY

", api_exit_codes_help!()))]
pub struct CurlOpts {
    #[command(flatten)]
    pub request: RequestArgs,
    /// The environment variable the line reads the key or token from
    #[arg(long, value_name = "NAME", default_value = "STRIPE_API_KEY")]
    pub env_var: String,
}

pub fn run(ctx: &mut Ctx<'_>, method: &str, opts: CurlOpts) -> io::Result<Exit> {
    let req = match opts.request.to_request(method) {
        Ok(r) => r,
        Err(message) => return usage(ctx, &message),
    };
    if let Err(e) = curl::check(&req, Some(&opts.env_var)) {
        return usage(ctx, &e.to_string());
    }
    block_on(async {
        let core = open_session!(ctx);
        match curl::curl_for(&core, &req, Some(&opts.env_var)) {
            Ok(line) => {
                writeln!(ctx.out, "{line}")?;
                Ok(Exit::Ok)
            }
            Err(e) => fail(ctx, &e.to_payload()),
        }
    })
}
