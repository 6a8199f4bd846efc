//! `appdeck secrets list|find|set|delete --install INSTALL [--scope account|user]
//! [--user USER]`: an installed app's Secret Store (stripe-apps.md §6), as that
//! app: each verb is core's request for `/v1/apps/secrets*`, sent like any
//! `appdeck api` call (same output, history, guard rails and exit codes).
//!
//! Invariants: a payload comes from stdin only (`--payload-stdin`, never
//! argv, where `ps` and shell history would see it); the history keeps the
//! call with the payload redacted (core). `--scope user` needs `--user`, and
//! `--user` needs `--scope user`: either mistake is a usage error (exit 2)
//! before anything is sent. `find` asks for the payload (`expand[]=payload`).

use std::io::{self, Read};

use appdeck_core::console::request::ApiRequest;
use appdeck_core::console::secrets::{self, Scope};
use clap::{Args, ValueEnum};

use super::api::{send_and_print, SendArgs};
use super::{block_on, open_session, usage};
use crate::context::Ctx;
use crate::exit::Exit;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScopeKind {
    Account,
    User,
}

/// Whose secrets: the install, and the scope within its account.
#[derive(Debug, Clone, Args)]
pub struct ScopeArgs {
    /// The install whose app's secrets these are (inst_…, see `appdeck tokens list`)
    #[arg(long, value_name = "INSTALL", required = true)]
    pub install: String,
    /// account (shared by the account's users) or user (one user's, with --user)
    #[arg(long, value_enum, default_value_t = ScopeKind::Account)]
    pub scope: ScopeKind,
    /// The user of --scope user (usr_…)
    #[arg(long, value_name = "USER")]
    pub user: Option<String>,
    #[command(flatten)]
    pub send: SendArgs,
}

impl ScopeArgs {
    fn scope(&self) -> Result<Scope, String> {
        match (self.scope, &self.user) {
            (ScopeKind::Account, None) => Ok(Scope::Account),
            (ScopeKind::User, Some(u)) if !u.trim().is_empty() => Ok(Scope::User(u.clone())),
            (ScopeKind::User, _) => Err("--scope user needs --user USER (usr_…)".into()),
            (ScopeKind::Account, Some(_)) => {
                Err("--user applies to --scope user only; add --scope user".into())
            }
        }
    }
}

#[derive(Debug, Clone, Args)]
#[command(after_help = concat!("\
Examples:
  appdeck secrets list --install inst_0123456789ab
  appdeck secrets list --install inst_0123456789ab --scope user --user usr_123

