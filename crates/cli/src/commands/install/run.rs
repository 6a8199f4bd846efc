//! `appdeck install run`: the whole install flow, from the terminal.
//!
//! Invariants: the authorize URL is printed as `Open: <URL>` on stdout, alone
//! and flushed (and the system browser opened unless `--no-browser`); each
//! timeline step is printed on stderr as it happens unless `--json`; a
//! loopback redirect URI without a port listens on an ephemeral port; a
//! redirect URI that isn't loopback (the app's real backend) can't be listened
//! on, so the user pastes the URL the browser landed on (stdin). Exit 0 with
//! the install (`--json`: `{"install": {…tokens list shape…}, "timeline": […]}`),
//! 1 on a flow error (`error[code]: message`; `--json` also prints
//! `{"error": {"code","message"}, "timeline": […]}`), 2 on usage, 3 on timeout
//! or cancel (Ctrl-C).
//!
//! Before anything listens or opens, core refuses a redirect URI Stripe does
//! not hold (`redirect-uri-not-uploadable`) and a restricted key where the
//! code is exchanged (`restricted-key`), exit 1. With `--via-backend` the app's
//! backend receives the redirect and exchanges the code: nothing listens, the
//! code is never touched, and the install is confirmed by Stripe's
//! `account.application.authorized` event (`--json`: `{"install": {app,
//! account, mode, stripe_account, event, livemode, landed}, "timeline": […]}`);
//! a URL pasted on stdin meanwhile is a second signal, never exchanged.

use std::io;
use std::path::PathBuf;
use std::time::Duration;

use appdeck_core::context::Context;
use appdeck_core::error::Coded;
use appdeck_core::installs::InstallRecord;
use appdeck_core::oauth::backend::{self, BackendOutcome};
use appdeck_core::oauth::install::{self, InstallOutcome, InstallRequest, Prepared};
use appdeck_core::oauth::timeline::TimelineStep;
use appdeck_core::oauth::OAuthError;
use clap::Args;
use serde::Serialize;
use tokio_util::sync::CancellationToken;

use super::load_app;
use crate::commands::accounts::mode_label;
use crate::commands::flow::{self, Events, Show, Signals};
use crate::commands::tokens::{status_label, JsonInstall};
use crate::commands::{block_on, open_session};
use crate::context::Ctx;
use crate::exit::Exit;
use crate::output;

#[derive(Debug, Clone, Args)]
#[command(after_help = concat!("\
Examples:
  appdeck install run
  appdeck install run --account qa --redirect-uri http://127.0.0.1:4242/callback
  appdeck install run --no-browser --json --timeout 60
  appdeck install run --account dev --via-backend --into acct_1Qa2b3C4d5E6f7G8

", flow_exit_codes_help!()))]
pub struct RunOpts {
    /// The developer account whose key exchanges the code [default: the current one]
    #[arg(long, value_name = "NAME")]
    pub account: Option<String>,
    /// A redirect URI exactly as stripe-app.json lists it [default: its first
    /// loopback URI with a port; with --via-backend, its first backend URI]
    #[arg(long, value_name = "URI")]
    pub redirect_uri: Option<String>,
    /// The app's backend receives the redirect and exchanges the code itself;
    /// Appdeck confirms the install from Stripe's account.application.authorized
    /// event and never touches the code
    #[arg(long, requires = "into")]
    pub via_backend: bool,
    /// With --via-backend: the account the app is installed into (acct_… or an
    /// account name); Stripe lists the install's event there
    #[arg(long, value_name = "ACCOUNT")]
    pub into: Option<String>,
    /// Print the authorize URL (`Open: URL`) without opening a browser
    #[arg(long)]
    pub no_browser: bool,
    /// Give up after SECS seconds without a callback (exit 3)
    #[arg(long, value_name = "SECS", default_value_t = 300,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub timeout: u64,
    /// Print the install and the whole timeline (secrets masked) as JSON
    #[arg(long)]
    pub json: bool,
    /// The app's manifest [default: ./stripe-app.json]
    #[arg(long, value_name = "PATH")]
    pub manifest: Option<PathBuf>,
}

