//! The local sandbox's webhook delivery log, through its control API
//! (`/_appdeck/webhook_endpoints/…`): each attempt to reach an endpoint, a
//! long poll for the next ones, and a resend.
//!
//! Invariant: a [`Delivery`] never carries a signing secret or a signature
//! (the sandbox's log holds neither), so it may be printed and serialized.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::control::{Control, ControlError};

/// One attempt to deliver an event to a webhook endpoint, as the sandbox
/// logged it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delivery {
    /// `whdel_…`: names the attempt for a resend.
    pub id: String,
    /// Grows with every attempt the sandbox logs (the long poll's cursor).
    pub seq: u64,
    pub endpoint: String,
    pub event: String,
    pub event_type: String,
    /// 1 for the first attempt, 2… for retries, 0 for a resend.
    pub attempt: u32,
    pub manual: bool,
    /// Unix seconds on the sandbox clock.
    pub at: i64,
    /// The HTTP status, when the endpoint answered.
    pub status: Option<u16>,
    /// `timed_out`, `failed_to_connect` or `connection_closed` when it did not.
    pub error: Option<String>,
    pub delivered: bool,
    pub latency_ms: f64,
    /// The first bytes of the endpoint's answer.
    #[serde(default)]
    pub response: String,
    /// When the sandbox tries again (sandbox clock), if it will.
    pub next_retry_at: Option<i64>,
    /// No more attempts will be made.
    pub gave_up: bool,
}

impl Delivery {
    /// `200`, or what happened instead (`timed_out`…).
    pub fn outcome(&self) -> String {
        match (self.status, &self.error) {
            (Some(code), _) => code.to_string(),
            (None, Some(e)) => e.clone(),
            (None, None) => "no answer".into(),
        }
    }
}

impl Control {
    /// The endpoint's attempts after `after` (a [`Delivery::seq`]), oldest
    /// first; waits up to `wait` for a first one (zero: answers at once).
    pub async fn deliveries(
        &self,
        endpoint: &str,
        after: u64,
        wait: Duration,
    ) -> Result<Vec<Delivery>, ControlError> {
        let path = format!(
            "/webhook_endpoints/{endpoint}/deliveries?after={after}&wait_ms={}",
            wait.as_millis()
        );
        let v = self.call(reqwest::Method::GET, &path, None).await?;
        serde_json::from_value(v["data"].clone())
            .map_err(|e| ControlError(format!("GET /_appdeck{path}: unexpected answer ({e})")))
    }

    /// Attempts the event of one logged delivery again, now; the new attempt.
    pub async fn resend(&self, endpoint: &str, delivery: &str) -> Result<Delivery, ControlError> {
        let path = format!("/webhook_endpoints/{endpoint}/resend");
        let v = self
            .call(
                reqwest::Method::POST,
                &path,
                Some(json!({ "delivery": delivery })),
            )
            .await?;
        serde_json::from_value(v)
            .map_err(|e| ControlError(format!("POST /_appdeck{path}: unexpected answer ({e})")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outcome_is_the_status_or_why_there_was_none() {
        let mut d: Delivery = serde_json::from_value(json!({
            "id": "whdel_1", "seq": 1, "endpoint": "we_1", "event": "evt_1",
            "event_type": "customer.created", "attempt": 1, "manual": false, "at": 0,
            "status": 500, "error": null, "delivered": false, "latency_ms": 3.5,
            "response": "oops", "next_retry_at": 600, "gave_up": false
        }))
        .expect("the sandbox's attempt shape");
        assert_eq!(d.outcome(), "500");
        d.status = None;
        d.error = Some("timed_out".into());
        assert_eq!(d.outcome(), "timed_out");
    }
}
