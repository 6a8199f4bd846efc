//! An install the app's own backend completes: a small test backend listens
//! on the redirect URI, exchanges the code itself with the developer's secret
//! key (as a real app backend does, /stripe-apps/api-authentication/oauth),
//! and `install run --via-backend` confirms the install from Stripe's
//! `account.application.authorized` event without touching the code.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

use super::support::*;
use super::{at_stand_in, free_port, set_redirects, stand_in};

/// What the backend got and what its own code exchange answered.
struct Exchanged {
    query: Vec<(String, String)>,
    status: u16,
    body: Value,
}

/// Serves one callback at `path` on `port`: exchanges `code` at `api_base`
/// with `key`, answers the browser 200, reports on the channel.
fn test_backend(port: u16, api_base: String, key: String) -> mpsc::Receiver<Exchanged> {
    let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut line = String::new();
            if BufReader::new(&stream).read_line(&mut line).is_err() || line.is_empty() {
                continue; // a speculative connection that never sends
            }
            let target = line.split_whitespace().nth(1).unwrap_or("/").to_string();
            let url = reqwest::Url::parse(&format!("http://backend{target}")).unwrap();
            let query: Vec<(String, String)> = url
                .query_pairs()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            let code = query
                .iter()
                .find(|(k, _)| k == "code")
                .map(|(_, v)| v.clone());
            let (status, body) = match code {
                Some(code) => rt().block_on(async {
                    let r = http()
                        .post(format!("{api_base}/v1/oauth/token"))
                        .basic_auth(&key, Some(""))
                        .form(&[("grant_type", "authorization_code"), ("code", &code)])
                        .send()
                        .await
                        .unwrap();
                    (
                        r.status().as_u16(),
                        r.json::<Value>().await.unwrap_or(Value::Null),
                    )
                }),
                None => (0, Value::Null),
            };
            let page = "<p>Installed: the backend holds the tokens.</p>";
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{page}",
                page.len()
            );
            let _ = tx.send(Exchanged {
                query,
                status,
                body,
            });
            return;
        }
    });
    rx
}

#[test]
fn an_install_the_backend_completes_is_confirmed_by_stripes_event() {
    if !keyring_or_skip("an_install_the_backend_completes") {
        return;
    }
    let mut env = Env::new();
    let port = free_port();
    let backend_uri = format!("http://127.0.0.1:{port}/stripe/oauth/callback");
    set_redirects(&env, std::slice::from_ref(&backend_uri));
    let base = stand_in(&mut env, "dev", false);
    let exchanged = test_backend(port, base.clone(), developer_key(&base));
    // Auto-consent installs into the stand-in's first install account.
    let into = control_get(&base, "/info")["accounts"][0]["account"]
        .as_str()
        .unwrap()
        .to_string();

    let check = |into: Option<&str>| {
        let mut args = vec![
            "install",
            "check",
            "--account",
            "dev",
            "--via-backend",
            "--json",
        ];
        if let Some(i) = into {
            args.extend(["--into", i]);
        }
        env.appdeck(args).output().unwrap()
    };
    let out = check(None);
    assert_eq!(out.status.code(), Some(1), "no --into: nowhere to look");
    let target = json(&stdout_of(&out))["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["check"] == "target")
        .unwrap()
        .clone();
    assert_eq!(target["status"], "fail", "{target}");
    let out = check(Some(&into));
    assert_eq!(out.status.code(), Some(0), "{}", stdout_of(&out));
    assert_eq!(json(&stdout_of(&out))["redirect_uri"], backend_uri.as_str());

    let mut flow = Flow::spawn(env.std_command([
        "install",
        "run",
        "--account",
        "dev",
        "--via-backend",
        "--into",
        &into,
        "--no-browser",
        "--json",
        "--timeout",
        "30",
    ]));
    let link = flow.open_url();
    let (status, location, _) = get(&at_stand_in(&link, &base));
    assert_eq!(status, 302, "auto-consent");
    let landed = location.unwrap();
    assert!(landed.starts_with(&backend_uri), "{landed}");
    let (status, _, _) = get(&landed);
    assert_eq!(status, 200, "the backend answered the browser");
    let got = exchanged.recv_timeout(Duration::from_secs(10)).unwrap();
    assert_eq!(
        got.status, 200,
        "the backend's own exchange succeeds, so Appdeck never spent the code: {}",
        got.body
    );
    assert!(got.query.iter().any(|(k, _)| k == "state"));
    let installed_on = got.body["stripe_user_id"].as_str().unwrap().to_string();

    let (status, out, err) = flow.finish(Duration::from_secs(30));
    assert_eq!(status.code(), Some(0), "{err}");
    let outcome = json(&out);
    let install = &outcome["install"];
    assert_eq!(
        install["stripe_account"],
        installed_on.as_str(),
        "{outcome}"
    );
    assert_eq!(installed_on, into, "the account it was told to watch");
    assert!(install["event"].as_str().unwrap().starts_with("evt_"));
    assert_eq!(install["landed"], false);
    let kinds: Vec<&str> = outcome["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"event"), "{kinds:?}");
    assert!(
        !kinds.contains(&"token-request"),
        "Appdeck exchanged nothing: {kinds:?}"
    );
    let tokens = json(&stdout_of(
        &env.appdeck(["tokens", "list", "--json"]).output().unwrap(),
    ));
    assert_eq!(
        tokens.as_array().map(Vec::len),
        Some(0),
        "no tokens held: {tokens}"
    );
}

#[test]
fn a_backend_install_that_is_declined_ends_on_the_pasted_url() {
    if !keyring_or_skip("a_backend_install_that_is_declined") {
        return;
    }
    let mut env = Env::new();
    let backend_uri = format!("http://127.0.0.1:{}/cb", free_port());
    set_redirects(&env, std::slice::from_ref(&backend_uri));
    stand_in(&mut env, "dev", false);
    let mut flow = Flow::spawn(env.std_command([
        "install",
        "run",
        "--account",
        "dev",
        "--via-backend",
        "--into",
        "acct_notinstalledyet",
        "--no-browser",
        "--timeout",
        "30",
    ]));
    let link = flow.open_url();
    let state = reqwest::Url::parse(&link)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "state")
        .map(|(_, v)| v.to_string())
        .unwrap();
    // A typo is noted and the wait goes on; the decline then ends it.
    let pasted = format!("not a url\n{backend_uri}?error=access_denied&error_description=The+user+denied+your+request&state={state}\n");
    flow.child
        .stdin
        .as_mut()
        .unwrap()
        .write_all(pasted.as_bytes())
        .unwrap();
    let (status, _, err) = flow.finish(Duration::from_secs(15));
    assert_eq!(status.code(), Some(1), "{err}");
    assert!(err.contains("error[oauth-access-denied]"), "{err}");
}
