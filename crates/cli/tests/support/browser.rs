//! The "browser" and control-API helpers of the CLI tests that talk to a
//! sandbox over HTTP: requests that never follow redirects on their own (so a
//! test sees each 302 the way a browser gets it), and the `/_appdeck/*`
//! control API. Included by `sandbox.rs`.
//!
//! Invariant: every request goes to the loopback sandbox a test started.

use serde_json::Value;

/// A browser that does not follow redirects on its own.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// GET `url`: the status and the `Location` header, if any.
pub fn get(url: &str) -> (u16, Option<String>, String) {
    rt().block_on(async {
        let r = http().get(url).send().await.unwrap();
        let status = r.status().as_u16();
        let location = r
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_string());
        (status, location, r.text().await.unwrap_or_default())
    })
}

/// `POST {base}/_appdeck{path}` with a JSON body: the sandbox's control API.
pub fn control(base: &str, path: &str, body: Value) -> Value {
    rt().block_on(async {
        let r = http()
            .post(format!("{base}/_appdeck{path}"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{path}: {}", r.status());
        r.json().await.unwrap()
    })
}

/// `GET {base}/_appdeck{path}`.
pub fn control_get(base: &str, path: &str) -> Value {
    rt().block_on(async {
        http()
            .get(format!("{base}/_appdeck{path}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    })
}

/// `DELETE {base}/_appdeck{path}` (clears the request log, the faults).
pub fn control_delete(base: &str, path: &str) {
    rt().block_on(async {
        let r = http()
            .delete(format!("{base}/_appdeck{path}"))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{path}: {}", r.status());
    });
}

/// The sandbox's local developer account's secret key.
pub fn developer_key(base: &str) -> String {
    control_get(base, "/info")["developer"]["secret_key"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Plays the browser with auto-consent: the authorize URL redirects (302) to
/// the callback, which is then opened; returns the callback page's status.
pub fn consent_and_follow(authorize_url: &str) -> (u16, String) {
    let (status, location, body) = get(authorize_url);
    assert_eq!(status, 302, "auto-consent redirects at once: {body}");
    let (status, _, page) = get(&location.expect("a Location"));
    (status, page)
}
