//! Every change is an event in Stripe's shape, listed and filtered like
//! Stripe's, and seen by the right callers.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::*;
use crate::{keys, types_of};

#[tokio::test]
async fn create_update_delete_are_events_in_stripes_shape() {
    let sb = start().await;
    let key = sb.key(1);
    let c = sb
        .call_h(
            Method::POST,
            "/v1/customers",
            Some(&key),
            &[("name", "Ada"), ("metadata[plan]", "pro")],
            &[("Idempotency-Key", "create-ada-1")],
        )
        .await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.text);
    let cid = c.body["id"].as_str().unwrap().to_string();
    let request_id = c.headers["request-id"].to_str().unwrap().to_string();
    let u = sb
        .post(
            &format!("/v1/customers/{cid}"),
            &key,
            &[("name", "Ada Lovelace"), ("metadata[seats]", "3")],
        )
        .await;
    assert_eq!(u.status, StatusCode::OK, "{}", u.text);
    let same = sb
        .post(
            &format!("/v1/customers/{cid}"),
            &key,
            &[("name", "Ada Lovelace")],
        )
        .await;
    assert_eq!(same.status, StatusCode::OK);
    sb.delete(&format!("/v1/customers/{cid}"), &key).await;

    let all = sb.get("/v1/events", &key, &[("type", "customer.*")]).await;
    assert_eq!(
        types_of(&all),
        ["customer.deleted", "customer.updated", "customer.created"],
        "newest first; an update that changes nothing is no event"
    );
    let created = &all.body["data"][2];
    assert_eq!(
        keys(created),
        [
            "id",
            "object",
            "api_version",
            "created",
            "data",
            "livemode",
            "pending_webhooks",
            "request",
            "type"
        ],
        "Stripe's fields; no `account`: no app is installed on this account"
    );
    assert!(created["id"].as_str().unwrap().starts_with("evt_"));
    assert_eq!(created["object"], "event");
    assert_eq!(created["livemode"], false);
    assert_eq!(created["pending_webhooks"], 0, "no endpoint");
    assert_eq!(
        created["request"],
        json!({"id": request_id, "idempotency_key": "create-ada-1"}),
        "the request that caused it"
    );
    assert_eq!(
        created["data"],
        json!({"object": c.body}),
        "a snapshot of the object as created"
    );
    let updated = &all.body["data"][1];
    assert_eq!(updated["data"]["object"]["name"], "Ada Lovelace");
    assert_eq!(
        updated["data"]["previous_attributes"],
        json!({"metadata": {"seats": null}, "name": "Ada"}),
        "only the changed keys, with their old values"
    );
    assert_eq!(updated["request"]["idempotency_key"], Value::Null);
    let deleted = &all.body["data"][0];
    assert_eq!(
        deleted["data"]["object"]["name"], "Ada Lovelace",
        "the object as it was when deleted"
    );
    assert!(deleted["data"].get("previous_attributes").is_none());

    let id = created["id"].as_str().unwrap();
    let one = sb.get(&format!("/v1/events/{id}"), &key, &[]).await;
    assert_eq!(one.body, *created, "retrieve by id");
    let other = sb.get(&format!("/v1/events/{id}"), &sb.key(2), &[]).await;
    assert_eq!(
        other.status,
        StatusCode::NOT_FOUND,
        "another account's event is no such event"
    );

    // An idempotent replay runs nothing, so it records nothing.
    let replay = sb
        .call_h(
            Method::POST,
            "/v1/customers",
            Some(&key),
            &[("name", "Ada"), ("metadata[plan]", "pro")],
            &[("Idempotency-Key", "create-ada-1")],
        )
        .await;
    assert_eq!(replay.headers["idempotent-replayed"], "true");
    let after = sb
        .get("/v1/events", &key, &[("type", "customer.created")])
        .await;
    assert_eq!(types_of(&after).len(), 1);
    sb.shutdown().await;
}

