//! The flow format: what parses, and where each malformed flow is located.

use std::path::Path;

use super::flow::{parse, AccountSpec, CallAs, JsonTest, Method, Step};

fn err(text: &str) -> (usize, usize, String) {
    let e = parse(text, Path::new("f.yaml")).expect_err("malformed");
    assert!(
        e.to_string()
            .starts_with(&format!("f.yaml:{}:{}: ", e.line, e.column)),
        "{e}"
    );
    (e.line, e.column, e.message)
}

const FULL: &str = "\
name: smoke
developer: local
accounts: [install-1, acct_123]
loops: 3
stop_on_failure: true
steps:
  - install
  - assert_install: {permissions: [customer_read], livemode: false}
  - call:
      path: /v1/customers
      params: {limit: 3, 'metadata[plan]': pro}
      as: developer
      expect:
        status: 200
        json:
          - {pointer: /object, equals: list}
          - {pointer: /data/0/id, matches: '^cus_'}
          - {pointer: /has_more, exists: true}
  - refresh
  - expire
  - expire: {seconds: 10}
  - uninstall
  - wait_event: {type: account.application.deauthorized, timeout_secs: 5}
";

#[test]
fn a_full_flow_parses_with_defaults_filled_in() {
    let f = parse(FULL, Path::new("f.yaml")).unwrap();
    assert_eq!(f.name, "smoke");
    assert_eq!(
        f.accounts,
        [AccountSpec::Install(1), AccountSpec::Id("acct_123".into())]
    );
    assert_eq!(
        (f.loops, f.stop_on_failure, f.keep_installs),
        (3, true, false)
    );
    let kinds: Vec<_> = f.steps.iter().map(Step::kind).collect();
    assert_eq!(
        kinds,
        [
            "install",
            "assert_install",
            "call",
            "refresh",
            "expire",
            "expire",
            "uninstall",
            "wait_event"
        ]
    );
    let Step::Call(c) = &f.steps[2] else { panic!() };
    assert_eq!((c.method, c.call_as), (Method::GET, CallAs::Developer));
    assert_eq!(
        c.params.0,
        [
            ("limit".to_string(), "3".to_string()),
            ("metadata[plan]".into(), "pro".into())
        ]
    );
    assert_eq!(c.expect.status, Some(200));
    assert!(matches!(c.expect.json[1].test, JsonTest::Matches(_)));
    let Step::Expire(e) = &f.steps[4] else {
        panic!()
    };
    assert_eq!(e.seconds, 3660, "an access token's lifetime + 60 s");
    assert_eq!(f.steps[2].label(), "GET /v1/customers");

    let minimal = parse("name: m\nsteps: [install]\n", Path::new("m.yaml")).unwrap();
    assert_eq!(minimal.developer, "local");
    assert_eq!(minimal.accounts, [AccountSpec::Install(1)]);
    assert_eq!(minimal.loops, 1);
}

#[test]
fn malformed_flows_are_located_at_the_offending_node() {
    // Unknown top-level key.
    assert_eq!(err("name: x\nloopz: 2\nsteps: [install]\n").0, 2);
    // Unknown step name, second item.
    let (l, c, m) = err("name: x\nsteps:\n  - install\n  - instal\n");
    assert_eq!((l, c), (4, 5), "{m}");
    assert!(m.contains("unknown step `instal`"), "{m}");
    // A call without a path.
    let (l, _, m) = err("name: x\nsteps:\n  - install\n  - call: {method: GET}\n");
    assert_eq!(l, 4, "{m}");
    assert!(m.contains("path"), "{m}");
    // A bad regex, deep inside.
    let (l, c, m) = err("name: x\nsteps:\n  - call:\n      path: /v1/x\n      expect:\n        json:\n          - {pointer: /a, matches: '(['}\n");
    assert_eq!((l, c), (7, 36), "{m}");
    assert!(m.contains("not a valid regex"), "{m}");
    // A pointer without its slash.
    let (l, _, m) = err("name: x\nsteps:\n  - call:\n      path: /v1/x\n      expect:\n        json: [{pointer: data, exists: true}]\n");
    assert_eq!(l, 6, "{m}");
    assert!(m.contains("not a JSON pointer"), "{m}");
    // Two tests in one check.
    let (_, _, m) = err("name: x\nsteps:\n  - call:\n      path: /v1/x\n      expect:\n        json: [{pointer: /a, exists: true, equals: 1}]\n");
    assert!(m.contains("exactly one"), "{m}");
    // Zero loops, a bad account, a path outside /v1.
    assert_eq!(err("name: x\nloops: 0\nsteps: [install]\n").0, 2);
    let (l, _, m) = err("name: x\naccounts: [install-1, bob]\nsteps: [install]\n");
    assert_eq!(l, 2, "{m}");
    assert!(m.contains("\"bob\" is not an account"), "{m}");
    assert!(err("name: x\nsteps:\n  - call: {path: customers}\n")
        .2
        .contains("/v1/"));
    // Options on a step that takes none; two steps in one item; no steps.
    assert!(err("name: x\nsteps:\n  - uninstall: {now: true}\n")
        .2
        .contains("takes no options"));
    assert!(err("name: x\nsteps:\n  - install: {}\n    uninstall:\n")
        .2
        .contains("one step per list item"));
    assert!(err("name: x\nsteps: []\n").2.contains("at least one step"));
    // Not YAML at all.
    let (l, _, _) = err("name: x\nsteps: [install\n");
    assert!(l >= 2);
    // Missing name.
    assert!(err("steps: [install]\n").2.contains("name"));
}
