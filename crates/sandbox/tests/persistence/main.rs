//! `--data-dir`: a restart keeps accounts, keys, apps, installs, tokens and
//! objects, in plaintext or sealed with a data key; a sealed data dir holds no
//! secret in plaintext and opens only with its key; a plaintext one is sealed
//! in place when a key is given; without a data dir, nothing survives.

#[path = "../support/mod.rs"]
mod support;

use std::path::Path;

use appdeck_sandbox::{DataKey, Sandbox, SandboxConfig};
use reqwest::{Method, StatusCode};
use support::*;

#[tokio::test]
async fn a_restart_with_the_same_data_dir_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    restart_keeps_everything(dir.path(), None).await;
}

#[tokio::test]
async fn a_sealed_data_dir_keeps_everything_and_no_secret_in_plaintext() {
    let dir = tempfile::tempdir().unwrap();
    let key = DataKey::from_hex(&DataKey::generate_hex()).unwrap();
    let secrets = restart_keeps_everything(dir.path(), Some(key)).await;
    let hits = files_containing(dir.path(), &secrets);
    assert!(hits.is_empty(), "secrets found in the data dir: {hits:?}");
    // The scan can fail: the same session without a key leaves them in the file.
    let plain = tempfile::tempdir().unwrap();
    let secrets = restart_keeps_everything(plain.path(), None).await;
    assert!(!files_containing(plain.path(), &secrets).is_empty());
}

#[tokio::test]
async fn a_sealed_data_dir_is_refused_without_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let key = DataKey::from_hex(&DataKey::generate_hex()).unwrap();
    let cfg = |key: Option<DataKey>| SandboxConfig {
        data_dir: Some(dir.path().to_path_buf()),
        data_key: key,
        ..config()
    };
    start_with(cfg(Some(key.clone()))).await.shutdown().await;
    for (given, expected) in [
        (None, "no key was given"),
        (
            Some(DataKey::from_hex(&DataKey::generate_hex()).unwrap()),
            "sealed with another key",
        ),
    ] {
        let err = match Sandbox::start(cfg(given)).await {
            Ok(_) => panic!("a sealed data dir opened without its key"),
            Err(e) => e,
        };
        let appdeck_sandbox::SandboxError::Store(store) = &err else {
            panic!("not a storage error: {err}");
        };
        assert!(store.is_key_problem(), "{store}");
        assert!(err.to_string().contains(expected), "{err}");
        assert!(err.to_string().contains("move the folder away"), "{err}");
    }
    // Refusing changed nothing: the right key still opens it.
    start_with(cfg(Some(key))).await.shutdown().await;
}

/// What both faces do at start-up: data sealed with a key that is gone is
/// moved aside (never deleted) and a fresh sandbox starts in its place.
#[tokio::test]
async fn unreadable_data_is_moved_aside_never_deleted() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("data");
    let cfg = |key: DataKey| SandboxConfig {
        data_dir: Some(dir.clone()),
        data_key: Some(key),
        ..config()
    };
    let old = DataKey::from_hex(&DataKey::generate_hex()).unwrap();
    start_with(cfg(old.clone())).await.shutdown().await;
    let other = DataKey::from_hex(&DataKey::generate_hex()).unwrap();
    let started = appdeck_sandbox::start_keeping_data(cfg(other.clone()), 42)
        .await
        .expect("starts fresh");
    let moved = started.moved_aside.clone().expect("the old data was moved");
    assert_eq!(moved.to, parent.path().join("data.unreadable-42"));
    assert!(moved.to_string().contains("data.unreadable-42"), "{moved}");
    started.running.shutdown().await;
    // The old data is intact under its new name: its key still opens it.
    let again = SandboxConfig {
        data_dir: Some(moved.to.clone()),
        data_key: Some(old),
        ..config()
    };
    start_with(again).await.shutdown().await;
    // A readable dir starts as it is, with nothing moved.
    let kept = appdeck_sandbox::start_keeping_data(cfg(other), 43)
        .await
        .unwrap();
    assert!(kept.moved_aside.is_none());
    kept.running.shutdown().await;
}

#[tokio::test]
async fn a_plaintext_data_dir_is_sealed_when_a_key_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let plain = SandboxConfig {
        data_dir: Some(dir.path().to_path_buf()),
        ..config()
    };
    let sb = start_with(plain).await;
    let info = sb.info.clone();
    let secret = sb.key(0);
    sb.shutdown().await;
    assert!(!files_containing(dir.path(), std::slice::from_ref(&secret)).is_empty());

    let key = DataKey::from_hex(&DataKey::generate_hex()).unwrap();
    let sealed = SandboxConfig {
        data_dir: Some(dir.path().to_path_buf()),
        data_key: Some(key),
        ..config()
    };
    let sb = start_with(sealed).await;
    assert_eq!(sb.key(0), secret, "the same sandbox, now sealed");
    assert_eq!(sb.info.developer, info.developer);
    sb.shutdown().await;
    let hits = files_containing(dir.path(), &[secret]);
    assert!(hits.is_empty(), "plaintext left behind in {hits:?}");
}

