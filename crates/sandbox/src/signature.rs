//! Stripe-Signature-style signatures: `t=<unix>,v1=<hex>` where `v1` is
//! HMAC-SHA256 of `"<t>.<payload>"` with a secret (§7 of the reference).
//!
//! Used for the platform install link's `install_signature`, whose payload is
//! the JSON `{"state":…,"user_id":…,"account_id":…}` in exactly that key order.
//! Invariant: verification compares in constant time against every `v1` and
//! honours a tolerance on `t`.

use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;
use subtle::ConstantTimeEq;

type HmacSha256 = Hmac<Sha256>;

fn mac(secret: &str, t: i64, payload: &str) -> Vec<u8> {
    let Ok(mut m) = HmacSha256::new_from_slice(secret.as_bytes()) else {
        unreachable!("HMAC takes keys of any length")
    };
    m.update(t.to_string().as_bytes());
    m.update(b".");
    m.update(payload.as_bytes());
    m.finalize().into_bytes().to_vec()
}

/// `t=<t>,v1=<hex>` over `payload`.
pub fn sign(secret: &str, t: i64, payload: &str) -> String {
    format!("t={t},v1={}", hex::encode(mac(secret, t, payload)))
}

/// Whether `header` signs `payload` with `secret`, with `t` within
/// `tolerance` seconds of `now`.
pub fn verify(header: &str, payload: &str, secret: &str, now: i64, tolerance: i64) -> bool {
    let mut t: Option<i64> = None;
    let mut candidates = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => t = v.parse().ok(),
            Some(("v1", v)) => candidates.extend(hex::decode(v).ok()),
            _ => {}
        }
    }
    let Some(t) = t else { return false };
    if (now - t).abs() > tolerance {
        return false;
    }
    let expected = mac(secret, t, payload);
    candidates
        .iter()
        .any(|c| bool::from(c.as_slice().ct_eq(expected.as_slice())))
}

#[derive(Serialize)]
struct InstallPayload<'a> {
    state: &'a str,
    user_id: &'a str,
    account_id: &'a str,
}

/// The JSON the install link signs, keys in Stripe's order.
pub fn install_payload(state: &str, user_id: &str, account_id: &str) -> String {
    serde_json::to_string(&InstallPayload {
        state,
        user_id,
        account_id,
    })
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn install_payload_has_stripes_key_order() {
        assert_eq!(
            install_payload("s\"1", "usr_1", "acct_1"),
            r#"{"state":"s\"1","user_id":"usr_1","account_id":"acct_1"}"#
        );
    }

    #[test]
    fn sign_then_verify_and_reject_tampering() {
        let p = install_payload("s", "usr_1", "acct_1");
        let h = sign("absec_x", 1000, &p);
        assert!(h.starts_with("t=1000,v1="));
        assert!(verify(&h, &p, "absec_x", 1100, 300));
        assert!(!verify(&h, &p, "absec_y", 1100, 300), "other secret");
        assert!(
            !verify(
                &h,
                &install_payload("s", "usr_1", "acct_2"),
                "absec_x",
                1100,
                300
            ),
            "other payload"
        );
        assert!(!verify(&h, &p, "absec_x", 2000, 300), "too old");
        let rotated = format!("{h},v1={}", "00".repeat(32));
        assert!(
            verify(&rotated, &p, "absec_x", 1000, 300),
            "any v1 may match"
        );
    }

    #[test]
    fn known_vector() {
        // HMAC-SHA256(key="key", "0.The quick brown fox jumps over the lazy dog"), computed independently with Python's hmac.
        let h = sign("key", 0, "The quick brown fox jumps over the lazy dog");
        assert_eq!(
            h,
            "t=0,v1=8511f28f7a1949f0c42772b447d68b2daf760f5f0439a20a17e3b4e7cd395763"
        );
    }
}
