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

const SAVES: &str = "\
name: roundtrip
steps:
  - install
  - call:
      method: POST
      path: /v1/customers
      save: {customer: /id, 'n_2': /metadata/n}
  - call:
      path: /v1/customers/{{customer}}
      params: {expand: '{{ customer }}', limit: 1}
      expect:
        json:
          - {pointer: /id, equals: '{{customer}}'}
          - {pointer: /metadata, equals: {n: '{{n_2}}'}}
";

#[test]
fn captures_parse_and_keep_their_text_until_the_run() {
    let f = parse(SAVES, Path::new("f.yaml")).unwrap();
    let Step::Call(create) = &f.steps[1] else {
        panic!()
    };
    let saves: Vec<_> = create
        .save
        .0
        .iter()
        .map(|(n, p)| (n.as_str(), p.0.as_str()))
        .collect();
    assert_eq!(saves, [("customer", "/id"), ("n_2", "/metadata/n")]);
    let Step::Call(get) = &f.steps[2] else {
        panic!()
    };
    assert_eq!(get.path, "/v1/customers/{{customer}}");
    assert_eq!(get.params.0[0].1, "{{ customer }}");
    assert!(
        matches!(&get.expect.json[0].test, JsonTest::Equals(v) if v == "{{customer}}"),
        "{:?}",
        get.expect.json[0].test
    );
    assert_eq!(
        f.steps[2].label(),
        "GET /v1/customers/{{customer}}",
        "reports name the step as written"
    );
}

#[test]
fn a_capture_that_is_not_saved_before_its_use_is_located() {
    let call = |body: &str| format!("name: x\nsteps:\n  - install\n{body}");
    // Unknown, in a path (block style: `{` can't sit in a flow-style plain scalar).
    let (l, c, m) = err(&call("  - call:\n      path: /v1/customers/{{nobody}}\n"));
    assert_eq!((l, c), (5, 13), "{m}");
    assert!(
        m.contains("unknown capture `{{nobody}}`") && m.contains("this flow saves nothing"),
        "{m}"
    );
    // Used before the step that saves it, in a parameter value.
    let (l, c, m) = err(&call(
        "  - call:\n      path: /v1/customers\n      params: {customer: '{{customer}}'}\n  - call:\n      method: POST\n      path: /v1/customers\n      save: {customer: /id}\n",
    ));
    assert_eq!((l, c), (6, 26), "{m}");
    assert!(
        m.contains("used before it is saved: step 3 saves it"),
        "{m}"
    );
    // In the same step, whichever order the keys come in.
    for body in [
        "  - call:\n      path: /v1/customers/{{customer}}\n      save: {customer: /id}\n",
        "  - call:\n      save: {customer: /id}\n      path: /v1/customers/{{customer}}\n",
    ] {
        let (l, c, m) = err(&call(body));
        assert_eq!(c, 13, "{m}");
        assert!(
            (5..=6).contains(&l) && m.contains("saved by this same step"),
            "{l}: {m}"
        );
    }
    // In an expected value, with the names the flow does save listed.
    let (l, c, m) = err(&call(
        "  - call:\n      method: POST\n      path: /v1/customers\n      save: {customer: /id}\n  - call:\n      path: /v1/customers\n      expect:\n        json:\n          - {pointer: /id, equals: '{{custmer}}'}\n",
    ));
    assert_eq!((l, c), (12, 36), "{m}");
    assert!(m.contains("saved in this flow: customer"), "{m}");
    // Unquoted, `{{customer}}` is a YAML map: the message says to quote it.
    let (l, _, m) = err(&call(
        "  - call:\n      method: POST\n      path: /v1/customers\n      save: {customer: /id}\n  - call:\n      path: /v1/customers\n      expect:\n        json:\n          - pointer: /id\n            equals: {{customer}}\n",
    ));
    assert_eq!(l, 13, "{m}");
    assert!(m.contains("quote it"), "{m}");
    // A malformed use, a bad name, a repeated name, a pointer without its slash.
    let (l, c, m) = err(&call("  - call:\n      path: /v1/x/{{cus-tomer}}\n"));
    assert_eq!((l, c), (5, 13), "{m}");
    assert!(m.contains("not a capture"), "{m}");
    let (l, c, m) = err(&call(
        "  - call:\n      path: /v1/x\n      save: {1st: /id}\n",
    ));
    assert_eq!((l, c), (6, 14), "{m}");
    assert!(m.contains("not a capture name"), "{m}");
    let (l, c, m) = err(&call(
        "  - call:\n      path: /v1/x\n      save: {a: /id, a: /x}\n",
    ));
    assert_eq!((l, c), (6, 22), "{m}");
    assert!(m.contains("already saves `a`"), "{m}");
    let (l, c, m) = err(&call("  - call:\n      path: /v1/x\n      save: {a: id}\n"));
    assert_eq!((l, c), (6, 17), "{m}");
    assert!(m.contains("not a JSON pointer"), "{m}");
}

#[test]
fn captures_read_outside_the_parser_are_refused() {
    let e = serde_norway::from_str::<super::flow::Flow>(SAVES).expect_err("unchecked");
    assert!(
        e.to_string().contains("checked while a flow is parsed"),
        "{e}"
    );
    assert!(
        parse(SAVES, Path::new("f.yaml")).is_ok(),
        "the parser's scope is gone once it returns, and a new parse gets a fresh one"
    );
}
