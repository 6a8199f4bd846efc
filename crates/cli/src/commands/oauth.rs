//! `appdeck oauth providers add|list|remove` and `appdeck oauth login`:
//! third-party OAuth providers a UI extension signs in to, with authorization
//! code + PKCE S256 through the same loopback as installs.
//!
//! Invariants: a client secret comes from stdin only (`--client-secret-stdin`)
//! and goes to the secret store; `providers list` shows no secret. `login`
//! behaves like `install run` (the `Open:` line, steps on stderr, exit 1 on a
//! flow error, 3 on timeout or cancel) and then prints the run's PKCE values
//! (verifier, challenge, state: one-time values, spent once the code is
//! exchanged), the scopes granted and a masked access token.

use std::io;
use std::time::Duration;

use appdeck_core::error::Coded;
use appdeck_core::oauth::provider::{self, ProviderConfig, ProviderLogin};
use appdeck_core::secret::ClientSecret;
use clap::Args;
use tokio_util::sync::CancellationToken;

use super::flow::{self, Events, FlowEvent, Show, Signals};
use super::{block_on, fail_coded, open_session, secret_from_stdin, usage};
use crate::context::Ctx;
use crate::exit::Exit;
use crate::output;

#[derive(Debug, Clone, Args)]
#[command(after_help = concat!("\
Examples:
  appdeck oauth providers add dropbox --authorize-url https://www.dropbox.com/oauth2/authorize \\
      --token-url https://api.dropboxapi.com/oauth2/token --client-id abc123 \\
      --scope files.metadata.read --param token_access_type=offline
  printf %s \"$SECRET\" | appdeck oauth providers add acme --client-secret-stdin ...

", flow_exit_codes_help!()))]
pub struct AddOpts {
    /// A name for the provider (letters, digits, '-', '_', '.')
    #[arg(value_name = "NAME")]
    pub name: String,
    /// The provider's authorization endpoint (https, or http on loopback)
    #[arg(long, value_name = "URL")]
    pub authorize_url: String,
    /// The provider's token endpoint (https, or http on loopback)
    #[arg(long, value_name = "URL")]
    pub token_url: String,
    /// The OAuth client id
    #[arg(long, value_name = "ID")]
    pub client_id: String,
    /// Read a client secret from stdin (PKCE public clients have none)
    #[arg(long)]
    pub client_secret_stdin: bool,
    /// A scope to request (repeatable)
    #[arg(long = "scope", value_name = "S")]
    pub scopes: Vec<String>,
    /// An extra authorize parameter (repeatable), e.g. access_type=offline
    #[arg(long = "param", value_name = "KEY=VALUE", value_parser = key_value)]
    pub params: Vec<(String, String)>,
}

fn key_value(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("expected KEY=VALUE, got {s:?}")),
    }
}

#[derive(Debug, Clone, Args)]
#[command(after_help = "\
Examples:
  appdeck oauth providers list
  appdeck oauth providers list --json | jq -r '.[].name'")]
