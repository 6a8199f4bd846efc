//! The runner against the embedded sandbox (in process): flows that pass
//! across accounts and loops, token rotation through the sandbox clock, a
//! failing step that skips the rest of its loop only, `stop_on_failure`, and
//! reports that hold no secret. The sandbox matches redirect URIs exactly, as
//! Stripe does: each env lists a loopback URI on a port of its own.

use std::path::Path;
use std::sync::{Arc, Mutex};

use appdeck_sandbox::{AppRegistration, PermissionGrant, RunningSandbox, Sandbox, SandboxConfig};
use tokio_util::sync::CancellationToken;

use super::flow::parse;
use super::result::{Outcome, RunReport};
use super::run::{run, Progress, RunOptions};
use crate::context::{Context, LocalApp, LocalSandbox};
use crate::keychain::MemoryStore;
use crate::oauth::install::AppManifest;
use crate::secret::{ApiKey, SigningSecret};

const APP: &str = "com.example.qa-test";

struct Env {
    sandbox: RunningSandbox,
    ctx: Context,
    _dir: tempfile::TempDir,
    redirect: String,
}

async fn env() -> Env {
    env_with(&["customer_read", "event_read"]).await
}

async fn env_with(permissions: &[&str]) -> Env {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port");
    let redirect = format!("http://127.0.0.1:{port}/callback");
    let sandbox = Sandbox::start(SandboxConfig {
        app: Some(AppRegistration {
            id: APP.into(),
            permissions: permissions
                .iter()
                .map(|p| PermissionGrant {
                    permission: p.to_string(),
                    purpose: "test".into(),
                })
                .collect(),
            redirect_uris: vec![redirect.clone()],
            distribution: "public".into(),
            access_type: "oauth".into(),
        }),
        auto_consent: true,
        rate_limit: false,
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox starts");
    let info = sandbox.info();
    let app = info.app.clone().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ctx = Context::new(dir.path().to_path_buf(), Arc::new(MemoryStore::new())).with_local(
        LocalSandbox {
            base_url: info.base_url.clone(),
            account_id: info.developer.account.clone(),
            secret_key: ApiKey::new(info.developer.secret_key.clone()),
            app: Some(LocalApp {
                id: app.id,
                client_id: app.client_id,
                channel_link: app.channel_link,
                signing_secret: SigningSecret::new(app.signing_secret),
            }),
        },
    );
    Env {
        sandbox,
        ctx,
        _dir: dir,
        redirect,
    }
}

fn app(env: &Env) -> AppManifest {
    AppManifest {
        id: APP.into(),
        access_type: "oauth".into(),
        redirect_uris: vec![env.redirect.clone()],
        ..Default::default()
    }
}

async fn go(env: &Env, text: &str) -> (RunReport, Vec<String>) {
    let flow = parse(text, Path::new("t.yaml")).unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s2 = seen.clone();
    let progress = Arc::new(move |p: &Progress| {
        if let Progress::StepDone {
            account,
            loop_index,
            label,
            outcome,
            ..
        } = p
        {
            s2.lock().unwrap().push(format!(
                "{account}/{loop_index}/{label}/{}",
                outcome.as_str()
            ));
        }
    });
    let report = run(
        &env.ctx,
        &flow,
        app(env),
        &RunOptions::default(),
        progress,
        &CancellationToken::new(),
    )
    .await
    .expect("the run starts");
    let seen = seen.lock().unwrap().clone();
    (report, seen)
}

fn failures(r: &RunReport) -> Vec<String> {
    r.iterations
        .iter()
        .flat_map(|i| i.steps.iter())
        .filter(|s| s.outcome == Outcome::Failed)
        .map(|s| format!("{}: {}", s.label, s.message.clone().unwrap_or_default()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_install_smoke_flow_passes_across_accounts_and_loops() {
    let env = env().await;
    let (r, seen) = go(
        &env,
        "\
name: smoke
accounts: [install-1, install-3]
loops: 2
steps:
  - install
  - assert_install: {permissions: [customer_read, event_read], exact: true, livemode: false}
  - call:
      path: /v1/customers
      params: {limit: 2}
      expect:
        status: 200
        json:
          - {pointer: /object, equals: list}
          - {pointer: /data/0/id, matches: '^cus_'}
  - uninstall
  - wait_event: {type: account.application.deauthorized, timeout_secs: 5}
",
    )
    .await;
    assert!(r.passed(), "{:?}", failures(&r));
    assert_eq!(r.iterations.len(), 4, "2 loops × 2 accounts");
    assert_eq!(r.loop_durations_ms.len(), 2);
    let order: Vec<_> = r
        .iterations
        .iter()
        .map(|i| format!("{}/{}", i.account, i.loop_index))
        .collect();
    assert_eq!(
        order,
        ["install-1/1", "install-3/1", "install-1/2", "install-3/2"],
        "loops are the outer order"
    );
    let ids = env.sandbox.info().accounts;
    assert_eq!(
        r.iterations[1].account_id.as_deref(),
        Some(ids[2].account.as_str()),
        "install-3 is the third install account"
    );
    assert_eq!(seen.len(), 20, "a progress line per step: {seen:?}");
    assert_eq!(
        r.notes.len(),
        1,
        "auto-consent was switched off for install-3: {:?}",
        r.notes
    );
    let settings: serde_json::Value =
        reqwest::get(format!("{}/_appdeck/settings", env.sandbox.base_url()))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    assert_eq!(
        settings["auto_consent"], true,
        "auto-consent is switched back on"
    );
    assert!(
        crate::installs::list(&env.ctx).unwrap().is_empty(),
        "no install record is left behind"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_rotation_refreshes_after_the_sandbox_clock_moves() {
    let env = env().await;
    let (r, _) = go(
        &env,
        "\
name: rotation
steps:
  - install
  - call: {path: /v1/customers, expect: {refreshed: false}}
  - expire
  - call: {path: /v1/customers, expect: {status: 200, refreshed: true}}
  - refresh
  - call: {path: /v1/customers, expect: {refreshed: false}}
  - uninstall
",
    )
    .await;
    assert!(r.passed(), "{:?}", failures(&r));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_step_skips_the_rest_of_its_loop_and_reports_hold_no_secret() {
    let env = env().await;
    let text = "\
name: failing
accounts: [install-1, install-2]
loops: 2
steps:
  - install
  - call: {path: /v1/customers, expect: {status: 201, json: [{pointer: /object, equals: customer}]}}
  - uninstall
";
    let (r, _) = go(&env, text).await;
    assert!(!r.passed());
    assert_eq!(
        r.iterations.len(),
        4,
        "a failure does not stop the other accounts and loops"
    );
    for it in &r.iterations {
        let outcomes: Vec<_> = it.steps.iter().map(|s| s.outcome).collect();
        assert_eq!(
            outcomes,
            [Outcome::Passed, Outcome::Failed, Outcome::Skipped]
        );
    }
    let step = &r.iterations[0].steps[1];
    let msg = step.message.as_deref().unwrap();
    assert!(
        msg.contains("status: expected 201, got 200")
            && msg.contains("/object: expected \"customer\", found \"list\""),
        "{msg}"
    );
    let x = step
        .exchange
        .as_ref()
        .expect("the request and response are kept");
    assert_eq!(x.status, Some(200));
    assert!(
        x.request.starts_with("GET http://127.0.0.1:")
            && x.response.contains("\"object\": \"list\""),
        "{x:?}"
    );

    let dir = tempfile::tempdir().unwrap();
    let written = super::report::write_all(&r, dir.path(), None).unwrap();
    let info = env.sandbox.info();
    let mut secrets: Vec<String> = info.accounts.iter().map(|a| a.secret_key.clone()).collect();
    secrets.push(info.developer.secret_key.clone());
    let token = regex::Regex::new(r"(sk_test_oauth_|rt_)[A-Za-z0-9]{8,}").unwrap();
    for path in [&written.markdown, &written.svg, &written.junit] {
        let text = std::fs::read_to_string(path).unwrap();
        for s in &secrets {
            assert!(!text.contains(s.as_str()), "{} holds a key", path.display());
        }
        assert!(
            !token.is_match(&text),
            "{} holds a token body",
            path.display()
        );
    }
    let md = std::fs::read_to_string(&written.markdown).unwrap();
    assert!(
        md.contains("**FAILED**")
            && md.contains("![Step timings per loop and account](timings.svg)"),
        "{md}"
    );

    let (stopped, _) = go(
        &env,
        &text.replace("loops: 2\n", "loops: 2\nstop_on_failure: true\n"),
    )
    .await;
    assert!(stopped.stopped);
    assert_eq!(
        stopped.iterations.len(),
        1,
        "stop_on_failure ends the run at the first failure"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_created_customer_is_read_back_through_its_capture() {
    let env = env_with(&["customer_write", "event_read"]).await;
    let (r, _) = go(
        &env,
        "\
name: roundtrip
accounts: [install-1, install-2]
loops: 2
steps:
  - install
  - call:
      method: POST
      path: /v1/customers
      params: {name: QA roundtrip, 'metadata[n]': 7}
      save: {customer: /id, n: /metadata/n}
  - call:
      path: /v1/customers/{{customer}}
      expect:
        json:
          - {pointer: /id, equals: '{{customer}}'}
          - {pointer: /metadata/n, equals: '{{n}}'}
          - {pointer: /name, equals: 'QA {{n}}'}
  - uninstall
",
    )
    .await;
    let failed = failures(&r);
    assert_eq!(failed.len(), 4, "{failed:?}");
    assert!(
        failed
            .iter()
            .all(|f| f.contains("/name: expected \"QA 7\", found \"QA roundtrip\"")),
        "only the deliberately wrong check fails; /id and /metadata/n equal what was saved: {failed:?}"
    );
    let text = "\
name: roundtrip
steps:
  - install
  - call:
      method: POST
      path: /v1/customers
      save: {customer: /id}
  - call:
      path: /v1/customers/{{customer}}
      expect: {json: [{pointer: /id, equals: '{{customer}}'}, {pointer: /object, equals: customer}]}
  - uninstall
";
    let (r, _) = go(&env, text).await;
    assert!(r.passed(), "{:?}", failures(&r));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_value_that_cannot_be_saved_or_used_fails_its_step() {
    let env = env_with(&["customer_write"]).await;
    let (r, _) = go(
        &env,
        "\
name: absent
steps:
  - install
  - call:
      method: POST
      path: /v1/customers
      save: {customer: /id, plan: /metadata/plan}
  - call: {path: /v1/customers}
  - uninstall
",
    )
    .await;
    let steps = &r.iterations[0].steps;
    assert_eq!(
        steps.iter().map(|s| s.outcome).collect::<Vec<_>>(),
        [
            Outcome::Passed,
            Outcome::Failed,
            Outcome::Skipped,
            Outcome::Skipped
        ]
    );
    assert_eq!(
        steps[1].message.as_deref(),
        Some("save plan: /metadata/plan is absent in the 200 response")
    );
    let x = steps[1].exchange.as_ref().expect("the response is kept");
    assert!(x.response.contains("\"object\": \"customer\""), "{x:?}");

    let (r, _) = go(
        &env,
        "\
name: object in a path
steps:
  - install
  - call:
      method: POST
      path: /v1/customers
      params: {'metadata[plan]': pro}
      save: {meta: /metadata}
  - call:
      path: /v1/customers/{{meta}}
  - uninstall
",
    )
    .await;
    let step = &r.iterations[0].steps[2];
    assert_eq!(step.outcome, Outcome::Failed);
    let m = step.message.as_deref().unwrap();
    assert!(
        m.starts_with("{{meta}} holds an object ({\"plan\":\"pro\"})")
            && m.contains("can't stand in a path"),
        "{m}"
    );
}
