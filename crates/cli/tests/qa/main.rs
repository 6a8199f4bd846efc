//! Integration tests for `appdeck qa run` against `appdeck sandbox serve`
//! (auto-consent, any loopback port): the example flows in `flows/` pass,
//! a deliberately failing flow writes a correct JUnit report and exits 1,
//! malformed flows are located (`file:line:column`, exit 2; a capture used
//! before it is saved too), a run with no sandbox starts its own
//! (`embedded`), the reports
//! hold no key or token, and Ctrl-C exits 3 with the report written.
//! Secrets are kept in memory (`--session-secrets`): a flow runs in one process
//! (but in `consent`, where a real account's key must outlive `accounts add`).

mod consent;
mod embedded;
mod junit;
#[path = "../support/sandbox.rs"]
mod support;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use support::*;

fn flow(name: &str) -> PathBuf {
    repo_root().join("flows").join(name)
}

fn failing_flow() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/qa/failing.yaml")
}

fn qa_run(env: &Env, flow: &Path, extra: &[&str]) -> std::process::Output {
    let reports = env.path().join("reports");
    let mut args: Vec<String> = vec![
        "--session-secrets".into(),
        "qa".into(),
        "run".into(),
        flow.display().to_string(),
        "--report-dir".into(),
        reports.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    env.appdeck(args)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap()
}

/// Every report file holds no sandbox key and no token body.
fn assert_reports_hold_no_secret(env: &Env, files: &[PathBuf]) {
    let info = env.info();
    let mut keys: Vec<String> = info["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["secret_key"].as_str().unwrap().to_string())
        .collect();
    keys.push(
        info["developer"]["secret_key"]
            .as_str()
            .unwrap()
            .to_string(),
    );
    let token = |text: &str| {
        ["sk_test_oauth_", "rt_"].iter().any(|prefix| {
            text.match_indices(prefix).any(|(i, _)| {
                let body: String = text[i + prefix.len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                body.len() >= 8
            })
        })
    };
    for f in files {
        let text = std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        for k in &keys {
            assert!(
                !text.contains(k.as_str()),
                "{} holds a sandbox key",
                f.display()
            );
        }
        assert!(!token(&text), "{} holds a token body", f.display());
    }
}

#[test]
fn the_example_flows_pass_against_the_sandbox() {
    let mut env = Env::new();
    env.serve();
    let out = qa_run(
        &env,
        &flow("install-smoke.yaml"),
        &[
            "--accounts",
            "install-1,install-2",
            "--loops",
            "2",
            "--json",
        ],
    );
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "{err}\n{}", stdout_of(&out));
    let summary = json(&stdout_of(&out));
    assert_eq!(summary["passed"], true);
    assert_eq!(
        summary["totals"]["steps"], 20,
        "5 steps × 2 loops × 2 accounts: {summary}"
    );
    assert_eq!(summary["totals"]["passed"], 20);
    assert_eq!(summary["iterations"].as_array().unwrap().len(), 4);
    assert_eq!(summary["iterations"][1]["account"], "install-2");
    assert!(
        err.contains("[loop 2] install-2") && err.contains("list customers as the install"),
        "progress names loop, account and step: {err}"
    );
    let files: Vec<PathBuf> = ["markdown", "svg", "junit"]
        .iter()
        .map(|k| PathBuf::from(summary["report"][k].as_str().unwrap()))
        .collect();
    for f in &files {
        assert!(f.is_file(), "{} was written", f.display());
    }
    let md = std::fs::read_to_string(&files[0]).unwrap();
    assert!(
        md.contains("**PASSED**") && md.contains("### install-2"),
        "{md}"
    );
    assert!(std::fs::read_to_string(&files[1])
        .unwrap()
        .starts_with("<svg"));
    assert_reports_hold_no_secret(&env, &files);

    let out = qa_run(&env, &flow("token-rotation.yaml"), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let text = stdout_of(&out);
    assert!(
        text.starts_with("PASSED token rotation: 7 of 7 steps passed"),
        "{text}"
    );
    assert!(
        text.contains("report.md") && text.contains("junit.xml"),
        "{text}"
    );
}

#[test]
fn a_failing_flow_writes_a_correct_junit_report_and_exits_1() {
    let mut env = Env::new();
    env.serve();
    let junit_path = env.path().join("ci/junit.xml");
    let out = qa_run(
        &env,
        &failing_flow(),
        &["--junit", junit_path.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert!(
        stdout_of(&out)
            .starts_with("FAILED failing on purpose: 4 of 12 steps passed, 4 failed, 4 skipped"),
        "{}",
        stdout_of(&out)
    );
    let xml = std::fs::read_to_string(&junit_path).unwrap();
    let j = junit::parse(&xml);
    assert_eq!(j.root["tests"], "12", "3 steps × 2 loops × 2 accounts");
    assert_eq!(j.root["failures"], "4");
    assert_eq!(j.root["skipped"], "4");
    assert_eq!(j.root["errors"], "0");
    let names: Vec<_> = j.suites.iter().map(|s| s["name"].as_str()).collect();
    assert_eq!(names, ["install-1", "install-2"], "a testsuite per account");
    for s in &j.suites {
        assert_eq!(
            (
                s["tests"].as_str(),
                s["failures"].as_str(),
                s["skipped"].as_str()
            ),
            ("6", "2", "2")
        );
        let counted = j.cases.iter().filter(|c| c.suite == s["name"]).count();
        assert_eq!(counted, 6, "the counts agree with the testcases");
    }
    let failed: Vec<_> = j.cases.iter().filter(|c| c.failure.is_some()).collect();
    assert_eq!(failed.len(), 4);
    assert_eq!(failed[0].name, "loop 1 · 2. expects the wrong status");
    let msg = failed[0].failure.as_deref().unwrap();
    assert!(
        msg.contains("status: expected 201, got 200")
            && msg.contains("/object: expected \"customer\", found \"list\""),
        "{msg}"
    );
    assert!(j
        .cases
        .iter()
        .filter(|c| c.skipped)
        .all(|c| c.name.ends_with("3. uninstall")));
    assert!(
        xml.contains("Response (200):"),
        "the failure carries the response"
    );

    let report_dir = env.path().join("reports");
    let md = std::fs::read_to_string(report_dir.join("report.md")).unwrap();
    assert!(
        md.contains("## Failures")
            && md.contains("### install-2 · loop 2 · step 2: expects the wrong status"),
        "{md}"
    );
    assert!(
        md.contains("Request:") && md.contains("Response (200):"),
        "{md}"
    );
    assert!(
        !report_dir.join("junit.xml").exists(),
        "--junit replaces the default place"
    );
    assert_reports_hold_no_secret(
        &env,
        &[
            junit_path,
            report_dir.join("report.md"),
            report_dir.join("timings.svg"),
        ],
    );
}

#[test]
fn malformed_flows_are_located_and_exit_2() {
    let env = Env::new();
    let cases: &[(&str, &str, &str)] = &[
        ("name: x\nloops: 2\nsteps:\n  - install\n  - instal\n", ":5:5: ", "unknown step `instal`"),
        ("name: x\nsteps:\n  - call:\n      path: /v1/customers\n      expect:\n        json:\n          - {pointer: /a, matches: '(['}\n", ":7:36: ", "not a valid regex"),
        ("name: x\nloopz: 2\nsteps: [install]\n", ":2:1: ", "unknown field `loopz`"),
        ("name: x\nsteps: [install\n", ":3:1: ", "did not find expected ',' or ']', while parsing a flow sequence"),
        ("name: x\nsteps:\n  - install\n  - call:\n      path: /v1/customers/{{customer}}\n  - call: {method: POST, path: /v1/customers, save: {customer: /id}}\n", ":5:13: ", "`{{customer}}` is used before it is saved: step 3 saves it"),
    ];
    for (i, (text, at, why)) in cases.iter().enumerate() {
        let path = env.path().join(format!("bad{i}.yaml"));
        std::fs::write(&path, text).unwrap();
        let out = env
            .appdeck(["--session-secrets", "qa", "run", path.to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "case {i}");
        let err = stderr_of(&out);
        let expected = format!("error[qa-flow-invalid]: {}{at}", path.display());
        assert!(
            err.contains(&expected) && err.contains(why),
            "case {i}: {err}"
        );
    }
    let path = env.path().join("bad0.yaml");
    let out = env
        .appdeck(["qa", "run", path.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v = json(&stdout_of(&out));
    assert_eq!(
        (
            v["error"]["code"].as_str(),
            v["line"].as_u64(),
            v["column"].as_u64()
        ),
        (Some("qa-flow-invalid"), Some(5), Some(5))
    );
    let out = env.appdeck(["qa", "run", "missing.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "an unreadable flow is exit 2");
    let out = env
        .appdeck(["qa", "run", path.to_str().unwrap(), "--loops", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "--loops 0 is a usage error");
}

#[test]
fn ctrl_c_cancels_with_exit_3_and_writes_the_report() {
    let mut env = Env::new();
    env.serve();
    let waits = env.path().join("waits.yaml");
    std::fs::write(
        &waits,
        "name: waits\nsteps:\n  - install\n  - wait_event: {type: never.happens, timeout_secs: 60}\n  - uninstall\n",
    )
    .unwrap();
    let reports = env.path().join("reports");
    let mut child = env
        .std_command([
            "--session-secrets",
            "qa",
            "run",
            waits.to_str().unwrap(),
            "--report-dir",
            reports.to_str().unwrap(),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    loop {
        line.clear();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "stderr ended before the install finished"
        );
        if line.contains("1. install (OAuth)") {
            break;
        }
    }
    std::thread::sleep(Duration::from_millis(200));
    signal(&child, "INT");
    let status = wait_for(&mut child, Duration::from_secs(20));
    assert_eq!(status.code(), Some(3), "a cancelled run exits 3");
    let md = std::fs::read_to_string(reports.join("report.md")).unwrap();
    assert!(
        md.contains("**CANCELLED**") && md.contains("cancelled"),
        "{md}"
    );
    let xml = std::fs::read_to_string(reports.join("junit.xml")).unwrap();
    let j = junit::parse(&xml);
    assert_eq!(
        j.cases.len(),
        3,
        "the report holds what ran (and what did not)"
    );
    assert!(
        j.cases[0].failure.is_none() && !j.cases[0].skipped,
        "the install passed"
    );
    assert!(j.cases[1].skipped && j.cases[2].skipped);
}

/// Without --report-dir, a run writes where the QA screen does (core's
/// `qa::files::report_dir`): a new `<UTC time>-<run>` folder under
/// `qa-reports/<flow>/` beside the manifest, so two runs never share one.
#[test]
fn reports_go_beside_the_manifest_in_a_folder_per_run_as_on_the_qa_screen() {
    let mut env = Env::new();
    env.serve();
    let run = || {
        let out = env
            .appdeck([
                "--session-secrets",
                "qa",
                "run",
                &flow("install-smoke.yaml").display().to_string(),
                "--loops",
                "1",
                "--json",
            ])
            .timeout(Duration::from_secs(120))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
        // Relative to the command's working directory: the project.
        env.path().join(
            json(&stdout_of(&out))["report"]["markdown"]
                .as_str()
                .unwrap(),
        )
    };
    let (first, second) = (run(), run());
    let parent = |p: &Path| p.parent().unwrap().parent().unwrap().to_path_buf();
    let expected = env.path().join("qa-reports").join("install-smoke");
    assert_eq!(
        parent(&first).canonicalize().unwrap(),
        expected.canonicalize().unwrap()
    );
    assert_eq!(parent(&second), parent(&first));
    assert_ne!(first.parent(), second.parent(), "each run its own folder");
    assert!(
        first.is_file() && second.is_file(),
        "the earlier report stays"
    );
}
