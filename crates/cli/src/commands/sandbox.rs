//! `appdeck sandbox serve`: the local Stripe (appdeck-sandbox) standalone, with
//! the app of `--manifest` registered the way `stripe apps upload` would read
//! it: from `stripe-app.json` alone (an extension manifest given here registers
//! the base it extends, and the output says so; see
//! `appdeck_sandbox::registration`). Redirect URIs match exactly, as on Stripe,
//! unless `--any-loopback-port` is given explicitly.
//!
//! Invariants: binds 127.0.0.1 only; prints `Sandbox ready at URL` or, with
//! `--json`, the sandbox's info as one JSON line (local test keys, safe to
//! print) plus `registered_manifest` (the file registered), flushed, only once
//! it accepts connections; in text mode a second line names the registered
//! file; writes
//! `<config dir>/sandbox.json` (`{"base_url","pid"}`, no keys) so other
//! `appdeck` invocations and the desktop app find it, and removes it on a clean
//! stop (Ctrl-C, SIGTERM: exit 0). A missing or unreadable manifest is a usage
//! error (exit 2): a sandbox exists to install an app into, and serving one
//! without the app a developer expects would only move the surprise later.
//! With `--data-dir`, what the sandbox stores is sealed with a key kept in the
//! OS keychain (core's `sandbox_data_key`), so the folder holds no key, token
//! or Secret Store payload in plaintext; `--session-secrets` has nowhere to
//! keep that key, so the two together are a usage error.

use std::io;
use std::path::PathBuf;

use std::sync::Arc;

use appdeck_core::error::{Coded, ErrorCode};
use appdeck_core::keychain::{self, OsKeychain, SecretStore};
use appdeck_sandbox::{DataKey, RegistrationError, SandboxConfig, SandboxInfo};
use clap::Args;
use serde::Serialize;

use super::manifest::default_manifest;
use super::{block_on, fail_with};
use crate::context::{Ctx, SecretChoice};
use crate::exit::Exit;
use crate::output;
use crate::session;

#[derive(Debug, Clone, Args)]
#[command(after_help = concat!("\
Examples:
  appdeck sandbox serve
  appdeck sandbox serve --port 12111 --data-dir ~/.appdeck-sandbox
  appdeck sandbox serve --json --auto-consent --no-rate-limit
  appdeck sandbox serve --manifest path/to/app/stripe-app.json

", flow_exit_codes_help!()))]
pub struct ServeOpts {
    /// Port on 127.0.0.1 (0 picks a free one)
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub port: u16,
    /// Keep accounts, installs and objects in DIR across restarts [default: in memory]
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// The app to register, from stripe-app.json alone as `stripe apps upload`
    /// reads it (an extension manifest registers its base) [default: ./stripe-app.json]
    #[arg(long, value_name = "PATH")]
    pub manifest: Option<PathBuf>,
    /// Answer authorize URLs at once with the first install account (automation)
    #[arg(long)]
    pub auto_consent: bool,
    /// NOT what Stripe does: accept any port on a loopback redirect URI
    /// (RFC 8252 §7.3). Stripe matches redirect_uri exactly against the
    /// uploaded allowed_redirect_uris; list a fixed-port loopback URI there
    /// instead. An explicit opt-in for tools that can't use a fixed port.
    #[arg(long)]
    pub any_loopback_port: bool,
    /// Lift the 25 requests/s per account limit
    #[arg(long)]
    pub no_rate_limit: bool,
    /// Print the base URL, accounts, keys and app as one JSON line
    #[arg(long)]
    pub json: bool,
}

