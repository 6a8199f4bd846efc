//! Keychain faults, each with its own error code, quickly, and nothing written
//! in plaintext: no session bus, a bus without a Secret Service, a locked
//! keyring, and a hung Secret Service (the daemon stopped with SIGSTOP).
//! Driven through `appdeck accounts add … --key-stdin --skip-check`, which
//! stores a key in the keychain. Each case runs its own private D-Bus session
//! and keyring daemon; the hung case stops only that daemon (found by its bus
//! address), never another process's.
//!
//! Needs dbus-run-session and gnome-keyring (CI installs them); without them
//! the test says so loudly and passes, except under CI=true, where it fails.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const KEY: &str = "sk_test_faultfaultfault0123456789";

fn tools_present() -> bool {
    let ok = |c: &str| {
        Command::new("sh")
            .args(["-c", &format!("command -v {c}")])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let present = ok("dbus-run-session") && ok("gnome-keyring-daemon");
    if !present {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "CI must have dbus-run-session and gnome-keyring"
        );
        eprintln!("\n*** SKIPPED: dbus-run-session or gnome-keyring-daemon missing ***\n");
    }
    present
}

/// Runs `script` (bash) with `$APPDECK` set; `accounts add` reads the key from stdin.
fn run(script: &str, config: &std::path::Path) -> (i32, String, Duration) {
    let started = Instant::now();
    let mut child = Command::new("bash")
        .args(["-c", script])
        .env("APPDECK", env!("CARGO_BIN_EXE_appdeck"))
        .env("CONFIG", config)
        .env(
            "APPDECK_KEYCHAIN_SERVICE",
            format!("appdeck-fault-test-{}", std::process::id()),
        )
        .env_remove("APPDECK_SECRET_STORE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(KEY.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).to_string(),
        started.elapsed(),
    )
}

fn assert_no_plaintext(config: &std::path::Path) {
    for entry in walk(config) {
        let bytes = std::fs::read(&entry).unwrap_or_default();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(KEY),
            "{} holds the key",
            entry.display()
        );
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

const ADD: &str = r#""$APPDECK" --config-dir "$CONFIG" accounts add qa --key-stdin --skip-check"#;

#[test]
fn each_keychain_fault_has_its_own_code_and_writes_nothing() {
    if !tools_present() {
        return;
    }
    let cases: [(&str, String, &str); 4] = [
        (
            "no session bus",
            format!(r#"DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/bus {ADD}"#),
            "keychain-unavailable",
        ),
        (
            // A private bus whose Secret Service can't be activated.
            "no Secret Service",
            format!(
                r#"cfg=$(mktemp); sed 's#<servicedir>.*</servicedir>##; s#<standard_session_servicedirs */>##' /usr/share/dbus-1/session.conf > "$cfg"; dbus-run-session --config-file "$cfg" -- bash -c '{ADD}'; rc=$?; rm -f "$cfg"; exit $rc"#
            ),
            "keychain-unavailable",
        ),
        (
            "locked keyring",
            format!(
                r#"export XDG_DATA_HOME=$(mktemp -d); dbus-run-session -- bash -c 'gnome-keyring-daemon --start --components=secrets >/dev/null 2>&1; {ADD}'"#
            ),
            "keychain-locked",
        ),
        (
            "hung Secret Service (SIGSTOP)",
            format!(
                r#"export XDG_DATA_HOME=$(mktemp -d); dbus-run-session -- bash -c 'printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; for _ in $(seq 50); do for p in $(pgrep -x gnome-keyring-d); do tr "\0" "\n" < /proc/$p/environ 2>/dev/null | grep -qxF "DBUS_SESSION_BUS_ADDRESS=$DBUS_SESSION_BUS_ADDRESS" && ours=$p; done; [ -n "$ours" ] && break; sleep 0.1; done; [ -n "$ours" ] || {{ echo "our gnome-keyring-daemon was not found" >&2; exit 99; }}; kill -STOP $ours; {ADD}; rc=$?; kill -CONT $ours; exit $rc'"#
            ),
            "keychain-timeout",
        ),
    ];
    for (name, script, code) in cases {
        let config = tempfile::tempdir().unwrap();
        let (status, stderr, took) = run(&script, config.path());
        let said = stderr
            .lines()
            .find(|l| l.starts_with("error["))
            .unwrap_or("");
        eprintln!(
            "{name}: exit {status} in {:.1}s: {said}",
            took.as_secs_f64()
        );
        assert_eq!(status, 1, "{name}: {stderr}");
        assert!(
            stderr.contains(&format!("error[{code}")),
            "{name}: expected {code}, got {stderr}"
        );
        assert!(
            took < Duration::from_secs(15),
            "{name}: took {took:?} (the keychain timeout is 5 s)"
        );
        assert_no_plaintext(config.path());
    }
}
