//! The QA screen's answers (`qa.json`): the project's flow files as core
//! describes them (one malformed, one missing), real runs against the
//! embedded sandbox with the progress each streams (across accounts and
//! loops, a failing step, a real account's consent pause cancelled or
//! accepted), the results as the shell hands them over, and a recording saved
//! as a flow, refused a second time, and run.

use std::path::Path;
use std::sync::{Arc, Mutex};

use appdeck_core::accounts::{self, AddOptions};
use appdeck_core::apps;
use appdeck_core::console::request::{ApiRequest, AuthAs};
use appdeck_core::error::{Coded, ErrorCode};
use appdeck_core::keychain::Mode;
use appdeck_core::local::control::Control;
use appdeck_core::oauth::install::AppManifest;
use appdeck_core::qa::files;
use appdeck_core::qa::flow::{self, AccountSpec};
use appdeck_core::qa::record::{self, Caller, Journal};
use appdeck_core::qa::report;
use appdeck_core::qa::run::{self, Progress, RunOptions};
use appdeck_core::secret::ApiKey;
use serde_json::json;
use tokio_util::sync::CancellationToken;

use crate::canned::Canned;
use crate::console::sent;
use crate::install::{loopback_install, project, Streamed};
use crate::scrub::Scrub;
use crate::support::{Folder, Sandboxed};

const SMOKE: &str = "name: install smoke
description: install, check the grant, list customers as the install, uninstall, the deauthorized event
developer: local
accounts: [install-1]
steps:
  - install
  - assert_install:
      permissions: [customer_read, event_read, secret_write]
      livemode: false
  - call:
      name: list customers as the install
      path: /v1/customers
      params: {limit: 3}
      expect: {status: 200}
  - uninstall
  - wait_event:
      type: account.application.deauthorized
      timeout_secs: 10
";

const FAILS: &str = "name: fails
developer: local
accounts: [install-1]
steps:
  - install
  - call:
      name: expects the wrong status
      path: /v1/customers
      expect: {status: 201}
  - uninstall
";

const BAD: &str = "name: bad
developer: local
accounts: [install-1]
steps:
  - install
  - instal
";

/// Against a real account (here a test-mode profile on the sandbox's API):
/// the runner pauses on the consent URL for the user.
fn real(account: &str) -> String {
    format!(
        "name: real
developer: dev
accounts: [{account}]
consent_timeout_secs: 20
steps:
  - install
  - call:
      name: list customers
      path: /v1/customers
      params: {{limit: 1}}
"
    )
}

/// A run as the shell drives it: progress streamed, the report written,
/// the result as `qa_wait` answers it (run id `qa_1`).
struct Run {
    progress: Vec<Progress>,
    result: serde_json::Value,
}

async fn run_flow(
    env: &Sandboxed,
    proj: &Folder,
    app: &AppManifest,
    file: &Path,
    accounts: Option<&[&str]>,
    loops: Option<u32>,
    during: impl AsyncFnOnce(&Arc<Mutex<Vec<Progress>>>, &CancellationToken),
) -> Run {
    let flow = flow::load(file).unwrap();
    let opts = RunOptions {
        file: file.to_path_buf(),
        accounts: accounts.map(|a| a.iter().map(|s| AccountSpec::parse(s).unwrap()).collect()),
        loops,
    };
    let seen: Arc<Mutex<Vec<Progress>>> = Arc::default();
    let sink = seen.clone();
    let progress: run::ProgressFn =
        Arc::new(move |p: &Progress| sink.lock().unwrap().push(p.clone()));
    let cancel = CancellationToken::new();
    let (ctx, flow_app, token) = (env.ctx.clone(), app.clone(), cancel.clone());
    let task =
        tokio::spawn(async move { run::run(&ctx, &flow, flow_app, &opts, progress, &token).await });
    during(&seen, &cancel).await;
    let report = task.await.unwrap().unwrap_or_else(|e| panic!("{e}"));
    let manifest = proj.file("stripe-app.json");
    let dir = files::report_dir(&manifest, file, "qa_1", env.ctx.clock.now());
    let written = report::write_all(&report, &dir, None).unwrap();
    let progress = seen.lock().unwrap().clone();
    Run {
        progress,
        result: json!({
            "run": "qa_1",
            "passed": report.passed(),
            "totals": report.totals(),
            "report": report,
            "files": written,
        }),
    }
}

impl Run {
    fn put(self, out: &mut Canned, name: &str) {
        out.put(&format!("{name}Progress"), &self.progress);
        out.put_as(&format!("{name}Result"), "QaRunResult", &self.result);
    }
}

async fn nothing(_: &Arc<Mutex<Vec<Progress>>>, _: &CancellationToken) {}

