//! The use cases that talk to a sandbox, both faces on the desktop's own
//! embedded one (the CLI gets `--sandbox`) and one config dir: the install
//! pre-flight checklist (`install check` / `install_check`), a call copied as
//! curl (`api curl` / `api_curl`), and a QA run (`qa run` / `qa_start` +
//! `qa_wait`): the same totals, and the report where the QA screen puts it.

use std::path::Path;

use appdeck_core::console::request::ApiRequest;
use appdeck_shell::commands::console::api_curl;
use appdeck_shell::commands::install::install_check;
use appdeck_shell::commands::qa::{qa_start, qa_wait};
use serde_json::{json, Value};
use tauri::ipc::Channel;

use crate::sandbox::{repo_root, Env};
use crate::support::{arg, as_json, cli, cli_json, rt, sandbox_url, shell};

#[test]
fn the_install_checklist_is_the_same_for_the_same_choices() {
    let env = Env::new();
    let rt = rt();
    let shell = rt.block_on(shell(&env));
    let base = rt.block_on(sandbox_url(&shell));
    for (flags, options) in [
        (vec![], json!({"platform": false})),
        (vec!["--platform"], json!({"platform": true})),
        (
            vec!["--redirect-uri", "http://127.0.0.1/elsewhere"],
            json!({"platform": false, "redirect_uri": "http://127.0.0.1/elsewhere"}),
        ),
    ] {
        let mut args = vec!["--sandbox", &base, "install", "check", "--json"];
        args.extend(flags.iter().copied());
        let (code, by_cli) = cli_json(&env, &args);
        let by_shell = as_json(
            &rt.block_on(install_check(&shell, arg(options.clone())))
                .unwrap(),
        );
        // The CLI names the manifest as given (`./stripe-app.json` by
        // default), the desktop by its absolute path; otherwise every line
        // is the same.
        let project = format!("{}/", env.path().display());
        let by_shell: Value =
            serde_json::from_str(&by_shell.to_string().replace(&project, "")).unwrap();
        assert_eq!(by_cli, by_shell, "{options}");
        assert_eq!(
            code == 0,
            by_shell["ok"] == true,
            "{options}: exit {code}; {by_shell}"
        );
    }
    rt.block_on(async { shell.services().await.shutdown().await });
}

#[test]
fn a_call_copied_as_curl_is_the_same_line() {
    let env = Env::new();
    let rt = rt();
    let shell = rt.block_on(shell(&env));
    let base = rt.block_on(sandbox_url(&shell));
    let (code, by_cli) = cli(
        &env,
        &[
            "--sandbox",
            &base,
            "api",
            "curl",
            "get",
            "/v1/customers",
            "-d",
            "limit=3",
            "-d",
            "expand[]=data.default_source",
        ],
    );
    assert_eq!(code, 0);
    let request: ApiRequest = arg(json!({
        "method": "GET", "path": "/v1/customers",
        "params": [["limit", "3"], ["expand[]", "data.default_source"]],
        "raw_body": null, "stripe_account": null, "stripe_version": null, "idempotency_key": null,
        "auth": {"kind": "account", "name": null}
    }));
    let by_shell = rt.block_on(api_curl(&shell, request, None)).unwrap();
    assert_eq!(by_cli.trim_end(), by_shell.trim_end());
    assert!(by_shell.contains("$STRIPE_API_KEY"), "{by_shell}");
    rt.block_on(async { shell.services().await.shutdown().await });
}

/// The report folder of a run: `qa-reports/<flow>/<time>-<run>/` beside the manifest.
fn report_home(report: &Path, project: &Path) -> String {
    report
        .parent()
        .and_then(Path::parent)
        .and_then(|p| p.strip_prefix(project).ok())
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| panic!("{} is not under {}", report.display(), project.display()))
}

#[test]
fn a_qa_run_has_the_same_totals_and_its_report_goes_to_the_same_place() {
    let env = Env::new();
    std::fs::create_dir_all(env.path().join("flows")).unwrap();
    let flow = env.path().join("flows/install-smoke.yaml");
    std::fs::copy(repo_root().join("flows/install-smoke.yaml"), &flow).unwrap();
    let rt = rt();
    let shell = rt.block_on(shell(&env));
    let base = rt.block_on(sandbox_url(&shell));

    let (code, by_cli) = cli_json(
        &env,
        &[
            "--sandbox",
            &base,
            "qa",
            "run",
            "flows/install-smoke.yaml",
            "--accounts",
            "install-1,install-2",
            "--loops",
            "2",
            "--json",
        ],
    );
    assert_eq!(code, 0, "{by_cli}");
    let options = json!({
        "flow": flow.display().to_string(),
        "manifest_path": env.manifest().display().to_string(),
        "accounts": ["install-1", "install-2"],
        "loops": 2
    });
    let by_shell = rt.block_on(async {
        let started = qa_start(&shell, arg(options), Channel::new(|_| Ok(())))
            .await
            .unwrap();
        qa_wait(&shell, started.run).await.unwrap()
    });
    assert!(by_shell.passed);
    assert_eq!(by_cli["passed"], true);
    assert_eq!(by_cli["totals"], as_json(&by_shell.totals));
    let steps = |v: &Value| -> Vec<(String, String)> {
        v.as_array()
            .unwrap()
            .iter()
            .flat_map(|i| i["steps"].as_array().unwrap().clone())
            .map(|s| (s["label"].to_string(), s["outcome"].to_string()))
            .collect()
    };
    assert_eq!(
        steps(&by_cli["iterations"]),
        steps(&as_json(&by_shell.report)["iterations"]),
        "the same steps with the same outcomes"
    );
    let cli_md = Path::new(by_cli["report"]["markdown"].as_str().unwrap()).to_path_buf();
    let cli_md = if cli_md.is_absolute() {
        cli_md
    } else {
        env.path().join(cli_md)
    };
    let project = env.path().canonicalize().unwrap();
    assert_eq!(
        report_home(&cli_md.canonicalize().unwrap(), &project),
        report_home(&by_shell.files.markdown.canonicalize().unwrap(), &project),
    );
    assert_eq!(
        report_home(&by_shell.files.markdown.canonicalize().unwrap(), &project),
        "qa-reports/install-smoke"
    );
    rt.block_on(async { shell.services().await.shutdown().await });
}
