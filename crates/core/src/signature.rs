//! Stripe-Signature style signatures: `t=<unix>,v1=<hex>[,v1=…]` where `v1` is
//! HMAC-SHA256 over `"<t>.<payload>"` with a secret, compared in constant time
//! against every `v1`; used for webhooks, install links' `install_signature`
//! (payload `{"state":…,"user_id":…,"account_id":…}` in that order) and UI
//! extensions' `fetchStripeSignature()` (`{"user_id":…,"account_id":…}`).

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::{Coded, ErrorCode};

pub const DEFAULT_TOLERANCE_SECS: i64 = 300;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the signature header is malformed: {0}; expected t=<unix>,v1=<hex>")]
    Malformed(String),
    #[error("no v1 signature matches: the payload or the secret differs from what was signed")]
    Mismatch,
    #[error("the signature is {age} seconds old, outside the {tolerance}-second tolerance")]
    TooOld { age: i64, tolerance: i64 },
}

impl Coded for SignatureError {
    fn code(&self) -> ErrorCode {
        match self {
            SignatureError::Malformed(_) => ErrorCode::InvalidInput,
            SignatureError::Mismatch => ErrorCode::SignatureMismatch,
            SignatureError::TooOld { .. } => ErrorCode::SignatureExpired,
        }
    }
}

fn hmac_hex(secret: &str, t: i64, payload: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(format!("{t}.{payload}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// `t=<t>,v1=<hex>`.
pub fn sign(secret: &str, payload: &str, t: i64) -> String {
    format!("t={t},v1={}", hmac_hex(secret, t, payload))
}

/// Verifies a header at time `now`; returns the signature's timestamp.
pub fn verify(
    header: &str,
    payload: &str,
    secret: &str,
    tolerance: i64,
    now: i64,
) -> Result<i64, SignatureError> {
    let mut t: Option<i64> = None;
    let mut sigs: Vec<&str> = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => {
                t = Some(
                    v.parse()
                        .map_err(|_| SignatureError::Malformed(format!("t={v} is not a number")))?,
                )
            }
            Some(("v1", v)) => sigs.push(v),
            Some(_) => {}
            None => return Err(SignatureError::Malformed(format!("\"{part}\" has no '='"))),
        }
    }
    let t = t.ok_or_else(|| SignatureError::Malformed("no t=".into()))?;
    if sigs.is_empty() {
        return Err(SignatureError::Malformed("no v1=".into()));
    }
    let expected = hmac_hex(secret, t, payload);
    let ok = sigs
        .iter()
        .any(|s| crate::oauth::state::matches(&expected, &s.to_ascii_lowercase()));
    if !ok {
        return Err(SignatureError::Mismatch);
    }
    let age = now - t;
    if tolerance > 0 && age.abs() > tolerance {
        return Err(SignatureError::TooOld { age, tolerance });
    }
    Ok(t)
}

/// The payload an install link's `install_signature` covers.
pub fn install_payload(state: &str, user_id: &str, account_id: &str) -> String {
    serde_json::json!({"state": state, "user_id": user_id, "account_id": account_id}).to_string()
}

/// The payload a UI extension's `fetchStripeSignature()` signs: `user_id`
/// and `account_id` first (in that order), then the extension's own payload
/// fields, if any.
pub fn ui_extension_payload(
    user_id: &str,
    account_id: &str,
    extra: Option<&serde_json::Value>,
) -> String {
    let mut map = serde_json::Map::new();
    map.insert("user_id".into(), user_id.into());
    map.insert("account_id".into(), account_id.into());
    if let Some(serde_json::Value::Object(o)) = extra {
        for (k, v) in o {
            if k != "user_id" && k != "account_id" {
                map.insert(k.clone(), v.clone());
            }
        }
    }
    serde_json::Value::Object(map).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_then_verify_and_each_failure() {
        let h = sign("absec_x", "{\"a\":1}", 1000);
        assert_eq!(verify(&h, "{\"a\":1}", "absec_x", 300, 1100), Ok(1000));
        assert_eq!(
            verify(&h, "{\"a\":2}", "absec_x", 300, 1100),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(&h, "{\"a\":1}", "absec_y", 300, 1100),
            Err(SignatureError::Mismatch)
        );
        assert!(matches!(
            verify(&h, "{\"a\":1}", "absec_x", 300, 2000),
            Err(SignatureError::TooOld { .. })
        ));
        assert!(matches!(
            verify("v1=ab", "x", "s", 300, 0),
            Err(SignatureError::Malformed(_))
        ));
        // A rotation: either secret's signature is accepted.
        let both = format!("{},v1={}", sign("old", "p", 5), hmac_hex("new", 5, "p"));
        assert!(verify(&both, "p", "new", 0, 5).is_ok());
    }

    #[test]
    fn ui_extension_payload_puts_ids_first() {
        assert_eq!(
            ui_extension_payload("usr_1", "acct_1", None),
            r#"{"user_id":"usr_1","account_id":"acct_1"}"#
        );
        let extra = serde_json::json!({"plan": "pro"});
        assert_eq!(
            ui_extension_payload("u", "a", Some(&extra)),
            r#"{"user_id":"u","account_id":"a","plan":"pro"}"#
        );
    }

    #[test]
    fn install_payload_keeps_key_order() {
        assert_eq!(
            install_payload("s", "u", "a"),
            r#"{"state":"s","user_id":"u","account_id":"a"}"#
        );
    }
}
