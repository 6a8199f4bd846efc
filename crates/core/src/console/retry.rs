//! When the console sends a call again, and how long it waits first.
//!
//! The rule follows stripe-node's `_shouldRetry`, narrowed to what is safe
//! without Stripe's SDK around it:
//! - `Stripe-Should-Retry: false` never retries and `true` always does: the
//!   server knows best whether the request had an effect;
//! - a `429` is retried: a rate-limited request was not executed;
//! - a `409` (a lock or an idempotency key in use), a `5xx` and a call that got
//!   no answer (refused, dropped, timed out) are retried only when repeating
//!   the request is safe: GET and DELETE, or a POST carrying an
//!   `Idempotency-Key` (the console adds one to every POST unless the caller
//!   opts out with an empty key, so a retry replays instead of double-charging;
//!   the same key is sent on every attempt);
//! - anything else (2xx, 4xx) is the answer.
//!
//! Waits: exponential from `base_delay` (×2 per retry) with stripe-node's
//! jitter (×0.5–1.0, never below `base_delay`), capped at `max_delay`; a
//! `Retry-After` of seconds is honoured when it fits under `max_delay`, and
//! one asking for longer stops the retries (the answer is shown instead of
//! the console hanging). At most `max_retries` retries (default 2,
//! `APPDECK_MAX_RETRIES` or the CLI's `--max-retries`; the faces read the
//! variable and parse it with [`RetryPolicy::from_setting`], so a value that is
//! not a number is an error there, never ignored). A cancel during a wait
//! ends it at once.
//!
//! Invariant: every attempt is reported ([`Attempt`]), so the UI and the CLI
//! can say "retried 2× after 429" and nothing happens behind the user's back.

use std::time::Duration;

use rand::Rng;
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

/// The environment variable that sets the default `max_retries`.
pub const MAX_RETRIES_ENV: &str = "APPDECK_MAX_RETRIES";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0: never retry).
    pub max_retries: u32,
    /// The first wait; each retry doubles it.
    pub base_delay: Duration,
    /// No wait is longer; a `Retry-After` above it stops the retries.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// The default, with `max_retries` from the value of `APPDECK_MAX_RETRIES`
    /// as the face read it (unset or empty: the default). `Err` says why a
    /// value is refused, naming the variable.
    pub fn from_setting(value: Option<&str>) -> Result<Self, String> {
        let p = Self::default();
        let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
            return Ok(p);
        };
        v.parse::<u32>().map(|n| p.with_max_retries(n)).map_err(|_| {
            format!(
                "{MAX_RETRIES_ENV}={v:?} is not a number of retries; set it to 0 or more (0 turns retries off), or unset it for the default ({})",
                p.max_retries
            )
        })
    }

    pub fn with_max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }
}

/// One attempt of a call, as the UI and the CLI show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export, export_to = "Attempt.ts")]
pub struct Attempt {
    /// The HTTP status, or `null` when no answer came.
    pub status: Option<u16>,
    /// Why no answer came (refused, dropped, timed out), without the query string.
    pub error: Option<String>,
    /// How long the console waited before sending this attempt (0 for the first).
    #[ts(type = "number")]
    pub waited_ms: u64,
    #[ts(type = "number")]
    pub elapsed_ms: u64,
}

impl Attempt {
    /// `429`, `500`, or `no answer`.
    pub fn label(&self) -> String {
        match self.status {
            Some(s) => s.to_string(),
            None => "no answer".to_string(),
        }
    }
}

/// "retried 2× after 429, no answer (waited 0.6 s in all)", or `None` for one attempt.
pub fn summary(attempts: &[Attempt]) -> Option<String> {
    let (_, earlier) = attempts.split_last()?;
    if earlier.is_empty() {
        return None;
    }
    let causes: Vec<String> = earlier.iter().map(Attempt::label).collect();
    let waited: u64 = attempts.iter().map(|a| a.waited_ms).sum();
    Some(format!(
        "retried {}× after {} (waited {:.1} s in all)",
        earlier.len(),
        causes.join(", "),
        waited as f64 / 1000.0
    ))
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
}

/// Whether an answer (`Some(status)`) or no answer (`None`) is worth another
/// attempt; `safe`: repeating the request cannot apply it twice.
pub fn should_retry(status: Option<u16>, headers: &[(String, String)], safe: bool) -> bool {
    let Some(status) = status else {
        return safe;
    };
    match header(headers, "stripe-should-retry") {
        Some(v) if v.eq_ignore_ascii_case("false") => return false,
        Some(v) if v.eq_ignore_ascii_case("true") => return true,
        _ => {}
    }
    match status {
        429 => true,
        409 => safe,
        s if s >= 500 => safe,
        _ => false,
    }
}

