//! The delivery log: every attempt to reach a webhook endpoint, per endpoint,
//! for the control API (`/_appdeck/webhook_endpoints/{id}/deliveries`) and
//! `appdeck sandbox listen`.
//!
//! Invariants: an attempt holds when it was made (sandbox clock), the HTTP
//! status or why there was none, the latency, the first [`RESPONSE_BYTES`] of
//! the answer, and what happens next; never the signing secret or the
//! signature. The last [`PER_ENDPOINT`] attempts of each endpoint are kept,
//! for this run only (like the request log). Every attempt gets a growing
//! `seq`, so a reader can ask for what came after the last one it saw and
//! wait for it ([`DeliveryLog::wait_after`]).

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use parking_lot::Mutex;
use serde::Serialize;
use tokio::sync::watch;

/// How much of an endpoint's answer is kept.
pub const RESPONSE_BYTES: usize = 1024;
/// Attempts kept per endpoint.
pub const PER_ENDPOINT: usize = 1000;

/// One attempt to deliver an event to an endpoint.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attempt {
    /// `whdel_…`: names this attempt for a resend.
    pub id: String,
    pub seq: u64,
    pub endpoint: String,
    pub event: String,
    pub event_type: String,
    /// 1 for the first attempt of an event, 2… for retries; 0 for a resend.
    pub attempt: u32,
    /// Asked for through the control API, outside the retry schedule.
    pub manual: bool,
    /// Sandbox clock.
    pub at: i64,
    /// The HTTP status, when the endpoint answered.
    pub status: Option<u16>,
    /// `timed_out`, `failed_to_connect` or `connection_closed` when it did not.
    pub error: Option<String>,
    /// A 2xx answer.
    pub delivered: bool,
    pub latency_ms: f64,
    /// The first bytes of the answer (lossy UTF-8).
    pub response: String,
    /// When the next attempt is due (sandbox clock), if one is.
    pub next_retry_at: Option<i64>,
    /// The last attempt failed and no more will be made.
    pub gave_up: bool,
}

#[derive(Debug)]
pub struct DeliveryLog {
    by_endpoint: Mutex<HashMap<String, VecDeque<Attempt>>>,
    last: watch::Sender<u64>,
}

impl Default for DeliveryLog {
    fn default() -> Self {
        DeliveryLog {
            by_endpoint: Mutex::new(HashMap::new()),
            last: watch::Sender::new(0),
        }
    }
}

impl DeliveryLog {
    /// Records `a`, giving it the next `seq` (returned).
    pub fn push(&self, mut a: Attempt) -> Attempt {
        {
            let mut all = self.by_endpoint.lock();
            a.seq = *self.last.borrow() + 1;
            let list = all.entry(a.endpoint.clone()).or_default();
            if list.len() == PER_ENDPOINT {
                list.pop_front();
            }
            list.push_back(a.clone());
            // Under the same lock, so seqs reach readers in order.
            self.last.send_replace(a.seq);
        }
        a
    }

    /// `endpoint`'s attempts with a `seq` above `after`, oldest first, at
    /// most `limit`.
    pub fn after(&self, endpoint: &str, after: u64, limit: usize) -> Vec<Attempt> {
        self.by_endpoint
            .lock()
            .get(endpoint)
            .map(|l| {
                l.iter()
                    .filter(|a| a.seq > after)
                    .take(limit)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Like [`Self::after`], waiting up to `wait` for a first one.
    pub async fn wait_after(
        &self,
        endpoint: &str,
        after: u64,
        limit: usize,
        wait: Duration,
    ) -> Vec<Attempt> {
        let mut rx = self.last.subscribe();
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            rx.borrow_and_update();
            let found = self.after(endpoint, after, limit);
            if !found.is_empty() {
                return found;
            }
            match tokio::time::timeout_at(deadline, rx.changed()).await {
                Ok(Ok(())) => continue,
                _ => return Vec::new(),
            }
        }
    }

    /// The attempt named `id` of `endpoint`.
    pub fn find(&self, endpoint: &str, id: &str) -> Option<Attempt> {
        self.by_endpoint
            .lock()
            .get(endpoint)
            .and_then(|l| l.iter().find(|a| a.id == id).cloned())
    }
}

/// `bytes` cut to [`RESPONSE_BYTES`], as text.
pub fn excerpt(bytes: &[u8]) -> String {
    String::from_utf8_lossy(&bytes[..bytes.len().min(RESPONSE_BYTES)]).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(endpoint: &str, id: &str) -> Attempt {
        Attempt {
            id: id.into(),
            seq: 0,
            endpoint: endpoint.into(),
            event: "evt_1".into(),
            event_type: "customer.created".into(),
            attempt: 1,
            manual: false,
            at: 0,
            status: Some(200),
            error: None,
            delivered: true,
            latency_ms: 1.0,
            response: String::new(),
            next_retry_at: None,
            gave_up: false,
        }
    }

    #[tokio::test]
    async fn readers_get_what_came_after_their_cursor_and_can_wait_for_it() {
        let log = DeliveryLog::default();
        let a = log.push(attempt("we_1", "whdel_a"));
        log.push(attempt("we_2", "whdel_b"));
        let c = log.push(attempt("we_1", "whdel_c"));
        assert_eq!((a.seq, c.seq), (1, 3));
        let seqs = |l: Vec<Attempt>| l.iter().map(|a| a.seq).collect::<Vec<_>>();
        assert_eq!(seqs(log.after("we_1", 0, 10)), [1, 3]);
        assert_eq!(seqs(log.after("we_1", 1, 10)), [3]);
        assert!(log.find("we_1", "whdel_b").is_none(), "another endpoint's");
        let none = log
            .wait_after("we_1", 3, 10, Duration::from_millis(20))
            .await;
        assert!(
            none.is_empty(),
            "nothing new: an empty answer after the wait"
        );
        let log = std::sync::Arc::new(log);
        let writer = log.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            writer.push(attempt("we_1", "whdel_d"));
        });
        let got = log.wait_after("we_1", 3, 10, Duration::from_secs(5)).await;
        assert_eq!(seqs(got), [4], "woken by the new attempt");
    }

    #[test]
    fn excerpts_are_cut() {
        assert_eq!(excerpt(&[b'x'; 5000]).len(), RESPONSE_BYTES);
        assert_eq!(excerpt(b"ok"), "ok");
    }
}
