//! The pause at consent for a real (non-local) account, which unattended runs
//! against the local sandbox never reach. "Local" is the developer account's
//! mode (`run.rs`): a test-mode account is real to the runner, whatever its
//! API base. So here Stripe is played by a second sandbox started without
//! auto-consent: the developer account `dev` is its developer key with
//! `--api-base` at it, and the app's test-mode client id and channel link are
//! its own (`apps set`). The runner prints Stripe's install link and waits;
//! the test plays the user: it opens that link on the stand-in (Stripe's
//! marketplace is not reachable from a test, so only the origin is swapped),
//! submits the consent page for the account the flow names, and follows the
//! redirect to the runner's loopback. The run then continues and passes.
//! Secrets outlive one process here (accounts add → qa run), so this needs the
//! Secret Service (`.ci/with-keychain`; skipped loudly without one).

use std::io::{BufRead, BufReader, Read};
use std::process::{Command as StdCommand, Stdio};
use std::time::Duration;

use super::support::*;

/// `appdeck sandbox serve` with auto-consent off, under its own config dir
/// (so it is not the `local` sandbox of the runner's config).
fn stand_in_for_stripe(env: &Env) -> Served {
    let mut child = StdCommand::new(env!("CARGO_BIN_EXE_appdeck"))
        .current_dir(env.path())
        .env("NO_COLOR", "1")
        .env("APPDECK_KEYCHAIN_SERVICE", &env.service)
        .env_remove("APPDECK_SANDBOX_URL")
        .env_remove("APPDECK_SECRET_STORE")
        .arg("--config-dir")
        .arg(env.path().join("stripe-config"))
        .args([
            "sandbox",
            "serve",
            "--json",
            "--no-rate-limit",
            "--port",
            "0",
            "--manifest",
        ])
        .arg(env.manifest())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("appdeck sandbox serve starts");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    Served {
        child,
        info: json(&line),
        stdout,
    }
}

/// The value of `name="…" value="…"` on the consent page's input.
fn hidden_input(html: &str, name: &str) -> String {
    let at = html
        .find(&format!("name=\"{name}\""))
        .unwrap_or_else(|| panic!("no {name} input: {html}"));
    let tag_start = html[..at].rfind('<').unwrap();
    let tag = &html[tag_start..tag_start + html[tag_start..].find('>').unwrap()];
    let v = tag
        .split("value=\"")
        .nth(1)
        .unwrap_or_else(|| panic!("no value in {tag}"));
    v[..v.find('"').unwrap()].to_string()
}

#[test]
fn a_real_account_pauses_at_consent_and_continues_when_the_user_accepts() {
    if !keyring_or_skip("qa/consent") {
        return;
    }
    let env = Env::new();
    let stripe = stand_in_for_stripe(&env);
    let base = stripe.info["base_url"].as_str().unwrap().to_string();
    let dev_key = stripe.info["developer"]["secret_key"]
        .as_str()
        .unwrap()
        .to_string();
    let app = &stripe.info["app"];
    let account = stripe.info["accounts"][1]["account"]
        .as_str()
        .unwrap()
        .to_string();

    env.use_as_stripe("dev", &dev_key, &base, app);

    let flow = env.path().join("real.yaml");
    std::fs::write(
        &flow,
        format!(
            "name: real account\ndeveloper: dev\naccounts: [{account}]\nconsent_timeout_secs: 60\nsteps:\n  - install\n  - assert_install: {{livemode: false}}\n  - call: {{path: /v1/customers, expect: {{status: 200}}}}\n"
        ),
    )
    .unwrap();
    let reports = env.path().join("reports");
    let mut run = env.std_command(["qa", "run"]);
    run.arg(&flow)
        .arg("--report-dir")
        .arg(&reports)
        .arg("--json");
    let mut running = Flow::spawn(run);
    let mut stderr = BufReader::new(running.child.stderr.take().unwrap());
    let mut seen = String::new();
    let url = loop {
        let mut line = String::new();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "stderr ended before the consent URL: {seen}"
        );
        seen.push_str(&line);
        if let Some(u) = line.strip_prefix("Open: ") {
            break u.trim().to_string();
        }
    };
    let mut next = String::new();
    stderr.read_line(&mut next).unwrap();
    assert!(
        next.contains(&format!("consent for {account} in the browser")),
        "{next}"
    );
    let stripe_link = format!(
        "https://marketplace.stripe.com/oauth/v2/{}/authorize?client_id=",
        app["channel_link"].as_str().unwrap()
    );
    assert!(
        url.starts_with(&stripe_link),
        "a real account gets Stripe's install link: {url}"
    );

    std::thread::sleep(Duration::from_millis(500));
    assert!(
        running.child.try_wait().unwrap().is_none(),
        "the run waits for the user"
    );

    // The user: open the link (on the stand-in), accept for the account, land on the loopback.
    let opened = url.replacen("https://marketplace.stripe.com", &base, 1);
    let (status, _, page) = get(&opened);
    assert_eq!(
        status, 200,
        "with auto-consent off the stand-in shows its consent page: {page}"
    );
    let consent = hidden_input(&page, "consent");
    let callback = rt().block_on(async {
        let r = http()
            .post(format!("{base}/oauth/v2/consent"))
            .form(&[
                ("consent", consent.as_str()),
                ("account", account.as_str()),
                ("decision", "accept"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 302, "accepting redirects to the app");
        r.headers()["location"].to_str().unwrap().to_string()
    });
    assert!(
        callback.starts_with(&format!("{}?", env.redirect)),
        "to the runner's loopback, on the manifest's own port: {callback}"
    );
    let (status, _, landing) = get(&callback);
    assert_eq!(
        status, 200,
        "the loopback answers once the code is exchanged: {landing}"
    );

    let exit = wait_for(&mut running.child, Duration::from_secs(60));
    let (mut out, mut rest) = (String::new(), String::new());
    running.stdout.read_to_string(&mut out).unwrap();
    stderr.read_to_string(&mut rest).unwrap();
    assert_eq!(exit.code(), Some(0), "{seen}{rest}\n{out}");
    let summary = json(&out);
    assert_eq!(summary["passed"], true, "{summary}");
    assert_eq!(
        summary["totals"]["passed"], 3,
        "install, assert, call: {summary}"
    );
    assert_eq!(
        summary["iterations"][0]["account_id"],
        account.as_str(),
        "the install went into the account consented for"
    );
    let md = std::fs::read_to_string(reports.join("report.md")).unwrap();
    assert!(md.contains("**PASSED**"), "{md}");
    assert!(!md.contains(&dev_key), "the report holds no key");
}
