//! Secret Store: create-or-replace, find (payload only when expanded),
//! delete, list, scopes, the 10-per-scope limit, expiry, app namespaces.

#[path = "../support/mod.rs"]
mod support;

use reqwest::StatusCode;
use support::*;

const ACCOUNT_SCOPE: (&str, &str) = ("scope[type]", "account");

#[tokio::test]
async fn set_find_replace_delete() {
    let sb = start().await;
    let key = sb.key(0);
    let s = sb
        .post(
            "/v1/apps/secrets",
            &key,
            &[("name", "api_token"), ("payload", "s3cr3t"), ACCOUNT_SCOPE],
        )
        .await;
    assert_eq!(s.status, StatusCode::OK, "{}", s.text);
    assert_eq!(s.body["object"], "apps.secret");
    assert_eq!(s.body["scope"]["type"], "account");
    assert!(s.body["id"].as_str().unwrap().starts_with("appsecret_"));
    assert!(
        s.body.get("payload").is_none(),
        "no payload unless expanded"
    );

    let found = sb
        .get(
            "/v1/apps/secrets/find",
            &key,
            &[("name", "api_token"), ACCOUNT_SCOPE],
        )
        .await;
    assert!(found.body.get("payload").is_none());
    let found = sb
        .get(
            "/v1/apps/secrets/find",
            &key,
            &[
                ("name", "api_token"),
                ACCOUNT_SCOPE,
                ("expand[]", "payload"),
            ],
        )
        .await;
    assert_eq!(found.body["payload"], "s3cr3t");

    let replaced = sb
        .post(
            "/v1/apps/secrets",
            &key,
            &[("name", "api_token"), ("payload", "v2"), ACCOUNT_SCOPE],
        )
        .await;
    assert_eq!(
        replaced.body["id"], s.body["id"],
        "create-or-replace keeps the secret"
    );
    let found = sb
        .get(
            "/v1/apps/secrets/find",
            &key,
            &[
                ("name", "api_token"),
                ACCOUNT_SCOPE,
                ("expand[0]", "payload"),
            ],
        )
        .await;
    assert_eq!(
        found.body["payload"], "v2",
        "expand[0]= (stripe-node's encoding) works too"
    );

    let del = sb
        .post(
            "/v1/apps/secrets/delete",
            &key,
            &[("name", "api_token"), ACCOUNT_SCOPE],
        )
        .await;
    assert_eq!(del.status, StatusCode::OK);
    assert_eq!(del.body["deleted"], true);
    let gone = sb
        .get(
            "/v1/apps/secrets/find",
            &key,
            &[("name", "api_token"), ACCOUNT_SCOPE],
        )
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    let again = sb
        .post(
            "/v1/apps/secrets/delete",
            &key,
            &[("name", "api_token"), ACCOUNT_SCOPE],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    sb.shutdown().await;
}

#[tokio::test]
async fn scopes_are_separate_and_validated() {
    let sb = start().await;
    let key = sb.key(0);
    let user = [("scope[type]", "user"), ("scope[user]", "usr_1")];
    let r = sb
        .post(
            "/v1/apps/secrets",
            &key,
            &[("name", "t"), ("payload", "user-one"), user[0], user[1]],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        r.body["scope"],
        serde_json::json!({"type": "user", "user": "usr_1"})
    );
    sb.post(
        "/v1/apps/secrets",
        &key,
        &[("name", "t"), ("payload", "account"), ACCOUNT_SCOPE],
    )
    .await;
    let u = sb
        .get(
            "/v1/apps/secrets/find",
            &key,
            &[("name", "t"), user[0], user[1], ("expand[]", "payload")],
        )
        .await;
    assert_eq!(u.body["payload"], "user-one");
    let other_user = sb
        .get(
            "/v1/apps/secrets/find",
            &key,
            &[
                ("name", "t"),
                ("scope[type]", "user"),
                ("scope[user]", "usr_2"),
            ],
        )
        .await;
    assert_eq!(other_user.status, StatusCode::NOT_FOUND);

    let no_user = sb
        .post(
            "/v1/apps/secrets",
            &key,
            &[("name", "t"), ("payload", "x"), ("scope[type]", "user")],
        )
        .await;
    assert_eq!(no_user.body["error"]["param"], "scope[user]");
    let bad_type = sb
        .post(
            "/v1/apps/secrets",
            &key,
            &[("name", "t"), ("payload", "x"), ("scope[type]", "team")],
        )
        .await;
    assert_eq!(bad_type.status, StatusCode::BAD_REQUEST);
    let no_scope = sb
        .post("/v1/apps/secrets", &key, &[("name", "t"), ("payload", "x")])
        .await;
    assert_eq!(no_scope.body["error"]["param"], "scope");
    let no_payload = sb
        .post("/v1/apps/secrets", &key, &[("name", "t"), ACCOUNT_SCOPE])
        .await;
    assert_eq!(no_payload.body["error"]["param"], "payload");
    let other_account = sb
        .get(
            "/v1/apps/secrets/find",
            &sb.key(1),
            &[("name", "t"), ACCOUNT_SCOPE],
        )
        .await;
    assert_eq!(
        other_account.status,
        StatusCode::NOT_FOUND,
        "secrets are per account"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn at_most_ten_per_scope_and_listing_paginates() {
    let sb = start().await;
    let key = sb.key(1);
    for n in 0..10 {
        let r = sb
            .post(
                "/v1/apps/secrets",
                &key,
                &[("name", &format!("s{n}")), ("payload", "x"), ACCOUNT_SCOPE],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
    }
    let eleventh = sb
        .post(
            "/v1/apps/secrets",
            &key,
            &[("name", "s10"), ("payload", "x"), ACCOUNT_SCOPE],
        )
        .await;
    assert_eq!(
        eleventh.status,
        StatusCode::BAD_REQUEST,
        "the 11th account secret is refused"
    );
    let replace = sb
        .post(
            "/v1/apps/secrets",
            &key,
            &[("name", "s3"), ("payload", "y"), ACCOUNT_SCOPE],
        )
        .await;
    assert_eq!(
        replace.status,
        StatusCode::OK,
        "replacing does not count as adding"
    );
    let user_scope = sb
        .post(
            "/v1/apps/secrets",
            &key,
            &[
                ("name", "s10"),
                ("payload", "x"),
                ("scope[type]", "user"),
                ("scope[user]", "usr_9"),
            ],
        )
        .await;
    assert_eq!(
        user_scope.status,
        StatusCode::OK,
        "another scope has its own ten"
    );

    let page1 = sb
        .get("/v1/apps/secrets", &key, &[ACCOUNT_SCOPE, ("limit", "6")])
        .await;
    assert_eq!(page1.body["url"], "/v1/apps/secrets");
    assert_eq!(page1.body["has_more"], true);
    let last = page1.body["data"][5]["id"].as_str().unwrap().to_string();
    let page2 = sb
        .get(
            "/v1/apps/secrets",
            &key,
            &[ACCOUNT_SCOPE, ("limit", "6"), ("starting_after", &last)],
        )
        .await;
    assert_eq!(page2.body["data"].as_array().unwrap().len(), 4);
    assert_eq!(page2.body["has_more"], false);
    assert!(
        page2.text.find("payload").is_none(),
        "lists never show payloads"
    );
    let no_scope = sb.get("/v1/apps/secrets", &key, &[]).await;
    assert_eq!(no_scope.status, StatusCode::BAD_REQUEST);

    sb.post(
        "/v1/apps/secrets/delete",
        &key,
        &[("name", "s0"), ACCOUNT_SCOPE],
    )
    .await;
    let room = sb
        .post(
            "/v1/apps/secrets",
            &key,
            &[("name", "s10"), ("payload", "x"), ACCOUNT_SCOPE],
        )
        .await;
    assert_eq!(room.status, StatusCode::OK, "deleting makes room");
    sb.shutdown().await;
}

#[tokio::test]
async fn expired_secrets_vanish() {
    let sb = start().await;
    let key = sb.key(0);
    let now = sb.control(reqwest::Method::GET, "/clock", None).await.body["now"]
        .as_i64()
        .unwrap();
    let past = sb
        .post(
            "/v1/apps/secrets",
            &key,
            &[
                ("name", "p"),
                ("payload", "x"),
                ACCOUNT_SCOPE,
                ("expires_at", &(now - 1).to_string()),
            ],
        )
        .await;
    assert_eq!(past.body["error"]["param"], "expires_at");
    let soon = (now + 60).to_string();
    let r = sb
        .post(
            "/v1/apps/secrets",
            &key,
            &[
                ("name", "e"),
                ("payload", "x"),
                ACCOUNT_SCOPE,
                ("expires_at", &soon),
            ],
        )
        .await;
    assert_eq!(r.body["expires_at"], now + 60);
    assert_eq!(
        sb.get(
            "/v1/apps/secrets/find",
            &key,
            &[("name", "e"), ACCOUNT_SCOPE]
        )
        .await
        .status,
        StatusCode::OK
    );
    sb.advance(61).await;
    assert_eq!(
        sb.get(
            "/v1/apps/secrets/find",
            &key,
            &[("name", "e"), ACCOUNT_SCOPE]
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let list = sb.get("/v1/apps/secrets", &key, &[ACCOUNT_SCOPE]).await;
    assert_eq!(list.body["data"].as_array().unwrap().len(), 0);
    sb.shutdown().await;
}

#[tokio::test]
async fn apps_see_only_their_own_secrets() {
    let sb = start().await;
    let t = sb.token_for(0).await;
    let token = t["access_token"].as_str().unwrap();
    let r = sb
        .post(
            "/v1/apps/secrets",
            token,
            &[("name", "n"), ("payload", "app"), ACCOUNT_SCOPE],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    sb.post(
        "/v1/apps/secrets",
        &sb.key(0),
        &[("name", "n"), ("payload", "account-own"), ACCOUNT_SCOPE],
    )
    .await;
    let via_app = sb
        .get(
            "/v1/apps/secrets/find",
            token,
            &[("name", "n"), ACCOUNT_SCOPE, ("expand[]", "payload")],
        )
        .await;
    assert_eq!(via_app.body["payload"], "app");
    let via_key = sb
        .get(
            "/v1/apps/secrets/find",
            &sb.key(0),
            &[("name", "n"), ACCOUNT_SCOPE, ("expand[]", "payload")],
        )
        .await;
    assert_eq!(
        via_key.body["payload"], "account-own",
        "the account's own keys have their own namespace"
    );
    sb.shutdown().await;
}
