//! `appdeck secrets list|find|set|delete --install INSTALL [--scope account|user]
//! [--user USER]`: an installed app's Secret Store (stripe-apps.md §6), as that
//! app: each verb calls core's use case (`console::secrets`, which the desktop's
//! Secret Store screen calls too) and prints like any `appdeck api` call (same
//! output, history, guard rails and exit codes).
//!
//! Invariants: a payload comes from stdin only (`--payload-stdin`, never
//! argv, where `ps` and shell history would see it); the history keeps the
//! call with the payload redacted (core). `--scope user` needs `--user`, and
//! `--user` needs `--scope user`: either mistake is a usage error (exit 2)
//! before anything is sent. `find` asks for the payload (`expand[]=payload`).

use std::io::{self, Read};

use appdeck_core::console::request::ConsoleError;
use appdeck_core::console::secrets::{self, Scope, SecretCall, Sender};
use appdeck_core::secret::SecretPayload;
use clap::{Args, ValueEnum};

use super::api::{self, SendArgs};
use super::{block_on, fail_coded, open_session, usage};
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
            (ScopeKind::User, Some(u)) if !u.trim().is_empty() => {
                Ok(Scope::User { user: u.clone() })
            }
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

/// One verb's operation, with what it needs besides the install and scope.
#[derive(Clone, Copy)]
enum Op<'a> {
    List(Option<u32>),
    Find(&'a str),
    Set(&'a str, &'a SecretPayload, Option<i64>),
    Delete(&'a str),
}

/// Runs `op` for the scope through core's use case (or reports a usage
/// error), after the manifest's permission pre-check of the request it sends.
fn run_with(ctx: &mut Ctx<'_>, target: &ScopeArgs, op: Op<'_>) -> io::Result<Exit> {
    let scope = match target.scope() {
        Ok(s) => s,
        Err(message) => return usage(ctx, &message),
    };
    let (install, flags) = (target.install.as_str(), &target.send);
    let planned = match op {
        Op::List(limit) => secrets::list_request(install, &scope, limit),
        Op::Find(name) => secrets::find_request(install, &scope, name),
        Op::Set(name, payload, at) => secrets::set_request(install, &scope, name, payload, at),
        Op::Delete(name) => secrets::delete_request(install, &scope, name),
    };
    if let Err(exit) = api::permission_precheck(ctx, &planned, flags.manifest.as_deref())? {
        return Ok(exit);
    }
    block_on(async {
        let core = open_session!(ctx);
        let (guard, policy) = (api::guard(flags), api::retry_policy(&core, flags));
        let via = Sender {
            ctx: &core,
            guard: &guard,
            policy: &policy,
        };
        match op {
            Op::List(limit) => print(
                ctx,
                secrets::list(&via, install, &scope, limit).await,
                flags,
            ),
            Op::Find(name) => print(ctx, secrets::find(&via, install, &scope, name).await, flags),
            Op::Set(name, payload, at) => {
                let sent = secrets::set(&via, install, &scope, name, payload, at).await;
                print(ctx, sent, flags)
            }
            Op::Delete(name) => print(
                ctx,
                secrets::delete(&via, install, &scope, name).await,
                flags,
            ),
        }
    })
}

/// Like any `appdeck api` call: notes on stderr, the body on stdout, the
/// verdict as the exit code.
fn print<T>(
    ctx: &mut Ctx<'_>,
    sent: Result<SecretCall<T>, ConsoleError>,
    flags: &SendArgs,
) -> io::Result<Exit> {
    let call = match sent {
        Ok(call) => call,
        Err(e) => return api::console_failure(ctx, &e),
    };
    if let Some(e) = &call.unrecorded {
        api::not_recorded(ctx, e)?;
    }
    api::report_sent(ctx, &call.request, &call.response, flags.json)?;
    let exit = api::print_answer(ctx, &call.request, &call.response, flags.json)?;
    match &call.result {
        // A 2xx answer that is not a Secret Store object.
        Err(e) if exit == Exit::Ok => fail_coded(ctx, e),
        _ => Ok(exit),
    }
}

pub fn list(ctx: &mut Ctx<'_>, opts: ListOpts) -> io::Result<Exit> {
    run_with(ctx, &opts.target, Op::List(opts.limit))
}

pub fn find(ctx: &mut Ctx<'_>, opts: FindOpts) -> io::Result<Exit> {
    run_with(ctx, &opts.target, Op::Find(&opts.name))
}

pub fn set(ctx: &mut Ctx<'_>, opts: SetOpts) -> io::Result<Exit> {
    let mut payload = String::new();
    if let Err(e) = io::stdin().read_to_string(&mut payload) {
        return usage(ctx, &format!("cannot read the payload from stdin: {e}"));
    }
    let payload = SecretPayload::new(strip_one_newline(&payload));
    if payload.secret().is_empty() {
        return usage(
            ctx,
            "no payload on stdin; pipe it in, e.g. `printf %s \"$TOKEN\" | appdeck secrets set NAME --payload-stdin --install INSTALL`",
        );
    }
    let op = Op::Set(&opts.name, &payload, opts.expires_at);
    run_with(ctx, &opts.target, op)
}

pub fn delete(ctx: &mut Ctx<'_>, opts: DeleteOpts) -> io::Result<Exit> {
    run_with(ctx, &opts.target, Op::Delete(&opts.name))
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
            Ok(Scope::User {
                user: "usr_1".into()
            })
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
