//! `appdeck`: the command-line face of Appdeck, over the same appdeck-core as the
//! desktop app (GitHub CLI style: `appdeck <area> <verb>`, `--json` for scripts).
//!
//! Layout: `cli` (clap tree) → `commands` (one `run(ctx, opts)` per verb) →
//! `output` (how things print) and `exit` (what the status means).
//!
//! Exit codes (also in `--help`, see `exit.rs`): 0 success (warnings allowed);
//! 1 the manifest has errors, an edit was refused or does not apply, or an event
//! is unknown or not unlocked, or (accounts, install, tokens, oauth, sandbox)
//! the command failed with a coded error; 2 usage error, or a file that cannot
//! be read or written; 3 an OAuth flow timed out or was cancelled (or `api get
//! --all` was interrupted); 4 a live-mode write without `--unlock-live` (`api`,
//! `secrets`). For `api`/`secrets`, 1 is also an API error answer (its body is
//! still printed); for `verify`, a signature that does not match or is too
//! old. Errors print to stderr as `error[code]: message`; clap's usage
//! errors print as `error[usage]: …`.
//!
//! Invariant: this file holds no behaviour beyond wiring argv, the process
//! streams and the environment into a [`context::Ctx`]; the `APPDECK_*`
//! variables core takes are read here and nowhere in core (an invalid value is
//! `error[usage]`, exit 2, before any verb runs); broken pipes (`appdeck … |
//! head`) end quietly.

#[macro_use]
mod exit;
mod cli;
mod commands;
mod context;
mod output;
mod session;

use std::io::{self, Write};
use std::process::ExitCode;

use appdeck_core::console::retry::{RetryPolicy, MAX_RETRIES_ENV};
use appdeck_core::error::ErrorCode;
use appdeck_core::{config, keychain};
use clap::error::ErrorKind;
use clap::Parser;

use crate::cli::Cli;
use crate::context::{Ctx, SessionSettings};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_failure(e),
    };
    let config_dir = config::config_dir(
        cli.config_dir.clone(),
        std::env::var_os(config::CONFIG_DIR_ENV),
    );
    let session = match session_from_env(&cli) {
        Ok(s) => s,
        Err(message) => {
            let _ = output::error_line(
                &mut io::stderr(),
                output::Paint::new(false),
                ErrorCode::Usage,
                &message,
            );
            return ExitCode::from(exit::Exit::Usage.code() as u8);
        }
    };
    let mut out = io::stdout().lock();
    let mut err = io::stderr().lock();
    let mut ctx = Ctx::for_process(&mut out, &mut err, config_dir, session);
    let result = commands::dispatch(&mut ctx, cli.command).and_then(|exit| {
        ctx.out.flush()?;
        Ok(exit)
    });
    match result {
        Ok(exit) => ExitCode::from(exit.code() as u8),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            let _ = output::error_line(
                ctx.err,
                ctx.paint_err,
                ErrorCode::Io,
                &format!("cannot write output: {e}"),
            );
            ExitCode::from(exit::Exit::Usage.code() as u8)
        }
    }
}

/// The session's settings from the flags and the `APPDECK_*` variables;
/// `Err` names a variable whose value is not one Appdeck takes.
fn session_from_env(cli: &Cli) -> Result<SessionSettings, String> {
    let var = |name: &str| std::env::var(name).ok();
    Ok(SessionSettings {
        secrets: session::secret_choice(cli.session_secrets)?,
        sandbox_url: cli
            .sandbox
            .clone()
            .or_else(|| var(session::SANDBOX_URL_ENV).filter(|v| !v.is_empty())),
        keychain_service: keychain::service_name(var(keychain::SERVICE_ENV).as_deref()),
        retry: RetryPolicy::from_setting(var(MAX_RETRIES_ENV).as_deref())?,
    })
}

/// Help and version print as clap formats them; usage errors become
/// `error[usage]: …` (exit 2) like every other error.
fn clap_failure(e: clap::Error) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            ExitCode::from(e.exit_code() as u8)
        }
        _ => {
            let text = e.render().to_string();
            let body = text.strip_prefix("error: ").unwrap_or(&text);
            // clap's text ends with its own newline, so not `output::error_line`.
            let _ = write!(io::stderr(), "error[{}]: {body}", ErrorCode::Usage.as_str());
            ExitCode::from(exit::Exit::Usage.code() as u8)
        }
    }
}