/// `Retry-After` in whole seconds (Stripe sends seconds; an HTTP date is ignored).
pub fn retry_after(headers: &[(String, String)]) -> Option<Duration> {
    header(headers, "retry-after")?
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

/// The wait before retry number `retry` (1-based), or `None` when the server
/// asks for longer than the policy waits.
pub fn delay(
    policy: &RetryPolicy,
    retry: u32,
    retry_after: Option<Duration>,
    rng: &mut impl Rng,
) -> Option<Duration> {
    let exp = policy
        .base_delay
        .saturating_mul(1u32 << retry.saturating_sub(1).min(16));
    let capped = exp.min(policy.max_delay);
    let jittered = capped.mul_f64(rng.random_range(0.5..=1.0));
    let mut wait = jittered.max(policy.base_delay).min(policy.max_delay);
    if let Some(asked) = retry_after {
        if asked > policy.max_delay {
            return None;
        }
        wait = wait.max(asked);
    }
    Some(wait)
}

/// What to do after attempt number `retries + 1`: `Some(wait)` to retry.
pub fn next_wait(
    policy: &RetryPolicy,
    retries: u32,
    safe: bool,
    status: Option<u16>,
    headers: &[(String, String)],
) -> Option<Duration> {
    if retries >= policy.max_retries || !should_retry(status, headers, safe) {
        return None;
    }
    delay(policy, retries + 1, retry_after(headers), &mut rand::rng())
}

/// Sleeps `wait`; `false` when `cancel` fired first.
pub async fn pause(wait: Duration, cancel: &CancellationToken) -> bool {
    tokio::select! {
        _ = cancel.cancelled() => false,
        _ = tokio::time::sleep(wait) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    #[test]
    fn the_max_retries_setting_is_a_number_or_a_clear_error() {
        assert_eq!(RetryPolicy::from_setting(None), Ok(RetryPolicy::default()));
        assert_eq!(
            RetryPolicy::from_setting(Some(" ")),
            Ok(RetryPolicy::default()),
            "empty is unset"
        );
        assert_eq!(
            RetryPolicy::from_setting(Some(" 0 ")).map(|p| p.max_retries),
            Ok(0),
            "0 turns retries off"
        );
        let e = RetryPolicy::from_setting(Some("three")).unwrap_err();
        assert!(
            e.starts_with("APPDECK_MAX_RETRIES=\"three\" is not a number"),
            "an invalid value is refused, naming the variable: {e}"
        );
        assert!(RetryPolicy::from_setting(Some("-1")).is_err());
    }

    fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn stripes_header_wins_then_the_status_and_safety_decide() {
        let none = h(&[]);
        assert!(
            should_retry(Some(429), &none, false),
            "429 was not executed"
        );
        assert!(should_retry(Some(500), &none, true));
        assert!(
            !should_retry(Some(500), &none, false),
            "5xx POST without key"
        );
        assert!(should_retry(Some(503), &none, true));
        assert!(should_retry(Some(409), &none, true));
        assert!(!should_retry(Some(409), &none, false));
        assert!(should_retry(None, &none, true), "no answer, safe");
        assert!(!should_retry(None, &none, false), "no answer, unsafe");
        for s in [200, 201, 400, 401, 402, 403, 404] {
            assert!(!should_retry(Some(s), &none, true), "{s} is an answer");
        }
        let no = h(&[("Stripe-Should-Retry", "false")]);
        assert!(!should_retry(Some(429), &no, true));
        assert!(!should_retry(Some(503), &no, true));
        let yes = h(&[("stripe-should-retry", "true")]);
        assert!(should_retry(Some(400), &yes, false));
    }

    #[test]
    fn waits_grow_with_jitter_and_stay_under_the_cap() {
        let p = RetryPolicy::default();
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..200 {
            let d1 = delay(&p, 1, None, &mut rng).unwrap();
            assert!(
                d1 >= p.base_delay && d1 <= Duration::from_millis(500),
                "{d1:?}"
            );
            let d2 = delay(&p, 2, None, &mut rng).unwrap();
            assert!(
                d2 >= Duration::from_millis(500) && d2 <= Duration::from_secs(1),
                "{d2:?}"
            );
            let d9 = delay(&p, 9, None, &mut rng).unwrap();
            assert!(
                d9 >= Duration::from_millis(2500) && d9 <= p.max_delay,
                "{d9:?}"
            );
            let d40 = delay(&p, 40, None, &mut rng).unwrap();
            assert!(d40 <= p.max_delay, "no overflow: {d40:?}");
        }
        let spread: std::collections::HashSet<_> = (0..50)
            .map(|_| delay(&p, 3, None, &mut rng).unwrap())
            .collect();
        assert!(spread.len() > 10, "jitter varies the waits");
    }

    #[test]
    fn retry_after_is_honoured_within_the_cap() {
        let p = RetryPolicy::default();
        let mut rng = StdRng::seed_from_u64(1);
        let ra = retry_after(&h(&[("Retry-After", "3")]));
        assert_eq!(ra, Some(Duration::from_secs(3)));
        assert_eq!(delay(&p, 1, ra, &mut rng), Some(Duration::from_secs(3)));
        let long = retry_after(&h(&[("retry-after", "60")]));
        assert_eq!(delay(&p, 1, long, &mut rng), None, "longer than the cap");
        assert_eq!(
            retry_after(&h(&[("retry-after", "Wed, 21 Oct 2015")])),
            None
        );
    }

    #[test]
    fn the_budget_is_max_retries() {
        let p = RetryPolicy::default().with_max_retries(2);
        assert!(next_wait(&p, 0, true, Some(500), &[]).is_some());
        assert!(next_wait(&p, 1, true, Some(500), &[]).is_some());
        assert!(next_wait(&p, 2, true, Some(500), &[]).is_none());
        let off = RetryPolicy::default().with_max_retries(0);
        assert!(next_wait(&off, 0, true, Some(429), &[]).is_none());
    }

    #[test]
    fn the_summary_counts_retries_and_their_causes() {
        let a = |status, waited_ms| Attempt {
            status,
            error: None,
            waited_ms,
            elapsed_ms: 1,
        };
        assert_eq!(summary(&[a(Some(200), 0)]), None);
        assert_eq!(
            summary(&[a(Some(429), 0), a(None, 500), a(Some(200), 1100)]).as_deref(),
            Some("retried 2× after 429, no answer (waited 1.6 s in all)")
        );
    }

    #[tokio::test]
    async fn a_cancel_ends_the_wait_at_once() {
        let cancel = CancellationToken::new();
        let c = cancel.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            c.cancel();
        });
        let started = std::time::Instant::now();
        assert!(!pause(Duration::from_secs(30), &cancel).await);
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(pause(Duration::from_millis(1), &CancellationToken::new()).await);
    }
}
