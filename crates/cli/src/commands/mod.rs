//! One module per area, one `run`-style function per verb: `fn(ctx, opts) -> Exit`.
//!
//! Why: like the GitHub CLI, argv parsing (`cli.rs`) and behaviour are separate,
//! so verbs are unit-tested with a [`Ctx`] over buffers. This file routes, and
//! holds the two things every verb over appdeck-core's async API shares: the
//! runtime ([`block_on`]) and reporting a coded failure ([`fail`]).

pub mod accounts;
pub mod api;
pub mod apps;
pub mod flow;
pub mod install;
pub mod manifest;
pub mod oauth;
pub mod permissions;
pub mod qa;
mod qa_embedded;
mod qa_print;
pub mod sandbox;
pub mod sandbox_listen;
pub mod secrets;
pub mod signature;
pub mod tokens;

use std::future::Future;
use std::io;

use appdeck_core::error::{Coded, ErrorCode, ErrorPayload};
use appdeck_core::manifest::ManifestEdit;

use crate::cli::{
    AccountsCommand, ApiCommand, AppsCommand, Command, CurlCommand, GrantCommand, InstallCommand,
    ManifestCommand, OauthCommand, PermissionsCommand, ProvidersCommand, QaCommand, RevokeCommand,
    SandboxCommand, SecretsCommand, SetCommand, SignCommand, TokensCommand, VerifyCommand,
};
use crate::context::Ctx;
use crate::exit::Exit;
use crate::output;
use manifest::edit;

/// Runs an async verb body on a small runtime (2 workers: the loopback
/// listener serves while the flow waits on the keychain).
pub fn block_on<F: Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime with static settings builds")
        .block_on(f)
}

/// `error[code]: message` on stderr; exit 1 (the command ran and failed).
pub fn fail(ctx: &mut Ctx<'_>, e: &ErrorPayload) -> io::Result<Exit> {
    let exit = fail_with(ctx, e.code, &e.message)?;
    hint(ctx, e.code)?;
    Ok(exit)
}

/// What the user can do about a failure the CLI itself can route around.
pub fn hint(ctx: &mut Ctx<'_>, code: ErrorCode) -> io::Result<()> {
    if matches!(
        code,
        ErrorCode::KeychainUnavailable | ErrorCode::KeychainLocked | ErrorCode::KeychainTimeout
    ) {
        writeln!(
            ctx.err,
            "  {}: to keep secrets in memory for this command only, pass --session-secrets (or set APPDECK_SECRET_STORE=memory)",
            ctx.paint_err.green("help")
        )?;
    }
    if matches!(
        code,
        ErrorCode::RestrictedKey | ErrorCode::RedirectUriNotUploadable
    ) {
        writeln!(
            ctx.err,
            "  {}: `appdeck install check` lists everything a run on this account needs, before anything opens",
            ctx.paint_err.green("help")
        )?;
    }
    Ok(())
}

/// [`fail`] for any core error.
pub fn fail_coded(ctx: &mut Ctx<'_>, e: &impl Coded) -> io::Result<Exit> {
    fail(ctx, &e.to_payload())
}

pub fn fail_with(ctx: &mut Ctx<'_>, code: ErrorCode, message: &str) -> io::Result<Exit> {
    output::error_line(ctx.err, ctx.paint_err, code, message)?;
    Ok(Exit::Findings)
}

/// `error[usage]: message`; exit 2.
pub fn usage(ctx: &mut Ctx<'_>, message: &str) -> io::Result<Exit> {
    output::error_line(ctx.err, ctx.paint_err, ErrorCode::Usage, message)?;
    Ok(Exit::Usage)
}

/// Opens the core context (secret store, local sandbox) or reports why not.
macro_rules! open_session {
    ($ctx:expr) => {
        match crate::session::open($ctx).await? {
            Ok(core) => core,
            Err(e) => return crate::commands::fail($ctx, &e),
        }
    };
}
pub(crate) use open_session;

