//! Install flows on an account other than the embedded sandbox, the way they
//! would meet Stripe: the developer account `dev` is a test-mode account whose
//! API base is a running `appdeck sandbox serve` standing in for Stripe (its
//! developer key, the app's client id and channel link set with `apps set`),
//! and the stand-in matches redirect URIs exactly (`any_loopback_port` off, as
//! Stripe does). Stripe's marketplace is not reachable from a test, so only the
//! install link's origin is swapped for the stand-in's.
//!
//! Pinned here (docs/stripe-fidelity.md): refusals before anything listens or
//! opens (a restricted key, a redirect URI not in stripe-app.json, a loopback
//! URI without a port), each with its code and exit 1 and printed timing; a
//! fixed-port loopback install that works under exact matching; an install
//! the app's backend completes, confirmed by Stripe's event with the code
//! never touched; the checklist of `install check`; sandbox accounts.
//! Secrets outlive one process (accounts add → install run), so these need the
//! Secret Service (`.ci/with-keychain`; skipped loudly without one).

#[path = "../support/sandbox.rs"]
mod support;

mod backend;

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::*;

/// A loopback port nothing listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Rewrites the env's stripe-app.json with these redirect URIs (before `serve`,
/// which registers it).
pub fn set_redirects(env: &Env, uris: &[String]) {
    let path = env.manifest();
    let mut m: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    m["allowed_redirect_uris"] = json!(uris);
    std::fs::write(&path, serde_json::to_string_pretty(&m).unwrap()).unwrap();
}

