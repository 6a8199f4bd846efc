//! `cargo run -p appdeck-sandbox --example serve -- [--port N] [--data-dir DIR]
//! [--manifest PATH] [--auto-consent] [--any-loopback-port] [--no-rate-limit] [--json]`
//!
//! The standalone sandbox for scripts (the conformance suite, the benchmark)
//! until the CLI's `appdeck sandbox serve` wraps the same
//! `serve_until_signal`. Without `--manifest` it registers `./stripe-app.json`
//! when that file exists; an extension manifest registers the base it extends.
//! `--any-loopback-port` is NOT what Stripe does (exact matching is the default).

use std::path::PathBuf;
use std::process::ExitCode;

use appdeck_sandbox::{register_from, serve_until_signal, RegistrationError, SandboxConfig};

fn usage(problem: &str) -> ExitCode {
    eprintln!("error: {problem}");
    eprintln!("usage: serve [--port N] [--data-dir DIR] [--manifest PATH] [--auto-consent] [--any-loopback-port] [--no-rate-limit] [--json]");
    ExitCode::from(2)
}

#[tokio::main]
async fn main() -> ExitCode {
    let mut cfg = SandboxConfig::default();
    let mut json = false;
    let mut manifest: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => match args.next().and_then(|p| p.parse().ok()) {
                Some(p) => cfg.port = p,
                None => return usage("--port needs a number"),
            },
            "--data-dir" => match args.next() {
                Some(d) => cfg.data_dir = Some(PathBuf::from(d)),
                None => return usage("--data-dir needs a directory"),
            },
            "--manifest" => match args.next() {
                Some(m) => manifest = Some(PathBuf::from(m)),
                None => return usage("--manifest needs a path"),
            },
            "--auto-consent" => cfg.auto_consent = true,
            "--any-loopback-port" => cfg.any_loopback_port = true,
            "--no-rate-limit" => cfg.rate_limit = false,
            "--json" => json = true,
            other => return usage(&format!("unknown argument {other}")),
        }
    }
    let path = manifest
        .clone()
        .unwrap_or_else(|| PathBuf::from("stripe-app.json"));
    // stripe-app.json alone, as `stripe apps upload` reads it.
    match register_from(&path) {
        Ok(registered) => {
            eprintln!("{}", registered.describe());
            cfg.app = Some(registered.app);
        }
        Err(RegistrationError::Unreadable { .. }) if manifest.is_none() => {}
        Err(e) => return usage(&e.to_string()),
    }
    match serve_until_signal(cfg, json).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
