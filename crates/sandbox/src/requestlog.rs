//! The request log the control API serves: the last 1,000 requests.
//!
//! Invariant: an entry holds method, path (never the query string, which may
//! carry a secret's name or a code), status, account, duration and request id:
//! no header, no body, no key.

use std::collections::VecDeque;

use parking_lot::Mutex;
use serde::Serialize;

const CAPACITY: usize = 1000;

#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub request_id: String,
    pub method: String,
    pub path: String,
    pub status: u16,
    pub account: Option<String>,
    pub ms: f64,
    pub at: i64,
}

#[derive(Debug, Default)]
pub struct RequestLog {
    entries: Mutex<VecDeque<Entry>>,
}

impl RequestLog {
    pub fn push(&self, e: Entry) {
        let mut entries = self.entries.lock();
        if entries.len() == CAPACITY {
            entries.pop_front();
        }
        entries.push_back(e);
    }

    /// The newest `limit` entries, oldest first.
    pub fn recent(&self, limit: usize) -> Vec<Entry> {
        let entries = self.entries.lock();
        let skip = entries.len().saturating_sub(limit);
        entries.iter().skip(skip).cloned().collect()
    }

    pub fn clear(&self) {
        self.entries.lock().clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_newest_thousand() {
        let log = RequestLog::default();
        for i in 0..1005 {
            log.push(Entry {
                request_id: format!("req_{i}"),
                method: "GET".into(),
                path: "/v1/account".into(),
                status: 200,
                account: None,
                ms: 0.1,
                at: 0,
            });
        }
        let all = log.recent(5000);
        assert_eq!(all.len(), 1000);
        assert_eq!(all[0].request_id, "req_5");
        assert_eq!(log.recent(1)[0].request_id, "req_1004");
    }
}
