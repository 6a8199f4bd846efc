//! Install events as Stripe records them (see the contract in
//! `src/routes/events.rs`): on the installing account, `account` set to it,
//! an `application` as `data.object`; listed by that account, by the app's
//! developer through `Stripe-Account` while installed and by the app's token,
//! never by another application; and the documented list filters.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::*;

fn types_of(r: &Reply) -> Vec<String> {
    r.body["data"]
        .as_array()
        .unwrap_or_else(|| panic!("a list: {}", r.text))
        .iter()
        .map(|e| e["type"].as_str().unwrap().to_string())
        .collect()
}

async fn as_platform(sb: &Sb, key: &str, account: &str, q: &[(&str, &str)]) -> Reply {
    sb.call_h(
        Method::GET,
        "/v1/events",
        Some(key),
        q,
        &[("Stripe-Account", account)],
    )
    .await
}

/// A second OAuth app, owned by install account 2 (another developer),
/// installed on install account 0.
async fn other_developers_app(sb: &Sb) -> String {
    let reg = json!({
        "owner": sb.account(2),
        "id": "com.example.other-developer",
        "permissions": [{"permission": "event_read", "purpose": "events"}],
        "redirect_uris": ["https://other.example/cb"],
        "distribution": "public",
        "access_type": "oauth",
    });
    let app = sb.control(Method::POST, "/apps", Some(reg)).await;
    assert_eq!(app.status, StatusCode::OK, "{}", app.text);
    let installed = sb
        .control(
            Method::POST,
            "/installs",
            Some(json!({"app": "com.example.other-developer", "account": sb.account(0)})),
        )
        .await;
    assert_eq!(installed.status, StatusCode::OK, "{}", installed.text);
    app.body["client_id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn install_events_live_on_the_installing_account_and_only_the_related_app_sees_them() {
    let sb = start().await;
    let b = sb.account(0);
    let app = sb.info.app.clone().unwrap();
    let token = sb.token_for(0).await["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let other_client = other_developers_app(&sb).await;

    // The installing account's own key sees every event of the account.
    let own = sb.get("/v1/events", &sb.key(0), &[]).await;
    assert_eq!(
        types_of(&own),
        [
            "account.application.authorized",
            "account.application.authorized"
        ]
    );
    let ours = own.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["data"]["object"]["id"] == app.client_id.as_str())
        .expect("our app's event")
        .clone();
    assert_eq!(
        ours["account"],
        b.as_str(),
        "`account` is the installing account"
    );
    assert_eq!(ours["livemode"], false);
    assert_eq!(ours["object"], "event");
    assert_eq!(
        ours["data"]["object"],
        json!({"id": app.client_id, "object": "application", "name": app.id})
    );

    // The developer: not in its own list; through Stripe-Account, its app's only.
    let dev_own = sb.get("/v1/events", &sb.dev_key(), &[]).await;
    assert_eq!(types_of(&dev_own), Vec::<String>::new());
    let dev = as_platform(&sb, &sb.dev_key(), &b, &[]).await;
    assert_eq!(dev.status, StatusCode::OK, "{}", dev.text);
    assert_eq!(dev.body["data"].as_array().unwrap().len(), 1);
    assert_eq!(dev.body["data"][0]["id"], ours["id"]);

    // The app's own token: the same one event.
    let by_token = sb.get("/v1/events", &token, &[]).await;
    assert_eq!(by_token.body["data"].as_array().unwrap().len(), 1);
    assert_eq!(by_token.body["data"][0]["id"], ours["id"]);

    // Another developer's app on the same account sees its own event, not ours.
    let other = as_platform(&sb, &sb.key(2), &b, &[]).await;
    assert_eq!(other.status, StatusCode::OK, "{}", other.text);
    assert_eq!(other.body["data"].as_array().unwrap().len(), 1);
    assert_eq!(other.body["data"][0]["data"]["object"]["id"], other_client);
    let id = ours["id"].as_str().unwrap();
    let hidden = sb
        .call_h(
            Method::GET,
            &format!("/v1/events/{id}"),
            Some(&sb.key(2)),
            &[],
            &[("Stripe-Account", &b)],
        )
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND, "{}", hidden.text);
    let cursor = as_platform(&sb, &sb.key(2), &b, &[("starting_after", id)]).await;
    assert_eq!(
        cursor.status,
        StatusCode::NOT_FOUND,
        "a hidden cursor: {}",
        cursor.text
    );

    // After the uninstall the developer can no longer act on the account; the
    // account itself still lists the deauthorization.
    sb.control(
        Method::POST,
        "/installs/uninstall",
        Some(json!({"app": app.id, "account": b})),
    )
    .await;
    let gone = as_platform(&sb, &sb.dev_key(), &b, &[]).await;
    assert_eq!(gone.status, StatusCode::FORBIDDEN, "{}", gone.text);
    let own = sb
        .get(
            "/v1/events",
            &sb.key(0),
            &[("type", "account.application.deauthorized")],
        )
        .await;
    assert_eq!(own.body["data"].as_array().unwrap().len(), 1);
    assert_eq!(
        own.body["data"][0]["data"]["object"]["id"],
        app.client_id.as_str()
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn the_documented_list_filters() {
    let sb = start().await;
    let app = sb.info.app.clone().unwrap();
    let b = sb.account(0);
    let key = sb.key(0);
    sb.token_for(0).await;
    sb.advance(100).await;
    sb.control(
        Method::POST,
        "/installs/uninstall",
        Some(json!({"app": app.id, "account": b})),
    )
    .await;
    let all = sb.get("/v1/events", &key, &[]).await;
    assert_eq!(
        types_of(&all),
        [
            "account.application.deauthorized",
            "account.application.authorized"
        ],
        "newest first"
    );
    let t_auth = all.body["data"][1]["created"].as_i64().unwrap();
    let t_deauth = all.body["data"][0]["created"].as_i64().unwrap();
    assert!(t_deauth >= t_auth + 100);
    let list = |q: Vec<(&'static str, String)>| {
        let sb = &sb;
        let key = key.clone();
        async move {
            let q: Vec<(&str, &str)> = q.iter().map(|(k, v)| (*k, v.as_str())).collect();
            sb.get("/v1/events", &key, &q).await
        }
    };
    let s = |v: &str| v.to_string();

    let wild = list(vec![("type", s("account.application.*"))]).await;
    assert_eq!(types_of(&wild).len(), 2, "`*` matches a group of types");
    let none = list(vec![("type", s("customer.*"))]).await;
    assert!(types_of(&none).is_empty());
    let many = list(vec![
        ("types[]", s("account.application.authorized")),
        ("types[]", s("customer.created")),
    ])
    .await;
    assert_eq!(types_of(&many), ["account.application.authorized"]);
    let both = list(vec![("type", s("a")), ("types[]", s("b"))]).await;
    assert_eq!(
        both.status,
        StatusCode::BAD_REQUEST,
        "type or types, not both"
    );
    let too_many: Vec<(&str, String)> = (0..21).map(|i| ("types[]", format!("t{i}"))).collect();
    let r = list(too_many).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "up to 20 types");
    assert_eq!(r.body["error"]["param"], "types");

    let gte = list(vec![("created[gte]", t_deauth.to_string())]).await;
    assert_eq!(types_of(&gte), ["account.application.deauthorized"]);
    let lt = list(vec![("created[lt]", t_deauth.to_string())]).await;
    assert_eq!(types_of(&lt), ["account.application.authorized"]);
    let gt = list(vec![("created[gt]", t_deauth.to_string())]).await;
    assert!(types_of(&gt).is_empty());
    let lte = list(vec![("created[lte]", t_auth.to_string())]).await;
    assert_eq!(types_of(&lte), ["account.application.authorized"]);
    let exact = list(vec![("created", t_auth.to_string())]).await;
    assert_eq!(types_of(&exact), ["account.application.authorized"]);
    let bad = list(vec![("created[after]", s("1"))]).await;
    assert_eq!(bad.error_code(), Some("parameter_unknown"));
    let bad = list(vec![("created", s("soon"))]).await;
    assert_eq!(bad.error_code(), Some("parameter_invalid_integer"));

    let delivered = list(vec![("delivery_success", s("true"))]).await;
    assert_eq!(types_of(&delivered).len(), 2);
    let undelivered = list(vec![("delivery_success", s("false"))]).await;
    assert!(
        types_of(&undelivered).is_empty(),
        "no delivery pending or failed"
    );

    let first = list(vec![("limit", s("1"))]).await;
    assert_eq!(first.body["has_more"], true);
    let id = first.body["data"][0]["id"].as_str().unwrap().to_string();
    let next = list(vec![("limit", s("1")), ("starting_after", id.clone())]).await;
    assert_eq!(types_of(&next), ["account.application.authorized"]);
    assert_eq!(next.body["has_more"], false);
    let back_id = next.body["data"][0]["id"].as_str().unwrap().to_string();
    let back = list(vec![("ending_before", back_id)]).await;
    assert_eq!(back.body["data"][0]["id"], Value::from(id));
    let unknown = list(vec![("colour", s("x"))]).await;
    assert_eq!(unknown.error_code(), Some("parameter_unknown"));
    sb.shutdown().await;
}
