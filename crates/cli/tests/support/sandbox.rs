//! For the CLI test binaries that need a running local sandbox or a secret
//! store: a temp project and config dir, `appdeck sandbox serve` as a child
//! process (killed when dropped), a "browser" that follows redirects, and the
//! gate for tests that need the real Secret Service.
//!
//! Invariants: every command runs with `--config-dir` in a temp dir and its
//! own `APPDECK_KEYCHAIN_SERVICE`, and with `APPDECK_SANDBOX_URL` and
//! `APPDECK_SECRET_STORE` removed, so no test touches the user's config,
//! keychain entries or sandbox. Tests that need secrets to outlive one process
//! call [`keyring_or_skip`]: without a Secret Service they print a loud notice
//! and return, unless `CI=true`, where that is a failure (CI runs the tests in
//! `dbus-run-session` with an unlocked gnome-keyring).

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command as StdCommand, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use appdeck_core::keychain::OsKeychain;
use serde_json::Value;

#[path = "browser.rs"]
mod browser;
pub use browser::*;

/// The repository root (crates/cli/../..).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A temp project (manifest copy) and config dir, and a unique keychain service.
pub struct Env {
    pub dir: tempfile::TempDir,
    pub service: String,
    pub sandbox: Option<Served>,
    /// This env's loopback redirect URI, `http://127.0.0.1:PORT/callback`.
    pub redirect: String,
}

static SEQ: AtomicU32 = AtomicU32::new(0);

/// A loopback port free right now (bound, read, released), so each env can
/// list a fixed-port redirect URI, as a real app's `stripe-app.json` must:
/// Stripe matches `redirect_uri` exactly, port included.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

impl Env {
    /// The repo's `stripe-app.json`, copied, with its loopback redirect URI
    /// (the sample's fixed `:8765`) replaced by one on a port of this env's
    /// own, so tests running in parallel never share a callback port.
    pub fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let mut manifest: Value = serde_json::from_str(
            &std::fs::read_to_string(repo_root().join("stripe-app.json")).unwrap(),
        )
        .unwrap();
        let redirect = format!("http://127.0.0.1:{}/callback", free_port());
        let uris = manifest["allowed_redirect_uris"].as_array_mut().unwrap();
        uris.retain(|u| {
            !u.as_str()
                .unwrap_or_default()
                .starts_with("http://127.0.0.1")
        });
        uris.push(redirect.clone().into());
        std::fs::write(
            dir.path().join("stripe-app.json"),
            serde_json::to_string_pretty(&manifest).unwrap(),
        )
        .unwrap();
        let service = format!(
            "appdeck-cli-test-{}-{}",
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed)
        );
        Env {
            dir,
            service,
            sandbox: None,
            redirect,
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn manifest(&self) -> PathBuf {
        self.path().join("stripe-app.json")
    }

    pub fn config_dir(&self) -> PathBuf {
        self.path().join("config")
    }

    /// `appdeck --config-dir <tmp> ARGS…` as a std command, in the project dir.
    pub fn std_command<I, S>(&self, args: I) -> StdCommand
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut cmd = StdCommand::new(env!("CARGO_BIN_EXE_appdeck"));
        cmd.current_dir(self.path())
            .env("NO_COLOR", "1")
            .env("APPDECK_KEYCHAIN_SERVICE", &self.service)
            .env_remove("APPDECK_SANDBOX_URL")
            .env_remove("APPDECK_SECRET_STORE")
            .env_remove("APPDECK_CONFIG_DIR")
            .arg("--config-dir")
            .arg(self.config_dir())
            .args(args);
        cmd
    }

    /// The same as an assert_cmd command (for commands that end by themselves).
    pub fn appdeck<I, S>(&self, args: I) -> assert_cmd::Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        assert_cmd::Command::from_std(self.std_command(args))
    }

    /// Starts `appdeck sandbox serve --json --auto-consent --no-rate-limit
    /// --port 0 --manifest <copy>` and returns its info. Redirect URIs match
    /// exactly, as on Stripe (no `--any-loopback-port`).
    pub fn serve(&mut self) -> &Value {
        let served = Served::start(self, &[]);
        self.sandbox = Some(served);
        &self.sandbox.as_ref().unwrap().info
    }

    pub fn info(&self) -> &Value {
        &self.sandbox.as_ref().expect("serve() first").info
    }

    pub fn base_url(&self) -> String {
        self.info()["base_url"].as_str().unwrap().to_string()
    }

    /// Every file under the config dir, as bytes (to check no secret is in one).
    pub fn config_files(&self) -> Vec<(PathBuf, Vec<u8>)> {
        fn walk(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if let Ok(bytes) = std::fs::read(&p) {
                    out.push((p, bytes));
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.config_dir(), &mut out);
        out
    }

    /// Asserts that no file in the config dir contains `secret`.
    pub fn assert_no_file_holds(&self, secret: &str) {
        assert!(secret.len() > 8, "a real secret to look for: {secret:?}");
        for (path, bytes) in self.config_files() {
            assert!(
                !String::from_utf8_lossy(&bytes).contains(secret),
                "{} holds a secret",
                path.display()
            );
        }
    }
}

/// A running `appdeck sandbox serve`, killed when dropped.
pub struct Served {
    pub child: Child,
    pub info: Value,
    pub stdout: BufReader<ChildStdout>,
}

impl Served {
    pub fn start(env: &Env, extra: &[&str]) -> Served {
        Self::start_named(env, &env.manifest(), extra)
    }

