//! Integration tests for `appdeck api …`, `appdeck secrets …`, `appdeck sign …`
//! and `appdeck verify …` against `appdeck sandbox serve` (a child process).
//!
//! Calls as the sandbox's `local` account need no secret store; calls as an
//! install or a stored (live, restricted) account need secrets that outlive
//! one process, so those tests (`keyring.rs`) sit behind `keyring_or_skip`.

#[path = "../support/sandbox.rs"]
mod support;

mod keyring;
mod pages;
mod retries;
mod signature;

use serde_json::{json, Value};
use support::*;

/// Every key the sandbox knows (secret, restricted, publishable, live).
pub fn sandbox_keys(base: &str) -> Vec<String> {
    let accounts = control_get(base, "/accounts");
    let mut keys = Vec::new();
    for a in accounts["data"].as_array().unwrap() {
        for k in [
            "secret_key",
            "restricted_key",
            "publishable_key",
            "live_secret_key",
        ] {
            if let Some(s) = a[k].as_str() {
                keys.push(s.to_string());
            }
        }
    }
    assert!(keys.len() >= 4, "the sandbox lists its keys: {accounts}");
    keys
}

/// Runs `appdeck ARGS…`; returns (exit code, stdout, stderr).
pub fn run(env: &Env, args: &[&str]) -> (i32, String, String) {
    let out = env.appdeck(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        stdout_of(&out),
        stderr_of(&out),
    )
}

/// Runs `appdeck ARGS…` with `stdin`; returns (exit code, stdout, stderr).
pub fn with_stdin(env: &Env, args: &[&str], stdin: &str) -> (i32, String, String) {
    let out = env.appdeck(args).write_stdin(stdin).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        stdout_of(&out),
        stderr_of(&out),
    )
}

/// The developer account's customers, paged by hand with its key (limit=100),
/// independently of the CLI: the ground truth for `--all`.
fn customer_ids_by_hand(base: &str, key: &str) -> Vec<String> {
    rt().block_on(async {
        let mut ids = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let mut url = format!("{base}/v1/customers?limit=100");
            if let Some(a) = &after {
                url.push_str(&format!("&starting_after={a}"));
            }
            let v: Value = http()
                .get(url)
                .bearer_auth(key)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            for c in v["data"].as_array().unwrap() {
                ids.push(c["id"].as_str().unwrap().to_string());
            }
            if v["has_more"] != true {
                return ids;
            }
            after = ids.last().cloned();
        }
    })
}

