//! Integration tests for `appdeck accounts list|add|remove|use` against the
//! local sandbox, with the session-only store and with the real Secret Service.

#[path = "../support/sandbox.rs"]
mod support;

use support::*;

fn install_key(env: &Env) -> String {
    env.info()["accounts"][0]["secret_key"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn add_checks_the_key_list_shows_no_secret_use_and_remove() {
    let mut env = Env::new();
    env.serve();
    let key = install_key(&env);
    let base = env.base_url();

    let out = env
        .appdeck([
            "--session-secrets",
            "accounts",
            "add",
            "qa",
            "--key-stdin",
            "--api-base",
            &base,
        ])
        .write_stdin(format!("{key}\n"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let said = stdout_of(&out);
    assert!(
        said.starts_with("Added account \"qa\" (acct_"),
        "checked with GET /v1/account: {said}"
    );
    assert!(
        stderr_of(&out).contains("in memory for this process only"),
        "the session store says so"
    );
    assert!(!said.contains(&key), "the key is never printed");

    let out = env
        .appdeck(["accounts", "list", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let listed = stdout_of(&out);
    assert!(
        !listed.contains(&key) && !listed.contains("sk_test_"),
        "no secret in list --json: {listed}"
    );
    let v = json(&listed);
    assert_eq!(keys(&v), ["current", "accounts"]);
    let names: Vec<&str> = v["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["local", "qa"]);
    let qa = &v["accounts"][1];
    assert_eq!(
        (qa["mode"].as_str(), qa["credential"].as_str()),
        (Some("test"), Some("secret-key"))
    );
    assert_eq!(qa["api_base"], base.as_str());
    env.assert_no_file_holds(&key);

    let table = stdout_of(&env.appdeck(["accounts", "list"]).output().unwrap());
    assert!(!table.contains(&key), "no secret in the table");

    let out = env.appdeck(["accounts", "use", "local"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        json(&stdout_of(
            &env.appdeck(["accounts", "list", "--json"])
                .output()
                .unwrap()
        ))["current"],
        "local"
    );
    let out = env.appdeck(["accounts", "use", "nobody"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr_of(&out).starts_with("error[account-not-found]: "));

    let out = env
        .appdeck(["--session-secrets", "accounts", "remove", "qa"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let out = env
        .appdeck(["accounts", "remove", "local"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "the sandbox's account can't be removed"
    );
    assert_eq!(
        json(&stdout_of(
            &env.appdeck(["accounts", "list", "--json"])
                .output()
                .unwrap()
        ))["accounts"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn a_rejected_key_a_missing_key_and_a_live_key() {
    let mut env = Env::new();
    env.serve();
    let base = env.base_url();
    let out = env
        .appdeck([
            "--session-secrets",
            "accounts",
            "add",
            "bad",
            "--key-stdin",
            "--api-base",
            &base,
        ])
        .write_stdin("sk_test_000000000000000000000000\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_of(&out).contains("error[key-rejected]: "),
        "{}",
        stderr_of(&out)
    );

    let out = env
        .appdeck([
            "--session-secrets",
            "accounts",
            "add",
            "empty",
            "--key-stdin",
        ])
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "no key on stdin is a usage error"
    );
    let out = env.appdeck(["accounts", "add", "argv"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "--key-stdin is required: keys never come from argv"
    );

    let out = env
        .appdeck([
            "--session-secrets",
            "accounts",
            "add",
            "prod",
            "--key-stdin",
            "--skip-check",
        ])
        .write_stdin("sk_live_fake_cli_test_key_0001\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("LIVE key"),
        "flagged loudly: {}",
        stderr_of(&out)
    );
    let table = stdout_of(&env.appdeck(["accounts", "list"]).output().unwrap());
    let prod = table.lines().find(|l| l.contains(" prod ")).unwrap();
    assert!(prod.contains("LIVE"), "{table}");
}

#[test]
fn without_a_keychain_the_failure_is_coded_and_nothing_falls_back() {
    let mut env = Env::new();
    env.serve();
    let key = install_key(&env);
    let out = env
        .appdeck(["accounts", "add", "qa", "--key-stdin", "--skip-check"])
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/appdeck-test-bus",
        )
        .write_stdin(format!("{key}\n"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(err.starts_with("error[keychain-unavailable]: "), "{err}");
    assert!(
        err.contains("--session-secrets"),
        "says how to choose memory: {err}"
    );
    env.assert_no_file_holds(&key);
    let v = json(&stdout_of(
        &env.appdeck(["accounts", "list", "--json"])
            .output()
            .unwrap(),
    ));
    assert_eq!(
        v["accounts"].as_array().unwrap().len(),
        1,
        "no profile without its key"
    );

    let out = env
        .appdeck(["accounts", "list"])
        .env("APPDECK_SECRET_STORE", "plaintext")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unknown store is a usage error"
    );
}

#[test]
fn with_the_secret_service_the_key_is_in_the_keychain_and_nowhere_on_disk() {
    if !keyring_or_skip("accounts/keychain") {
        return;
    }
    let mut env = Env::new();
    env.serve();
    let key = install_key(&env);
    let base = env.base_url();
    let out = env
        .appdeck(["accounts", "add", "qa", "--key-stdin", "--api-base", &base])
        .write_stdin(format!("{key}\n"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(stdout_of(&out).contains("OS keychain"));
    assert_eq!(
        secret_tool_lookup(&env.service, "secret-key:test:qa").as_deref(),
        Some(key.as_str()),
        "readable with secret-tool under the test's service"
    );
    env.assert_no_file_holds(&key);

    let out = env.appdeck(["accounts", "remove", "qa"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_eq!(
        secret_tool_lookup(&env.service, "secret-key:test:qa"),
        None,
        "its entry is deleted"
    );
}
