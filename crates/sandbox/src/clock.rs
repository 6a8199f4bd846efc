//! The sandbox clock: wall time plus an offset that the control API advances.
//!
//! Invariant: every expiry (authorization codes 5 min, access tokens 1 h,
//! refresh tokens 1 y, secrets' `expires_at`, idempotency keys 24 h) is checked
//! against this clock, never against `SystemTime` directly, so tests can expire
//! things by advancing it instead of sleeping. The offset only grows.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Debug, Default)]
pub struct Clock {
    offset: AtomicI64,
}

impl Clock {
    pub fn with_offset(offset: i64) -> Self {
        Clock {
            offset: AtomicI64::new(offset),
        }
    }

    /// Unix seconds as the sandbox sees them.
    pub fn now(&self) -> i64 {
        let wall = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        wall + self.offset.load(Ordering::Relaxed)
    }

    /// Moves the clock forward by `seconds` (negative values are ignored) and
    /// returns the new offset.
    pub fn advance(&self, seconds: i64) -> i64 {
        self.offset.fetch_add(seconds.max(0), Ordering::Relaxed) + seconds.max(0)
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
}
