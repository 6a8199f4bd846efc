//! Integration tests for `appdeck sandbox serve` and how other verbs find the
//! running sandbox (`sandbox.json`, `--sandbox`, `APPDECK_SANDBOX_URL`), and
//! for `appdeck sandbox listen` (`listen.rs`).

#[path = "../support/sandbox.rs"]
mod support;

mod listen;

use std::io::BufRead;
use std::net::{SocketAddr, TcpStream};
use std::process::Stdio;
use std::time::Duration;

use support::*;

fn port_of(base_url: &str) -> u16 {
    base_url.rsplit(':').next().unwrap().parse().unwrap()
}

#[test]
fn serve_json_prints_the_exact_shape_binds_loopback_records_itself_and_stops_on_sigterm() {
    let mut env = Env::new();
    env.serve();
    let info = env.info().clone();
    assert_eq!(
        keys(&info),
        [
            "base_url",
            "developer",
            "accounts",
            "app",
            "registered_manifest"
        ]
    );
    assert_eq!(
        info["registered_manifest"],
        env.manifest().display().to_string(),
        "the file registered, named"
    );
    assert_eq!(keys(&info["developer"]), ["account", "secret_key"]);
    assert!(info["developer"]["account"]
        .as_str()
        .unwrap()
        .starts_with("acct_"));
    assert!(info["developer"]["secret_key"]
        .as_str()
        .unwrap()
        .starts_with("sk_test_"));
    let accounts = info["accounts"].as_array().unwrap();
    assert!(!accounts.is_empty(), "install accounts are seeded");
    for a in accounts {
        assert_eq!(keys(a), ["account", "secret_key"]);
    }
    assert_eq!(
        keys(&info["app"]),
        ["id", "client_id", "channel_link", "signing_secret"]
    );
    assert_eq!(info["app"]["id"], "com.example.appdeck-sample");
    assert!(info["app"]["client_id"]
        .as_str()
        .unwrap()
        .starts_with("ca_"));
    assert!(info["app"]["channel_link"]
        .as_str()
        .unwrap()
        .starts_with("chnlink_"));
    assert!(info["app"]["signing_secret"]
        .as_str()
        .unwrap()
        .starts_with("absec_"));

    let base = env.base_url();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    let port = port_of(&base);
    assert!(
        TcpStream::connect_timeout(
            &SocketAddr::from(([127, 0, 0, 1], port)),
            Duration::from_secs(2)
        )
        .is_ok(),
        "it answers on 127.0.0.1"
    );
    assert!(
        TcpStream::connect_timeout(
            &SocketAddr::from(([127, 0, 0, 2], port)),
            Duration::from_secs(2)
        )
        .is_err(),
        "bound to 127.0.0.1 only, not every address"
    );

    let recorded = json(&std::fs::read_to_string(env.config_dir().join("sandbox.json")).unwrap());
    assert_eq!(
        keys(&recorded),
        ["base_url", "pid"],
        "where it listens, no keys"
    );
    assert_eq!(recorded["base_url"], base.as_str());
    let mut served = env.sandbox.take().unwrap();
    assert_eq!(recorded["pid"], served.child.id());

    signal(&served.child, "TERM");
    let status = wait_for(&mut served.child, Duration::from_secs(10));
    assert_eq!(status.code(), Some(0), "SIGTERM stops it cleanly");
    assert!(
        !env.config_dir().join("sandbox.json").exists(),
        "a clean stop removes sandbox.json"
    );
}

#[test]
fn serve_without_json_prints_the_ready_line_and_stops_on_ctrl_c() {
    let env = Env::new();
    let mut child = env
        .std_command(["sandbox", "serve", "--port", "0", "--manifest"])
        .arg(env.manifest())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    stdout.read_line(&mut line).unwrap();
    let url = line
        .strip_prefix("Sandbox ready at ")
        .unwrap_or_else(|| panic!("the ready line: {line:?}"))
        .trim_end();
    assert!(
        url.starts_with("http://127.0.0.1:") && port_of(url) > 0,
        "{line}"
    );
    let mut second = String::new();
    stdout.read_line(&mut second).unwrap();
    assert!(
        second.starts_with(&format!(
            "Registered com.example.appdeck-sample from {}",
            env.manifest().display()
        )),
        "the second line names the file registered: {second:?}"
    );
    signal(&child, "INT");
    assert_eq!(
        wait_for(&mut child, Duration::from_secs(10)).code(),
        Some(0)
    );
}

#[test]
fn an_extension_manifest_registers_its_base_and_says_so() {
    let mut env = Env::new();
    let ext = env.path().join("stripe-app.dev.json");
    std::fs::write(
        &ext,
        r#"{"extends": "stripe-app.json", "allowed_redirect_uris": ["http://127.0.0.1/from-the-extension"]}"#,
    )
    .unwrap();
    env.sandbox = Some(Served::start_named(&env, &ext, &[]));
    assert_eq!(
        env.info()["registered_manifest"],
        env.manifest().display().to_string(),
        "stripe apps upload reads stripe-app.json alone (stripe/stripe-apps#841)"
    );
    let apps = control_get(&env.base_url(), "/apps");
    let uris = apps["data"][0]["redirect_uris"].clone();
    assert_eq!(
        uris,
        serde_json::json!([
            "https://invoicepilot.example.com/stripe/oauth/callback",
            env.redirect
        ]),
        "nothing from the extension manifest is registered"
    );
}

