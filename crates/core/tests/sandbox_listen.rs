//! `local::listen` against the embedded sandbox on 127.0.0.1:0: the temporary
//! endpoint is created, a change is delivered to the forward URL signed with
//! the secret handed over once, each attempt is reported, and the endpoint is
//! deleted when the listening ends; a non-loopback URL is refused.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use appdeck_core::context::{Context, LocalSandbox};
use appdeck_core::error::{Coded, ErrorCode};
use appdeck_core::keychain::MemoryStore;
use appdeck_core::local::listen::{listen, ListenError, ListenOptions, ListenReport};
use appdeck_core::signature;
use appdeck_sandbox::{Sandbox, SandboxConfig};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A receiver that answers 200 and keeps (signature header, body) of each request.
/// (Stripe-Signature, body) of each request a receiver got.
type Got = Arc<Mutex<Vec<(String, String)>>>;

async fn receiver() -> (String, Got) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let got = Arc::new(Mutex::new(Vec::new()));
    let keep = got.clone();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            let mut buf = Vec::new();
            let mut chunk = [0u8; 8192];
            loop {
                let n = s.read(&mut chunk).await.unwrap_or(0);
                if n == 0 {
                    break;
                }
                buf.extend_from_slice(&chunk[..n]);
                let text = String::from_utf8_lossy(&buf).to_string();
                if let Some(end) = text.find("\r\n\r\n") {
                    let len: usize = text[..end]
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse().unwrap_or(0))
                        })
                        .unwrap_or(0);
                    if buf.len() >= end + 4 + len {
                        let sig = text[..end]
                            .lines()
                            .find_map(|l| {
                                let (k, v) = l.split_once(':')?;
                                k.eq_ignore_ascii_case("stripe-signature")
                                    .then(|| v.trim().to_string())
                            })
                            .unwrap_or_default();
                        keep.lock()
                            .unwrap()
                            .push((sig, text[end + 4..].to_string()));
                        break;
                    }
                }
            }
            let _ = s
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok")
                .await;
        }
    });
    (url, got)
}

async fn sandbox_ctx() -> (appdeck_sandbox::RunningSandbox, Context, tempfile::TempDir) {
    let sandbox = Sandbox::start(SandboxConfig {
        rate_limit: false,
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox starts");
    let info = serde_json::to_value(sandbox.info()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ctx = Context::new(dir.path().to_path_buf(), Arc::new(MemoryStore::new()))
        .with_local(LocalSandbox::from_info_json(info).unwrap());
    (sandbox, ctx, dir)
}

/// The developer account's webhook endpoints.
async fn endpoints(http: &reqwest::Client, base: &str, key: &str) -> Vec<Value> {
    let list: Value = http
        .get(format!("{base}/v1/webhook_endpoints"))
        .basic_auth(key, Some(""))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    list["data"].as_array().cloned().unwrap_or_default()
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[tokio::test]
async fn listening_reports_signed_deliveries_and_deletes_its_endpoint() {
    let (sandbox, ctx, _dir) = sandbox_ctx().await;
    let local = ctx.local.clone().unwrap();
    let (url, got) = receiver().await;
    // Once the endpoint exists, make a change on the developer account.
    let http = ctx.http.clone();
    let (base, key) = (
        local.base_url.clone(),
        local.secret_key.secret().to_string(),
    );
    tokio::spawn(async move {
        for _ in 0..200 {
            if !endpoints(&http, &base, &key).await.is_empty() {
                http.post(format!("{base}/v1/customers"))
                    .basic_auth(&key, Some(""))
                    .form(&[("email", "listened@example.com")])
                    .send()
                    .await
                    .unwrap();
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    });
    let mut secret = None;
    let mut seen = Vec::new();
    let opts = ListenOptions {
        forward_to: url,
        events: vec!["customer.created".into()],
        connect: false,
    };
    let summary = tokio::time::timeout(
        Duration::from_secs(20),
        listen(&ctx, &opts, std::future::pending(), |r| match r {
            ListenReport::Ready(l) => {
                assert!(l.endpoint.starts_with("we_"));
                assert_eq!(l.enabled_events, ["customer.created"]);
                assert!(!format!("{l:?}").contains(l.secret.secret()), "redacted");
                secret = Some(l.secret.secret().to_string());
                true
            }
            ListenReport::Delivery(d) => {
                seen.push(d.clone());
                false
            }
        }),
    )
    .await
    .expect("a delivery within 20 s")
    .expect("listening works");
    assert_eq!((summary.attempts, summary.delivered), (1, 1));
    assert!(summary.removed, "the temporary endpoint is deleted");
    assert_eq!(seen[0].event_type, "customer.created");
    assert_eq!(seen[0].status, Some(200));
    let (header, body) = got.lock().unwrap()[0].clone();
    let secret = secret.expect("ready came first");
    assert!(secret.starts_with("whsec_"));
    signature::verify(&header, &body, &secret, 300, now()).expect("signed with the secret");
    let left = endpoints(&ctx.http, &local.base_url, local.secret_key.secret()).await;
    assert!(left.is_empty(), "nothing left behind: {left:?}");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn stopping_deletes_the_endpoint_and_refusals_say_why() {
    let (sandbox, ctx, dir) = sandbox_ctx().await;
    let (url, _) = receiver().await;
    let opts = ListenOptions {
        forward_to: url,
        events: vec![],
        connect: true,
    };
    let mut ready = false;
    let summary = listen(
        &ctx,
        &opts,
        tokio::time::sleep(Duration::from_millis(200)),
        |r| {
            if let ListenReport::Ready(l) = r {
                assert_eq!(l.enabled_events, ["*"], "every event by default");
                ready = true;
            }
            true
        },
    )
    .await
    .unwrap();
    assert!(ready && summary.removed && summary.attempts == 0);

    let far = ListenOptions {
        forward_to: "https://example.com/hook".into(),
        events: vec![],
        connect: false,
    };
    let e = listen(&ctx, &far, std::future::pending(), |_| true)
        .await
        .unwrap_err();
    assert!(
        matches!(&e, ListenError::Refused(m) if m.contains("loopback")),
        "{e}"
    );
    assert_eq!(e.code(), ErrorCode::InvalidInput);
    let unknown = ListenOptions {
        events: vec!["customer.craeted".into()],
        ..opts.clone()
    };
    let e = listen(&ctx, &unknown, std::future::pending(), |_| true)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("enabled_events[0]"), "{e}");
    let bare = Context::new(dir.path().to_path_buf(), Arc::new(MemoryStore::new()));
    let e = listen(&bare, &opts, std::future::pending(), |_| true)
        .await
        .unwrap_err();
    assert_eq!(e, ListenError::NoSandbox);
    sandbox.shutdown().await;
}
