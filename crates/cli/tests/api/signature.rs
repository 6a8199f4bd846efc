//! `appdeck sign …` / `appdeck verify …`: round trips through the binary, each
//! failure with its exit code (1 mismatch or expired, 2 malformed or usage).

use std::time::{SystemTime, UNIX_EPOCH};

use super::support::*;
use super::with_stdin;

const SECRET: &str = "whsec_cli_test_secret_0123456789";

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[test]
fn stripe_signature_round_trip_and_each_failure() {
    let env = Env::new();
    let payload = env.path().join("event.json");
    std::fs::write(&payload, "{\"id\":\"evt_1\",\"object\":\"event\"}\n").unwrap();
    let p = payload.to_str().unwrap();
    let t = now().to_string();

    let (code, out, err) = with_stdin(
        &env,
        &[
            "sign",
            "stripe-signature",
            "--secret-stdin",
            "--payload",
            p,
            "--timestamp",
            &t,
        ],
        SECRET,
    );
    assert_eq!(code, 0, "{err}");
    let header = out.trim().to_string();
    assert!(
        header.starts_with(&format!("t={t},v1=")) && header.len() == t.len() + 2 + 4 + 64,
        "t=…,v1=<64 hex>: {header}"
    );
    assert!(!out.contains(SECRET) && !err.contains(SECRET));

    let verify = |header: &str, payload: &str, extra: &[&str]| {
        let mut args = vec![
            "verify",
            "stripe-signature",
            "--secret-stdin",
            "--header",
            header,
            "--payload",
            payload,
        ];
        args.extend(extra);
        with_stdin(&env, &args, &format!("{SECRET}\n"))
    };
    let (code, out, err) = verify(&header, p, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with(&format!("valid (t={t}, age "))
            && out.trim_end().ends_with("tolerance 300s)"),
        "{out}"
    );

    let tampered = env.path().join("tampered.json");
    std::fs::write(&tampered, "{\"id\":\"evt_2\",\"object\":\"event\"}\n").unwrap();
    let (code, _, err) = verify(&header, tampered.to_str().unwrap(), &[]);
    assert_eq!(code, 1);
    assert!(err.starts_with("error[signature-mismatch]: "), "{err}");

    let old = (now() - 3600).to_string();
    let (_, old_header, _) = with_stdin(
        &env,
        &[
            "sign",
            "stripe-signature",
            "--secret-stdin",
            "--payload",
            p,
            "--timestamp",
            &old,
        ],
        SECRET,
    );
    let (code, _, err) = verify(old_header.trim(), p, &[]);
    assert_eq!(code, 1, "an hour old, outside 300 s");
    assert!(err.starts_with("error[signature-expired]: "), "{err}");
    let (code, out, _) = verify(old_header.trim(), p, &["--tolerance", "7200"]);
    assert_eq!(code, 0, "inside a wider tolerance: {out}");
    let (code, out, _) = verify(old_header.trim(), p, &["--tolerance", "0"]);
    assert_eq!(code, 0);
    assert!(out.contains("tolerance not checked"), "{out}");

    for bad in ["garbage", "t=abc,v1=00", "t=1700000000", "v1=00"] {
        let (code, _, err) = verify(bad, p, &[]);
        assert_eq!(code, 2, "malformed {bad:?}: {err}");
        assert!(err.starts_with("error[invalid-input]: "), "{err}");
    }

    let (code, _, err) = with_stdin(
        &env,
        &["sign", "stripe-signature", "--secret-stdin", "--payload", p],
        "",
    );
    assert_eq!(code, 2, "no secret on stdin: {err}");
    let (code, _, _) = with_stdin(
        &env,
        &[
            "sign",
            "stripe-signature",
            "--secret-stdin",
            "--payload",
            "missing.json",
        ],
        SECRET,
    );
    assert_eq!(code, 2, "an unreadable payload file");
    let (code, _, _) = with_stdin(&env, &["sign", "stripe-signature", "--payload", p], SECRET);
    assert_eq!(code, 2, "--secret-stdin is required");
}

#[test]
fn install_and_ui_extension_signatures_cover_the_documented_payloads() {
    let env = Env::new();
    let ids = ["--user-id", "usr_1", "--account-id", "acct_1"];
    let mut sign = vec![
        "sign",
        "install-signature",
        "--secret-stdin",
        "--state",
        "st_1",
    ];
    sign.extend(ids);
    let (code, header, err) = with_stdin(&env, &sign, SECRET);
    assert_eq!(code, 0, "{err}");
    let header = header.trim();
    let check = |state: &str| {
        let mut args = vec![
            "verify",
            "install-signature",
            "--secret-stdin",
            "--header",
            header,
            "--state",
            state,
        ];
        args.extend(ids);
        with_stdin(&env, &args, SECRET)
    };
    assert_eq!(check("st_1").0, 0);
    let (code, _, err) = check("st_other");
    assert_eq!(code, 1, "another state: {err}");
    assert!(err.starts_with("error[signature-mismatch]"));

    // What fetchStripeSignature() sends verifies as a Stripe-Signature over
    // {"user_id","account_id"} in that order, then the extension's payload.
    let extra = env.path().join("extra.json");
    std::fs::write(&extra, r#"{"plan":"pro"}"#).unwrap();
    let mut args = vec!["sign", "ui-extension", "--secret-stdin", "--payload"];
    args.push(extra.to_str().unwrap());
    args.extend(ids);
    let (code, header, err) = with_stdin(&env, &args, SECRET);
    assert_eq!(code, 0, "{err}");
    let body = r#"{"user_id":"usr_1","account_id":"acct_1","plan":"pro"}"#;
    assert!(err.contains(body), "the signed body is shown: {err}");
    let signed = env.path().join("signed.json");
    std::fs::write(&signed, body).unwrap();
    let (code, _, err) = with_stdin(
        &env,
        &[
            "verify",
            "stripe-signature",
            "--secret-stdin",
            "--header",
            header.trim(),
            "--payload",
            signed.to_str().unwrap(),
        ],
        SECRET,
    );
    assert_eq!(code, 0, "{err}");

    std::fs::write(&extra, "[1]").unwrap();
    let mut args = vec!["sign", "ui-extension", "--secret-stdin", "--payload"];
    args.push(extra.to_str().unwrap());
    args.extend(ids);
    assert_eq!(
        with_stdin(&env, &args, SECRET).0,
        2,
        "the payload must be an object"
    );
}