#[tokio::test]
async fn products_and_prices_record_their_events_and_filters_select_them() {
    let sb = start().await;
    let key = sb.key(2);
    let t0 = sb.control(Method::GET, "/clock", None).await.body["now"]
        .as_i64()
        .unwrap();
    let price = sb
        .post(
            "/v1/prices",
            &key,
            &[
                ("currency", "usd"),
                ("unit_amount", "500"),
                ("product_data[name]", "Widget"),
            ],
        )
        .await;
    assert_eq!(price.status, StatusCode::OK, "{}", price.text);
    sb.advance(100).await;
    let pid = price.body["product"].as_str().unwrap().to_string();
    let price_id = price.body["id"].as_str().unwrap().to_string();
    sb.post(
        &format!("/v1/prices/{price_id}"),
        &key,
        &[("nickname", "basic")],
    )
    .await;
    sb.post(&format!("/v1/products/{pid}"), &key, &[("name", "Gizmo")])
        .await;
    let list = |q: Vec<(&'static str, String)>| {
        let (sb, key) = (&sb, key.clone());
        async move {
            let q: Vec<(&str, &str)> = q.iter().map(|(k, v)| (*k, v.as_str())).collect();
            sb.get("/v1/events", &key, &q).await
        }
    };
    let s = |v: &str| v.to_string();
    let all = list(vec![]).await;
    assert_eq!(
        types_of(&all),
        [
            "product.updated",
            "price.updated",
            "price.created",
            "product.created"
        ],
        "product_data makes the product first, then the price"
    );
    let product_update = &all.body["data"][0]["data"]["previous_attributes"];
    assert_eq!(product_update["name"], "Widget");
    assert!(
        product_update["updated"].is_i64(),
        "`updated` changed too: {product_update}"
    );
    assert_eq!(
        all.body["data"][1]["data"]["previous_attributes"],
        json!({"nickname": null})
    );
    assert_eq!(
        types_of(&list(vec![("type", s("price.*"))]).await),
        ["price.updated", "price.created"]
    );
    assert_eq!(
        types_of(&list(vec![("type", s("*.created"))]).await),
        ["price.created", "product.created"]
    );
    assert_eq!(
        types_of(
            &list(vec![
                ("types[]", s("product.created")),
                ("types[]", s("product.updated"))
            ])
            .await
        ),
        ["product.updated", "product.created"]
    );
    let later = list(vec![("created[gte]", (t0 + 100).to_string())]).await;
    assert_eq!(types_of(&later), ["product.updated", "price.updated"]);
    let earlier = list(vec![("created[lt]", (t0 + 100).to_string())]).await;
    assert_eq!(types_of(&earlier), ["price.created", "product.created"]);
    let page = list(vec![("limit", s("2"))]).await;
    assert_eq!(page.body["has_more"], true);
    let last = page.body["data"][1]["id"].as_str().unwrap().to_string();
    let next = list(vec![("limit", s("2")), ("starting_after", last)]).await;
    assert_eq!(types_of(&next), ["price.created", "product.created"]);
    assert_eq!(next.body["has_more"], false);
    let first = next.body["data"][0]["id"].as_str().unwrap().to_string();
    let back = list(vec![("ending_before", first)]).await;
    assert_eq!(types_of(&back), ["product.updated", "price.updated"]);
    sb.shutdown().await;
}

#[tokio::test]
async fn an_app_sees_the_events_its_install_may_receive_and_connected_events_name_the_account() {
    // The app holds customer_read and event_read, not product_read.
    let sb = start().await;
    let a = sb.account(0);
    let token = sb.token_for(0).await["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let c = sb
        .post("/v1/customers", &token, &[("email", "via-app@example.com")])
        .await;
    assert_eq!(
        c.status,
        StatusCode::FORBIDDEN,
        "the app may not write customers: {}",
        c.text
    );
    sb.post("/v1/customers", &sb.key(0), &[("email", "own@example.com")])
        .await;
    sb.post("/v1/products", &sb.key(0), &[("name", "Hidden")])
        .await;
    let own = sb.get("/v1/events", &sb.key(0), &[]).await;
    assert_eq!(
        types_of(&own),
        [
            "product.created",
            "customer.created",
            "account.application.authorized"
        ]
    );
    for e in own.body["data"].as_array().unwrap() {
        assert_eq!(
            e["account"],
            a.as_str(),
            "an account with an app installed is a connected account: {e}"
        );
    }
    let by_app = sb.get("/v1/events", &token, &[]).await;
    assert_eq!(
        types_of(&by_app),
        ["customer.created", "account.application.authorized"],
        "product events need product_read"
    );
    let platform = sb
        .call_h(
            Method::GET,
            "/v1/events",
            Some(&sb.dev_key()),
            &[("type", "product.created")],
            &[("Stripe-Account", &a)],
        )
        .await;
    assert_eq!(types_of(&platform), Vec::<String>::new());
    let hidden = own.body["data"][0]["id"].as_str().unwrap();
    let r = sb.get(&format!("/v1/events/{hidden}"), &token, &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    sb.shutdown().await;
}