    /// Like [`Served::start`] with `--manifest <manifest>`.
    pub fn start_named(env: &Env, manifest: &Path, extra: &[&str]) -> Served {
        let mut cmd = env.std_command([
            "sandbox",
            "serve",
            "--json",
            "--auto-consent",
            "--no-rate-limit",
            "--port",
            "0",
        ]);
        cmd.arg("--manifest")
            .arg(manifest)
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        let mut child = cmd.spawn().expect("appdeck sandbox serve starts");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let info: Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("serve --json prints one JSON line ({e}): {line:?}"));
        Served {
            child,
            info,
            stdout,
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends a signal (`TERM`, `INT`) to a child.
pub fn signal(child: &Child, name: &str) {
    let ok = StdCommand::new("kill")
        .arg(format!("-{name}"))
        .arg(child.id().to_string())
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill -{name} {}", child.id());
}

/// Waits up to `limit` for a child to exit.
pub fn wait_for(child: &mut Child, limit: Duration) -> ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("the process did not exit within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A flow command (`install run`, `oauth login`) as a child: stdout piped
/// (to read the `Open:` line), stderr piped, stdin piped.
pub struct Flow {
    pub child: Child,
    pub stdout: BufReader<ChildStdout>,
}

impl Flow {
    pub fn spawn(mut cmd: StdCommand) -> Flow {
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Flow { child, stdout }
    }

    /// Reads stdout up to the `Open: <URL>` line; returns the URL.
    pub fn open_url(&mut self) -> String {
        let mut line = String::new();
        loop {
            line.clear();
            let n = self.stdout.read_line(&mut line).unwrap();
            assert!(n > 0, "stdout ended before an `Open:` line");
            if let Some(url) = line.strip_prefix("Open: ") {
                return url.trim_end().to_string();
            }
        }
    }

    /// Waits for the exit; returns the status, the rest of stdout, and stderr.
    pub fn finish(mut self, limit: Duration) -> (ExitStatus, String, String) {
        let status = wait_for(&mut self.child, limit);
        let mut out = String::new();
        self.stdout.read_to_string(&mut out).unwrap();
        let mut err = String::new();
        self.child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        (status, out, err)
    }
}

impl Drop for Flow {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `install run --no-browser --timeout 30 --json` as a child (the sample
/// manifest's copy lists [`Env::redirect`], so it listens on that port).
pub fn install_flow(env: &Env) -> Flow {
    Flow::spawn(env.std_command([
        "install",
        "run",
        "--no-browser",
        "--timeout",
        "30",
        "--json",
    ]))
}

/// An install through auto-consent, to the end; its handle.
pub fn install(env: &Env) -> String {
    let mut flow = install_flow(env);
    let url = flow.open_url();
    consent_and_follow(&url);
    let (status, out, err) = flow.finish(Duration::from_secs(30));
    assert_eq!(status.code(), Some(0), "{err}");
    json(&out)["install"]["install"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Whether the real Secret Service answers for tests of secrets that outlive
/// one process. Without it: a loud notice and `false`, or a panic under CI.
pub fn keyring_or_skip(test: &str) -> bool {
    let probe = OsKeychain::with_timeout("appdeck-cli-test-probe", Duration::from_secs(3)).probe();
    match probe {
        Ok(()) => true,
        Err(e) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("{test}: CI=true requires a Secret Service (run inside dbus-run-session with an unlocked gnome-keyring): {e}")
        }
        Err(e) => {
            eprintln!(
                "\n*** SKIPPED {test}: no Secret Service ({e}).\n*** Run: dbus-run-session -- bash -c 'printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; cargo test -p appdeck-cli'\n"
            );
            false
        }
    }
}

/// `secret-tool lookup service <service> username <user>`, or `None`.
pub fn secret_tool_lookup(service: &str, user: &str) -> Option<String> {
    let out = StdCommand::new("secret-tool")
        .args(["lookup", "service", service, "username", user])
        .output()
        .expect("secret-tool is installed where the keyring tests run");
    let value = String::from_utf8(out.stdout).unwrap();
    Some(value.trim().to_string()).filter(|v| out.status.success() && !v.is_empty())
}

/// Parses a JSON line.
pub fn json(line: &str) -> Value {
    serde_json::from_str(line.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
}

pub fn keys(v: &Value) -> Vec<&str> {
    v.as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .map(String::as_str)
        .collect()
}

pub fn stdout_of(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

pub fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// Runs `cmd` with `input` on its stdin (keys never go on a command line).
pub fn with_stdin(mut cmd: StdCommand, input: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

impl Env {
    /// Makes a sandbox at `base` play Stripe for account `name`: the account
    /// added with `key` (not checked) and the sandbox's `app` (its `--json`
    /// info) as the app's test-mode client id and channel link.
    pub fn use_as_stripe(&self, name: &str, key: &str, base: &str, app: &Value) {
        let mut add =
            self.std_command(["accounts", "add", name, "--key-stdin", "--api-base", base]);
        add.arg("--skip-check");
        let out = with_stdin(add, key);
        assert_eq!(
            out.status.code(),
            Some(0),
            "accounts add: {}",
            stderr_of(&out)
        );
        let out = self
            .appdeck([
                "apps",
                "set",
                app["id"].as_str().unwrap(),
                "--mode",
                "test",
                "--client-id",
                app["client_id"].as_str().unwrap(),
                "--channel-link",
                app["channel_link"].as_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "apps set: {}", stderr_of(&out));
    }
}
