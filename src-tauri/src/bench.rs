//! Benchmarks, printed and never asserted (`make bench` runs them through
//! tests/bench/install-keychain.sh, inside a private D-Bus session with a
//! throwaway unlocked gnome-keyring):
//! - the full install flow as the desktop runs it (the shell's `install::start`
//!   then `install::wait`: loopback listener, the "browser" following the
//!   authorize URL, auto-consent, code exchange, both tokens written to the OS
//!   keychain, install recorded) against the embedded sandbox started
//!   in-process, over `APPDECK_BENCH_RUNS` runs (default 50);
//! - OS keychain latency (core's `OsKeychain`: one worker thread, 5 s timeout)
//!   for a write, a read and a delete of one token-sized secret.
//!
//! Each figure is printed as a table row and as a `BENCH <id> …` line
//! (install.flow, keychain.write|read|delete) that `make bench` collects.
//!
//! Ignored in normal test runs: they need the real Secret Service.

use std::sync::Arc;
use std::time::{Duration, Instant};

use appdeck_core::installs;
use appdeck_core::keychain::{self, Mode, OsKeychain, SecretKind, SecretRef, SecretStore};
use appdeck_core::oauth::install::InstallRequest;

use crate::commands::install;
use crate::services::{Opener, Services};

/// The bench app, with a fixed-port loopback redirect URI (`PORT`): the
/// embedded sandbox matches redirect URIs exactly, as Stripe does.
const MANIFEST: &str = r#"{"id": "com.example.bench", "version": "1.0.0", "name": "Bench",
  "stripe_api_access_type": "oauth", "allowed_redirect_uris": ["http://127.0.0.1:PORT/callback"],
  "permissions": [{"permission": "customer_read", "purpose": "Bench."}]}"#;

/// [`MANIFEST`] with a loopback port free right now.
fn manifest() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port");
    MANIFEST.replace("PORT", &port.to_string())
}

fn runs() -> usize {
    std::env::var("APPDECK_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(50)
}

/// Quantile `q` of sorted samples, by linear interpolation (as tests/bench/stats.py).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = (sorted.len() - 1) as f64 * q;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// `name  runs  median  p95  min  max` in milliseconds, then the same figures
/// as a `BENCH <id> …` line for `make bench` (tests/bench/report.py).
fn report(name: &str, id: &str, mut ms: Vec<f64>) {
    ms.sort_by(f64::total_cmp);
    let (median, p95, q1, q3) = (
        quantile(&ms, 0.5),
        quantile(&ms, 0.95),
        quantile(&ms, 0.25),
        quantile(&ms, 0.75),
    );
    let (min, max) = (ms[0], ms[ms.len() - 1]);
    println!(
        "{name:<28} {:>5} {median:>9.2} {p95:>9.2} {min:>9.2} {max:>9.2}",
        ms.len()
    );
    println!(
        "BENCH {id} n={} median={median:.3} q1={q1:.3} q3={q3:.3} p95={p95:.3} min={min:.3} max={max:.3} unit=ms",
        ms.len()
    );
}

fn elapsed_ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// A browser that follows the authorize URL to the loopback callback.
fn follower() -> Opener {
    Arc::new(|url: &str| {
        let url = url.to_string();
        tauri::async_runtime::spawn(async move {
            let http = appdeck_core::http::client();
            if let Ok(first) = http.get(&url).send().await {
                if let Some(to) = first
                    .headers()
                    .get("location")
                    .and_then(|v| v.to_str().ok())
                {
                    let _ = http.get(to).send().await;
                }
            }
        });
        Ok(())
    })
}

#[test]
#[ignore = "benchmark: needs a Secret Service; run by tests/bench/install-keychain.sh"]
fn bench_install_flow_and_keychain() {
    let n = runs();
    // The bench script names its own service (the shell reads it, not core).
    let service = keychain::service_name(std::env::var(keychain::SERVICE_ENV).ok().as_deref());
    let os: Arc<OsKeychain> = Arc::new(OsKeychain::new(service.clone()));
    os.probe()
        .expect("the OS keychain answers (run inside .ci/with-keychain)");
    println!("keychain service {service}; {n} runs each; milliseconds");
    println!(
        "{:<28} {:>5} {:>9} {:>9} {:>9} {:>9}",
        "what", "runs", "median", "p95", "min", "max"
    );

    let token = "rt_bench_0123456789abcdefghijklmnopqrstuvwxyzABCDEF";
    let (mut writes, mut reads, mut deletes) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..n {
        let at = SecretRef::new(SecretKind::RefreshToken, Mode::Local, format!("bench_{i}"));
        let t = Instant::now();
        os.set(&at, token).unwrap();
        writes.push(elapsed_ms(t));
        let t = Instant::now();
        assert_eq!(os.get(&at).unwrap().unwrap().secret(), token);
        reads.push(elapsed_ms(t));
        let t = Instant::now();
        os.delete(&at).unwrap();
        deletes.push(elapsed_ms(t));
    }
    report("keychain write", "keychain.write", writes);
    report("keychain read", "keychain.read", reads);
    report("keychain delete", "keychain.delete", deletes);

    tauri::async_runtime::block_on(async {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("stripe-app.json"), manifest()).unwrap();
        let svc = Arc::new(
            Services::start_with_store(
                dir.path().join("config"),
                dir.path(),
                os.clone(),
                follower(),
            )
            .await,
        );
        svc.set_auto_consent(true).await.unwrap();
        let mut flows = Vec::new();
        for _ in 0..n {
            let t = Instant::now();
            let started = install::start(
                &svc,
                InstallRequest::default(),
                Duration::from_secs(30),
                Box::new(|_| {}),
            )
            .await
            .unwrap();
            let outcome = install::wait(&svc, &started.flow).await.unwrap();
            flows.push(elapsed_ms(t));
            installs::forget(&svc.context(), &outcome.install.install).unwrap();
        }
        report("install flow (auto-consent)", "install.flow", flows);
        svc.shutdown().await;
    });
}
