//! The recorder: a journal renders a flow that parses back with the flow
//! parser, names where each step came from, and bakes in nothing that only
//! held for the recorded run (install handles, account and object ids,
//! secrets): an id an earlier replayed call returned is carried by a capture.

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, TimeZone, Utc};

use super::flow::{self, CallAs, Step};
use super::record::{Caller, Journal, RecordError, WITHHELD};
use crate::console::request::{ApiRequest, AuthAs};
use crate::installs::{InstallRecord, InstallStatus};
use crate::keychain::Mode;

pub(super) const HANDLE: &str = "inst_0a1b2c3d4e5f";
pub(super) const ACCT: &str = "acct_1Install2Abc";
const CREATED: &str = "cus_Q8n2Xk4LpZr7Tw";

pub(super) fn at(s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 2, 30, s).unwrap()
}

pub(super) fn record(handle: &str, account: &str, kind: &str) -> InstallRecord {
    InstallRecord {
        install: handle.into(),
        app: "com.example.appdeck-sample".into(),
        account: "local".into(),
        mode: Mode::Local,
        stripe_user_id: account.into(),
        livemode: false,
        scope: "read_write".into(),
        kind: kind.into(),
        access_expires_at: None,
        status: InstallStatus::Active,
        installed_at: "2026-11-22T02:30:00Z".into(),
        refreshed_at: None,
        access_token_hint: None,
        refresh_token_hint: None,
    }
}

pub(super) fn req(method: &str, path: &str, params: &[(&str, &str)], auth: AuthAs) -> ApiRequest {
    ApiRequest::new(method, path, params, auth)
}

pub(super) fn as_install() -> (AuthAs, Caller) {
    (
        AuthAs::Install {
            install: HANDLE.into(),
        },
        Caller::Install {
            install: HANDLE.into(),
            developer: "local".into(),
            account_id: ACCT.into(),
        },
    )
}

pub(super) fn labels() -> HashMap<String, String> {
    HashMap::from([(ACCT.to_string(), "install-1".to_string())])
}

