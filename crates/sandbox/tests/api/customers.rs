//! Customers: CRUD, list pagination in both directions, search.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::support::*;

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
