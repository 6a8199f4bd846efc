//! Integration tests for `appdeck install link|run` and `appdeck tokens …`
//! against `appdeck sandbox serve` with auto-consent: the test reads the
//! `Open:` line and plays the browser.

#[path = "../support/sandbox.rs"]
mod support;

use std::io::Write;
use std::time::Duration;

use support::*;

const INSTALL_KEYS: [&str; 7] = [
    "install",
    "app",
    "account",
    "stripe_user_id",
    "livemode",
    "access_expires_at",
    "status",
];

fn query(url: &str) -> Vec<(String, String)> {
    reqwest::Url::parse(url)
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn param(url: &str, name: &str) -> Option<String> {
    query(url)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

#[test]
fn link_prints_oauth_and_platform_links_for_the_local_sandbox() {
    let mut env = Env::new();
    env.serve();
    let base = env.base_url();
    let app = env.info()["app"].clone();

    let out = env.appdeck(["install", "link"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let link = stdout_of(&out).trim().to_string();
    let chnlink = app["channel_link"].as_str().unwrap();
    assert!(
        link.starts_with(&format!("{base}/oauth/v2/{chnlink}/authorize?")),
        "{link}"
    );
    let keys: Vec<String> = query(&link).into_iter().map(|(k, _)| k).collect();
    assert_eq!(keys, ["client_id", "redirect_uri", "state"]);
    assert_eq!(
        param(&link, "client_id").as_deref(),
        app["client_id"].as_str()
    );
    assert_eq!(
        param(&link, "redirect_uri").as_deref(),
        Some("https://invoicepilot.example.com/stripe/oauth/callback"),
        "the manifest's first allowed redirect URI"
    );
    assert!(
        param(&link, "state").unwrap().starts_with("local."),
        "the state carries the mode"
    );

    let out = env
        .appdeck([
            "install",
            "link",
            "--platform",
            "--redirect-uri",
            "https://example.com/cb",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let link = stdout_of(&out).trim().to_string();
    assert!(
        link.starts_with(&format!(
            "{base}/apps/install/link/com.example.appdeck-sample?"
        )),
        "{link}"
    );
    let keys: Vec<String> = query(&link).into_iter().map(|(k, _)| k).collect();
    assert_eq!(keys, ["redirect_uri", "state"]);
    assert_eq!(
        param(&link, "redirect_uri").as_deref(),
        Some("https://example.com/cb")
    );

    let out = env
        .appdeck(["install", "link", "--account", "local", "--mode", "live"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "--mode contradicting the account is a usage error"
    );
    let out = env
        .appdeck(["install", "link", "--mode", "staging"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = env
        .appdeck(["install", "link", "--mode", "live", "--platform"])
        .output()
        .unwrap();
    assert!(
        stdout_of(&out).starts_with(
            "https://marketplace.stripe.com/apps/install/link/com.example.appdeck-sample?"
        ),
        "a live platform link needs no client id: {}",
        stdout_of(&out)
    );
    let out = env
        .appdeck(["install", "link", "--manifest", "missing.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

fn run_install(env: &Env, extra: &[&str]) -> Flow {
    let mut cmd = env.std_command(["install", "run", "--no-browser", "--timeout", "30"]);
    cmd.args(extra);
    Flow::spawn(cmd)
}

#[test]
fn run_no_browser_json_installs_through_the_loopback_and_tokens_lists_it() {
    let mut env = Env::new();
    env.serve();
    let mut flow = run_install(&env, &["--json", "--session-secrets"]);
    let url = flow.open_url();
    let redirect = param(&url, "redirect_uri").unwrap();
    assert_eq!(
        redirect, env.redirect,
        "the manifest's fixed-port loopback URI, exactly as listed (Stripe matches it exactly)"
    );
    let (status, page) = consent_and_follow(&url);
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("complete"),
        "the success page, after the exchange: {page}"
    );
    let (status, out, err) = flow.finish(Duration::from_secs(20));
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(
        err.trim().lines().all(|l| !l.starts_with('[')),
        "no step lines with --json: {err}"
    );

    let v = json(&out);
    assert_eq!(keys(&v), ["install", "timeline"]);
    let install = &v["install"];
    assert_eq!(keys(install), INSTALL_KEYS);
    assert!(install["install"].as_str().unwrap().starts_with("inst_"));
    assert_eq!(install["app"], "com.example.appdeck-sample");
    assert_eq!(install["account"], "local");
    assert_eq!(
        install["stripe_user_id"],
        env.info()["accounts"][0]["account"]
    );
    assert_eq!(install["livemode"], false);
    assert_eq!(install["status"], "active");
    let expires = install["access_expires_at"].as_str().unwrap();
    assert!(
        expires.len() >= 20 && expires.as_bytes()[10] == b'T',
        "RFC 3339: {expires}"
    );
    let kinds: Vec<&str> = v["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    for k in [
        "listening",
        "authorize-url",
        "callback",
        "token-request",
        "token-response",
        "recorded",
    ] {
        assert!(kinds.contains(&k), "step {k} in {kinds:?}");
    }

    let out = env.appdeck(["tokens", "list", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let list = json(&stdout_of(&out));
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(keys(&list[0]), INSTALL_KEYS, "exactly the documented keys");
    assert_eq!(
        &list[0], install,
        "the same install as `install run --json` printed"
    );

    let handle = install["install"].as_str().unwrap();
    let table = stdout_of(&env.appdeck(["tokens", "list"]).output().unwrap());
    assert!(
        table.contains(handle) && table.contains("sk_test_…") && table.contains("rt_…"),
        "masked hints: {table}"
    );

    let out = env
        .appdeck(["--session-secrets", "tokens", "forget", handle])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let out = env.appdeck(["tokens", "list", "--json"]).output().unwrap();
    assert_eq!(stdout_of(&out).trim(), "[]");
    let out = env
        .appdeck(["--session-secrets", "tokens", "forget", handle])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr_of(&out).contains("error[install-not-found]: "));
}

#[test]
fn run_shows_each_step_on_stderr_without_json() {
    let mut env = Env::new();
    env.serve();
    let mut flow = run_install(&env, &["--session-secrets"]);
    let url = flow.open_url();
    consent_and_follow(&url);
    let (status, out, err) = flow.finish(Duration::from_secs(20));
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(
        out.starts_with("Installed com.example.appdeck-sample on acct_"),
        "{out}"
    );
    let steps: Vec<&str> = err.lines().filter(|l| l.starts_with('[')).collect();
    assert!(steps.len() >= 6, "one line per step: {err}");
    assert!(
        steps
            .iter()
            .any(|l| l.contains("appdeck → stripe") && l.contains("token-request")),
        "{err}"
    );
}

#[test]
fn run_times_out_with_exit_3() {
    let mut env = Env::new();
    env.serve();
    let mut cmd = env.std_command([
        "install",
        "run",
        "--no-browser",
        "--timeout",
        "1",
        "--json",
        "--session-secrets",
    ]);
    cmd.arg("--manifest").arg(env.manifest());
    let mut flow = Flow::spawn(cmd);
    flow.open_url();
    let (status, out, err) = flow.finish(Duration::from_secs(20));
    assert_eq!(status.code(), Some(3), "{err}");
    assert!(err.contains("error[oauth-timeout]: "), "{err}");
    assert!(
        err.contains("allowed_redirect_uris"),
        "the timeout names the likely cause: {err}"
    );
    let v = json(&out);
    assert_eq!(keys(&v), ["error", "timeline"]);
    assert_eq!(v["error"]["code"], "oauth-timeout");
    assert_eq!(
        env.appdeck(["tokens", "list", "--json"])
            .output()
            .unwrap()
            .stdout,
        b"[]\n"
    );
}

#[test]
fn ctrl_c_cancels_the_flow_with_exit_3() {
    let mut env = Env::new();
    env.serve();
    let mut flow = run_install(&env, &["--session-secrets"]);
    flow.open_url();
    signal(&flow.child, "INT");
    let (status, _, err) = flow.finish(Duration::from_secs(20));
    assert_eq!(status.code(), Some(3), "{err}");
    assert!(err.contains("error[oauth-cancelled]: "), "{err}");
}

#[test]
fn a_non_loopback_redirect_uri_takes_the_pasted_url() {
    let mut env = Env::new();
    env.serve();
    let backend = "https://invoicepilot.example.com/stripe/oauth/callback";
    let mut flow = run_install(
        &env,
        &["--json", "--session-secrets", "--redirect-uri", backend],
    );
    let url = flow.open_url();
    let (status, landed, _) = get(&url);
    assert_eq!(status, 302);
    let landed = landed.unwrap();
    assert!(landed.starts_with(backend), "{landed}");
    writeln!(flow.child.stdin.as_mut().unwrap(), "{landed}").unwrap();
    let (status, out, err) = flow.finish(Duration::from_secs(20));
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(err.contains("paste the URL"), "{err}");
    assert_eq!(json(&out)["install"]["status"], "active");
}

#[test]
fn with_the_secret_service_tokens_live_in_the_keychain_refresh_and_forget() {
    if !keyring_or_skip("install/keychain") {
        return;
    }
    let mut env = Env::new();
    env.serve();
    let mut flow = run_install(&env, &["--json"]);
    let url = flow.open_url();
    consent_and_follow(&url);
    let (status, out, err) = flow.finish(Duration::from_secs(20));
    assert_eq!(status.code(), Some(0), "{err}");
    let handle = json(&out)["install"]["install"]
        .as_str()
        .unwrap()
        .to_string();

    let user = format!("refresh-token:local:{handle}");
    let refresh =
        secret_tool_lookup(&env.service, &user).expect("secret-tool reads the refresh token");
    assert!(refresh.starts_with("rt_"), "{refresh}");
    let access = secret_tool_lookup(&env.service, &format!("access-token:local:{handle}")).unwrap();
    env.assert_no_file_holds(&refresh);
    env.assert_no_file_holds(&access);
    assert!(
        !out.contains(&refresh) && !out.contains(&access) && !err.contains(&refresh),
        "the install's output and timeline show tokens masked only"
    );

    let out = env
        .appdeck(["tokens", "refresh", &handle])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let rotated = secret_tool_lookup(&env.service, &user).unwrap();
    assert_ne!(
        rotated, refresh,
        "the refresh token rotated and the new one is stored"
    );
    assert!(!stdout_of(&out).contains(&rotated), "never printed whole");
    env.assert_no_file_holds(&rotated);

    let out = env.appdeck(["tokens", "forget", &handle]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_eq!(
        secret_tool_lookup(&env.service, &user),
        None,
        "forget deletes its entries"
    );
    let out = env
        .appdeck(["tokens", "refresh", &handle])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}