pub(super) fn parse(text: &str) -> flow::Flow {
    flow::parse(text, Path::new("recorded.yaml")).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// The journal of: an install, a list call, a create, a get of what it
/// created, a Secret Store write, a 404, a refresh.
fn session() -> Journal {
    let mut j = Journal::new();
    j.install_started("flow_1", Some("http://127.0.0.1/callback".into()));
    j.install_finished("flow_1", &record(HANDLE, ACCT, "oauth"), at(1));
    let (auth, caller) = as_install();
    j.call(
        &req("GET", "/v1/customers", &[("limit", "3")], auth.clone()),
        caller.clone(),
        200,
        r#"{"object":"list"}"#,
        at(2),
    );
    let created = format!(r#"{{"id":"{CREATED}","object":"customer"}}"#);
    j.call(
        &req(
            "POST",
            "/v1/customers",
            &[("name", "QA: \"quoted\" # not a comment")],
            auth.clone(),
        ),
        caller.clone(),
        200,
        &created,
        at(3),
    );
    j.call(
        &req(
            "GET",
            &format!("/v1/customers/{CREATED}"),
            &[],
            auth.clone(),
        ),
        caller.clone(),
        200,
        &created,
        at(4),
    );
    j.call(
        &req(
            "POST",
            "/v1/apps/secrets",
            &[
                ("name", "api_key"),
                ("payload", "sk_test_fake_payload_x"),
                ("scope[type]", "account"),
            ],
            auth.clone(),
        ),
        caller.clone(),
        200,
        r#"{"id":"appsecret_Zx9Yw8Vu7T","object":"apps.secret"}"#,
        at(5),
    );
    j.call(
        &req("GET", "/v1/nothing_here", &[], auth),
        caller,
        404,
        r#"{"error":{}}"#,
        at(6),
    );
    j.refresh(HANDLE, at(7));
    j
}

#[test]
fn a_recorded_session_renders_a_flow_that_parses_back() {
    let text = session().render("recorded smoke", &labels()).unwrap();
    let f = parse(&text);
    assert_eq!(f.name, "recorded smoke");
    assert_eq!(f.developer, "local");
    assert_eq!(
        f.accounts
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["install-1"],
        "the sandbox account by its label, not its id"
    );
    let kinds: Vec<_> = f.steps.iter().map(Step::kind).collect();
    assert_eq!(
        kinds,
        ["install", "call", "call", "call", "call", "call", "refresh"],
        "the GET of the created customer is a step too:\n{text}"
    );
    let Step::Install(i) = &f.steps[0] else {
        unreachable!()
    };
    assert_eq!(i.redirect_uri.as_deref(), Some("http://127.0.0.1/callback"));
    assert!(!i.platform);
    let Step::Call(list) = &f.steps[1] else {
        unreachable!()
    };
    assert_eq!(
        (list.path.as_str(), list.params.0.clone(), list.call_as),
        (
            "/v1/customers",
            vec![("limit".to_string(), "3".to_string())],
            CallAs::Install
        )
    );
    assert_eq!(
        list.expect.status,
        Some(200),
        "the status seen becomes the assertion"
    );
    let Step::Call(create) = &f.steps[2] else {
        unreachable!()
    };
    assert_eq!(
        create.params.0[0].1, "QA: \"quoted\" # not a comment",
        "values are quoted, not read as YAML"
    );
    let saves: Vec<_> = create
        .save
        .0
        .iter()
        .map(|(n, p)| (n.as_str(), p.0.as_str()))
        .collect();
    assert_eq!(
        saves,
        [("customer", "/id")],
        "the create saves the id the GET uses"
    );
    let Step::Call(get) = &f.steps[3] else {
        unreachable!()
    };
    assert_eq!(get.path, "/v1/customers/{{customer}}");
    let Step::Call(missing) = &f.steps[5] else {
        unreachable!()
    };
    assert_eq!(
        missing.expect.status,
        Some(404),
        "a non-2xx status seen is asserted too"
    );
    assert!(
        text.contains("# 1. Install screen, 02:30:01: OAuth install into install-1 as local"),
        "{text}"
    );
    assert!(
        text.contains("# 2. API screen, 02:30:02: GET /v1/customers (limit=3) → 200"),
        "{text}"
    );
}

#[test]
fn nothing_per_run_is_baked_in() {
    let text = session().render("r", &labels()).unwrap();
    for literal in [HANDLE, ACCT, CREATED, "sk_test_fake_payload_x"] {
        assert!(!text.contains(literal), "{literal} is in the flow:\n{text}");
    }
    assert!(
        text.contains("# 4. API screen, 02:30:04: GET /v1/customers/{{customer}} → 200")
            && text.contains("      save: {customer: /id}\n      expect: {status: 200}\n"),
        "the created id is carried by a capture:\n{text}"
    );
    let f = parse(&text);
    let Step::Call(secret) = &f.steps[4] else {
        unreachable!()
    };
    let payload = secret
        .params
        .0
        .iter()
        .find(|(k, _)| k == "payload")
        .unwrap();
    assert_eq!(
        payload.1, WITHHELD,
        "a secret parameter is sent as a placeholder"
    );
    assert!(text.contains("the value of payload was a secret"), "{text}");
    // An id that was not created in the recording but is shaped like one is left out too.
    let mut j = Journal::new();
    j.install_started("f", None);
    j.install_finished("f", &record(HANDLE, ACCT, "oauth"), at(1));
    let (auth, caller) = as_install();
    j.call(
        &req("GET", "/v1/customers/cus_Old1Seeded2Obj", &[], auth),
        caller,
        200,
        "{}",
        at(2),
    );
    let text = j.render("r", &labels()).unwrap();
    assert!(
        !text.contains("cus_Old1Seeded2Obj")
            && text.contains("a cus_… id of the recorded sandbox's data")
            && text.contains("no earlier replayed step returned it"),
        "{text}"
    );
    assert_eq!(parse(&text).steps.len(), 1);
}

#[test]
fn calls_as_the_developer_on_the_install_and_installs_before_recording() {
    // The install was made before recording: the flow installs first.
    let mut j = Journal::new();
    let (auth, caller) = as_install();
    j.call(
        &req("GET", "/v1/customers", &[], auth),
        caller,
        200,
        "{}",
        at(1),
    );
    let mut dev = req("GET", "/v1/balance", &[], AuthAs::Account { name: None });
    dev.stripe_account = Some(ACCT.into());
    j.call(
        &dev,
        Caller::Account {
            name: "local".into(),
        },
        200,
        "{}",
        at(2),
    );
    let own = req(
        "GET",
        "/v1/balance",
        &[],
        AuthAs::Account {
            name: Some("local".into()),
        },
    );
    j.call(
        &own,
        Caller::Account {
            name: "local".into(),
        },
        200,
        "{}",
        at(3),
    );
    let mut raw = req(
        "POST",
        "/v1/customers",
        &[],
        AuthAs::Install {
            install: HANDLE.into(),
        },
    );
    raw.raw_body = Some("name=x".into());
    j.call(&raw, as_install().1, 200, "{}", at(4));
    let text = j.render("r", &labels()).unwrap();
    let f = parse(&text);
    let kinds: Vec<_> = f.steps.iter().map(Step::kind).collect();
    assert_eq!(kinds, ["install", "call", "call"], "{text}");
    assert!(
        text.contains("(added) the calls below used an install made before recording started"),
        "{text}"
    );
    let Step::Call(c) = &f.steps[2] else {
        unreachable!()
    };
    assert_eq!(
        (c.path.as_str(), c.call_as),
        ("/v1/balance", CallAs::Developer)
    );
    assert!(
        text.contains("key on its own account"),
        "a call on the developer's own account is a comment:\n{text}"
    );
    assert!(text.contains("raw body"), "{text}");
}

#[test]
fn a_second_account_platform_links_and_empty_journals() {
    let mut j = Journal::new();
    j.install_started("a", None);
    j.install_finished("a", &record(HANDLE, ACCT, "platform"), at(1));
    j.install_started("b", None);
    j.install_finished(
        "b",
        &record("inst_ffffffffffff", "acct_2Other3Xyz", "oauth"),
        at(2),
    );
    j.call(
        &req(
            "GET",
            "/v1/customers",
            &[],
            AuthAs::Install {
                install: "inst_ffffffffffff".into(),
            },
        ),
        Caller::Install {
            install: "inst_ffffffffffff".into(),
            developer: "local".into(),
            account_id: "acct_2Other3Xyz".into(),
        },
        200,
        "{}",
        at(3),
    );
    j.install_started("c", None);
    j.install_abandoned("c");
    j.install_finished("c", &record("inst_cccccccccccc", ACCT, "oauth"), at(4));
    let mut l = labels();
    l.insert("acct_2Other3Xyz".into(), "install-2".into());
    let text = j.render("r", &l).unwrap();
    let f = parse(&text);
    assert_eq!(f.steps.len(), 1, "only the first account's steps:\n{text}");
    let Step::Install(i) = &f.steps[0] else {
        unreachable!()
    };
    assert!(i.platform, "a platform-link install is replayed as one");
    assert!(
        text.contains(
            "not replayed: Install screen, 02:30:02: OAuth install into install-2 as local"
        ),
        "{text}"
    );
    assert!(text.contains("another account than the flow's"), "{text}");
    assert!(matches!(
        Journal::new().render("r", &l),
        Err(RecordError::Empty)
    ));
    let mut only_own = Journal::new();
    only_own.call(
        &req("GET", "/v1/balance", &[], AuthAs::Account { name: None }),
        Caller::Account {
            name: "local".into(),
        },
        200,
        "{}",
        at(1),
    );
    assert!(
        matches!(only_own.render("r", &l), Err(RecordError::Empty)),
        "nothing replayable is refused, not saved empty"
    );
}

#[test]
fn saving_never_replaces_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("flows/recorded.yaml");
    super::record::save(&path, "name: x\nsteps: [install]\n").unwrap();
    assert!(matches!(
        super::record::save(&path, "other"),
        Err(RecordError::Exists(_))
    ));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "name: x\nsteps: [install]\n"
    );
}
