//! Integration tests for `appdeck oauth providers add|list|remove` and
//! `appdeck oauth login` against the sandbox's PKCE provider
//! (`/provider/authorize`, `/provider/token`, auto-consent).

#[path = "../support/sandbox.rs"]
mod support;

use std::time::Duration;

use support::*;

fn add_local_provider(env: &Env, name: &str, extra: &[&str]) -> std::process::Output {
    let base = env.base_url();
    env.appdeck(["--session-secrets", "oauth", "providers", "add", name])
        .args(["--authorize-url", &format!("{base}/provider/authorize")])
        .args(["--token-url", &format!("{base}/provider/token")])
        .args([
            "--client-id",
            "appdeck-test",
            "--scope",
            "read",
            "--scope",
            "write",
        ])
        .args(["--param", "audience=tests"])
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn providers_add_list_remove_without_secrets_in_the_output() {
    let mut env = Env::new();
    env.serve();
    let out = add_local_provider(&env, "local-pkce", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));

    let secret = "provider-client-secret-0123456789";
    let out = env
        .appdeck([
            "--session-secrets",
            "oauth",
            "providers",
            "add",
            "acme",
            "--client-secret-stdin",
        ])
        .args(["--authorize-url", "https://auth.example.com/authorize"])
        .args([
            "--token-url",
            "https://auth.example.com/token",
            "--client-id",
            "acme-id",
        ])
        .write_stdin(format!("{secret}\n"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));

    let out = env
        .appdeck(["oauth", "providers", "list", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let listed = stdout_of(&out);
    assert!(!listed.contains(secret), "no secret in the list");
    let v = json(&listed);
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["name"], "local-pkce");
    assert_eq!(list[0]["scopes"], serde_json::json!(["read", "write"]));
    assert_eq!(
        list[0]["params"],
        serde_json::json!([["audience", "tests"]])
    );
    assert_eq!(list[0]["has_client_secret"], false);
    assert_eq!(list[1]["has_client_secret"], true);
    env.assert_no_file_holds(secret);
    let table = stdout_of(
        &env.appdeck(["oauth", "providers", "list"])
            .output()
            .unwrap(),
    );
    assert!(
        table.contains("local-pkce") && table.contains("acme"),
        "{table}"
    );

    let out = add_local_provider(&env, "local-pkce", &[]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a second provider of that name is refused"
    );
    let out = add_local_provider(&env, "bad-param", &["--param", "novalue"]);
    assert_eq!(out.status.code(), Some(2), "--param needs KEY=VALUE");
    let out = env
        .appdeck(["--session-secrets", "oauth", "providers", "add", "plain"])
        .args([
            "--authorize-url",
            "http://auth.example.com/a",
            "--token-url",
            "https://auth.example.com/t",
        ])
        .args(["--client-id", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "http only on loopback");
    assert!(
        stderr_of(&out).contains("error[invalid-input]: "),
        "{}",
        stderr_of(&out)
    );

    let out = env
        .appdeck(["--session-secrets", "oauth", "providers", "remove", "acme"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let out = env
        .appdeck(["--session-secrets", "oauth", "providers", "remove", "acme"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr_of(&out).contains("error[provider-not-found]: "));
    let v = json(&stdout_of(
        &env.appdeck(["oauth", "providers", "list", "--json"])
            .output()
            .unwrap(),
    ));
    assert_eq!(v.as_array().unwrap().len(), 1);
}

#[test]
fn login_runs_pkce_through_the_loopback_and_shows_the_run() {
    let mut env = Env::new();
    env.serve();
    assert_eq!(
        add_local_provider(&env, "local-pkce", &[]).status.code(),
        Some(0)
    );
    let mut flow = Flow::spawn(env.std_command([
        "--session-secrets",
        "oauth",
        "login",
        "local-pkce",
        "--no-browser",
        "--json",
        "--timeout",
        "30",
    ]));
    let url = flow.open_url();
    assert!(
        url.contains("code_challenge_method=S256") && url.contains("code_challenge="),
        "{url}"
    );
    assert!(
        url.contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A"),
        "{url}"
    );
    let (status, page) = consent_and_follow(&url);
    assert_eq!(status, 200, "{page}");
    let (status, out, err) = flow.finish(Duration::from_secs(20));
    assert_eq!(status.code(), Some(0), "{err}");
    let v = json(&out);
    let pkce = &v["pkce"];
    let verifier = pkce["code_verifier"].as_str().unwrap();
    assert_eq!(verifier.len(), 43, "32 random bytes, base64url");
    assert_eq!(pkce["code_challenge_method"], "S256");
    assert!(url.contains(&format!(
        "code_challenge={}",
        pkce["code_challenge"].as_str().unwrap()
    )));
    assert!(url.contains(&format!("state={}", pkce["state"].as_str().unwrap())));
    assert_eq!(v["scopes_granted"], serde_json::json!(["read", "write"]));
    assert!(
        v["access_token_hint"].as_str().unwrap().contains('…'),
        "masked"
    );
    assert!(!v["timeline"].as_array().unwrap().is_empty());

    let v = json(&stdout_of(
        &env.appdeck(["oauth", "providers", "list", "--json"])
            .output()
            .unwrap(),
    ));
    assert!(v[0]["logged_in_at"].is_string(), "the login is recorded");
}

#[test]
fn login_to_an_unknown_provider_fails_and_a_timeout_exits_3() {
    let mut env = Env::new();
    env.serve();
    let out = env
        .appdeck([
            "--session-secrets",
            "oauth",
            "login",
            "nobody",
            "--no-browser",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr_of(&out).contains("error[provider-not-found]: "));

    assert_eq!(
        add_local_provider(&env, "local-pkce", &[]).status.code(),
        Some(0)
    );
    let mut flow = Flow::spawn(env.std_command([
        "--session-secrets",
        "oauth",
        "login",
        "local-pkce",
        "--no-browser",
        "--timeout",
        "1",
    ]));
    flow.open_url();
    let (status, _, err) = flow.finish(Duration::from_secs(20));
    assert_eq!(status.code(), Some(3), "{err}");
    assert!(err.contains("error[oauth-timeout]: "), "{err}");
}