pub fn dispatch(ctx: &mut Ctx<'_>, command: Command) -> io::Result<Exit> {
    match command {
        Command::Manifest(m) => match m {
            ManifestCommand::Validate(opts) => manifest::validate::run(ctx, opts),
            ManifestCommand::Grant(g) => edit::run(
                ctx,
                match g {
                    GrantCommand::Permission(a) => a.into_opts(),
                    GrantCommand::Url(a) => a.into_opts(),
                    GrantCommand::ImageUrl(a) => {
                        a.into_opts(|url| ManifestEdit::GrantImageSrc { url })
                    }
                },
            ),
            ManifestCommand::Revoke(r) => edit::run(
                ctx,
                match r {
                    RevokeCommand::Permission(a) => a.into_opts(),
                    RevokeCommand::ConnectSrc(a) => {
                        a.into_opts(|url| ManifestEdit::RevokeConnectSrc { url })
                    }
                    RevokeCommand::ImageUrl(a) => {
                        a.into_opts(|url| ManifestEdit::RevokeImageSrc { url })
                    }
                },
            ),
            ManifestCommand::Set(s) => edit::run(
                ctx,
                match s {
                    SetCommand::Distribution(a) => a.into_opts(),
                    SetCommand::AccessType(a) => a.into_opts(),
                },
            ),
        },
        Command::Permissions(p) => match p {
            PermissionsCommand::List(opts) => permissions::list(ctx, opts),
            PermissionsCommand::ForEvents(opts) => permissions::for_events(ctx, opts),
        },
        Command::Sandbox(SandboxCommand::Serve(opts)) => sandbox::serve(ctx, opts),
        Command::Sandbox(SandboxCommand::Listen(opts)) => sandbox_listen::run(ctx, opts),
        Command::Accounts(a) => match a {
            AccountsCommand::List(opts) => accounts::list(ctx, opts),
            AccountsCommand::Add(opts) => accounts::add(ctx, opts),
            AccountsCommand::Remove(opts) => accounts::remove(ctx, opts),
            AccountsCommand::Use(opts) => accounts::use_account(ctx, opts),
        },
        Command::Apps(a) => match a {
            AppsCommand::List(opts) => apps::list(ctx, opts),
            AppsCommand::Set(opts) => apps::set(ctx, opts),
        },
        Command::Install(i) => match i {
            InstallCommand::Link(opts) => install::link::run(ctx, opts),
            InstallCommand::Run(opts) => install::run::run(ctx, opts),
            InstallCommand::Check(opts) => install::check::run(ctx, opts),
        },
        Command::Tokens(t) => match t {
            TokensCommand::List(opts) => tokens::list(ctx, opts),
            TokensCommand::Refresh(opts) => tokens::refresh(ctx, opts),
            TokensCommand::Forget(opts) => tokens::forget(ctx, opts),
        },
        Command::Oauth(o) => match o {
            OauthCommand::Providers(p) => match p {
                ProvidersCommand::Add(opts) => oauth::add(ctx, opts),
                ProvidersCommand::List(opts) => oauth::list(ctx, opts),
                ProvidersCommand::Remove(opts) => oauth::remove(ctx, opts),
            },
            OauthCommand::Login(opts) => oauth::login(ctx, opts),
        },
        Command::Api(a) => match a {
            ApiCommand::Get(opts) => api::call::run(ctx, "GET", opts),
            ApiCommand::Post(opts) => api::call::run(ctx, "POST", opts),
            ApiCommand::Delete(opts) => api::call::run(ctx, "DELETE", opts),
            ApiCommand::History(opts) => api::history::run(ctx, opts),
            ApiCommand::Curl(c) => match c {
                CurlCommand::Get(opts) => api::curl::run(ctx, "GET", opts),
                CurlCommand::Post(opts) => api::curl::run(ctx, "POST", opts),
                CurlCommand::Delete(opts) => api::curl::run(ctx, "DELETE", opts),
            },
        },
        Command::Qa(QaCommand::Run(opts)) => qa::run(ctx, opts),
        Command::Secrets(s) => match s {
            SecretsCommand::List(opts) => secrets::list(ctx, opts),
            SecretsCommand::Find(opts) => secrets::find(ctx, opts),
            SecretsCommand::Set(opts) => secrets::set(ctx, opts),
            SecretsCommand::Delete(opts) => secrets::delete(ctx, opts),
        },
        Command::Sign(s) => match s {
            SignCommand::StripeSignature(opts) => signature::sign_stripe(ctx, opts),
            SignCommand::InstallSignature(opts) => signature::sign_install(ctx, opts),
            SignCommand::UiExtension(opts) => signature::sign_ui_extension(ctx, opts),
        },
        Command::Verify(v) => match v {
            VerifyCommand::StripeSignature(opts) => signature::verify_stripe(ctx, opts),
            VerifyCommand::InstallSignature(opts) => signature::verify_install(ctx, opts),
        },
    }
}

/// A secret piped on stdin (`--key-stdin`, `--client-secret-stdin`): its first
/// line, trimmed; `None` when stdin is empty. Secrets never come from argv,
/// where `ps` and shell history would see them.
pub fn secret_from_stdin() -> io::Result<Option<String>> {
    let mut line = String::new();
    io::stdin().read_line(&mut line)?;
    let secret = line.trim().to_string();
    Ok(Some(secret).filter(|s| !s.is_empty()))
}
