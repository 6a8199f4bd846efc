//! The QA commands' logic over real services (the embedded sandbox on
//! 127.0.0.1:0, secrets in memory): a recorded install and call saved as a
//! flow that runs and passes, the example flow, cancel, and what may be opened.

use std::sync::Mutex;
use std::time::Duration;

use appdeck_core::console::request::AuthAs;
use appdeck_core::keychain::MemoryStore;
use appdeck_core::oauth::install::InstallRequest;
use appdeck_core::qa::result::Outcome;

use super::*;
use crate::commands::{console, install};
use crate::services::Opener;

/// The system browser: follows the link (accepting the sandbox's consent
/// page for the first install account) to the app's loopback.
fn browser() -> Opener {
    Arc::new(|url: &str| {
        let url = url.to_string();
        tauri::async_runtime::spawn(async move {
            let http = appdeck_core::qa::browser::client();
            let _ = appdeck_core::qa::browser::follow_redirects(&http, &url, None).await;
        });
        Ok(())
    })
}

/// The sample with its fixed loopback port (8765) replaced by one free now, so
/// tests running in parallel never share a callback port; the embedded
/// sandbox matches redirect URIs exactly, as Stripe does.
fn sample_with_loopback(project: &Path) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo.join("stripe-app.json")).unwrap())
            .unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port");
    let uris = m["allowed_redirect_uris"].as_array_mut().unwrap();
    uris.retain(|u| {
        !u.as_str()
            .unwrap_or_default()
            .starts_with("http://127.0.0.1")
    });
    uris.insert(0, format!("http://127.0.0.1:{port}/callback").into());
    std::fs::create_dir_all(project.join("flows")).unwrap();
    std::fs::write(project.join("stripe-app.json"), m.to_string()).unwrap();
    std::fs::copy(
        repo.join("flows/install-smoke.yaml"),
        project.join("flows/install-smoke.yaml"),
    )
    .unwrap();
}

/// The services over a memory keychain for the project in `dir/app` (made
/// with [`sample_with_loopback`]), config in `dir/config`.
async fn services_for(dir: &Path) -> Arc<Services> {
    let project = dir.join("app");
    Arc::new(
        Services::start_with_store(
            dir.join("config"),
            &project,
            Arc::new(MemoryStore::new()),
            browser(),
        )
        .await,
    )
}

