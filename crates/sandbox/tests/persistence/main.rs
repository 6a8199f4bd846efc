//! `--data-dir`: a restart keeps accounts, keys, apps, installs, tokens and
//! objects; without it, nothing survives.

#[path = "../support/mod.rs"]
mod support;

use appdeck_sandbox::SandboxConfig;
use reqwest::{Method, StatusCode};
use support::*;

#[tokio::test]
async fn a_restart_with_the_same_data_dir_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = || SandboxConfig {
        data_dir: Some(dir.path().to_path_buf()),
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
        &[("name", "s"), ("payload", "p"), ("scope[type]", "account")],
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
    assert_eq!(s.body["payload"], "p");
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
    sb.shutdown().await;
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
