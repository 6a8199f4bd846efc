//! Secrets never leak, over a whole CLI session: add an account, install an
//! app, refresh its tokens, call the API as both, set a Secret Store secret;
//! then look for every secret value used — the account's key, the local
//! developer key, every access and refresh token the install ever had (read
//! from the keychain as they rotate), the Secret Store payload — in every
//! file under the test's directories (config dir: accounts, installs, the API
//! history; the project), in everything each command printed (stdout and
//! stderr are the CLI's logs), in every process's `/proc/*/cmdline`, and in
//! the environment of our own processes (the sandbox, this test): zero hits.
//!
//! The scan can fail: a self-check plants a marker in a file, a command line
//! and an environment, and the same scan must find all three.
//!
//! It needs the Secret Service (`keyring_or_skip`; CI runs it under
//! `.ci/with-keychain`): tokens must outlive one process.

#[path = "../support/sandbox.rs"]
mod support;

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::json;
use support::*;

/// Where a needle was found.
#[derive(Debug, PartialEq)]
struct Hit {
    needle: String,
    place: String,
}

/// What the scan looks through.
struct Haystack {
    roots: Vec<PathBuf>,
    outputs: Vec<(String, String)>,
    our_pids: Vec<u32>,
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        match e.file_type() {
            Ok(t) if t.is_dir() => files_under(&p, out),
            Ok(t) if t.is_file() => out.push(p),
            _ => {}
        }
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Every place holding one of `needles` (label, value).
fn scan(h: &Haystack, needles: &[(String, String)]) -> Vec<Hit> {
    let mut places: Vec<(String, Vec<u8>)> = Vec::new();
    for root in &h.roots {
        let mut files = Vec::new();
        files_under(root, &mut files);
        for f in files {
            if let Ok(bytes) = std::fs::read(&f) {
                places.push((format!("file {}", f.display()), bytes));
            }
        }
    }
    for (label, text) in &h.outputs {
        places.push((format!("output of {label}"), text.clone().into_bytes()));
    }
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if name.chars().all(|c| c.is_ascii_digit()) {
            if let Ok(bytes) = std::fs::read(e.path().join("cmdline")) {
                places.push((format!("/proc/{name}/cmdline"), bytes));
            }
        }
    }
    for pid in &h.our_pids {
        let bytes = std::fs::read(format!("/proc/{pid}/environ"))
            .unwrap_or_else(|e| panic!("our process {pid}'s environment is readable: {e}"));
        places.push((format!("/proc/{pid}/environ"), bytes));
    }
    let mut hits = Vec::new();
    for (label, value) in needles {
        assert!(value.len() >= 12, "{label} is a real secret to look for");
        for (place, bytes) in &places {
            if contains(bytes, value.as_bytes()) {
                hits.push(Hit {
                    needle: label.clone(),
                    place: place.clone(),
                });
            }
        }
    }
    hits
}

/// Runs a command to the end, keeping what it printed.
fn run(env: &Env, outputs: &mut Vec<(String, String)>, args: &[&str], stdin: &str) -> String {
    let out = env.appdeck(args).write_stdin(stdin).output().unwrap();
    let (stdout, stderr) = (stdout_of(&out), stderr_of(&out));
    assert!(out.status.success(), "appdeck {args:?}: {stderr}");
    outputs.push((
        format!("appdeck {}", args.join(" ")),
        format!("{stdout}\n{stderr}"),
    ));
    stdout
}

fn random_hex(n: usize) -> String {
    let mut out = String::new();
    let mut x = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    while out.len() < n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.push_str(&format!("{x:016x}"));
    }
    out.truncate(n);
    out
}

