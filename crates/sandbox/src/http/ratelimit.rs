//! Stripe's test-mode rate limit: 25 requests per second per account.
//!
//! A fixed one-second window per account, on a monotonic clock (the sandbox
//! clock can jump; rate limits should not). Invariant: when the setting is off
//! nothing here runs, so a benchmark measures the API, not the limiter.

use std::collections::HashMap;
use std::time::Instant;

use parking_lot::Mutex;

pub const PER_SECOND: u32 = 25;

#[derive(Debug)]
pub struct RateLimiter {
    start: Instant,
    windows: Mutex<HashMap<String, (u64, u32)>>,
}

impl Default for RateLimiter {
    fn default() -> Self {
        RateLimiter {
            start: Instant::now(),
            windows: Mutex::new(HashMap::new()),
        }
    }
}

impl RateLimiter {
    /// Counts a request for `account`; false when it is over the limit.
    pub fn allow(&self, account: &str) -> bool {
        let second = self.start.elapsed().as_secs();
        let mut windows = self.windows.lock();
        if let Some((window, count)) = windows.get_mut(account) {
            if *window != second {
                *window = second;
                *count = 0;
            }
            *count += 1;
            return *count <= PER_SECOND;
        }
        windows.insert(account.to_string(), (second, 1));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_five_per_second_per_account() {
        let r = RateLimiter::default();
        let allowed = (0..40).filter(|_| r.allow("acct_a")).count();
        // The 40 calls may straddle a second boundary; at least 25 pass, never all 40.
        assert!((25..40).contains(&allowed), "{allowed}");
        assert!(r.allow("acct_b"), "accounts are counted separately");
    }
}
