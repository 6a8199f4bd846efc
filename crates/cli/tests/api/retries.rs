//! `appdeck api …` against the sandbox with faults injected (429, 500, delays,
//! dropped connections): what is retried, what is not, how each attempt is
//! reported, the error when retries run out, and that the next call works.
//!
//! A small recording proxy sits between the CLI and the sandbox
//! (`APPDECK_SANDBOX_URL` points at it): the sandbox's request log holds no
//! header by design, and the proxy is how the test sees the `Idempotency-Key`
//! of every attempt, including the ones a fault answered.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

use crate::support::*;

/// One request the proxy forwarded: method, path, `Idempotency-Key`.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    key: Option<String>,
}

struct Proxy {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Proxy {
    /// Forwards to `upstream` one request per connection (it answers with
    /// `Connection: close`), rewriting the upstream's URL in bodies (the
    /// sandbox's `/info` names its own base URL). A request the upstream
    /// drops is dropped here too.
    fn start(upstream: &str) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (up, me, log) = (upstream.to_string(), url.clone(), seen.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let (up, me, log) = (up.clone(), me.clone(), log.clone());
                std::thread::spawn(move || serve_one(conn, &up, &me, &log));
            }
        });
        Proxy { url, seen }
    }

    fn seen(&self, method: &str, path: &str) -> Vec<Seen> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.method == method && s.path == path)
            .cloned()
            .collect()
    }
}

fn serve_one(conn: TcpStream, upstream: &str, me: &str, log: &Mutex<Vec<Seen>>) {
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let target = parts.next().unwrap_or("").to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).unwrap();
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let get = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let len: usize = get("content-length")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body).unwrap();
    log.lock().unwrap().push(Seen {
        method: method.clone(),
        path: target.split('?').next().unwrap().to_string(),
        key: get("idempotency-key"),
    });
    let answer = rt().block_on(async {
        let mut rb = http().request(method.parse().unwrap(), format!("{upstream}{target}"));
        for (k, v) in &headers {
            if !["host", "connection", "content-length"].contains(&k.to_ascii_lowercase().as_str())
            {
                rb = rb.header(k, v);
            }
        }
        let r = rb.body(body).send().await.ok()?;
        let status = r.status().as_u16();
        let kept: Vec<(String, String)> = r
            .headers()
            .iter()
            .filter(|(k, _)| {
                [
                    "content-type",
                    "request-id",
                    "retry-after",
                    "stripe-should-retry",
                    "idempotent-replayed",
                ]
                .contains(&k.as_str())
            })
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_string()))
            .collect();
        let text = r.text().await.ok()?;
        Some((status, kept, text.replace(upstream, me)))
    });
    let Some((status, kept, text)) = answer else {
        return; // dropped upstream: drop here too
    };
    let mut out = conn;
    let mut head = format!("HTTP/1.1 {status} X\r\n");
    for (k, v) in kept {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        text.len()
    ));
    let _ = out.write_all(head.as_bytes());
    let _ = out.write_all(text.as_bytes());
}

fn fault(base: &str, route: &str, count: u32, kind: Value) {
    let mut body = json!({"route": route, "count": count});
    body.as_object_mut()
        .unwrap()
        .extend(kind.as_object().unwrap().clone());
    control(base, "/faults", body);
}

/// Answers the next `count` requests to `route` with `status`.
fn fault_status(base: &str, route: &str, count: u32, status: u16) {
    fault(
        base,
        route,
        count,
        json!({"type": "status", "status": status}),
    );
}

/// A sandbox served, and a proxy in front of it: (env, sandbox URL, proxy).
fn served_behind_proxy() -> (Env, String, Proxy) {
    let mut env = Env::new();
    env.serve();
    let base = env.base_url();
    let proxy = Proxy::start(&base);
    (env, base, proxy)
}

/// `appdeck api ARGS…` through `proxy`.
fn via(env: &Env, proxy: &Proxy, args: &[&str]) -> (i32, String, String) {
    let out = env
        .appdeck(args)
        .env("APPDECK_SANDBOX_URL", &proxy.url)
        .env_remove("APPDECK_MAX_RETRIES")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        stdout_of(&out),
        stderr_of(&out),
    )
}

