//! `appdeck sandbox serve`: the local Stripe (appdeck-sandbox) standalone, with
//! the app of `--manifest` registered.
//!
//! Invariants: binds 127.0.0.1 only; prints `Sandbox ready at URL` or, with
//! `--json`, the sandbox's info as one JSON line (local test keys, safe to
//! print), flushed, only once it accepts connections; writes
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

use appdeck_core::error::Coded;
use appdeck_core::keychain::{self, OsKeychain, SecretStore};
use appdeck_sandbox::{AppRegistration, DataKey, Sandbox, SandboxConfig};
use clap::Args;

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
  appdeck sandbox serve --json --auto-consent --any-loopback-port --no-rate-limit

", flow_exit_codes_help!()))]
pub struct ServeOpts {
    /// Port on 127.0.0.1 (0 picks a free one)
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub port: u16,
    /// Keep accounts, installs and objects in DIR across restarts [default: in memory]
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// The app to register [default: ./stripe-app.json]
    #[arg(long, value_name = "PATH")]
    pub manifest: Option<PathBuf>,
    /// Answer authorize URLs at once with the first install account (automation)
    #[arg(long)]
    pub auto_consent: bool,
    /// Accept any port on loopback redirect URIs (RFC 8252 §7.3)
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
    // As `stripe apps start` would load it: merged with stripe-app.dev.json.
    let text = match appdeck_core::manifest::extension::dev_view(&path) {
        Ok(t) => t,
        Err(e) => {
            let message = format!(
                "cannot read {}: {e}; name the app's manifest with --manifest",
                path.display()
            );
            output::error_line(ctx.err, ctx.paint_err, "manifest-unreadable", &message)?;
            return Ok(Exit::Usage);
        }
    };
    let app = match AppRegistration::from_manifest_text(&text) {
        Ok(app) => app,
        Err(e) => {
            let message = format!("{}: {e}", path.display());
            output::error_line(ctx.err, ctx.paint_err, "manifest-syntax", &message)?;
            return Ok(Exit::Usage);
        }
    };
    let data_key = match &opts.data_dir {
        None => None,
        Some(dir) => {
            let store: Arc<dyn SecretStore> = match &ctx.session.secrets {
                SecretChoice::OsKeychain => Arc::new(OsKeychain::new(keychain::service_name())),
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
                    DataKey::from_hex(k.secret())
                        .map_err(|why| (appdeck_core::error::ErrorCode::KeychainFailed, why))
                });
            match key {
                Ok(k) => Some(k),
                Err((code, why)) => {
                    let message = format!(
                        "the key that seals {} is kept in the OS keychain: {why}; or drop --data-dir to keep the sandbox in memory",
                        dir.display()
                    );
                    return fail_with(ctx, &code.as_str(), &message);
                }
            }
        }
    };
    let cfg = SandboxConfig {
        port: opts.port,
        data_dir: opts.data_dir,
        data_key,
        app: Some(app),
        auto_consent: opts.auto_consent,
        any_loopback_port: opts.any_loopback_port,
        rate_limit: !opts.no_rate_limit,
    };
    block_on(async {
        // Caught before the ready line, so a signal sent right after it stops cleanly.
        let mut signals = super::flow::Signals::install()?;
        let running = match Sandbox::start(cfg).await {
            Ok(r) => r,
            Err(e) => return fail_with(ctx, "sandbox-failed", &e.to_string()),
        };
        let base_url = running.base_url();
        if let Err(e) = session::write_sandbox_file(&ctx.config_dir, &base_url) {
            writeln!(
                ctx.err,
                "warning: other appdeck commands won't find this sandbox: {e}"
            )?;
        }
        let shown = if opts.json {
            output::json_line(ctx.out, &running.info())
        } else {
            writeln!(ctx.out, "Sandbox ready at {base_url}")
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