/// Waits until the run pauses on a consent URL, and returns it.
async fn consent_url(seen: &Arc<Mutex<Vec<Progress>>>) -> String {
    for _ in 0..200 {
        let url = seen.lock().unwrap().iter().find_map(|p| match p {
            Progress::Consent { url, .. } => Some(url.clone()),
            _ => None,
        });
        if let Some(url) = url {
            return url;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the run never asked for consent")
}

#[tokio::test]
async fn qa_screen() {
    let mut scrub = Scrub::new();
    let (proj, env, app) = project(&mut scrub).await;
    let mut out = Canned::new("qa");
    let smoke = proj.write("flows/install-smoke.yaml", SMOKE);
    let fails = proj.write("flows/fails.yaml", FAILS);
    let bad = proj.write("flows/bad.yaml", BAD);
    out.put("flowSmoke", &files::describe(&smoke));
    out.put("flowFails", &files::describe(&fails));
    let malformed = files::describe(&bad);
    assert!(malformed.error.is_some());
    out.put("flowBad", &malformed);
    let missing = files::describe(&proj.file("elsewhere/missing.yaml"));
    assert!(missing.error.is_some());
    out.put("flowMissing", &missing);

    let two = ["install-1", "install-2"];
    run_flow(&env, &proj, &app, &smoke, Some(&two), Some(2), nothing)
        .await
        .put(&mut out, "smokeTwoByTwo");
    run_flow(&env, &proj, &app, &smoke, None, None, nothing)
        .await
        .put(&mut out, "smoke");
    run_flow(&env, &proj, &app, &fails, None, None, nothing)
        .await
        .put(&mut out, "fails");

    real_account(&env, &proj, &app, &mut out).await;
    recording(&env, &proj, &app, &mut out).await;
    out.write(&mut scrub);
}

/// A developer profile in test mode on the sandbox's API (so the runner
/// treats it as real and asks for consent), the app's test-mode client id
/// and channel link configured. The consent link points at Stripe's
/// marketplace; the user here opens its path on the sandbox instead.
async fn real_account(env: &Sandboxed, proj: &Folder, app: &AppManifest, out: &mut Canned) {
    let ctx = &env.ctx;
    let checked = AddOptions {
        api_base: Some(env.info.base_url.clone()),
        ..AddOptions::default()
    };
    let key = ApiKey::new(env.info.developer.secret_key.clone());
    accounts::add(ctx, "dev", key, &checked).await.unwrap();
    let sandbox_app = env.info.app.clone().unwrap();
    let channel_link = Some(sandbox_app.channel_link.as_str());
    apps::configure(
        ctx,
        &app.id,
        Mode::Test,
        &sandbox_app.client_id,
        channel_link,
        None,
    )
    .unwrap();
    let target = env.info.accounts[0].account.clone();
    let file = proj.write("flows/real.yaml", &real(&target));
    out.put("flowReal", &files::describe(&file));

    let cancelled = run_flow(env, proj, app, &file, None, None, async |seen, cancel| {
        consent_url(seen).await;
        cancel.cancel();
    })
    .await;
    assert_eq!(cancelled.result["report"]["cancelled"], true);
    cancelled.put(out, "realCancelled");

    let base = env.info.base_url.clone();
    let accepted = run_flow(env, proj, app, &file, None, None, async |seen, _| {
        let url = consent_url(seen).await;
        let on_sandbox = url.replace(apps::MARKETPLACE_BASE, &base);
        let browser = appdeck_core::qa::browser::client();
        appdeck_core::qa::browser::follow_redirects(&browser, &on_sandbox, None)
            .await
            .expect("the consent lands on the loopback");
    })
    .await;
    assert_eq!(accepted.result["passed"], true, "{}", accepted.result);
    accepted.put(out, "realAccepted");
}

/// What the shell's recorder notes while recording is on (an install on the
/// Install screen, a call as it on the API screen), saved as a flow and run.
async fn recording(env: &Sandboxed, proj: &Folder, app: &AppManifest, out: &mut Canned) {
    let ctx = &env.ctx;
    let mut journal = Journal::new();
    journal.install_started("flow_1", None);
    let (_, installed) = loopback_install(env, app, &Streamed::default(), None).await;
    journal.install_finished("flow_1", &installed.install, ctx.clock.now());
    let auth = AuthAs::Install {
        install: installed.install.install.clone(),
    };
    let req = ApiRequest::new("GET", "/v1/customers", &[("limit", "3")], auth.clone());
    let resp = sent(env, &req).await;
    journal.call(
        &req,
        Caller::of(ctx, &auth),
        resp.status,
        &resp.body,
        ctx.clock.now(),
    );
    let control = Control::new(ctx.http.clone(), &env.info.base_url);
    let labels = control
        .install_accounts()
        .await
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.clone(), format!("install-{}", i + 1)))
        .collect();
    let text = journal.render("Recorded smoke", &labels).unwrap();
    let manifest = proj.file("stripe-app.json");
    let path = files::recorded_flow_path(&manifest, "Recorded smoke");
    record::save(&path, &text).unwrap();
    out.put("recordedFlow", &files::describe(&path));
    let again = record::save(&path, &text).unwrap_err();
    assert_eq!(again.code(), ErrorCode::InvalidInput);
    out.error("recordedExists", &again);
    run_flow(env, proj, app, &path, None, None, nothing)
        .await
        .put(out, "recorded");
}
