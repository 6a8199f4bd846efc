//! One command: `qa run` with no sandbox running starts one in-process for
//! the run, says so on its first line (`--json`: `embedded_sandbox`), passes,
//! writes nothing into the config dir and leaves nothing listening;
//! `--sandbox URL` still picks a running one, `--embedded` starts one anyway,
//! and the flags that can't go together are usage errors. No
//! `--session-secrets` here: a run on its own sandbox keeps its tokens in
//! memory whatever the secret store, so it needs no keychain.

use std::net::TcpStream;
use std::time::Duration;

use super::flow;
use super::support::*;

fn run(env: &Env, args: &[&str]) -> std::process::Output {
    let reports = env.path().join("reports");
    let mut all = vec!["qa", "run"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--report-dir", reports.to_str().unwrap()]);
    env.appdeck(all)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap()
}

/// The port of `qa: started the embedded sandbox at http://127.0.0.1:PORT …`.
fn announced(first_line: &str) -> u16 {
    let rest = first_line
        .strip_prefix("qa: started the embedded sandbox at http://127.0.0.1:")
        .unwrap_or_else(|| panic!("the first line announces the sandbox: {first_line:?}"));
    let (port, tail) = rest.split_once(' ').unwrap();
    assert_eq!(
        tail, "for this run (app com.example.appdeck-sample)",
        "{first_line}"
    );
    port.parse().unwrap()
}

#[test]
fn with_no_sandbox_running_a_run_starts_its_own_and_leaves_nothing_behind() {
    let env = Env::new();
    let out = run(
        &env,
        &[
            flow("install-smoke.yaml").to_str().unwrap(),
            "--accounts",
            "install-1,install-2",
            "--json",
        ],
    );
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "{err}\n{}", stdout_of(&out));
    let port = announced(err.lines().next().unwrap_or_default());
    let summary = json(&stdout_of(&out));
    assert_eq!(summary["passed"], true);
    assert_eq!(summary["totals"]["passed"], 10, "5 steps × 2 accounts");
    assert_eq!(
        summary["embedded_sandbox"]["base_url"],
        format!("http://127.0.0.1:{port}").as_str()
    );
    assert_eq!(
        summary["embedded_sandbox"]["app"],
        "com.example.appdeck-sample"
    );
    assert!(
        TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_secs(1)).is_err(),
        "nothing listens on the run's sandbox port once it ended"
    );
    assert!(
        env.config_files().is_empty(),
        "the run wrote nothing into the config dir: {:?}",
        env.config_files()
            .iter()
            .map(|(p, _)| p.clone())
            .collect::<Vec<_>>()
    );
    let md = std::fs::read_to_string(summary["report"]["markdown"].as_str().unwrap()).unwrap();
    assert!(
        md.contains("ran against a sandbox started for this run"),
        "{md}"
    );

    // The example flow with captures passes through the same one command.
    let out = run(&env, &[flow("customer-roundtrip.yaml").to_str().unwrap()]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "{err}\n{}", stdout_of(&out));
    announced(err.lines().next().unwrap_or_default());
    assert!(
        stdout_of(&out).starts_with("PASSED customer roundtrip: 4 of 4 steps passed"),
        "{}",
        stdout_of(&out)
    );
}

#[test]
fn a_running_sandbox_is_used_unless_embedded_is_asked_for() {
    let mut env = Env::new();
    env.serve();
    let base = env.base_url();
    let smoke = flow("install-smoke.yaml");
    // --sandbox is global: it may follow the verb.
    let out = run(
        &env,
        &[
            smoke.to_str().unwrap(),
            "--sandbox",
            &base,
            "--session-secrets",
            "--json",
        ],
    );
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("embedded sandbox"), "{err}");
    let summary = json(&stdout_of(&out));
    assert!(summary["embedded_sandbox"].is_null(), "{summary}");
    assert_eq!(summary["passed"], true);

    let out = run(&env, &[smoke.to_str().unwrap(), "--embedded", "--json"]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let port = announced(err.lines().next().unwrap_or_default());
    assert_ne!(
        format!("http://127.0.0.1:{port}"),
        base,
        "--embedded starts a sandbox of its own beside the running one"
    );

    let out = run(
        &env,
        &[smoke.to_str().unwrap(), "--sandbox", &base, "--embedded"],
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "--embedded and --sandbox conflict"
    );
    assert!(stderr_of(&out).contains("error[usage]: --embedded starts a sandbox"));
    let out = run(
        &env,
        &[
            smoke.to_str().unwrap(),
            "--embedded",
            "--accounts",
            "acct_1Real2Xyz",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "an acct_ id is not local");
    assert!(
        stderr_of(&out).contains("accounts install-N"),
        "{}",
        stderr_of(&out)
    );
}
