//! The sandbox clock: wall time plus an offset that the control API advances.
//!
//! Invariant: every expiry (authorization codes 5 min, access tokens 1 h,
//! refresh tokens 1 y, secrets' `expires_at`, idempotency keys 24 h) is checked
//! against this clock, never against `SystemTime` directly, so tests can expire
//! things by advancing it instead of sleeping. The offset only grows. Webhook
//! retries are due on this clock too; an advance is announced to whoever
//! [`Clock::subscribe`]d (the delivery scheduler), so it runs what became due
//! without waiting out the real time.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use tokio::sync::watch;

#[derive(Debug)]
pub struct Clock {
    offset: AtomicI64,
    advanced: watch::Sender<i64>,
}

impl Default for Clock {
    fn default() -> Self {
        Self::with_offset(0)
    }
}

/// Unix seconds by the wall clock (what a webhook receiver compares a
/// signature's `t=` with).
pub fn wall_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

impl Clock {
    pub fn with_offset(offset: i64) -> Self {
        Clock {
            offset: AtomicI64::new(offset),
            advanced: watch::Sender::new(offset),
        }
    }

    /// Sees every later advance (`changed()` resolves once per advance).
    pub fn subscribe(&self) -> watch::Receiver<i64> {
        self.advanced.subscribe()
    }

    /// Unix seconds as the sandbox sees them.
    pub fn now(&self) -> i64 {
        wall_now() + self.offset.load(Ordering::Relaxed)
    }

    /// Moves the clock forward by `seconds` (negative values are ignored) and
    /// returns the new offset.
    pub fn advance(&self, seconds: i64) -> i64 {
        let offset = self.offset.fetch_add(seconds.max(0), Ordering::Relaxed) + seconds.max(0);
        self.advanced.send_replace(offset);
        offset
    }

    pub fn offset(&self) -> i64 {
        self.offset.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advance_moves_now_forward_and_never_back() {
        let c = Clock::default();
        let before = c.now();
        c.advance(301);
        assert!(c.now() >= before + 301);
        c.advance(-1000);
        assert_eq!(c.offset(), 301, "negative advances are ignored");
    }

    #[test]
    fn subscribers_see_an_advance() {
        let c = Clock::default();
        let mut rx = c.subscribe();
        assert!(!rx.has_changed().unwrap(), "nothing yet");
        c.advance(60);
        assert!(rx.has_changed().unwrap(), "the advance is announced");
        assert_eq!(*rx.borrow_and_update(), 60);
    }
}