pub fn serve(ctx: &mut Ctx<'_>, opts: ServeOpts) -> io::Result<Exit> {
    let path = opts.manifest.clone().unwrap_or_else(default_manifest);
    let path = std::path::absolute(&path).unwrap_or(path);
    // As `stripe apps upload` reads it: stripe-app.json alone.
    let registered = match appdeck_sandbox::register_from(&path) {
        Ok(r) => r,
        Err(e) => return unregistrable(ctx, &e),
    };
    let data_key = match &opts.data_dir {
        None => None,
        Some(dir) => {
            let store: Arc<dyn SecretStore> = match &ctx.session.secrets {
                SecretChoice::OsKeychain => Arc::new(OsKeychain::new(ctx.session.keychain_service.clone())),
                SecretChoice::Given(store) => store.clone(),
                SecretChoice::SessionMemory => {
                    return super::usage(
                        ctx,
                        "--data-dir keeps the sandbox's data sealed with a key kept in the OS keychain, and --session-secrets leaves nowhere to keep that key; drop --data-dir (the sandbox then lives in memory) or --session-secrets",
                    )
                }
            };
            let key = keychain::sandbox_data_key(store.as_ref(), dir)
                .map_err(|e| (e.code(), e.to_string()))
                .and_then(|k| {
                    DataKey::from_hex(k.secret()).map_err(|why| (ErrorCode::KeychainFailed, why))
                });
            match key {
                Ok(k) => Some(k),
                Err((code, why)) => {
                    let message = format!(
                        "the key that seals {} is kept in the OS keychain: {why}; or drop --data-dir to keep the sandbox in memory",
                        dir.display()
                    );
                    return fail_with(ctx, code, &message);
                }
            }
        }
    };
    let cfg = SandboxConfig {
        port: opts.port,
        data_dir: opts.data_dir,
        data_key,
        app: Some(registered.app.clone()),
        auto_consent: opts.auto_consent,
        any_loopback_port: opts.any_loopback_port,
        rate_limit: !opts.no_rate_limit,
    };
    block_on(async {
        // Caught before the ready line, so a signal sent right after it stops cleanly.
        let mut signals = super::flow::Signals::install()?;
        // Unreadable sealed data is moved aside, never deleted, as the desktop does.
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        let running = match appdeck_sandbox::start_keeping_data(cfg, stamp).await {
            Ok(started) => {
                if let Some(moved) = &started.moved_aside {
                    writeln!(ctx.err, "note: {moved}")?;
                }
                started.running
            }
            Err(e) => return fail_with(ctx, ErrorCode::SandboxFailed, &e.to_string()),
        };
        let base_url = running.base_url();
        if let Err(e) = session::write_sandbox_file(&ctx.config_dir, &base_url) {
            writeln!(
                ctx.err,
                "warning: other appdeck commands won't find this sandbox: {e}"
            )?;
        }
        let shown = if opts.json {
            if registered.instead_of.is_some() {
                writeln!(ctx.err, "note: {}", registered.describe())?;
            }
            let info = ServeInfo {
                info: running.info(),
                registered_manifest: registered.file.display().to_string(),
            };
            output::json_line(ctx.out, &info)
        } else {
            writeln!(ctx.out, "Sandbox ready at {base_url}")
                .and_then(|()| writeln!(ctx.out, "{}", registered.describe()))
        };
        let shown = shown.and_then(|()| ctx.out.flush());
        if shown.is_ok() {
            signals.recv().await;
        }
        running.shutdown().await;
        session::remove_sandbox_file(&ctx.config_dir);
        shown.map(|()| Exit::Ok)
    })
}

/// A manifest the sandbox can't register an app from: a usage error (exit 2).
pub(super) fn unregistrable(ctx: &mut Ctx<'_>, e: &RegistrationError) -> io::Result<Exit> {
    let (code, hint) = match e {
        RegistrationError::Unreadable { .. } => (
            ErrorCode::ManifestUnreadable,
            "; name the app's manifest with --manifest",
        ),
        _ => (ErrorCode::ManifestSyntax, ""),
    };
    output::error_line(ctx.err, ctx.paint_err, code, &format!("{e}{hint}"))?;
    Ok(Exit::Usage)
}

/// What `--json` prints: the sandbox's info and the file registered.
#[derive(Serialize)]
struct ServeInfo {
    #[serde(flatten)]
    info: SandboxInfo,
    /// The manifest the app was registered from (a `stripe-app.json`).
    registered_manifest: String,
}