", api_exit_codes_help!()))]
pub struct ListOpts {
    #[command(flatten)]
    pub target: ScopeArgs,
    /// How many secrets per page (1-100)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100))]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = concat!("\
Example:
  appdeck secrets find github_token --install inst_0123456789ab --json | jq -r .payload

", api_exit_codes_help!()))]
pub struct FindOpts {
    /// The secret's name
    #[arg(value_name = "NAME")]
    pub name: String,
    #[command(flatten)]
    pub target: ScopeArgs,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = concat!("\
Examples:
  printf %s \"$TOKEN\" | appdeck secrets set github_token --payload-stdin --install inst_0123456789ab
  appdeck secrets set session --payload-stdin --expires-at 1924992000 --install inst_0123456789ab \\
      --scope user --user usr_123 < session.json

", api_exit_codes_help!()))]
pub struct SetOpts {
    /// The secret's name
    #[arg(value_name = "NAME")]
    pub name: String,
    /// Read the payload from stdin (required: secrets never go on the command line); one trailing newline is dropped
    #[arg(long, required = true)]
    pub payload_stdin: bool,
    /// When the secret expires (Unix seconds)
    #[arg(long, value_name = "UNIX")]
    pub expires_at: Option<i64>,
    #[command(flatten)]
    pub target: ScopeArgs,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = concat!("\
Example:
  appdeck secrets delete github_token --install inst_0123456789ab

", api_exit_codes_help!()))]
pub struct DeleteOpts {
    /// The secret's name
    #[arg(value_name = "NAME")]
    pub name: String,
    #[command(flatten)]
    pub target: ScopeArgs,
}

/// Sends the request `build` makes for the scope, or a usage error.
fn run_with(
    ctx: &mut Ctx<'_>,
    target: &ScopeArgs,
    build: impl FnOnce(&Scope) -> ApiRequest,
) -> io::Result<Exit> {
    let scope = match target.scope() {
        Ok(s) => s,
        Err(message) => return usage(ctx, &message),
    };
    let req = build(&scope);
    block_on(async {
        let core = open_session!(ctx);
        send_and_print(ctx, &core, &req, &target.send).await
    })
}

pub fn list(ctx: &mut Ctx<'_>, opts: ListOpts) -> io::Result<Exit> {
    let install = opts.target.install.clone();
    run_with(ctx, &opts.target, |s| {
        secrets::list(&install, s, opts.limit)
    })
}

pub fn find(ctx: &mut Ctx<'_>, opts: FindOpts) -> io::Result<Exit> {
    let install = opts.target.install.clone();
    run_with(ctx, &opts.target, |s| {
        secrets::find(&install, s, &opts.name)
    })
}

pub fn set(ctx: &mut Ctx<'_>, opts: SetOpts) -> io::Result<Exit> {
    let mut payload = String::new();
    if let Err(e) = io::stdin().read_to_string(&mut payload) {
        return usage(ctx, &format!("cannot read the payload from stdin: {e}"));
    }
    let payload = strip_one_newline(&payload);
    if payload.is_empty() {
        return usage(
            ctx,
            "no payload on stdin; pipe it in, e.g. `printf %s \"$TOKEN\" | appdeck secrets set NAME --payload-stdin --install INSTALL`",
        );
    }
    let install = opts.target.install.clone();
    run_with(ctx, &opts.target, |s| {
        secrets::set(&install, s, &opts.name, payload, opts.expires_at)
    })
}

pub fn delete(ctx: &mut Ctx<'_>, opts: DeleteOpts) -> io::Result<Exit> {
    let install = opts.target.install.clone();
    run_with(ctx, &opts.target, |s| {
        secrets::delete(&install, s, &opts.name)
    })
}

/// `echo` adds a newline the payload did not mean to have.
fn strip_one_newline(s: &str) -> &str {
    s.strip_suffix("\r\n")
        .or_else(|| s.strip_suffix('\n'))
        .unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn target(scope: ScopeKind, user: Option<&str>) -> ScopeArgs {
        ScopeArgs {
            install: "inst_1".into(),
            scope,
            user: user.map(String::from),
            send: SendArgs {
                json: false,
                unlock_live: false,
                manifest: None,
                max_retries: None,
            },
        }
    }

    #[test]
    fn user_scope_and_user_go_together() {
        assert_eq!(target(ScopeKind::Account, None).scope(), Ok(Scope::Account));
        assert_eq!(
            target(ScopeKind::User, Some("usr_1")).scope(),
            Ok(Scope::User("usr_1".into()))
        );
        assert!(target(ScopeKind::User, None).scope().is_err());
        assert!(target(ScopeKind::Account, Some("usr_1")).scope().is_err());
    }

    #[test]
    fn a_scope_mistake_is_a_usage_error_before_any_session() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut ctx = Ctx::plain(&mut out, &mut err, PathBuf::from("unused"));
        let exit = list(
            &mut ctx,
            ListOpts {
                target: target(ScopeKind::User, None),
                limit: None,
            },
        )
        .unwrap();
        drop(ctx);
        assert_eq!(exit, Exit::Usage);
        assert!(String::from_utf8(err)
            .unwrap()
            .starts_with("error[usage]: --scope user needs --user"));
    }

    #[test]
    fn only_one_trailing_newline_is_dropped() {
        assert_eq!(strip_one_newline("tok\n"), "tok");
        assert_eq!(strip_one_newline("tok\r\n"), "tok");
        assert_eq!(strip_one_newline("a\n\n"), "a\n");
        assert_eq!(strip_one_newline("tok"), "tok");
    }
}
