//! Signatures (`appdeck sign` / `appdeck verify`; the Signatures screen's
//! `sign_stripe_signature`, `sign_ui_extension`, `verify_stripe_signature`):
//! the same header for the same secret, payload and time, the same body
//! signed for a UI extension, and the same refusal code for a changed
//! payload.

use appdeck_shell::commands::signature::{
    sign_stripe_signature, sign_ui_extension, verify_stripe_signature,
};
use serde_json::json;

use crate::sandbox::{stderr_of, stdout_of, with_stdin, Env};
use crate::support::{arg, rt};

const T: i64 = 1_700_000_000;

fn cli_with_secret(env: &Env, secret: &str, args: &[&str]) -> std::process::Output {
    with_stdin(env.std_command(args), secret)
}

#[test]
fn a_webhook_signature_is_the_same_header_and_a_changed_payload_the_same_refusal() {
    let env = Env::new();
    let payload = r#"{"id":"evt_1","type":"customer.created"}"#;
    std::fs::write(env.path().join("event.json"), payload).unwrap();
    let out = cli_with_secret(
        &env,
        "whsec_cross_face",
        &[
            "sign",
            "stripe-signature",
            "--secret-stdin",
            "--payload",
            "event.json",
            "--timestamp",
            &T.to_string(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let by_cli = stdout_of(&out).trim().to_string();
    let rt = rt();
    let by_shell = rt
        .block_on(sign_stripe_signature(arg(json!({
            "secret": "whsec_cross_face", "payload": payload, "timestamp": T
        }))))
        .unwrap();
    assert_eq!(by_cli, by_shell);

    // The payload changed after signing: both refuse with one code.
    std::fs::write(env.path().join("changed.json"), format!("{payload} ")).unwrap();
    let out = cli_with_secret(
        &env,
        "whsec_cross_face",
        &[
            "verify",
            "stripe-signature",
            "--secret-stdin",
            "--payload",
            "changed.json",
            "--header",
            &by_cli,
            "--tolerance",
            "0",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let refused = rt
        .block_on(verify_stripe_signature(arg(json!({
            "secret": "whsec_cross_face", "header": by_shell, "payload": format!("{payload} "), "tolerance_secs": 0
        }))))
        .unwrap_err();
    assert!(
        stderr_of(&out).contains(&format!("error[{}]", refused.code.as_str())),
        "the CLI's code is the shell's {}: {}",
        refused.code.as_str(),
        stderr_of(&out)
    );
}

#[test]
fn a_ui_extension_signature_signs_the_same_body_into_the_same_header() {
    let env = Env::new();
    std::fs::write(env.path().join("extra.json"), r#"{"plan": "pro"}"#).unwrap();
    let out = cli_with_secret(
        &env,
        "absec_cross_face",
        &[
            "sign",
            "ui-extension",
            "--secret-stdin",
            "--user-id",
            "usr_1",
            "--account-id",
            "acct_1",
            "--payload",
            "extra.json",
            "--timestamp",
            &T.to_string(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let signed = rt()
        .block_on(sign_ui_extension(arg(json!({
            "secret": "absec_cross_face", "user_id": "usr_1", "account_id": "acct_1",
            "payload": r#"{"plan": "pro"}"#, "timestamp": T
        }))))
        .unwrap();
    assert_eq!(stdout_of(&out).trim(), signed.header);
    assert!(
        stderr_of(&out).contains(&format!("signed body: {}", signed.signed_payload)),
        "the CLI shows the body the shell returns ({}): {}",
        signed.signed_payload,
        stderr_of(&out)
    );
}