pub struct ListOpts {
    /// Print a JSON array of provider settings (no secrets)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = flow_exit_codes_help!())]
pub struct RemoveOpts {
    #[arg(value_name = "NAME")]
    pub name: String,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = concat!("\
Examples:
  appdeck oauth login dropbox
  appdeck oauth login dropbox --no-browser --json --timeout 60

", flow_exit_codes_help!()))]
pub struct LoginOpts {
    /// The provider to sign in to
    #[arg(value_name = "PROVIDER")]
    pub provider: String,
    /// Print the authorize URL (`Open: URL`) without opening a browser
    #[arg(long)]
    pub no_browser: bool,
    /// Give up after SECS seconds without a callback (exit 3)
    #[arg(long, value_name = "SECS", default_value_t = 300,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub timeout: u64,
    /// Print the provider, the PKCE run, the scopes granted and the timeline as JSON
    #[arg(long)]
    pub json: bool,
}

pub fn add(ctx: &mut Ctx<'_>, opts: AddOpts) -> io::Result<Exit> {
    let secret = if opts.client_secret_stdin {
        match secret_from_stdin()? {
            Some(s) => Some(ClientSecret::new(s)),
            None => {
                return usage(
                    ctx,
                    "no client secret on stdin; pipe it in, or drop --client-secret-stdin",
                )
            }
        }
    } else {
        None
    };
    let cfg = ProviderConfig {
        name: opts.name,
        authorize_url: opts.authorize_url,
        token_url: opts.token_url,
        client_id: opts.client_id,
        scopes: opts.scopes,
        params: opts.params,
        has_client_secret: false,
        access_expires_at: None,
        logged_in_at: None,
        has_refresh_token: false,
    };
    block_on(async {
        let core = open_session!(ctx);
        match provider::add(&core, cfg, secret) {
            Ok(p) => {
                let secret = if p.has_client_secret {
                    "with a client secret in the secret store"
                } else {
                    "public client (no secret)"
                };
                writeln!(ctx.out, "Added provider \"{}\" ({secret})", p.name)?;
                Ok(Exit::Ok)
            }
            Err(e) => fail_coded(ctx, &e),
        }
    })
}

pub fn list(ctx: &mut Ctx<'_>, opts: ListOpts) -> io::Result<Exit> {
    block_on(async {
        let core = open_session!(ctx);
        let list = match provider::list(&core) {
            Ok(l) => l,
            Err(e) => return fail_coded(ctx, &e),
        };
        if opts.json {
            output::json_line(ctx.out, &list)?;
            return Ok(Exit::Ok);
        }
        if list.is_empty() {
            writeln!(
                ctx.err,
                "no providers; add one with `appdeck oauth providers add`"
            )?;
            return Ok(Exit::Ok);
        }
        let name_w = list.iter().map(|p| p.name.len()).max().unwrap_or(0).max(4);
        let header = format!(
            "{:name_w$}  {:20}  {:25}  AUTHORIZE URL",
            "NAME", "CLIENT ID", "LOGGED IN"
        );
        writeln!(ctx.out, "{}", ctx.paint_out.bold(&header))?;
        for p in &list {
            writeln!(
                ctx.out,
                "{:name_w$}  {:20}  {:25}  {}",
                p.name,
                output::truncate(&p.client_id, 20),
                p.logged_in_at.as_deref().unwrap_or("never"),
                p.authorize_url
            )?;
        }
        Ok(Exit::Ok)
    })
}

pub fn remove(ctx: &mut Ctx<'_>, opts: RemoveOpts) -> io::Result<Exit> {
    block_on(async {
        let core = open_session!(ctx);
        match provider::remove(&core, &opts.name) {
            Ok(()) => {
                writeln!(
                    ctx.out,
                    "Removed provider \"{}\" and its secrets",
                    opts.name
                )?;
                Ok(Exit::Ok)
            }
            Err(e) => fail_coded(ctx, &e),
        }
    })
}

pub fn login(ctx: &mut Ctx<'_>, opts: LoginOpts) -> io::Result<Exit> {
    let show = Show {
        no_browser: opts.no_browser,
        json: opts.json,
    };
    let timeout = Duration::from_secs(opts.timeout);
    block_on(async {
        let mut signals = Signals::install()?;
        let core = open_session!(ctx);
        let mut events = Events::new();
        let cancel = CancellationToken::new();
        let tx = events.tx.clone();
        let logging_in = provider::login(
            &core,
            &opts.provider,
            timeout,
            &cancel,
            Some(events.observer()),
            move |url| {
                let _ = tx.send(FlowEvent::Open(url.to_string()));
            },
        );
        let result = flow::drive(ctx, logging_in, &mut events, show, &cancel, &mut signals).await?;
        match result {
            Ok(login) => print_login(ctx, &login, opts.json).map(|()| Exit::Ok),
            Err(f) => flow::report_failure(
                ctx,
                f.error.code(),
                &f.error.to_string(),
                &f.timeline,
                opts.json,
            ),
        }
    })
}

fn print_login(ctx: &mut Ctx<'_>, login: &ProviderLogin, json: bool) -> io::Result<()> {
    if json {
        return output::json_line(ctx.out, login);
    }
    let scopes = if login.scopes_granted.is_empty() {
        "(none)".to_string()
    } else {
        login.scopes_granted.join(" ")
    };
    writeln!(
        ctx.out,
        "{} to {}",
        ctx.paint_out.green("Signed in"),
        login.provider.name
    )?;
    writeln!(
        ctx.out,
        "  code_verifier          {}",
        login.pkce.code_verifier
    )?;
    writeln!(
        ctx.out,
        "  code_challenge         {}",
        login.pkce.code_challenge
    )?;
    writeln!(
        ctx.out,
        "  code_challenge_method  {}",
        login.pkce.code_challenge_method
    )?;
    writeln!(ctx.out, "  state                  {}", login.pkce.state)?;
    writeln!(
        ctx.out,
        "  redirect_uri           {}",
        login.pkce.redirect_uri
    )?;
    writeln!(ctx.out, "  scopes granted         {scopes}")?;
    writeln!(
        ctx.out,
        "  access token           {}",
        login.access_token_hint
    )?;
    if let Some(at) = &login.provider.access_expires_at {
        writeln!(ctx.out, "  access expires         {at}")?;
    }
    Ok(())
}
