//! `/v1` resources with Stripe's conventions: auth, errors, Request-Id,
//! customers, products, prices, account, events, pagination, expand,
//! idempotency, Stripe-Account.

#[path = "../support/mod.rs"]
mod support;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::*;

#[tokio::test]
async fn every_response_has_a_request_id_even_errors() {
    let sb = start().await;
    for r in [
        sb.get("/v1/account", &sb.dev_key(), &[]).await,
        sb.call(Method::GET, "/v1/customers", None, &[]).await,
        sb.get("/v1/nope", &sb.dev_key(), &[]).await,
    ] {
        let id = r
            .headers
            .get("request-id")
            .expect("Request-Id header")
            .to_str()
            .unwrap()
            .to_string();
        assert!(id.starts_with("req_") && id.len() > 10, "{id}");
    }
    let a = sb.get("/v1/account", &sb.dev_key(), &[]).await;
    let b = sb.get("/v1/account", &sb.dev_key(), &[]).await;
    assert_ne!(
        a.headers["request-id"], b.headers["request-id"],
        "fresh per request"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn authentication_errors_are_401_in_stripes_shape() {
    let sb = start().await;
    let none = sb.call(Method::GET, "/v1/customers", None, &[]).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(none.body["error"]["type"], "invalid_request_error");
    assert!(none.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("did not provide an API key"));

    let bad = sb
        .get("/v1/customers", "sk_test_doesnotexist000000000000", &[])
        .await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert!(
        !bad.text.contains("sk_test_doesnotexist000000000000"),
        "key is masked"
    );

    let bearer = sb
        .http
        .get(format!("{}/v1/customers", sb.base))
        .bearer_auth(sb.dev_key())
        .send()
        .await
        .unwrap();
    assert_eq!(bearer.status(), StatusCode::OK, "Bearer works like Basic");

    let accounts = sb.control(Method::GET, "/accounts", None).await;
    let live = accounts.body["data"][0]["live_secret_key"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(live.starts_with("sk_live_"));
    let r = sb.get("/v1/customers", &live, &[]).await;
    assert_eq!(
        r.status,
        StatusCode::UNAUTHORIZED,
        "the sandbox is test mode only"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn account_is_the_callers() {
    let sb = start().await;
    let r = sb.get("/v1/account", &sb.key(0), &[]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["object"], "account");
    assert_eq!(r.body["id"], sb.account(0));
    assert!(r.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    sb.shutdown().await;
}

#[tokio::test]
async fn customers_crud() {
    let sb = start().await;
    let key = sb.key(1);
    let c = sb
        .post(
            "/v1/customers",
            &key,
            &[
                ("email", "new@example.com"),
                ("name", "New Person"),
                ("metadata[plan]", "pro"),
                ("balance", "250"),
            ],
        )
        .await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.text);
    let id = c.body["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("cus_"));
    assert_eq!(c.body["object"], "customer");
    assert_eq!(c.body["livemode"], false);
    assert_eq!(c.body["balance"], 250);
    assert_eq!(c.body["metadata"], json!({"plan": "pro"}));

    let got = sb.get(&format!("/v1/customers/{id}"), &key, &[]).await;
    assert_eq!(got.body, c.body, "retrieve returns what create returned");

    let up = sb
        .post(
            &format!("/v1/customers/{id}"),
            &key,
            &[
                ("name", "Renamed"),
                ("metadata[plan]", ""),
                ("metadata[seats]", "3"),
            ],
        )
        .await;
    assert_eq!(up.body["name"], "Renamed");
    assert_eq!(
        up.body["metadata"],
        json!({"seats": "3"}),
        "empty value removes a key"
    );
    assert_eq!(up.body["email"], "new@example.com", "untouched fields stay");

    let other = sb
        .get(&format!("/v1/customers/{id}"), &sb.key(2), &[])
        .await;
    assert_eq!(
        other.status,
        StatusCode::NOT_FOUND,
        "another account cannot see it"
    );
    assert_eq!(other.error_code(), Some("resource_missing"));

    let del = sb.delete(&format!("/v1/customers/{id}"), &key).await;
    assert_eq!(
        del.body,
        json!({"id": id, "object": "customer", "deleted": true})
    );
    let after = sb.get(&format!("/v1/customers/{id}"), &key, &[]).await;
    assert_eq!(
        after.body["deleted"], true,
        "retrieve of a deleted customer says so"
    );
    let again = sb.delete(&format!("/v1/customers/{id}"), &key).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    let upd = sb
        .post(&format!("/v1/customers/{id}"), &key, &[("name", "x")])
        .await;
    assert_eq!(upd.status, StatusCode::NOT_FOUND);
    sb.shutdown().await;
}

#[tokio::test]
async fn validation_errors_name_the_param() {
    let sb = start().await;
    let key = sb.key(0);
    let r = sb.post("/v1/customers", &key, &[("emial", "x")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error_code(), Some("parameter_unknown"));
    assert_eq!(r.body["error"]["param"], "emial");
    let r = sb.post("/v1/customers", &key, &[("balance", "lots")]).await;
    assert_eq!(r.body["error"]["param"], "balance");
    let r = sb
        .post("/v1/customers", &key, &[("a", "1"), ("a[b]", "2")])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = sb.get("/v1/customers/cus_nope", &key, &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.body["error"]["message"], "No such customer: 'cus_nope'");
    let r = sb.call(Method::PUT, "/v1/customers", Some(&key), &[]).await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "unknown method is an unrecognized URL"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn lists_paginate_to_the_end_in_both_directions() {
    let sb = start().await;
    let key = sb.key(2);
    for n in 0..23 {
        let r = sb
            .post(
                "/v1/customers",
                &key,
                &[("email", &format!("p{n}@example.com"))],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
    }
    let first = sb.get("/v1/customers", &key, &[]).await;
    assert_eq!(first.body["object"], "list");
    assert_eq!(first.body["url"], "/v1/customers");
    assert_eq!(
        first.body["data"].as_array().unwrap().len(),
        10,
        "default limit"
    );

    let mut seen: Vec<String> = vec![];
    let mut after: Option<String> = None;
    loop {
        let mut q = vec![("limit", "7".to_string())];
        if let Some(a) = &after {
            q.push(("starting_after", a.clone()));
        }
        let q: Vec<(&str, &str)> = q.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let page = sb.get("/v1/customers", &key, &q).await;
        let data = page.body["data"].as_array().unwrap().clone();
        seen.extend(data.iter().map(|c| c["id"].as_str().unwrap().to_string()));
        if page.body["has_more"] == false {
            break;
        }
        after = seen.last().cloned();
    }
    assert_eq!(seen.len(), 26, "23 created + 3 seeded, each once");
    let mut dedup = seen.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!(dedup.len(), seen.len(), "no duplicates across pages");
    assert!(seen[0].starts_with("cus_"));
    let newest = sb.get("/v1/customers", &key, &[("limit", "1")]).await;
    assert_eq!(
        newest.body["data"][0]["email"], "p22@example.com",
        "newest first"
    );

    let before = sb
        .get(
            "/v1/customers",
            &key,
            &[("limit", "2"), ("ending_before", &seen[5])],
        )
        .await;
    let ids: Vec<&str> = before.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![seen[3].as_str(), seen[4].as_str()]);
    assert_eq!(before.body["has_more"], true);

    let bad = sb.get("/v1/customers", &key, &[("limit", "101")]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.body["error"]["param"], "limit");
    let bad = sb
        .get("/v1/customers", &key, &[("starting_after", "cus_unknown")])
        .await;
    assert_eq!(bad.body["error"]["param"], "starting_after");

    let by_email = sb
        .get("/v1/customers", &key, &[("email", "p3@example.com")])
        .await;
    assert_eq!(by_email.body["data"].as_array().unwrap().len(), 1);
    sb.shutdown().await;
}

#[tokio::test]
async fn search_by_email() {
    let sb = start().await;
    let key = sb.key(0);
    let r = sb
        .get(
            "/v1/customers/search",
            &key,
            &[("query", "email:'ada@example.com'")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["object"], "search_result");
    assert_eq!(
        r.body["data"].as_array().unwrap().len(),
        1,
        "the seed has one Ada"
    );
    assert_eq!(r.body["data"][0]["name"], "Ada Lovelace");
    let r = sb
        .get(
            "/v1/customers/search",
            &key,
            &[("query", "name~'a'"), ("limit", "2")],
        )
        .await;
    assert_eq!(r.body["has_more"], true);
    let next = r.body["next_page"].as_str().unwrap().to_string();
    let r2 = sb
        .get(
            "/v1/customers/search",
            &key,
            &[("query", "name~'a'"), ("limit", "2"), ("page", &next)],
        )
        .await;
    assert_eq!(r2.body["data"].as_array().unwrap().len(), 1);
    assert_eq!(r2.body["next_page"], Value::Null);
    let bad = sb
        .get("/v1/customers/search", &key, &[("query", "shoe_size:'9'")])
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let missing = sb.get("/v1/customers/search", &key, &[]).await;
    assert_eq!(missing.error_code(), Some("parameter_missing"));
    sb.shutdown().await;
}

#[tokio::test]
async fn products_and_prices_with_expand() {
    let sb = start().await;
    let key = sb.key(0);
    let p = sb
        .post(
            "/v1/products",
            &key,
            &[("name", "Gadget"), ("metadata[sku]", "G1")],
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.text);
    let pid = p.body["id"].as_str().unwrap().to_string();
    assert!(pid.starts_with("prod_"));
    let missing_name = sb.post("/v1/products", &key, &[]).await;
    assert_eq!(missing_name.body["error"]["param"], "name");

    let custom = sb
        .post(
            "/v1/products",
            &key,
            &[("name", "Mine"), ("id", "my_product")],
        )
        .await;
    assert_eq!(custom.body["id"], "my_product");
    let dup = sb
        .post(
            "/v1/products",
            &key,
            &[("name", "Mine"), ("id", "my_product")],
        )
        .await;
    assert_eq!(dup.error_code(), Some("resource_already_exists"));

    let price = sb
        .post(
            "/v1/prices",
            &key,
            &[
                ("product", &pid),
                ("currency", "usd"),
                ("unit_amount", "1500"),
                ("recurring[interval]", "year"),
                ("expand[]", "product"),
            ],
        )
        .await;
    assert_eq!(price.status, StatusCode::OK, "{}", price.text);
    assert_eq!(price.body["type"], "recurring");
    assert_eq!(
        price.body["product"]["id"], pid,
        "expand[]=product inlines it"
    );
    let price_id = price.body["id"].as_str().unwrap().to_string();

    let plain = sb.get(&format!("/v1/prices/{price_id}"), &key, &[]).await;
    assert_eq!(plain.body["product"], pid);
    let expanded = sb
        .get(
            &format!("/v1/prices/{price_id}"),
            &key,
            &[("expand[]", "product")],
        )
        .await;
    assert_eq!(expanded.body["product"]["name"], "Gadget");
    let bad_expand = sb
        .get(
            &format!("/v1/prices/{price_id}"),
            &key,
            &[("expand[]", "customer")],
        )
        .await;
    assert_eq!(bad_expand.status, StatusCode::BAD_REQUEST);

    let listed = sb
        .get(
            "/v1/prices",
            &key,
            &[("product", &pid), ("expand[]", "data.product")],
        )
        .await;
    assert_eq!(listed.body["data"].as_array().unwrap().len(), 1);
    assert_eq!(listed.body["data"][0]["product"]["id"], pid);

    let no_product = sb
        .post(
            "/v1/prices",
            &key,
            &[
                ("product", "prod_nope"),
                ("currency", "usd"),
                ("unit_amount", "1"),
            ],
        )
        .await;
    assert_eq!(no_product.status, StatusCode::BAD_REQUEST);
    assert_eq!(no_product.body["error"]["param"], "product");

    let inline = sb
        .post(
            "/v1/prices",
            &key,
            &[
                ("product_data[name]", "Inline"),
                ("currency", "eur"),
                ("unit_amount", "99"),
            ],
        )
        .await;
    assert_eq!(inline.status, StatusCode::OK, "{}", inline.text);
    assert_eq!(inline.body["type"], "one_time");

    let up = sb
        .post(
            &format!("/v1/prices/{price_id}"),
            &key,
            &[("nickname", "Yearly"), ("active", "false")],
        )
        .await;
    assert_eq!(up.body["nickname"], "Yearly");
    assert_eq!(up.body["active"], false);
    let cannot = sb
        .post(
            &format!("/v1/prices/{price_id}"),
            &key,
            &[("unit_amount", "5")],
        )
        .await;
    assert_eq!(
        cannot.error_code(),
        Some("parameter_unknown"),
        "amounts are immutable"
    );

    let inactive = sb.get("/v1/prices", &key, &[("active", "false")]).await;
    assert_eq!(inactive.body["data"].as_array().unwrap().len(), 1);

    let refused = sb.delete(&format!("/v1/products/{pid}"), &key).await;
    assert_eq!(
        refused.status,
        StatusCode::BAD_REQUEST,
        "a product with prices cannot be deleted"
    );
    let upd = sb
        .post(
            &format!("/v1/products/{pid}"),
            &key,
            &[("default_price", &price_id), ("active", "false")],
        )
        .await;
    assert_eq!(upd.body["default_price"], price_id);
    let gone = sb.delete("/v1/products/my_product", &key).await;
    assert_eq!(gone.body["deleted"], true);
    let products = sb.get("/v1/products", &key, &[("active", "false")]).await;
    assert_eq!(products.body["data"].as_array().unwrap().len(), 1);
    let retrieved = sb.get(&format!("/v1/products/{pid}"), &key, &[]).await;
    assert_eq!(retrieved.body["name"], "Gadget");
    sb.shutdown().await;
}

#[tokio::test]
async fn idempotency_replays_and_refuses_other_params() {
    let sb = start().await;
    let key = sb.key(0);
    let h = [("Idempotency-Key", "order-1")];
    let a = sb
        .call_h(
            Method::POST,
            "/v1/customers",
            Some(&key),
            &[("email", "i@example.com")],
            &h,
        )
        .await;
    let b = sb
        .call_h(
            Method::POST,
            "/v1/customers",
            Some(&key),
            &[("email", "i@example.com")],
            &h,
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.body, b.body, "the replay is the first response");
    assert_eq!(b.headers["idempotent-replayed"], "true");
    let list = sb
        .get("/v1/customers", &key, &[("email", "i@example.com")])
        .await;
    assert_eq!(
        list.body["data"].as_array().unwrap().len(),
        1,
        "created once"
    );

    let c = sb
        .call_h(
            Method::POST,
            "/v1/customers",
            Some(&key),
            &[("email", "other@example.com")],
            &h,
        )
        .await;
    assert_eq!(c.status, StatusCode::BAD_REQUEST);
    assert_eq!(c.body["error"]["type"], "idempotency_error");

    let other_account = sb
        .call_h(
            Method::POST,
            "/v1/customers",
            Some(&sb.key(1)),
            &[("email", "other@example.com")],
            &h,
        )
        .await;
    assert_eq!(other_account.status, StatusCode::OK, "keys are per account");

    let failed = sb
        .call_h(
            Method::POST,
            "/v1/customers",
            Some(&key),
            &[("bogus", "1")],
            &[("Idempotency-Key", "k2")],
        )
        .await;
    assert_eq!(failed.status, StatusCode::BAD_REQUEST);
    let retry = sb
        .call_h(
            Method::POST,
            "/v1/customers",
            Some(&key),
            &[("email", "k2@example.com")],
            &[("Idempotency-Key", "k2")],
        )
        .await;
    assert_eq!(
        retry.status,
        StatusCode::OK,
        "validation failures are not saved"
    );

    let long = "x".repeat(256);
    let too_long = sb
        .call_h(
            Method::POST,
            "/v1/customers",
            Some(&key),
            &[],
            &[("Idempotency-Key", &long)],
        )
        .await;
    assert_eq!(too_long.status, StatusCode::BAD_REQUEST);
    sb.shutdown().await;
}

#[tokio::test]
async fn stripe_account_needs_an_install() {
    let sb = start().await;
    let target = sb.account(0);
    let h = [("Stripe-Account", target.as_str())];
    let r = sb
        .call_h(Method::GET, "/v1/customers", Some(&sb.key(1)), &[], &h)
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "an unrelated account's key"
    );
    assert_eq!(r.error_code(), Some("account_invalid"));
    let r = sb
        .call_h(Method::GET, "/v1/customers", Some(&sb.dev_key()), &[], &h)
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "the developer before any install"
    );
    let same = sb
        .call_h(Method::GET, "/v1/account", Some(&sb.key(0)), &[], &h)
        .await;
    assert_eq!(
        same.status,
        StatusCode::OK,
        "naming your own account is fine"
    );

    let app = sb.info.app.clone().unwrap();
    let r = sb
        .control(
            Method::POST,
            "/installs",
            Some(json!({"app": app.id, "account": target})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = sb
        .call_h(Method::GET, "/v1/customers", Some(&sb.dev_key()), &[], &h)
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "the developer acts on the installing account"
    );
    assert_eq!(
        r.body["data"].as_array().unwrap().len(),
        3,
        "the installing account's customers"
    );
    let w = sb
        .call_h(
            Method::POST,
            "/v1/customers",
            Some(&sb.dev_key()),
            &[("name", "x")],
            &h,
        )
        .await;
    assert_eq!(
        w.status,
        StatusCode::FORBIDDEN,
        "with the install's permissions only"
    );
    assert!(w.text.contains("customer_write"));
    sb.shutdown().await;
}

#[tokio::test]
async fn events_record_installs() {
    let sb = start().await;
    let app = sb.info.app.clone().unwrap();
    let acct = sb.account(1);
    sb.control(
        Method::POST,
        "/installs",
        Some(json!({"app": app.id, "account": acct})),
    )
    .await;
    sb.control(
        Method::POST,
        "/installs/uninstall",
        Some(json!({"app": app.id, "account": acct})),
    )
    .await;
    let r = sb.get("/v1/events", &sb.key(1), &[]).await;
    let types: Vec<&str> = r.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        vec![
            "account.application.deauthorized",
            "account.application.authorized"
        ]
    );
    assert_eq!(r.body["data"][1]["data"]["object"]["id"], app.client_id);
    assert_eq!(r.body["data"][1]["account"], acct);
    let only = sb
        .get(
            "/v1/events",
            &sb.key(1),
            &[("type", "account.application.authorized")],
        )
        .await;
    assert_eq!(only.body["data"].as_array().unwrap().len(), 1);
    let id = only.body["data"][0]["id"].as_str().unwrap().to_string();
    let one = sb.get(&format!("/v1/events/{id}"), &sb.key(1), &[]).await;
    assert_eq!(one.body["object"], "event");
    let none = sb.get("/v1/events", &sb.key(2), &[]).await;
    assert_eq!(
        none.body["data"].as_array().unwrap().len(),
        0,
        "other accounts see nothing"
    );
    sb.shutdown().await;
}
