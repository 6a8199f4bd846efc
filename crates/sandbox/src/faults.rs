//! Faults injected through the control API: the next N requests matching a
//! route get a 429, a 500, a delay, or a dropped connection.
//!
//! A route is `METHOD PATH` or `PATH`; PATH matches exactly, or as a prefix
//! when it ends in `*` (`/v1/customers*`). Invariant: with no fault armed the
//! check is one atomic load (the hot path pays nothing).

use std::sync::atomic::{AtomicBool, Ordering};

use parking_lot::Mutex;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FaultKind {
    /// Answer with this status in Stripe's error shape (429 or 500/503…).
    Status { status: u16 },
    /// Wait this long, then handle the request normally.
    Delay { ms: u64 },
    /// Close the connection without a complete response.
    Drop,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Fault {
    /// `GET /v1/customers/*`, `POST /v1/customers` or a bare path.
    pub route: String,
    pub count: u32,
    #[serde(flatten)]
    pub kind: FaultKind,
}

impl Fault {
    fn matches(&self, method: &str, path: &str) -> bool {
        let (m, p) = match self.route.split_once(' ') {
            Some((m, p)) => (Some(m), p.trim()),
            None => (None, self.route.trim()),
        };
        if m.is_some_and(|m| !m.eq_ignore_ascii_case(method)) {
            return false;
        }
        match p.strip_suffix('*') {
            Some(prefix) => path.starts_with(prefix),
            None => path == p,
        }
    }
}

#[derive(Debug, Default)]
pub struct Faults {
    armed: AtomicBool,
    list: Mutex<Vec<Fault>>,
}

impl Faults {
    pub fn add(&self, fault: Fault) {
        let mut list = self.list.lock();
        if fault.count > 0 {
            list.push(fault);
        }
        self.armed.store(!list.is_empty(), Ordering::Release);
    }

    pub fn list(&self) -> Vec<Fault> {
        self.list.lock().clone()
    }

    pub fn clear(&self) {
        self.list.lock().clear();
        self.armed.store(false, Ordering::Release);
    }

    /// Consumes one use of the first fault matching the request.
    pub fn take(&self, method: &str, path: &str) -> Option<FaultKind> {
        if !self.armed.load(Ordering::Acquire) {
            return None;
        }
        let mut list = self.list.lock();
        let i = list.iter().position(|f| f.matches(method, path))?;
        let kind = list[i].kind;
        list[i].count -= 1;
        if list[i].count == 0 {
            list.remove(i);
        }
        self.armed.store(!list.is_empty(), Ordering::Release);
        Some(kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fires_n_times_on_matching_routes_only() {
        let f = Faults::default();
        f.add(Fault {
            route: "GET /v1/customers*".into(),
            count: 2,
            kind: FaultKind::Status { status: 500 },
        });
        assert_eq!(f.take("POST", "/v1/customers"), None, "method differs");
        assert_eq!(f.take("GET", "/v1/products"), None, "path differs");
        assert!(f.take("GET", "/v1/customers/cus_1").is_some());
        assert!(f.take("get", "/v1/customers").is_some());
        assert_eq!(f.take("GET", "/v1/customers"), None, "used up");
        assert!(f.list().is_empty());
    }

    #[test]
    fn exact_paths_and_json_shape() {
        let fault: Fault =
            serde_json::from_str(r#"{"route":"/v1/account","count":1,"type":"delay","ms":5}"#)
                .unwrap();
        assert_eq!(fault.kind, FaultKind::Delay { ms: 5 });
        assert!(fault.matches("GET", "/v1/account"));
        assert!(!fault.matches("GET", "/v1/accounts"));
    }
}