#[test]
fn a_recorded_install_and_call_saves_a_flow_that_runs_and_passes() {
    tauri::async_runtime::block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("app");
        sample_with_loopback(&project);
        let manifest = project.join("stripe-app.json");
        let svc = services_for(dir.path()).await;
        let qa = Arc::new(QaState::default());
        let ctx = svc.context();

        // Recording: an install from the Install screen, a call from the API screen.
        lock(&qa.recorder).recording = true;
        let started = install::start(
            &svc,
            InstallRequest::default(),
            Duration::from_secs(30),
            Box::new(|_| {}),
        )
        .await
        .unwrap();
        note_install_started(&qa, &started.flow, None);
        let outcome = install::wait(&svc, &started.flow).await.unwrap();
        note_install_ended(&qa, &ctx, &started.flow, Some(&outcome.install));
        let req = ApiRequest {
            method: "GET".into(),
            path: "/v1/customers".into(),
            params: vec![("limit".into(), "2".into())],
            raw_body: None,
            stripe_account: None,
            stripe_version: None,
            idempotency_key: None,
            auth: AuthAs::Install {
                install: outcome.install.install.clone(),
            },
        };
        let resp = console::send(&svc, &req).await.unwrap();
        note_call(&qa, &ctx, &req, &resp);
        assert_eq!(
            record_status(&qa).steps,
            2,
            "the install and the call are in the journal"
        );
        lock(&qa.recorder).recording = false;
        note_call(&qa, &ctx, &req, &resp);
        assert_eq!(
            record_status(&qa).steps,
            2,
            "nothing is appended once recording is off"
        );

        let path = files::flows_dir(&manifest).join("recorded.yaml");
        let saved = record_save(&qa, &ctx, &path, "recorded").await.unwrap();
        assert_eq!(
            (saved.error.as_deref(), saved.steps),
            (None, 2),
            "{saved:?}"
        );
        assert_eq!(saved.accounts, ["install-1"]);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            !text.contains(&outcome.install.install)
                && !text.contains(&outcome.install.stripe_user_id),
            "{text}"
        );
        let listed: Vec<_> = files::list(&files::flows_dir(&manifest))
            .into_iter()
            .map(|f| f.file_name)
            .collect();
        assert_eq!(
            listed,
            ["install-smoke.yaml", "recorded.yaml"],
            "the new flow is in the picker"
        );
        assert_eq!(
            record_save(&qa, &ctx, &path, "again")
                .await
                .unwrap_err()
                .code,
            ErrorCode::InvalidInput,
            "never over a file"
        );

        // Both the example flow and the recorded one run and pass.
        for flow in ["install-smoke.yaml", "recorded.yaml"] {
            let seen: Arc<Mutex<Vec<Progress>>> = Arc::default();
            let sink = seen.clone();
            let spec = RunSpec {
                flow: files::flows_dir(&manifest).join(flow),
                manifest: manifest.clone(),
                accounts: None,
                loops: Some(2),
            };
            let started = start(
                &svc,
                &qa,
                spec,
                Arc::new(move |p: &Progress| sink.lock().unwrap().push(p.clone())),
            )
            .unwrap();
            assert!(
                qa.runs.is_running(&started.run),
                "the run is a job while it goes"
            );
            let result = wait(&qa, &started.run).await.unwrap();
            assert!(result.passed, "{flow}: {:#?}", result.report.iterations);
            // The shape of QaRunResult and QaStarted in ui/src/bindings.
            let json = serde_json::to_value(&result).unwrap();
            let keys: Vec<&str> = json
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            assert_eq!(keys, ["run", "passed", "totals", "report", "files"]);
            assert_eq!(
                json["files"].as_object().unwrap().len(),
                3,
                "markdown, svg, junit"
            );
            let started_json = serde_json::to_value(&started).unwrap();
            assert!(started_json["run"].is_string() && started_json["report_dir"].is_string());
            assert!(qa.runs.is_empty(), "and removed when it was awaited");
            let done = seen
                .lock()
                .unwrap()
                .iter()
                .filter(|p| {
                    matches!(
                        p,
                        Progress::StepDone {
                            outcome: Outcome::Passed,
                            ..
                        }
                    )
                })
                .count();
            assert_eq!(
                done, result.totals.steps,
                "{flow}: a passed step-done event per step"
            );
            assert!(std::fs::read_to_string(&result.files.markdown)
                .unwrap()
                .contains("**PASSED**"));
            assert!(
                result
                    .files
                    .markdown
                    .starts_with(project.join("qa-reports")),
                "reports sit beside the manifest"
            );
            assert_eq!(
                report_path(&qa, &started.run, ReportKind::Junit).unwrap(),
                result.files.junit
            );
            assert!(
                wait(&qa, &started.run).await.is_err(),
                "a run is awaited once"
            );
        }
        assert!(
            report_path(&qa, "qa_other", ReportKind::Markdown).is_err(),
            "only what a run of this session wrote opens"
        );
        svc.shutdown().await;
    });
}

#[test]
fn a_cancelled_run_ends_with_what_ran() {
    tauri::async_runtime::block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("app");
        sample_with_loopback(&project);
        let manifest = project.join("stripe-app.json");
        let flow = project.join("flows/waits.yaml");
        std::fs::write(&flow, "name: waits\nsteps:\n  - install\n  - wait_event: {type: never.happens, timeout_secs: 60}\n").unwrap();
        let svc = services_for(dir.path()).await;
        let qa = Arc::new(QaState::default());
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let spec = RunSpec {
            flow,
            manifest,
            accounts: None,
            loops: None,
        };
        let started = start(
            &svc,
            &qa,
            spec,
            Arc::new(move |p: &Progress| {
                let _ = tx.send(p.clone());
            }),
        )
        .unwrap();
        while let Some(p) = rx.recv().await {
            if matches!(p, Progress::Step { index: 2, .. }) {
                break;
            }
        }
        // Cancelled while the UI waits, as the QA screen does.
        let waiting = wait(&qa, &started.run);
        let cancelling = async {
            tokio::time::sleep(Duration::from_millis(50)).await;
            cancel(&qa, &started.run);
        };
        let (result, ()) = tokio::time::timeout(Duration::from_secs(20), async {
            tokio::join!(waiting, cancelling)
        })
        .await
        .unwrap();
        let result = result.unwrap();
        assert!(qa.runs.is_empty(), "the run ended with its wait");
        assert!(result.report.cancelled && !result.passed);
        assert_eq!(
            result.report.iterations[0].steps[0].outcome,
            Outcome::Passed
        );
        assert!(
            result.files.junit.is_file(),
            "the report is written after a cancel too"
        );
        svc.shutdown().await;
    });
}
