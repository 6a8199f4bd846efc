//! The tests whose secrets must outlive one process (an install's tokens, a
//! stored account's key), behind `keyring_or_skip`: calls as an install, an
//! expired token refreshed mid-call, a permission error turned into a manifest
//! grant, the Secret Store, and live-mode writes refused until unlocked.

use serde_json::{json, Value};

use super::support::*;
use super::{run, sandbox_keys, with_stdin};

fn developer(base: &str) -> Value {
    control_get(base, "/accounts")["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["role"] == "developer")
        .expect("a developer account")
        .clone()
}

#[test]
fn as_an_install_calls_refresh_an_expired_token_and_name_the_permission_to_grant() {
    if !keyring_or_skip("api/install") {
        return;
    }
    let mut env = Env::new();
    env.serve();
    let base = env.base_url();
    let handle = install(&env);

    let (code, out, err) = run(&env, &["api", "get", "/v1/customers", "--install", &handle]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)["object"], "list");

    let access_ref = format!("access-token:local:{handle}");
    let before = secret_tool_lookup(&env.service, &access_ref).unwrap();
    control(&base, "/clock/advance", json!({"seconds": 7200}));
    let (code, out, err) = run(&env, &["api", "get", "/v1/customers", "--install", &handle]);
    assert_eq!(
        code, 0,
        "the sandbox answered 401 (expired), core refreshed and retried: {err}"
    );
    assert_eq!(json(&out)["object"], "list");
    let after = secret_tool_lookup(&env.service, &access_ref).unwrap();
    assert_ne!(before, after, "a new access token was stored mid-call");

    // The sample grants customer_read only: a write is flagged before it is
    // sent, refused by the API, and the permission is named.
    let post = [
        "api",
        "post",
        "/v1/customers",
        "-d",
        "name=Ada",
        "--install",
        &handle,
    ];
    let (code, out, err) = run(&env, &post);
    assert_eq!(code, 1, "{err}");
    assert_eq!(json(&out)["error"]["type"], "invalid_request_error");
    let warn = err
        .find("warning: stripe-app.json does not grant customer_write")
        .unwrap_or_else(|| panic!("pre-check warning: {err}"));
    let failed = err.find("error[invalid_request_error]: ").expect("summary");
    assert!(warn < failed, "warned before sending: {err}");
    let help =
        "help: grant it with: appdeck manifest grant permission customer_write \"<purpose>\"";
    assert_eq!(
        err.lines().last(),
        Some(help),
        "the 403 names the permission to grant: {err}"
    );

    let (code, _, err) = run(
        &env,
        &[
            "manifest",
            "grant",
            "permission",
            "customer_write",
            "Creates customers",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (_, _, err) = run(&env, &post);
    assert!(
        !err.contains("does not grant"),
        "granted in the manifest, the pre-check is quiet (the install predates it): {err}"
    );

    let refresh = secret_tool_lookup(&env.service, &format!("refresh-token:local:{handle}"));
    for secret in [Some(before), Some(after), refresh].into_iter().flatten() {
        env.assert_no_file_holds(&secret);
    }
    for key in sandbox_keys(&base) {
        env.assert_no_file_holds(&key);
    }
}

#[test]
fn secrets_set_find_list_delete_as_the_install_by_scope() {
    if !keyring_or_skip("api/secrets") {
        return;
    }
    let mut env = Env::new();
    let (code, _, err) = run(
        &env,
        &[
            "manifest",
            "grant",
            "permission",
            "secret_write",
            "Keeps the app's API token for its backend",
        ],
    );
    assert_eq!(
        code, 0,
        "the sample lacks secret_write; the copy gets it: {err}"
    );
    env.serve();
    let base = env.base_url();
    let handle = install(&env);
    let user = developer(&base)["user_id"].as_str().unwrap().to_string();
    let payload = "ghp_cli_test_payload_0123456789";
    let at = ["--install", handle.as_str()];
    let args = |verb: &[&str], extra: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = ["secrets"]
            .iter()
            .chain(verb)
            .map(|s| s.to_string())
            .collect();
        v.extend(at.iter().chain(extra).map(|s| s.to_string()));
        v
    };
    let go = |argv: Vec<String>, stdin: &str| {
        let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
        with_stdin(&env, &argv, stdin)
    };

    let (code, out, err) = go(
        args(&["set", "github", "--payload-stdin"], &[]),
        &format!("{payload}\n"),
    );
    assert_eq!(code, 0, "{err}");
    let set = json(&out);
    assert_eq!(set["object"], "apps.secret");
    assert_eq!(set["name"], "github");
    assert!(
        !err.contains("does not grant"),
        "secret_write is granted: {err}"
    );

    let (code, out, err) = go(args(&["find", "github"], &[]), "");
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        json(&out)["payload"],
        payload,
        "find expands the payload; one trailing newline dropped"
    );

    let (code, out, _) = go(
        args(
            &[
                "set",
                "session",
                "--payload-stdin",
                "--expires-at",
                "4102444800",
            ],
            &["--scope", "user", "--user", &user],
        ),
        "per-user",
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(json(&out)["expires_at"], 4102444800u64);
    let names = |out: &str| -> Vec<String> {
        json(out)["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap().to_string())
            .collect()
    };
    let (code, out, _) = go(args(&["list"], &[]), "");
    assert_eq!(code, 0);
    assert_eq!(names(&out), ["github"], "account scope only");
    let (code, out, _) = go(args(&["list"], &["--scope", "user", "--user", &user]), "");
    assert_eq!(code, 0);
    assert_eq!(names(&out), ["session"]);

    let (code, _, err) = go(args(&["list"], &["--scope", "user"]), "");
    assert_eq!(code, 2, "--scope user without --user: {err}");
    let (code, _, err) = go(args(&["set", "x", "--payload-stdin"], &[]), "");
    assert_eq!(code, 2, "an empty payload: {err}");

    let (code, out, err) = go(args(&["delete", "github"], &[]), "");
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)["deleted"], true);
    let (code, out, err) = go(args(&["find", "github"], &[]), "");
    assert_eq!(code, 1, "gone: {out}");
    assert!(
        err.starts_with("error[invalid_request_error/resource_missing]"),
        "{err}"
    );

    env.assert_no_file_holds(payload);
    let (_, history, _) = run(&env, &["api", "history", "--json"]);
    assert!(
        history.contains("\"/v1/apps/secrets\"") && history.contains("[redacted]"),
        "the set is recorded, its payload redacted: {history}"
    );
}