#[test]
fn any_loopback_port_is_an_explicit_opt_in() {
    let mut env = Env::new();
    env.serve();
    let settings = control_get(&env.base_url(), "/settings");
    assert_eq!(
        settings["any_loopback_port"], false,
        "exact matching, as Stripe, by default"
    );
    drop(env.sandbox.take());
    env.sandbox = Some(Served::start(&env, &["--any-loopback-port"]));
    let settings = control_get(&env.base_url(), "/settings");
    assert_eq!(settings["any_loopback_port"], true, "only when asked for");
    let help = env
        .appdeck(["sandbox", "serve", "--help"])
        .output()
        .unwrap();
    assert!(
        stdout_of(&help).contains("NOT what Stripe does"),
        "the help labels the opt-in: {}",
        stdout_of(&help)
    );
}

#[test]
fn a_missing_or_broken_manifest_is_a_usage_error() {
    let env = Env::new();
    let out = env
        .appdeck(["sandbox", "serve", "--manifest", "nope.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).starts_with("error[manifest-unreadable]: "),
        "{}",
        stderr_of(&out)
    );

    std::fs::write(env.path().join("broken.json"), "{\"name\": \"no id\"}").unwrap();
    let out = env
        .appdeck(["sandbox", "serve", "--manifest", "broken.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("error[manifest-syntax]"),
        "{}",
        stderr_of(&out)
    );
    assert!(!env.config_dir().join("sandbox.json").exists());
}

fn listed_names(env: &Env, extra: &[&str]) -> Vec<String> {
    let out = env
        .appdeck(["accounts", "list", "--json"])
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    json(&stdout_of(&out))["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn other_verbs_find_the_sandbox_through_its_file_or_an_explicit_url() {
    let mut env = Env::new();
    assert!(listed_names(&env, &[]).is_empty(), "no sandbox, no `local`");
    env.serve();
    assert_eq!(
        listed_names(&env, &[]),
        ["local"],
        "found through sandbox.json"
    );

    // Another config dir, pointed at the sandbox explicitly.
    let other = Env::new();
    let base = env.base_url();
    assert_eq!(listed_names(&other, &["--sandbox", &base]), ["local"]);
    let out = other
        .appdeck(["accounts", "list", "--json"])
        .env("APPDECK_SANDBOX_URL", &base)
        .output()
        .unwrap();
    assert!(
        stdout_of(&out).contains("\"local\""),
        "APPDECK_SANDBOX_URL works too"
    );

    // An explicit URL must answer; a stale file is ignored.
    drop(env.sandbox.take());
    let out = other
        .appdeck(["accounts", "list", "--sandbox", &base])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_of(&out).starts_with("error[network]: "),
        "{}",
        stderr_of(&out)
    );
    assert!(
        listed_names(&env, &[]).is_empty(),
        "a stale sandbox.json is ignored"
    );
}

#[test]
fn a_data_dir_is_sealed_with_a_keychain_key_and_survives_restarts() {
    if !keyring_or_skip("a_data_dir_is_sealed_with_a_keychain_key_and_survives_restarts") {
        return;
    }
    let env = Env::new();
    let data = env.path().join("sandbox-data");
    let data_arg = data.to_str().unwrap();
    let first = Served::start(&env, &["--data-dir", data_arg]);
    let key = first.info["accounts"][0]["secret_key"]
        .as_str()
        .expect("the first account's key")
        .to_string();
    drop(first);
    let again = Served::start(&env, &["--data-dir", data_arg]);
    assert_eq!(
        again.info["accounts"][0]["secret_key"], key,
        "the same sandbox after a restart"
    );
    drop(again);
    for entry in std::fs::read_dir(&data).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            !bytes.windows(key.len()).any(|w| w == key.as_bytes()),
            "{} holds the account's key in plaintext",
            path.display()
        );
    }
    let found = std::process::Command::new("secret-tool")
        .args(["search", "--all", "service", &env.service])
        .output()
        .expect("secret-tool is installed where the keyring tests run");
    let listed = format!(
        "{}{}",
        String::from_utf8_lossy(&found.stdout),
        String::from_utf8_lossy(&found.stderr)
    );
    assert!(
        listed.contains("username = sandbox-data-key:local:"),
        "the data key is in the keychain: {listed}"
    );

    // The key gone from the keychain: the data is moved aside, never deleted,
    // and a fresh sandbox starts (what the desktop does too).
    let cleared = std::process::Command::new("secret-tool")
        .args(["clear", "service", &env.service])
        .status()
        .unwrap();
    assert!(cleared.success());
    let fresh = Served::start(&env, &["--data-dir", data_arg]);
    assert_ne!(
        fresh.info["accounts"][0]["secret_key"], key,
        "a fresh sandbox"
    );
    drop(fresh);
    let aside: Vec<String> = std::fs::read_dir(env.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with("sandbox-data.unreadable-"))
        .collect();
    assert_eq!(aside.len(), 1, "the old data kept beside it: {aside:?}");
}

#[test]
fn a_data_dir_with_session_secrets_is_a_usage_error() {
    let env = Env::new();
    let out = env
        .appdeck([
            "--session-secrets",
            "sandbox",
            "serve",
            "--data-dir",
            "data",
            "--manifest",
        ])
        .arg(env.manifest())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(
        err.contains("error[usage]") && err.contains("--session-secrets"),
        "{err}"
    );
    assert!(!env.path().join("data").exists(), "nothing was written");
}