/// The files under `dir` that contain any of `needles`.
fn files_containing(dir: &Path, needles: &[String]) -> Vec<String> {
    let mut hits = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        for n in needles {
            if bytes.windows(n.len()).any(|w| w == n.as_bytes()) {
                hits.push(format!("{} has {}…", path.display(), &n[..12.min(n.len())]));
            }
        }
    }
    hits
}

/// Fills a sandbox in `dir`, restarts it, checks everything came back, and
/// returns the secret values it stored (keys, tokens, a Secret Store payload).
async fn restart_keeps_everything(dir: &Path, data_key: Option<DataKey>) -> Vec<String> {
    let cfg = || SandboxConfig {
        data_dir: Some(dir.to_path_buf()),
        data_key: data_key.clone(),
        ..config()
    };
    let sb = start_with(cfg()).await;
    let info1 = sb.info.clone();
    let key = sb.key(0);
    let c = sb
        .post(
            "/v1/customers",
            &key,
            &[("email", "kept@example.com"), ("metadata[k]", "v")],
        )
        .await;
    let cid = c.body["id"].as_str().unwrap().to_string();
    let doomed = sb
        .post("/v1/customers", &key, &[("email", "doomed@example.com")])
        .await;
    let doomed_id = doomed.body["id"].as_str().unwrap().to_string();
    sb.delete(&format!("/v1/customers/{doomed_id}"), &key).await;
    sb.post(
        "/v1/apps/secrets",
        &key,
        &[
            ("name", "s"),
            ("payload", "payload-6f1d2c9e-kept-secret"),
            ("scope[type]", "account"),
        ],
    )
    .await;
    let t = sb.token_for(1).await;
    let extra = sb
        .control(
            Method::POST,
            "/accounts",
            Some(serde_json::json!({"display_name": "Later"})),
        )
        .await;
    sb.advance(100).await;
    let clock1 = sb.control(Method::GET, "/clock", None).await.body["offset"]
        .as_i64()
        .unwrap();
    sb.shutdown().await;

    let sb = start_with(cfg()).await;
    let mut info2 = sb.info.clone();
    info2.base_url = info1.base_url.clone();
    assert_eq!(info2, info1, "same accounts, keys and app credentials");
    let got = sb.get(&format!("/v1/customers/{cid}"), &key, &[]).await;
    assert_eq!(got.body, c.body, "objects survive");
    let gone = sb
        .get(&format!("/v1/customers/{doomed_id}"), &key, &[])
        .await;
    assert_eq!(gone.body["deleted"], true, "deletions survive");
    let list = sb.get("/v1/customers", &key, &[("limit", "1")]).await;
    assert_eq!(list.body["data"][0]["id"], cid, "list order survives");
    let s = sb
        .get(
            "/v1/apps/secrets/find",
            &key,
            &[
                ("name", "s"),
                ("scope[type]", "account"),
                ("expand[]", "payload"),
            ],
        )
        .await;
    assert_eq!(s.body["payload"], "payload-6f1d2c9e-kept-secret");
    let access = t["access_token"].as_str().unwrap();
    assert_eq!(
        sb.get("/v1/account", access, &[]).await.status,
        StatusCode::OK,
        "tokens survive"
    );
    let refresh = t["refresh_token"].as_str().unwrap();
    let r = sb
        .post(
            "/v1/oauth/token",
            &sb.dev_key(),
            &[("grant_type", "refresh_token"), ("refresh_token", refresh)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let installs = sb.control(Method::GET, "/installs", None).await;
    assert_eq!(
        installs.body["data"].as_array().unwrap().len(),
        1,
        "installs survive"
    );
    let extra_key = extra.body["secret_key"].as_str().unwrap();
    assert_eq!(
        sb.get("/v1/account", extra_key, &[]).await.status,
        StatusCode::OK,
        "created accounts survive"
    );
    let clock2 = sb.control(Method::GET, "/clock", None).await.body["offset"]
        .as_i64()
        .unwrap();
    assert_eq!(clock1, clock2, "the advanced clock survives");
    let events = sb.get("/v1/events", &sb.key(1), &[]).await;
    assert_eq!(events.body["data"].as_array().unwrap().len(), 1);
    let new_refresh = r.body["refresh_token"].as_str().unwrap().to_string();
    sb.shutdown().await;
    let mut secrets = vec![
        key,
        extra_key.to_string(),
        access.to_string(),
        refresh.to_string(),
        new_refresh,
        "payload-6f1d2c9e-kept-secret".to_string(),
    ];
    if let Some(app) = &info1.app {
        secrets.push(app.signing_secret.clone());
    }
    secrets
}

#[tokio::test]
async fn without_a_data_dir_every_start_is_fresh() {
    let a = start().await;
    let key = a.key(0);
    a.shutdown().await;
    let b = start().await;
    assert_ne!(b.key(0), key);
    b.shutdown().await;
}