/// The developer account's restricted key (`rk_test_…`) on the stand-in.
fn restricted_key(base: &str) -> String {
    control_get(base, "/accounts")["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["role"] == "developer")
        .unwrap()["restricted_key"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Serves the stand-in with exact redirect matching and sets up `name` (its
/// developer's secret key, or its restricted key) and the app's test-mode
/// credentials; returns the stand-in's base URL.
pub fn stand_in(env: &mut Env, name: &str, restricted: bool) -> String {
    env.serve();
    let base = env.base_url();
    control(&base, "/settings", json!({"any_loopback_port": false}));
    let key = if restricted {
        restricted_key(&base)
    } else {
        developer_key(&base)
    };
    let app = env.info()["app"].clone();
    env.use_as_stripe(name, &key, &base, &app);
    base
}

/// Stripe's marketplace link, pointed at the stand-in.
pub fn at_stand_in(link: &str, base: &str) -> String {
    link.replacen("https://marketplace.stripe.com", base, 1)
}

/// Runs `install run ARGS --no-browser --json --timeout 5` to its end and
/// checks it was refused with `code` (exit 1) before any `Open:` line.
fn refused(env: &Env, args: &[&str], code: &str) -> String {
    let started = Instant::now();
    let out = env
        .appdeck(
            ["install", "run", "--no-browser", "--json", "--timeout", "5"]
                .iter()
                .chain(args),
        )
        .output()
        .unwrap();
    let took = started.elapsed();
    let (stdout, stderr) = (stdout_of(&out), stderr_of(&out));
    eprintln!("{code}: refused in {} ms (whole process)", took.as_millis());
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&format!("error[{code}]")), "{stderr}");
    assert!(
        !stdout.contains("Open:"),
        "nothing is opened before the refusal: {stdout}"
    );
    assert!(
        !stderr.contains("listening on"),
        "nothing listens before the refusal: {stderr}"
    );
    stderr
}

#[test]
fn a_restricted_key_is_refused_before_anything_listens_or_opens() {
    if !keyring_or_skip("a_restricted_key_is_refused") {
        return;
    }
    let mut env = Env::new();
    let port = free_port();
    set_redirects(&env, &[format!("http://127.0.0.1:{port}/callback")]);
    stand_in(&mut env, "dev-rk", true);
    let stderr = refused(&env, &["--account", "dev-rk"], "restricted-key");
    assert!(stderr.contains("secret key"), "says which key: {stderr}");
    assert!(
        stderr.contains("API keys"),
        "says where to find it: {stderr}"
    );
    // The checklist says the same, on its key line, with the fix.
    let out = env
        .appdeck(["install", "check", "--account", "dev-rk", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    let check = json(&stdout_of(&out));
    let key = &check["lines"][0];
    assert_eq!(
        (key["check"].as_str(), key["status"].as_str()),
        (Some("key"), Some("fail"))
    );
    assert!(stderr_of(&out).contains("error[preflight-failed]"));
}

#[test]
fn redirect_uris_stripe_does_not_hold_are_refused_with_the_fix() {
    if !keyring_or_skip("redirect_uris_stripe_does_not_hold") {
        return;
    }
    let mut env = Env::new();
    let port = free_port();
    let listed = format!("http://127.0.0.1:{port}/callback");
    set_redirects(
        &env,
        &[
            "https://backend.example.com/stripe/callback".into(),
            listed.clone(),
            "http://127.0.0.1/portless".into(),
        ],
    );
    // An extension manifest is never uploaded: its URI is not Stripe's.
    std::fs::write(
        env.path().join("stripe-app.dev.json"),
        r#"{"extends": "stripe-app.json", "allowed_redirect_uris": ["http://127.0.0.1:4555/dev"]}"#,
    )
    .unwrap();
    stand_in(&mut env, "dev", false);
    let other = format!("http://127.0.0.1:{port}/other");
    let stderr = refused(
        &env,
        &["--account", "dev", "--redirect-uri", &other],
        "redirect-uri-not-uploadable",
    );
    assert!(
        stderr.contains(&other) && stderr.contains("stripe-app.json"),
        "{stderr}"
    );
    refused(
        &env,
        &[
            "--account",
            "dev",
            "--redirect-uri",
            "http://127.0.0.1:4555/dev",
        ],
        "redirect-uri-not-uploadable",
    );
    let stderr = refused(
        &env,
        &[
            "--account",
            "dev",
            "--redirect-uri",
            "http://127.0.0.1/portless",
        ],
        "redirect-uri-not-uploadable",
    );
    assert!(
        stderr.contains("http://127.0.0.1:8765/portless"),
        "the fix: {stderr}"
    );
    // A busy fixed port keeps its own clear error.
    let _taken = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
    refused(&env, &["--account", "dev"], "loopback-port-in-use");
}

#[test]
fn a_fixed_port_install_works_under_exact_matching() {
    if !keyring_or_skip("a_fixed_port_install_works") {
        return;
    }
    let mut env = Env::new();
    let port = free_port();
    let uri = format!("http://127.0.0.1:{port}/callback");
    set_redirects(
        &env,
        &["https://backend.example.com/cb".into(), uri.clone()],
    );
    let base = stand_in(&mut env, "dev", false);

    let out = env
        .appdeck(["install", "check", "--account", "dev", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout_of(&out));
    let check = json(&stdout_of(&out));
    assert_eq!(
        check["redirect_uri"],
        uri.as_str(),
        "the fixed-port URI, as written"
    );
    assert_eq!(check["kind"], "test");
    let ids: Vec<&str> = check["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["check"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "key",
            "account",
            "app-credentials",
            "redirect-uri",
            "release"
        ]
    );
    assert_eq!(
        check["lines"][4]["status"], "warn",
        "a loopback URI is uploadable for a test version; only review refuses it: {}",
        check["lines"][4]
    );

    let mut flow = Flow::spawn(env.std_command([
        "install",
        "run",
        "--account",
        "dev",
        "--no-browser",
        "--json",
        "--timeout",
        "30",
    ]));
    let link = flow.open_url();
    assert_eq!(
        reqwest::Url::parse(&link)
            .unwrap()
            .query_pairs()
            .find(|(k, _)| k == "redirect_uri")
            .map(|(_, v)| v.to_string()),
        Some(uri.clone()),
        "sent exactly as stripe-app.json writes it"
    );
    let (status, _) = consent_and_follow(&at_stand_in(&link, &base));
    assert_eq!(status, 200);
    let (status, out, err) = flow.finish(Duration::from_secs(30));
    assert_eq!(status.code(), Some(0), "{err}");
    assert_eq!(json(&out)["install"]["livemode"], false);
}

#[test]
fn a_stripe_sandbox_account_is_its_own_kind_and_refuses_oauth_installs() {
    if !keyring_or_skip("a_stripe_sandbox_account") {
        return;
    }
    let mut env = Env::new();
    set_redirects(
        &env,
        &[format!("http://127.0.0.1:{}/callback", free_port())],
    );
    let base = stand_in(&mut env, "dev", false);
    let mut add = env.std_command([
        "accounts",
        "add",
        "sbx",
        "--key-stdin",
        "--stripe-sandbox",
        "--api-base",
        &base,
    ]);
    add.arg("--skip-check");
    let out = with_stdin(add, &developer_key(&base));
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(stdout_of(&out).contains("sandbox"), "{}", stdout_of(&out));
    let listed = json(&stdout_of(
        &env.appdeck(["accounts", "list", "--json"])
            .output()
            .unwrap(),
    ));
    let sbx = listed["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "sbx")
        .unwrap()
        .clone();
    assert_eq!(
        (sbx["mode"].as_str(), sbx["kind"].as_str()),
        (Some("test"), Some("sandbox"))
    );
    let out = env
        .appdeck(["install", "check", "--account", "sbx", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let check = json(&stdout_of(&out));
    let sandbox = check["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["check"] == "sandbox")
        .expect("a sandbox line for a sandbox account")
        .clone();
    assert_eq!(
        sandbox["status"], "fail",
        "Stripe's sandboxes don't take OAuth apps: {sandbox}"
    );
    let live = with_stdin(
        {
            let mut c =
                env.std_command(["accounts", "add", "l", "--key-stdin", "--stripe-sandbox"]);
            c.arg("--skip-check");
            c
        },
        "sk_live_fake_cli_test_key_01",
    );
    assert_eq!(live.status.code(), Some(1), "a sandbox has test keys only");
    assert!(stderr_of(&live).contains("error[invalid-input]"));
}