/// How many customers the developer account has (paged by hand).
fn customer_count(base: &str) -> usize {
    super::customer_ids_by_hand(base, &developer_key(base)).len()
}

/// The `{"attempts":[…]}` line `--json` prints on stderr when a call was retried.
fn attempts_line(err: &str) -> Vec<Value> {
    let line = err
        .lines()
        .find(|l| l.starts_with("{\"attempts\""))
        .unwrap_or_else(|| panic!("an attempts line on stderr: {err}"));
    json(line)["attempts"].as_array().unwrap().clone()
}

#[test]
fn a_post_after_429s_is_retried_with_the_same_idempotency_key_and_creates_one_object() {
    let (env, base, proxy) = served_behind_proxy();
    let before = customer_count(&base);
    fault_status(&base, "POST /v1/customers", 2, 429);

    let (code, out, err) = via(
        &env,
        &proxy,
        &["api", "post", "/v1/customers", "-d", "name=Retry", "--json"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(json(&out)["id"].as_str().unwrap().starts_with("cus_"));
    let attempts = attempts_line(&err);
    let statuses: Vec<Value> = attempts.iter().map(|a| a["status"].clone()).collect();
    assert_eq!(statuses, [json!(429), json!(429), json!(200)], "{err}");
    assert_eq!(attempts[0]["waited_ms"], 0);
    assert!(
        attempts[1]["waited_ms"].as_u64().unwrap() >= 500
            && attempts[2]["waited_ms"].as_u64().unwrap() >= 500,
        "backoff of at least the base delay: {err}"
    );

    let posts = proxy.seen("POST", "/v1/customers");
    assert_eq!(
        posts.len(),
        3,
        "three attempts reached the sandbox: {posts:?}"
    );
    let key = posts[0]
        .key
        .clone()
        .expect("the console adds a key to a POST");
    assert!(
        posts.iter().all(|p| p.key.as_deref() == Some(key.as_str())),
        "every attempt carries the same key: {posts:?}"
    );
    assert_eq!(customer_count(&base), before + 1, "exactly one customer");

    let log = control_get(&base, "/requests?limit=10");
    let codes: Vec<u64> = log["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["method"] == "POST" && e["path"] == "/v1/customers")
        .map(|e| e["status"].as_u64().unwrap())
        .collect();
    assert_eq!(codes, [429, 429, 200], "the sandbox's own log agrees");

    // Human output: a note, not the JSON line.
    fault_status(&base, "POST /v1/customers", 1, 429);
    let (code, _, err) = via(
        &env,
        &proxy,
        &["api", "post", "/v1/customers", "-d", "name=Note"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("note: retried 1× after 429 (waited "),
        "a human note on stderr: {err}"
    );
}

#[test]
fn a_get_is_retried_after_a_500_and_after_a_dropped_connection_and_a_delay_is_just_waited() {
    let (env, base, proxy) = served_behind_proxy();

    fault_status(&base, "GET /v1/customers", 1, 500);
    let (code, out, err) = via(&env, &proxy, &["api", "get", "/v1/customers", "--json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)["object"], "list");
    let a = attempts_line(&err);
    assert_eq!(
        (a[0]["status"].clone(), a[1]["status"].clone()),
        (json!(500), json!(200))
    );

    fault(&base, "GET /v1/customers", 1, json!({"type": "drop"}));
    let (code, out, err) = via(&env, &proxy, &["api", "get", "/v1/customers"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)["object"], "list");
    assert!(err.contains("retried 1× after no answer"), "{err}");

    fault(
        &base,
        "GET /v1/customers",
        1,
        json!({"type": "delay", "ms": 400}),
    );
    let started = std::time::Instant::now();
    let (code, _, err) = via(&env, &proxy, &["api", "get", "/v1/customers", "--json"]);
    assert_eq!(code, 0, "{err}");
    assert!(started.elapsed().as_millis() >= 400);
    assert!(
        !err.contains("attempts"),
        "a slow answer is not retried: {err}"
    );
}

#[test]
fn a_post_without_a_key_is_not_retried_after_a_500() {
    let (env, base, proxy) = served_behind_proxy();
    let before = customer_count(&base);
    fault_status(&base, "POST /v1/customers", 1, 500);
    // An empty key is the opt-out of the automatic one.
    let (code, out, err) = via(
        &env,
        &proxy,
        &[
            "api",
            "post",
            "/v1/customers",
            "-d",
            "name=Once",
            "--idempotency-key=",
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert_eq!(json(&out)["error"]["type"], "api_error");
    assert!(!err.contains("retried"), "{err}");
    let posts = proxy.seen("POST", "/v1/customers");
    assert_eq!(posts.len(), 1, "one attempt: {posts:?}");
    assert_eq!(posts[0].key, None, "no key was sent");
    assert_eq!(customer_count(&base), before);
}

#[test]
fn when_retries_run_out_the_error_says_what_where_and_what_to_do_and_the_next_call_works() {
    let (env, base, proxy) = served_behind_proxy();

    fault_status(&base, "GET /v1/customers", 10, 503);
    let (code, out, err) = via(&env, &proxy, &["api", "get", "/v1/customers", "--json"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        json(&out)["error"]["type"],
        "api_error",
        "the last answer is printed"
    );
    assert_eq!(
        attempts_line(&err).len(),
        3,
        "1 + the default 2 retries: {err}"
    );
    control_delete(&base, "/faults");

    fault(&base, "GET /v1/customers", 10, json!({"type": "drop"}));
    let (code, out, err) = via(
        &env,
        &proxy,
        &["api", "get", "/v1/customers", "--max-retries", "1"],
    );
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty(), "no answer, no body: {out}");
    assert!(
        err.starts_with("error[network]: GET ")
            && err.contains("/v1/customers got no answer")
            && err.contains("(2 attempts, ")
            && err.contains("check that the server is up"),
        "what, where, what to do: {err}"
    );
    assert_eq!(proxy.seen("GET", "/v1/customers").len(), 5);

    let (code, _, err) = via(
        &env,
        &proxy,
        &["api", "get", "/v1/customers", "--max-retries", "0"],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("(1 attempt)") && err.contains("retries are off"),
        "{err}"
    );

    control_delete(&base, "/faults");
    let (code, out, err) = via(&env, &proxy, &["api", "get", "/v1/customers"]);
    assert_eq!(code, 0, "the app stays usable: {err}");
    assert_eq!(json(&out)["object"], "list");
    assert!(err.is_empty(), "no retry note: {err}");
}

#[test]
fn appdeck_max_retries_is_read_at_the_edge_and_an_invalid_value_is_a_usage_error() {
    let (env, base, proxy) = served_behind_proxy();

    fault_status(&base, "GET /v1/customers", 10, 503);
    let out = env
        .appdeck(["api", "get", "/v1/customers", "--json"])
        .env("APPDECK_SANDBOX_URL", &proxy.url)
        .env("APPDECK_MAX_RETRIES", "0")
        .output()
        .unwrap();
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        !err.contains("{\"attempts\""),
        "APPDECK_MAX_RETRIES=0 reaches the console: one attempt, no retry line: {err}"
    );
    assert_eq!(proxy.seen("GET", "/v1/customers").len(), 1);
    control_delete(&base, "/faults");

    for args in [&["api", "get", "/v1/customers"][..], &["accounts", "list"]] {
        let out = env
            .appdeck(args)
            .env("APPDECK_SANDBOX_URL", &proxy.url)
            .env("APPDECK_MAX_RETRIES", "three")
            .output()
            .unwrap();
        let err = stderr_of(&out);
        assert_eq!(out.status.code(), Some(2), "a usage error: {err}");
        assert!(
            err.starts_with(
                "error[usage]: APPDECK_MAX_RETRIES=\"three\" is not a number of retries"
            ),
            "says which variable and why, instead of ignoring it: {err}"
        );
        assert!(stdout_of(&out).is_empty(), "nothing ran");
    }
    assert_eq!(
        proxy.seen("GET", "/v1/customers").len(),
        1,
        "no call was sent with an invalid setting"
    );
}