#[test]
fn get_and_post_as_the_local_account_print_the_body_with_nesting_applied() {
    let mut env = Env::new();
    env.serve();

    let (code, out, err) = run(&env, &["api", "get", "/v1/customers", "-d", "limit=2"]);
    assert_eq!(code, 0, "{err}");
    let list = json(&out);
    assert_eq!(list["object"], "list");
    assert_eq!(list["data"].as_array().unwrap().len(), 2, "limit=2 sent");
    assert_eq!(
        out.trim_end().lines().count(),
        1,
        "off a terminal the body is printed raw, as received"
    );

    let (code, out, err) = run(
        &env,
        &[
            "api",
            "post",
            "/v1/customers",
            "-d",
            "name=Ada Lovelace",
            "-d",
            "email=ada@example.com",
            "-d",
            "metadata[plan]=pro",
            "-d",
            "metadata[seats]=5",
            "-d",
            "expand[]=invoice_settings.default_payment_method",
            "--json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let c = json(&out);
    assert!(c["id"].as_str().unwrap().starts_with("cus_"), "{c}");
    assert_eq!(c["name"], "Ada Lovelace");
    assert_eq!(c["email"], "ada@example.com");
    assert_eq!(
        c["metadata"],
        json!({"plan": "pro", "seats": "5"}),
        "bracket rows arrive nested"
    );

    let path = format!("/v1/customers/{}", c["id"].as_str().unwrap());
    let (code, out, _) = run(&env, &["api", "get", &path]);
    assert_eq!(code, 0);
    assert_eq!(
        json(&out)["metadata"]["plan"],
        "pro",
        "the object was created"
    );

    let (code, out, err) = run(&env, &["api", "delete", &path]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)["deleted"], true);
}

#[test]
fn api_errors_exit_1_with_the_body_on_stdout_and_a_summary_on_stderr() {
    let mut env = Env::new();
    env.serve();
    let (code, out, err) = run(&env, &["api", "get", "/v1/customers/cus_missing"]);
    assert_eq!(code, 1);
    assert_eq!(
        json(&out)["error"]["code"],
        "resource_missing",
        "the error body is still printed: {out}"
    );
    let first = err.lines().next().unwrap();
    assert!(
        first.starts_with("error[invalid_request_error/resource_missing]: No such customer")
            && first.contains("(Request-Id req_")
            && first.ends_with(')'),
        "one line: error[type/code]: message (Request-Id …): {err}"
    );

    for (args, why) in [
        (vec!["-d", "novalue"], "a -d without ="),
        (vec!["-d", "metadata[plan=pro"], "a row core rejects"),
        (vec!["-d", "a=1", "-d", "a[b]=2"], "a value and a container"),
    ] {
        let mut argv = vec!["api", "get", "/v1/customers"];
        argv.extend(args);
        let (code, out, err) = run(&env, &argv);
        assert_eq!(code, 2, "{why}: {err}");
        assert!(
            out.is_empty() && err.starts_with("error[usage]: "),
            "{why}: {err}"
        );
    }
    let (code, _, err) = run(&env, &["api", "get", "/v1/customers", "-d", "a[b=1"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("parameter row 1 (\"a[b\")"),
        "the form error names the row: {err}"
    );
    let (code, _, err) = run(&env, &["api", "get", "customers"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, _) = run(&env, &["api", "post", "/v1/customers", "--all"]);
    assert_eq!(code, 2, "--all is for lists (GET)");
    let (code, _, _) = run(&env, &["api", "get", "/v1/customers", "--max", "5"]);
    assert_eq!(code, 2, "--max needs --all");
    let (code, _, _) = run(
        &env,
        &[
            "api",
            "get",
            "/v1/customers",
            "--account",
            "local",
            "--install",
            "inst_1",
        ],
    );
    assert_eq!(code, 2, "--account and --install exclude each other");
}

#[test]
fn an_idempotency_key_replays_the_same_object_and_conflicts_on_other_params() {
    let mut env = Env::new();
    env.serve();
    let key = "appdeck-cli-test-idem-1";
    let post = |name: &str| {
        run(
            &env,
            &[
                "api",
                "post",
                "/v1/customers",
                "-d",
                &format!("name={name}"),
                "--idempotency-key",
                key,
            ],
        )
    };
    let (code, first, err) = post("Grace");
    assert_eq!(code, 0, "{err}");
    let (code, again, err) = post("Grace");
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        json(&first)["id"],
        json(&again)["id"],
        "the same key and parameters replay the first answer"
    );
    let (code, out, err) = post("Someone else");
    assert_eq!(code, 1, "{err}");
    assert_eq!(json(&out)["error"]["type"], "idempotency_error");
    assert!(err.starts_with("error[idempotency_error"), "{err}");
}

#[test]
fn all_follows_has_more_to_the_end_without_duplicates() {
    let mut env = Env::new();
    env.serve();
    let base = env.base_url();
    let seeded = control(&base, "/seed/customers", json!({"count": 30}));
    let seeded: Vec<String> = seeded["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(seeded.len(), 30);
    let key = env.info()["developer"]["secret_key"].as_str().unwrap();
    let truth = customer_ids_by_hand(&base, key);
    assert!(truth.len() > 25, "more than 25 customers: {}", truth.len());

    let (code, out, err) = run(
        &env,
        &["api", "get", "/v1/customers", "-d", "limit=10", "--all"],
    );
    assert_eq!(code, 0, "{err}");
    let list = json(&out);
    assert_eq!(keys(&list), ["object", "data", "has_more"]);
    assert_eq!(list["object"], "list");
    assert_eq!(list["has_more"], false, "complete");
    let ids: Vec<&str> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), truth.len(), "every customer, once");
    let unique: std::collections::HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "no duplicates across pages");
    assert_eq!(ids, truth, "in Stripe's order");
    assert!(seeded.iter().all(|s| unique.contains(s.as_str())));
    let pages = truth.len().div_ceil(10);
    assert!(
        err.contains(&format!("fetched {} objects ({pages} pages)", truth.len())),
        "progress on stderr: {err}"
    );

    let (code, out, err) = run(
        &env,
        &[
            "api",
            "get",
            "/v1/customers",
            "-d",
            "limit=10",
            "--all",
            "--max",
            "15",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let list = json(&out);
    assert_eq!(list["data"].as_array().unwrap().len(), 15);
    assert_eq!(list["has_more"], true, "stopped at --max, not the end");
}

#[test]
fn history_lists_the_calls_with_no_secret_and_curl_reads_the_key_from_a_variable() {
    let mut env = Env::new();
    env.serve();
    let base = env.base_url();
    assert_eq!(
        run(&env, &["api", "get", "/v1/customers", "-d", "limit=1"]).0,
        0
    );
    assert_eq!(
        run(
            &env,
            &["api", "post", "/v1/customers", "-d", "metadata[plan]=pro"]
        )
        .0,
        0
    );
    assert_eq!(run(&env, &["api", "get", "/v1/customers/cus_nope"]).0, 1);

    let (code, out, err) = run(&env, &["api", "history", "--json"]);
    assert_eq!(code, 0, "{err}");
    let entries = json(&out);
    let entries = entries.as_array().unwrap();
    let seen: Vec<(String, String, u64)> = entries
        .iter()
        .map(|e| {
            (
                e["request"]["method"].as_str().unwrap().to_string(),
                e["request"]["path"].as_str().unwrap().to_string(),
                e["status"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("GET".into(), "/v1/customers/cus_nope".into(), 404),
            ("POST".into(), "/v1/customers".into(), 200),
            ("GET".into(), "/v1/customers".into(), 200),
        ],
        "every call, newest first"
    );
    let (_, out, _) = run(&env, &["api", "history", "--search", "post", "--json"]);
    assert_eq!(json(&out).as_array().unwrap().len(), 1, "--search filters");
    let (code, table, _) = run(&env, &["api", "history"]);
    assert_eq!(code, 0);
    assert!(
        table.lines().count() == 4 && table.contains("metadata[plan]=pro"),
        "a header and one row per call: {table}"
    );

    for key in sandbox_keys(&base) {
        env.assert_no_file_holds(&key);
    }

    let (code, curl, err) = run(
        &env,
        &[
            "api",
            "curl",
            "post",
            "/v1/customers",
            "-d",
            "metadata[plan]=pro",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        curl.starts_with(&format!("curl '{base}/v1/customers'")),
        "the local account's base: {curl}"
    );
    assert!(curl.contains("-u \"$STRIPE_API_KEY:\""), "{curl}");
    assert!(curl.contains("-d 'metadata[plan]=pro'"), "{curl}");
    for key in sandbox_keys(&base) {
        assert!(!curl.contains(&key), "no key in the curl line");
    }
    let (_, curl, _) = run(
        &env,
        &["api", "curl", "get", "/v1/customers", "--env-var", "MY_KEY"],
    );
    assert!(curl.contains("-u \"$MY_KEY:\""), "{curl}");
    let (code, _, _) = run(
        &env,
        &[
            "api",
            "curl",
            "get",
            "/v1/customers",
            "--env-var",
            "K;rm -rf",
        ],
    );
    assert_eq!(code, 2, "a variable name that is not an identifier");
    assert_eq!(
        json(&run(&env, &["api", "history", "--json"]).1)
            .as_array()
            .unwrap()
            .len(),
        3,
        "curl sends nothing and records nothing"
    );
}
