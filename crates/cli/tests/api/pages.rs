//! `api get --all` when things go wrong: Ctrl-C during a page keeps what was
//! fetched (exit 3), and a later page that fails is reported (exit 1) rather
//! than passed off as a complete list. Pages are slowed or failed through the
//! sandbox's fault injection (`/_appdeck/faults`); a page answered 429 is
//! retried and the progress line says so.

use std::io::{BufRead, BufReader, Read};
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::support::*;

const ROUTE: &str = "GET /v1/customers";

/// `api get /v1/customers -d limit=10 --all` as a child, stderr read by line.
fn spawn_all(env: &Env) -> (std::process::Child, BufReader<std::process::ChildStderr>) {
    let mut child = env
        .std_command(["api", "get", "/v1/customers", "-d", "limit=10", "--all"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let err = BufReader::new(child.stderr.take().unwrap());
    (child, err)
}

/// A sandbox served, with 30 more customers: (env, sandbox URL).
fn seeded() -> (Env, String) {
    let mut env = Env::new();
    env.serve();
    let base = env.base_url();
    control(&base, "/seed/customers", json!({"count": 30}));
    (env, base)
}

/// Queues a fault on [`ROUTE`] (`fault` holds the rest of its fields).
fn fault(base: &str, mut fault: Value) {
    fault["route"] = ROUTE.into();
    control(base, "/faults", fault);
}

/// Waits until the queued faults are used up: the first page has taken them.
fn first_page_taken(base: &str) {
    let started = Instant::now();
    while !control_get(base, "/faults")["data"]
        .as_array()
        .expect("the faults list")
        .is_empty()
    {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the first page never came"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits for the exit: the status, stdout, and the rest of stderr.
fn finish(
    mut child: std::process::Child,
    mut err: BufReader<std::process::ChildStderr>,
) -> (std::process::ExitStatus, String, String) {
    let status = wait_for(&mut child, Duration::from_secs(20));
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    let mut rest = String::new();
    err.read_to_string(&mut rest).unwrap();
    (status, out, rest)
}

#[test]
fn ctrl_c_during_all_prints_what_was_fetched_and_exits_3() {
    let (env, base) = seeded();
    fault(&base, json!({"count": 2, "type": "delay", "ms": 1500}));
    let (child, mut err) = spawn_all(&env);
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    assert_eq!(line, "fetched 10 objects (1 page)\n");
    signal(&child, "INT");
    let (status, out, rest) = finish(child, err);
    assert_eq!(status.code(), Some(3), "interrupted, not killed");
    let list = json(&out);
    assert_eq!(
        list["data"].as_array().unwrap().len(),
        20,
        "the page in flight finishes; nothing after it is asked for"
    );
    assert_eq!(list["has_more"], true);
    assert!(rest.contains("interrupted after 20 objects"), "{rest}");
}

#[test]
fn a_later_page_that_fails_is_reported_not_passed_off_as_complete() {
    let (env, base) = seeded();
    fault(&base, json!({"count": 1, "type": "delay", "ms": 1000}));
    let (child, err) = spawn_all(&env);
    // Once the first page has taken the delay, the next requests get 500s.
    first_page_taken(&base);
    // More 500s than the console retries (1 + 2): the page fails for good.
    fault(&base, json!({"count": 5, "type": "status", "status": 500}));
    let (status, out, text) = finish(child, err);
    assert_eq!(status.code(), Some(1), "{text}");
    let list = json(&out);
    assert_eq!(list["data"].as_array().unwrap().len(), 10, "the first page");
    assert_eq!(list["has_more"], true);
    assert!(text.contains("error[page-failed]: "), "{text}");
}

#[test]
fn a_later_page_answered_429_is_retried_and_the_progress_says_so() {
    let (env, base) = seeded();
    fault(&base, json!({"count": 1, "type": "delay", "ms": 1000}));
    let (child, err) = spawn_all(&env);
    first_page_taken(&base);
    fault(&base, json!({"count": 1, "type": "status", "status": 429}));
    let (status, out, text) = finish(child, err);
    assert_eq!(status.code(), Some(0), "{text}");
    let list = json(&out);
    assert!(
        list["data"].as_array().unwrap().len() >= 30,
        "every object (30 seeded, and the sandbox's own)"
    );
    assert_eq!(list["has_more"], false);
    assert!(
        text.contains("fetched 20 objects (2 pages); page 2 retried 1× after 429 (waited "),
        "the progress line names the retry: {text}"
    );
}
