//! The timeline of a flow: every step (URLs, parameters, responses) between the
//! browser, the loopback listener, Stripe (or a provider) and the keychain,
//! with timings, secrets masked. Drawn by the UI as a sequence diagram and
//! exported as JSON by `install run --json`.
//!
//! Invariant: a step's text and detail go through [`mask_params`] /
//! [`mask_url`], so codes, tokens, keys, verifiers and signatures never appear
//! whole; a step is also handed to an observer as it happens (live progress).

use std::time::Instant;

use serde::Serialize;
use ts_rs::TS;

use crate::secret::mask;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export, export_to = "Actor.ts")]
pub enum Actor {
    Appdeck,
    Browser,
    Loopback,
    Stripe,
    Provider,
    Keychain,
    /// The app's own backend (an install it completes itself).
    Backend,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export, export_to = "TimelineStep.ts")]
pub struct TimelineStep {
    /// Milliseconds since the flow started.
    #[ts(type = "number")]
    pub at_ms: u64,
    /// How long the step took, for request/response pairs.
    #[ts(type = "number | null")]
    pub duration_ms: Option<u64>,
    pub from: Actor,
    pub to: Actor,
    /// A stable kind: `authorize-url`, `listening`, `browser`, `callback`,
    /// `token-request`, `token-response`, `keychain-write`, `recorded`, `error`.
    pub kind: String,
    pub summary: String,
    /// Masked parameters or response fields.
    #[ts(type = "Record<string, unknown>")]
    pub detail: serde_json::Value,
}

/// Names whose values are secrets or one-time codes.
const SECRET_NAMES: &[&str] = &[
    "code",
    "access_token",
    "refresh_token",
    "code_verifier",
    "client_secret",
    "install_signature",
    "stripe_publishable_key",
    "authorization",
    "key",
];

/// Masks the secret members of a flat JSON object (and `state` partially).
pub fn mask_params(v: &serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(map) => serde_json::Value::Object(
            map.iter()
                .map(|(k, val)| {
                    let masked = match (
                        SECRET_NAMES.contains(&k.as_str()) || k == "state",
                        val.as_str(),
                    ) {
                        (true, Some(s)) => serde_json::Value::String(mask(s)),
                        _ => mask_params(val),
                    };
                    (k.clone(), masked)
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A URL with its secret query parameters masked.
pub fn mask_url(raw: &str) -> String {
    let Ok(mut u) = url::Url::parse(raw) else {
        return mask(raw);
    };
    let pairs: Vec<(String, String)> = u
        .query_pairs()
        .map(|(k, v)| {
            let v = if SECRET_NAMES.contains(&k.as_ref()) || k == "state" {
                mask(&v)
            } else {
                v.to_string()
            };
            (k.to_string(), v)
        })
        .collect();
    if pairs.is_empty() {
        return u.to_string();
    }
    u.query_pairs_mut().clear().extend_pairs(pairs);
    u.to_string()
}

/// Called with each step as it happens (live progress in the UI and CLI).
pub type StepObserver = Box<dyn Fn(&TimelineStep) + Send + Sync>;

pub struct Timeline {
    start: Instant,
    steps: Vec<TimelineStep>,
    observer: Option<StepObserver>,
}

impl Timeline {
    pub fn new(observer: Option<StepObserver>) -> Self {
        Self {
            start: Instant::now(),
            steps: Vec::new(),
            observer,
        }
    }

    pub fn elapsed_ms(&self) -> u64 {
        self.start.elapsed().as_millis() as u64
    }

    /// Records a step; `detail` is masked here.
    pub fn step(
        &mut self,
        from: Actor,
        to: Actor,
        kind: &str,
        summary: impl Into<String>,
        detail: serde_json::Value,
        duration_ms: Option<u64>,
    ) {
        let step = TimelineStep {
            at_ms: self.elapsed_ms(),
            duration_ms,
            from,
            to,
            kind: kind.into(),
            summary: summary.into(),
            detail: mask_params(&detail),
        };
        if let Some(o) = &self.observer {
            o(&step);
        }
        self.steps.push(step);
    }

    pub fn steps(&self) -> &[TimelineStep] {
        &self.steps
    }

    pub fn into_steps(self) -> Vec<TimelineStep> {
        self.steps
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_in_params_and_urls_are_masked() {
        let d = mask_params(&serde_json::json!({
            "access_token": "sk_test_oauth_abcdefghijkl1234",
            "refresh_token": "rt_abcdefghijklmnop5678",
            "stripe_user_id": "acct_123",
            "nested": {"code": "ac_abcdefghijklmnop9999"}
        }));
        let s = d.to_string();
        assert!(
            !s.contains("abcdefghijkl1234")
                && !s.contains("abcdefghijklmnop5678")
                && !s.contains("ijklmnop9999")
        );
        assert!(s.contains("acct_123") && s.contains("…1234"));
        let u = mask_url("http://127.0.0.1:5000/cb?code=ac_abcdefghijklmnop9999&state=test.abcdefghijklmnopq&x=1");
        assert!(
            !u.contains("abcdefghijklmnop9999") && u.contains("x=1"),
            "{u}"
        );
    }

    #[test]
    fn observer_sees_each_step() {
        let seen = std::sync::Arc::new(std::sync::Mutex::new(0));
        let s2 = seen.clone();
        let mut t = Timeline::new(Some(Box::new(move |_| *s2.lock().unwrap() += 1)));
        t.step(
            Actor::Appdeck,
            Actor::Browser,
            "browser",
            "open",
            serde_json::json!({}),
            None,
        );
        assert_eq!(*seen.lock().unwrap(), 1);
        assert_eq!(t.steps().len(), 1);
    }
}
