//! `appdeck api curl get|post|delete PATH …`: the call as a `curl` command
//! line, to paste into a terminal or a bug report.
//!
//! Invariant: the credential is never printed: the line reads it from an
//! environment variable (`--env-var`, default `STRIPE_API_KEY`), whose name is
//! checked to be a plain shell identifier so the line is safe to paste. The
//! URL is the API base of the account (or of the install's developer
//! account), so a `local` call points at the running sandbox. Nothing is sent
//! and nothing is recorded.

use std::io;

use appdeck_core::accounts;
use appdeck_core::console::curl::to_curl;
use appdeck_core::console::request::{ApiRequest, AuthAs};
use appdeck_core::context::Context;
use appdeck_core::error::ErrorPayload;
use appdeck_core::installs;
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

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The API base the call would go to.
fn api_base(core: &Context, req: &ApiRequest) -> Result<String, ErrorPayload> {
    use appdeck_core::error::Coded;
    match &req.auth {
        AuthAs::Account { name } => accounts::resolve(core, name.as_deref())
            .map(|p| p.api_base)
            .map_err(|e| e.to_payload()),
        AuthAs::Install { install } => {
            let rec = installs::get(core, install).map_err(|e| e.to_payload())?;
            accounts::get(core, &rec.account)
                .map(|p| p.api_base)
                .map_err(|e| e.to_payload())
        }
    }
}

pub fn run(ctx: &mut Ctx<'_>, method: &str, opts: CurlOpts) -> io::Result<Exit> {
    if !is_identifier(&opts.env_var) {
        return usage(
            ctx,
            &format!(
                "--env-var takes a variable name (letters, digits, '_'; got {:?})",
                opts.env_var
            ),
        );
    }
    let req = match opts.request.to_request(method) {
        Ok(r) => r,
        Err(message) => return usage(ctx, &message),
    };
    if !req.path.trim().starts_with("/v1/") {
        return usage(
            ctx,
            &format!("the path must start with /v1/ (got \"{}\")", req.path),
        );
    }
    block_on(async {
        let core = open_session!(ctx);
        let base = match api_base(&core, &req) {
            Ok(b) => b,
            Err(e) => return fail(ctx, &e),
        };
        match to_curl(&req, &base, &opts.env_var) {
            Ok(line) => {
                writeln!(ctx.out, "{line}")?;
                Ok(Exit::Ok)
            }
            Err(e) => usage(ctx, &e.to_string()),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_identifiers_are_env_var_names() {
        assert!(is_identifier("STRIPE_API_KEY") && is_identifier("_k1"));
        for bad in ["", "1KEY", "KEY;rm", "$(x)", "A B"] {
            assert!(!is_identifier(bad), "{bad:?}");
        }
    }
}