#[test]
fn live_writes_are_refused_with_exit_4_until_unlocked() {
    if !keyring_or_skip("api/live") {
        return;
    }
    let mut env = Env::new();
    env.serve();
    let base = env.base_url();
    let dev = developer(&base);
    let live_key = dev["live_secret_key"].as_str().unwrap();
    let add = |name: &str, key: &str| {
        with_stdin(
            &env,
            &[
                "accounts",
                "add",
                name,
                "--key-stdin",
                "--skip-check",
                "--api-base",
                &base,
            ],
            key,
        )
    };
    let (code, _, err) = add("prod", live_key);
    assert_eq!(code, 0, "{err}");
    let logged = || {
        control_get(&base, "/requests?limit=1000")["data"]
            .as_array()
            .unwrap()
            .len()
    };

    let before = logged();
    let post = [
        "api",
        "post",
        "/v1/customers",
        "-d",
        "name=Real",
        "--account",
        "prod",
    ];
    let (code, out, err) = run(&env, &post);
    assert_eq!(code, 4, "{err}");
    assert!(out.is_empty());
    assert!(err.starts_with("error[live-write-locked]: "), "{err}");
    assert!(err.contains("--unlock-live"), "says how to unlock: {err}");
    assert_eq!(logged(), before, "nothing was sent");

    let (code, _, err) = run(&env, &["api", "get", "/v1/customers", "--account", "prod"]);
    assert_eq!(
        code, 1,
        "reads are sent; the sandbox refuses live keys: {err}"
    );
    assert!(
        err.contains("LIVE"),
        "the live state is impossible to miss: {err}"
    );
    assert_eq!(logged(), before + 1);

    let mut unlocked = post.to_vec();
    unlocked.push("--unlock-live");
    let (code, out, err) = run(&env, &unlocked);
    assert!(!err.contains("live-write-locked"), "{err}");
    assert_eq!(code, 1, "sent, and the sandbox's answer decides: {err}");
    assert!(
        json(&out)["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Live mode keys"),
        "{out}"
    );
    let last = &control_get(&base, "/requests?limit=1")["data"][0];
    assert_eq!(
        (last["method"].as_str(), last["path"].as_str()),
        (Some("POST"), Some("/v1/customers")),
        "the unlocked write reached the API"
    );

    // A restricted key lacking a permission: named, without a manifest grant.
    let rk = dev["restricted_key"].as_str().unwrap();
    assert_eq!(add("ro", rk).0, 0);
    let (code, _, err) = run(
        &env,
        &[
            "api",
            "post",
            "/v1/customers",
            "-d",
            "name=x",
            "--account",
            "ro",
        ],
    );
    assert_eq!(code, 1);
    assert!(err.contains("help: this key lacks customer_write"), "{err}");
    for key in sandbox_keys(&base) {
        env.assert_no_file_holds(&key);
    }
}
