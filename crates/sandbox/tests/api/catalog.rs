//! Products, prices and expand; events of installs.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::*;

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
