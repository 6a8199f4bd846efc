//! `cargo run -p appdeck-sandbox --example serve -- [--port N] [--data-dir DIR]
//! [--manifest PATH] [--auto-consent] [--any-loopback-port] [--no-rate-limit] [--json]`
//!
//! The standalone sandbox for scripts (the conformance suite, the benchmark)
//! until the CLI's `appdeck sandbox serve` wraps the same
//! `serve_until_signal`. Without `--manifest` it registers `./stripe-app.json`
//! when that file exists.

use std::path::PathBuf;
use std::process::ExitCode;

use appdeck_sandbox::{serve_until_signal, AppRegistration, SandboxConfig};

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
    match std::fs::read_to_string(&path) {
        Ok(text) => match AppRegistration::from_manifest_text(&text) {
            Ok(app) => cfg.app = Some(app),
            Err(e) => return usage(&format!("{}: {e}", path.display())),
        },
        Err(e) if manifest.is_some() => return usage(&format!("{}: {e}", path.display())),
        Err(_) => {}
    }
    match serve_until_signal(cfg, json).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