#[test]
fn a_whole_session_leaves_no_secret_in_files_output_command_lines_or_environments() {
    if !keyring_or_skip("secret_scan") {
        return;
    }
    let mut env = Env::new();
    let mut outputs = Vec::new();
    run(
        &env,
        &mut outputs,
        &[
            "manifest",
            "grant",
            "permission",
            "secret_write",
            "Keeps the app's API token for its backend",
        ],
        "",
    );
    env.serve();
    let base = env.base_url();
    let mut needles: Vec<(String, String)> = Vec::new();

    let developer_key = developer_key(&base);
    needles.push(("the local developer key".into(), developer_key));

    let account = control(&base, "/accounts", json!({"display_name": "Scan"}));
    let key = account["secret_key"].as_str().unwrap().to_string();
    run(
        &env,
        &mut outputs,
        &[
            "accounts",
            "add",
            "scan",
            "--key-stdin",
            "--api-base",
            &base,
        ],
        &key,
    );
    needles.push(("the added account's key".into(), key));

    let mut flow = install_flow(&env);
    let url = flow.open_url();
    outputs.push(("install run (the Open: URL)".into(), url.clone()));
    consent_and_follow(&url);
    let (status, out, err) = flow.finish(Duration::from_secs(30));
    assert_eq!(status.code(), Some(0), "{err}");
    outputs.push(("install run".into(), format!("{out}\n{err}")));
    let handle = json(&out)["install"]["install"]
        .as_str()
        .unwrap()
        .to_string();

    let remember_tokens = |needles: &mut Vec<(String, String)>, when: &str| {
        for kind in ["access-token", "refresh-token"] {
            let value = secret_tool_lookup(&env.service, &format!("{kind}:local:{handle}"))
                .unwrap_or_else(|| panic!("the {kind} is in the keychain"));
            needles.push((format!("the {kind} {when}"), value));
        }
    };
    remember_tokens(&mut needles, "after install");
    run(&env, &mut outputs, &["tokens", "refresh", &handle], "");
    run(&env, &mut outputs, &["tokens", "list"], "");
    remember_tokens(&mut needles, "after refresh");

    run(
        &env,
        &mut outputs,
        &["api", "get", "/v1/customers", "--install", &handle],
        "",
    );
    run(
        &env,
        &mut outputs,
        &["api", "get", "/v1/account", "--account", "scan"],
        "",
    );
    run(
        &env,
        &mut outputs,
        &[
            "api",
            "post",
            "/v1/customers",
            "-d",
            "name=Scan",
            "--account",
            "scan",
        ],
        "",
    );
    let payload = format!("ss_payload_{}", random_hex(24));
    run(
        &env,
        &mut outputs,
        &[
            "secrets",
            "set",
            "scan_secret",
            "--payload-stdin",
            "--install",
            &handle,
        ],
        &payload,
    );
    needles.push(("the Secret Store payload".into(), payload));
    run(&env, &mut outputs, &["api", "history"], "");
    run(&env, &mut outputs, &["api", "history", "--json"], "");
    run(
        &env,
        &mut outputs,
        &["api", "curl", "get", "/v1/customers", "--install", &handle],
        "",
    );
    remember_tokens(&mut needles, "at the end");
    assert!(
        env.config_dir().join("installs.json").is_file(),
        "the session wrote its records where the scan looks"
    );

    let sandbox_pid = env.sandbox.as_ref().unwrap().child.id();
    let hay = Haystack {
        roots: vec![env.path().to_path_buf()],
        outputs: outputs.clone(),
        our_pids: vec![std::process::id(), sandbox_pid],
    };
    let hits = scan(&hay, &needles);
    assert!(hits.is_empty(), "secrets found: {hits:#?}");
    eprintln!(
        "secret_scan: {} secret values, {} commands' output, files under {}, every /proc/*/cmdline, 2 environments: 0 hits",
        needles.len(),
        outputs.len(),
        env.path().display()
    );

    // The self-check: the same scan finds a planted value in each kind of place.
    let marker = format!("planted_{}", random_hex(20));
    std::fs::write(env.config_dir().join("planted.txt"), format!("x{marker}y")).unwrap();
    // `sleep 30` run under the marker as its argv[0], with the marker in its
    // environment. (`sh -c` won't do: a shell may exec its last command and
    // lose its own argv.) Waits until the kernel shows it, so the check is of
    // the scan, not of how fast a process starts.
    let mut sleeper = Command::new("sleep")
        .arg0(&marker)
        .arg("30")
        .env("APPDECK_PLANTED", &marker)
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let cmdline = format!("/proc/{}/cmdline", sleeper.id());
    let planted = (0..100).any(|_| {
        let shown = std::fs::read(&cmdline).unwrap_or_default();
        let ok = shown.windows(marker.len()).any(|w| w == marker.as_bytes());
        if !ok {
            std::thread::sleep(Duration::from_millis(50));
        }
        ok
    });
    assert!(planted, "the planted process shows its marker in {cmdline}");
    let mut hay = hay;
    hay.our_pids.push(sleeper.id());
    hay.outputs
        .push(("a planted line".into(), format!("note: {marker}")));
    let found = scan(&hay, &[("the marker".into(), marker)]);
    let _ = sleeper.kill();
    let _ = sleeper.wait();
    let places: Vec<&str> = found.iter().map(|h| h.place.as_str()).collect();
    assert!(
        places.iter().any(|p| p.ends_with("planted.txt"))
            && places.iter().any(|p| p.ends_with("/cmdline"))
            && places.iter().any(|p| p.ends_with("/environ"))
            && places.iter().any(|p| p.starts_with("output of")),
        "the scan finds a planted value in a file, a command line, an environment and an output: {places:?}"
    );
}