#[derive(Serialize)]
struct JsonOutcome<'a> {
    install: JsonInstall<'a>,
    timeline: &'a [TimelineStep],
}

pub fn run(ctx: &mut Ctx<'_>, opts: RunOpts) -> io::Result<Exit> {
    let app = match load_app(opts.manifest.as_deref()) {
        Ok(a) => a,
        Err((exit, code, message)) => {
            output::error_line(ctx.err, ctx.paint_err, code, &message)?;
            return Ok(exit);
        }
    };
    let show = Show {
        no_browser: opts.no_browser,
        json: opts.json,
    };
    let timeout = Duration::from_secs(opts.timeout);
    block_on(async {
        let mut signals = Signals::install()?;
        let core = open_session!(ctx);
        let mut events = Events::new();
        let req = InstallRequest {
            account: opts.account.clone(),
            redirect_uri: opts.redirect_uri.clone(),
            platform: false,
            via_backend: opts.via_backend,
            into: opts.into.clone(),
        };
        let prepared = install::prepare(&core, app, &req, Some(events.observer())).await;
        flow::drain(ctx, &mut events, show)?;
        let prepared = match prepared {
            Ok(p) => p,
            Err(f) => {
                return flow::report_failure(
                    ctx,
                    f.error.code(),
                    &f.error.to_string(),
                    &f.timeline,
                    opts.json,
                )
            }
        };
        flow::open_url(ctx, &prepared.authorize_url, show)?;
        let cancel = CancellationToken::new();
        if prepared.backend_watch().is_some() {
            writeln!(
                ctx.err,
                "The app's backend at {} completes this install; waiting for Stripe's account.application.authorized event.\nOptionally paste the URL the browser landed on (a second signal; its code is left to the backend):",
                prepared.redirect_uri
            )?;
            ctx.err.flush()?;
            let waiting = backend::wait(&core, prepared, timeout, &cancel, Some(stdin_lines()));
            return match flow::drive(ctx, waiting, &mut events, show, &cancel, &mut signals).await?
            {
                Ok(outcome) => print_backend(ctx, &outcome, opts.json).map(|()| Exit::Ok),
                Err(f) => flow::report_failure(
                    ctx,
                    f.error.code(),
                    &f.error.to_string(),
                    &f.timeline,
                    opts.json,
                ),
            };
        }
        let result = if prepared.listener.is_some() {
            let finishing = install::finish(&core, prepared, timeout, &cancel);
            flow::drive(ctx, finishing, &mut events, show, &cancel, &mut signals).await?
        } else {
            match paste(
                ctx,
                &core,
                prepared,
                timeout,
                (&mut events, &mut signals),
                show,
                &cancel,
            )
            .await?
            {
                Ok(r) => r,
                Err(exit) => return Ok(exit),
            }
        };
        match result {
            Ok(outcome) => print_outcome(ctx, &outcome, opts.json).map(|()| Exit::Ok),
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

enum Pasted {
    Url(String),
    TimedOut,
    Cancelled,
}

/// The non-loopback path: the user pastes the URL the browser landed on.
async fn paste(
    ctx: &mut Ctx<'_>,
    core: &Context,
    prepared: Prepared,
    timeout: Duration,
    (events, signals): (&mut Events, &mut Signals),
    show: Show,
    cancel: &CancellationToken,
) -> io::Result<Result<Result<InstallOutcome, install::FlowFailure>, Exit>> {
    writeln!(
        ctx.err,
        "{} is not a loopback address, so Appdeck can't catch the redirect.\nAfter you approve, paste the URL your browser landed on and press Enter:",
        prepared.redirect_uri
    )?;
    ctx.err.flush()?;
    let pasted = flow::drive(
        ctx,
        read_line(timeout, cancel),
        events,
        show,
        cancel,
        signals,
    )
    .await?;
    let error = match pasted {
        Pasted::Url(url) => {
            let completing = install::complete_from_url(core, prepared, &url);
            return Ok(Ok(flow::drive(
                ctx, completing, events, show, cancel, signals,
            )
            .await?));
        }
        Pasted::TimedOut => OAuthError::Timeout(timeout.as_secs()),
        Pasted::Cancelled => OAuthError::Cancelled,
    };
    let exit = flow::report_failure(
        ctx,
        error.code(),
        &error.to_string(),
        prepared.timeline.steps(),
        show.json,
    )?;
    Ok(Err(exit))
}

/// One line of stdin, unless the timeout or a cancel comes first (or stdin ends).
async fn read_line(timeout: Duration, cancel: &CancellationToken) -> Pasted {
    let (tx, rx) = tokio::sync::oneshot::channel();
    // A plain thread: a blocked stdin read can't be cancelled, and this one
    // must not hold the runtime open when the process exits.
    std::thread::spawn(move || {
        let mut line = String::new();
        let got = std::io::stdin().read_line(&mut line);
        let _ = tx.send(got.ok().filter(|n| *n > 0).map(|_| line));
    });
    tokio::select! {
        got = rx => match got {
            Ok(Some(line)) if !line.trim().is_empty() => Pasted::Url(line.trim().to_string()),
            _ => Pasted::Cancelled,
        },
        _ = tokio::time::sleep(timeout) => Pasted::TimedOut,
        _ = cancel.cancelled() => Pasted::Cancelled,
    }
}

/// Lines of stdin as they come (a plain thread: a blocked read can't be
/// cancelled, and must not hold the runtime open when the process exits).
fn stdin_lines() -> tokio::sync::mpsc::UnboundedReceiver<String> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    std::thread::spawn(move || {
        for line in std::io::stdin().lines() {
            let Ok(line) = line else { break };
            if !line.trim().is_empty() && tx.send(line.trim().to_string()).is_err() {
                break;
            }
        }
    });
    rx
}

fn print_backend(ctx: &mut Ctx<'_>, outcome: &BackendOutcome, json: bool) -> io::Result<()> {
    if json {
        return output::json_line(ctx.out, outcome);
    }
    let i = &outcome.install;
    writeln!(
        ctx.out,
        "{} {} on {} through its backend ({} mode, account \"{}\")",
        ctx.paint_out.green("Installed"),
        i.app,
        i.stripe_account,
        mode_label(ctx.paint_out, i.mode),
        i.account
    )?;
    writeln!(
        ctx.out,
        "  confirmed by   {} (account.application.authorized)",
        i.event
    )?;
    writeln!(
        ctx.out,
        "  tokens         held by the app's backend (Appdeck never saw the code)"
    )?;
    Ok(())
}

fn print_outcome(ctx: &mut Ctx<'_>, outcome: &InstallOutcome, json: bool) -> io::Result<()> {
    let r: &InstallRecord = &outcome.install;
    if json {
        return output::json_line(
            ctx.out,
            &JsonOutcome {
                install: JsonInstall::from(r),
                timeline: &outcome.timeline,
            },
        );
    }
    writeln!(
        ctx.out,
        "{} {} on {} as {} ({} mode, account \"{}\")",
        ctx.paint_out.green("Installed"),
        r.app,
        r.stripe_user_id,
        ctx.paint_out.bold(&r.install),
        mode_label(ctx.paint_out, r.mode),
        r.account
    )?;
    writeln!(ctx.out, "  status         {}", status_label(r.status))?;
    if !r.scope.is_empty() {
        writeln!(ctx.out, "  scope          {}", r.scope)?;
    }
    if let Some(hint) = &r.access_token_hint {
        writeln!(
            ctx.out,
            "  access token   {hint} (expires {})",
            r.access_expires_at.as_deref().unwrap_or("-")
        )?;
    }
    if let Some(hint) = &r.refresh_token_hint {
        writeln!(ctx.out, "  refresh token  {hint}")?;
    }
    Ok(())
}
