//! The recorder's captures: an id an earlier replayed call returned (in a
//! list, nested, or at the top) is saved by that call and used as `{{name}}`
//! in later paths and parameters; names are given once per value; calls kept
//! as comments neither save nor become a source.

use super::flow::Step;
use super::record::{Caller, Journal};
use super::record_tests::{as_install, at, labels, parse, record, req, ACCT, HANDLE};
use crate::console::request::AuthAs;

/// Ids from list answers and from parameters, names given once per value,
/// and calls kept as comments neither save nor become a source.
#[test]
fn ids_earlier_steps_returned_are_carried_by_captures() {
    let mut j = Journal::new();
    j.install_started("f", None);
    j.install_finished("f", &record(HANDLE, ACCT, "oauth"), at(1));
    let (auth, caller) = as_install();
    let list = r#"{"object":"list","data":[
        {"id":"cus_First1Aaaa","object":"customer"},
        {"id":"cus_Second2Bbb","object":"customer","default_source":{"id":"card_Nested3Ccc","object":"card"}}]}"#;
    j.call(
        &req("GET", "/v1/customers", &[], auth.clone()),
        caller.clone(),
        200,
        list,
        at(2),
    );
    // As another developer's key: not replayed, so what it returned is no source.
    j.call(
        &req("GET", "/v1/products", &[], AuthAs::Account { name: None }),
        Caller::Account {
            name: "other".into(),
        },
        200,
        r#"{"data":[{"id":"prod_Hidden4Ddd","object":"product"}]}"#,
        at(3),
    );
    j.call(
        &req("GET", "/v1/customers/cus_Second2Bbb", &[], auth.clone()),
        caller.clone(),
        200,
        r#"{"id":"cus_Second2Bbb","object":"customer"}"#,
        at(4),
    );
    j.call(
        &req(
            "GET",
            "/v1/invoices",
            &[("customer", "cus_First1Aaaa"), ("limit", "1")],
            auth.clone(),
        ),
        caller.clone(),
        200,
        "{}",
        at(5),
    );
    j.call(
        &req(
            "GET",
            "/v1/customers/cus_Second2Bbb/sources/card_Nested3Ccc",
            &[],
            auth.clone(),
        ),
        caller.clone(),
        200,
        "{}",
        at(6),
    );
    j.call(
        &req("GET", "/v1/products/prod_Hidden4Ddd", &[], auth),
        caller,
        200,
        "{}",
        at(7),
    );
    let text = j.render("r", &labels()).unwrap();
    for literal in [
        "cus_First1Aaaa",
        "cus_Second2Bbb",
        "card_Nested3Ccc",
        "prod_Hidden4Ddd",
    ] {
        assert!(!text.contains(literal), "{literal} is in the flow:\n{text}");
    }
    let f = parse(&text);
    let calls: Vec<_> = f
        .steps
        .iter()
        .filter_map(|s| match s {
            Step::Call(c) => Some(c),
            _ => None,
        })
        .collect();
    assert_eq!(calls.len(), 4, "the product GET is a comment:\n{text}");
    let saves: Vec<_> = calls[0]
        .save
        .0
        .iter()
        .map(|(n, p)| (n.as_str(), p.0.as_str()))
        .collect();
    assert_eq!(
        saves,
        [
            ("customer", "/data/1/id"),
            ("customer_2", "/data/0/id"),
            ("card", "/data/1/default_source/id")
        ],
        "the list saves each value a later call uses, in the order they are used:\n{text}"
    );
    assert!(
        calls[1].save.0.is_empty(),
        "the first source is kept:\n{text}"
    );
    assert_eq!(calls[1].path, "/v1/customers/{{customer}}");
    assert_eq!(
        calls[2].params.0[0].1, "{{customer_2}}",
        "ids in parameters too"
    );
    assert_eq!(calls[3].path, "/v1/customers/{{customer}}/sources/{{card}}");
    assert!(
        text.contains("not replayed: API screen, 02:30:07: GET /v1/products/<a prod_… id of the recorded sandbox's data> → 200"),
        "a call that was not replayed is no source:\n{text}"
    );
}
