//! `appdeck sandbox listen`: a temporary endpoint on the running sandbox,
//! each delivery printed as it happens and forwarded signed, the secret shown
//! only with `--print-secret`, the endpoint deleted on Ctrl-C.

use std::io::{BufRead, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

use crate::support::*;

/// A receiver on 127.0.0.1:0 answering 200; (Stripe-Signature, body) of each request.
/// (Stripe-Signature, body) of each request a receiver got.
type Got = Arc<Mutex<Vec<(String, String)>>>;

fn receiver() -> (String, Got) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/webhook", listener.local_addr().unwrap());
    let got = Arc::new(Mutex::new(Vec::new()));
    let keep = got.clone();
    std::thread::spawn(move || {
        for mut s in listener.incoming().flatten() {
            let mut buf = Vec::new();
            let mut chunk = [0u8; 8192];
            while let Ok(n) = s.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                buf.extend_from_slice(&chunk[..n]);
                let text = String::from_utf8_lossy(&buf).to_string();
                let Some(end) = text.find("\r\n\r\n") else {
                    continue;
                };
                let header = |name: &str| {
                    text[..end].lines().find_map(|l| {
                        let (k, v) = l.split_once(':')?;
                        k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
                    })
                };
                let len: usize = header("content-length")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                if buf.len() >= end + 4 + len {
                    let sig = header("stripe-signature").unwrap_or_default();
                    keep.lock()
                        .unwrap()
                        .push((sig, text[end + 4..].to_string()));
                    break;
                }
            }
            let _ =
                s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
        }
    });
    (url, got)
}

fn api(env: &Env, method: reqwest::Method, path: &str, form: &[(&str, &str)]) -> Value {
    let key = env.info()["developer"]["secret_key"]
        .as_str()
        .unwrap()
        .to_string();
    let url = format!("{}{path}", env.base_url());
    rt().block_on(async {
        http()
            .request(method, url)
            .basic_auth(key, Some(""))
            .form(form)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    })
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[test]
fn listen_forwards_signed_prints_each_delivery_and_deletes_its_endpoint_on_ctrl_c() {
    let mut env = Env::new();
    env.serve();
    let (url, got) = receiver();
    let mut flow = Flow::spawn(env.std_command([
        "sandbox",
        "listen",
        "--forward-to",
        &url,
        "--events",
        "customer.created",
        "--print-secret",
        "--json",
    ]));
    let mut line = String::new();
    flow.stdout.read_line(&mut line).unwrap();
    let ready: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
    assert_eq!(ready["kind"], "ready");
    assert_eq!(ready["forward_to"], url.as_str());
    assert_eq!(
        ready["enabled_events"],
        serde_json::json!(["customer.created"])
    );
    let secret = ready["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"), "--print-secret shows it");
    let endpoint = ready["endpoint"].as_str().unwrap().to_string();

    let customer = api(
        &env,
        reqwest::Method::POST,
        "/v1/customers",
        &[("email", "forwarded@example.com")],
    );
    line.clear();
    flow.stdout.read_line(&mut line).unwrap();
    let d: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
    assert_eq!(d["kind"], "delivery");
    assert_eq!(d["event_type"], "customer.created");
    assert_eq!(d["status"], 200);
    assert_eq!(d["endpoint"], endpoint.as_str());
    assert!(d["latency_ms"].is_number() && d["at"].is_i64());

    let (header, body) = got.lock().unwrap()[0].clone();
    let sent: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(sent["data"]["object"]["id"], customer["id"]);
    assert_eq!(sent["id"], d["event"]);
    appdeck_core::signature::verify(&header, &body, &secret, 300, now())
        .expect("the printed secret verifies the forwarded delivery");

    signal(&flow.child, "INT");
    let (status, _, err) = flow.finish(Duration::from_secs(20));
    assert!(status.success(), "Ctrl-C is a clean stop: {err}");
    assert!(err.contains(&format!("{endpoint} was deleted")), "{err}");
    assert!(!err.contains(&secret), "never on stderr");
    let left = api(&env, reqwest::Method::GET, "/v1/webhook_endpoints", &[]);
    assert_eq!(
        left["data"],
        serde_json::json!([]),
        "no endpoint left behind"
    );
}

#[test]
fn text_output_keeps_the_secret_and_refusals_fail_with_their_code() {
    let mut env = Env::new();
    env.serve();
    let (url, _) = receiver();
    let mut flow = Flow::spawn(env.std_command(["sandbox", "listen", "--forward-to", &url]));
    for _ in 0..500 {
        let list = api(&env, reqwest::Method::GET, "/v1/webhook_endpoints", &[]);
        if list["data"].as_array().is_some_and(|d| !d.is_empty()) {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    api(
        &env,
        reqwest::Method::POST,
        "/v1/products",
        &[("name", "Listened")],
    );
    let mut line = String::new();
    flow.stdout.read_line(&mut line).unwrap();
    let fields: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(fields[1], "product.created", "{line}");
    assert!(fields[2].starts_with("evt_"), "{line}");
    assert_eq!(fields[3], "200", "{line}");
    assert_eq!(fields[5], "ms", "{line}");
    signal(&flow.child, "TERM");
    let (status, out, err) = flow.finish(Duration::from_secs(20));
    assert!(status.success(), "{err}");
    assert!(
        err.starts_with("Ready: forwarding every event of the developer account to "),
        "{err}"
    );
    for text in [&line, &out, &err] {
        assert!(
            !text.contains("whsec_"),
            "no secret without --print-secret: {text}"
        );
    }

    let refused = env
        .appdeck([
            "sandbox",
            "listen",
            "--forward-to",
            "https://example.com/webhook",
        ])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("error[invalid-input]") && err.contains("loopback"),
        "{err}"
    );
}
