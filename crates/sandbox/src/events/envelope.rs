//! An event's JSON, written around the object's stored bytes.
//!
//! Why: `data.object` is the object exactly as stored (a snapshot), so its
//! bytes are spliced in as they are instead of being parsed, cloned and
//! serialized again; recording an event then costs one small allocation
//! and a copy, inside the write that makes the change.
//!
//! Invariant: the output is one JSON object with Stripe's keys in Stripe's
//! order: `id`, `object`, `account` (when given), `api_version`, `created`,
//! `data` (`object`, then `previous_attributes` when given), `livemode`,
//! `pending_webhooks`, `request` (`id`, `idempotency_key`), `type`.

use axum::body::Bytes;
use serde_json::Value;

use super::{Origin, API_VERSION};

/// What an event holds besides its object.
pub struct Envelope<'a> {
    pub id: &'a str,
    pub account: Option<&'a str>,
    pub created: i64,
    pub previous: Option<&'a Value>,
    pub pending_webhooks: usize,
    pub origin: &'a Origin,
    pub kind: &'a str,
}

fn string(out: &mut Vec<u8>, s: &str) {
    // Writing a str into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

fn optional(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// The event's JSON with `object` (valid JSON bytes) as `data.object`.
pub fn event(e: &Envelope<'_>, object: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(object.len() + 384);
    out.extend_from_slice(br#"{"id":"#);
    string(&mut out, e.id);
    out.extend_from_slice(br#","object":"event""#);
    if let Some(a) = e.account {
        out.extend_from_slice(br#","account":"#);
        string(&mut out, a);
    }
    out.extend_from_slice(br#","api_version":"#);
    string(&mut out, API_VERSION);
    out.extend_from_slice(format!(r#","created":{},"data":{{"object":"#, e.created).as_bytes());
    out.extend_from_slice(object);
    if let Some(previous) = e.previous {
        out.extend_from_slice(br#","previous_attributes":"#);
        let _ = serde_json::to_writer(&mut out, previous);
    }
    out.extend_from_slice(
        format!(
            r#"}},"livemode":false,"pending_webhooks":{},"request":{{"id":"#,
            e.pending_webhooks
        )
        .as_bytes(),
    );
    optional(&mut out, e.origin.request_id.as_deref());
    out.extend_from_slice(br#","idempotency_key":"#);
    optional(&mut out, e.origin.idempotency_key.as_deref());
    out.extend_from_slice(br#"},"type":"#);
    string(&mut out, e.kind);
    out.push(b'}');
    Bytes::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_stripes_keys_in_order_around_the_objects_bytes() {
        let origin = Origin {
            request_id: Some("req_1".into()),
            idempotency_key: None,
        };
        let previous = json!({"name": "A\"da"});
        let bytes = event(
            &Envelope {
                id: "evt_1",
                account: Some("acct_1"),
                created: 42,
                previous: Some(&previous),
                pending_webhooks: 2,
                origin: &origin,
                kind: "customer.updated",
            },
            br#"{"id":"cus_1","name":"Grace"}"#,
        );
        let v: Value = serde_json::from_slice(&bytes).expect("valid JSON");
        assert_eq!(
            v,
            json!({
                "id": "evt_1", "object": "event", "account": "acct_1",
                "api_version": API_VERSION, "created": 42,
                "data": {"object": {"id": "cus_1", "name": "Grace"}, "previous_attributes": {"name": "A\"da"}},
                "livemode": false, "pending_webhooks": 2,
                "request": {"id": "req_1", "idempotency_key": null},
                "type": "customer.updated",
            })
        );
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "id",
                "object",
                "account",
                "api_version",
                "created",
                "data",
                "livemode",
                "pending_webhooks",
                "request",
                "type"
            ]
        );
        let plain = event(
            &Envelope {
                id: "evt_2",
                account: None,
                created: 1,
                previous: None,
                pending_webhooks: 0,
                origin: &Origin::none(),
                kind: "product.created",
            },
            b"{}",
        );
        let v: Value = serde_json::from_slice(&plain).unwrap();
        assert!(v.get("account").is_none());
        assert!(v["data"].get("previous_attributes").is_none());
        assert_eq!(v["request"], json!({"id": null, "idempotency_key": null}));
    }
}
