//! Stripe-Signature style signatures: `t=<unix>,v1=<hex>[,v1=…]` where `v1` is
//! HMAC-SHA256 over `"<t>.<payload>"` with a secret, compared in constant time
//! against every `v1`; used for webhooks, install links' `install_signature`
//! (payload `{"state":…,"user_id":…,"account_id":…}` in that order) and UI
//! extensions' `fetchStripeSignature()` (`{"user_id":…,"account_id":…}`).
//!
//! The use cases both faces offer (`appdeck sign|verify`, the Signatures
//! screen) are the functions taking a [`Clock`]: the time comes from the caller's
//! clock, and an extension's payload text is parsed once, here.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::context::Clock;
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
    #[error("the payload must be a JSON object, e.g. {{\"order\": \"o_1\"}}")]
    PayloadNotObject,
    #[error("the tolerance is in seconds, 0 (no limit) or more; got {0}")]
    NegativeTolerance(i64),
}

impl Coded for SignatureError {
    fn code(&self) -> ErrorCode {
        match self {
            SignatureError::Malformed(_)
            | SignatureError::PayloadNotObject
            | SignatureError::NegativeTolerance(_) => ErrorCode::InvalidInput,
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

/// Signs `payload` at `timestamp`, or now by `clock`.
pub fn sign_at(secret: &str, payload: &str, timestamp: Option<i64>, clock: &dyn Clock) -> String {
    sign(
        secret,
        payload,
        timestamp.unwrap_or_else(|| clock.now().timestamp()),
    )
}

/// A signature that verified: its timestamp and its age by the caller's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verified {
    pub t: i64,
    pub age: i64,
}

/// Verifies `header` now by `clock`, within `tolerance` seconds (0: no limit).
pub fn verify_now(
    header: &str,
    payload: &str,
    secret: &str,
    tolerance: i64,
    clock: &dyn Clock,
) -> Result<Verified, SignatureError> {
    if tolerance < 0 {
        return Err(SignatureError::NegativeTolerance(tolerance));
    }
    let now = clock.now().timestamp();
    let t = verify(header, payload, secret, tolerance, now)?;
    Ok(Verified { t, age: now - t })
}

/// [`ui_extension_payload`] from the extension's payload as text (blank: none);
/// anything but a JSON object is refused.
pub fn ui_extension_payload_text(
    user_id: &str,
    account_id: &str,
    extra: Option<&str>,
) -> Result<String, SignatureError> {
    let extra = match extra.map(str::trim).filter(|t| !t.is_empty()) {
        None => None,
        Some(text) => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(v @ serde_json::Value::Object(_)) => Some(v),
            _ => return Err(SignatureError::PayloadNotObject),
        },
    };
    Ok(ui_extension_payload(user_id, account_id, extra.as_ref()))
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

    struct At(i64);
    impl Clock for At {
        fn now(&self) -> chrono::DateTime<chrono::Utc> {
            chrono::DateTime::from_timestamp(self.0, 0).unwrap()
        }
    }

    #[test]
    fn the_use_cases_take_the_callers_clock_and_parse_the_payload_once() {
        let h = sign_at("whsec_x", "{}", None, &At(1_000));
        assert!(h.starts_with("t=1000,"), "{h}");
        assert_eq!(
            verify_now(&h, "{}", "whsec_x", 300, &At(1_030)),
            Ok(Verified { t: 1_000, age: 30 })
        );
        assert_eq!(
            verify_now(&h, "{}", "whsec_x", -1, &At(1_030))
                .unwrap_err()
                .code(),
            ErrorCode::InvalidInput
        );
        assert_eq!(
            ui_extension_payload_text("u", "a", Some(" {\"order\": \"o_1\"} ")).unwrap(),
            r#"{"user_id":"u","account_id":"a","order":"o_1"}"#
        );
        assert_eq!(
            ui_extension_payload_text("u", "a", Some("  ")).unwrap(),
            r#"{"user_id":"u","account_id":"a"}"#
        );
        assert_eq!(
            ui_extension_payload_text("u", "a", Some("[1]")),
            Err(SignatureError::PayloadNotObject)
        );
    }

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
