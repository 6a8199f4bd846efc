//! Random ids and keys in Stripe's formats (`cus_…`, `sk_test_…`, `ac_…`).
//!
//! Invariant: every id and key is drawn from the thread-local CSPRNG, so two
//! sandboxes never share a key and nothing can be guessed from a fixed string.
//! The prefixes and lengths live here, in one place:
//!
//! | what | format |
//! |---|---|
//! | account | `acct_` + 16 |
//! | secret / restricted / publishable key | `sk_test_` / `rk_test_` / `pk_test_` + 24 (`sk_live_` for the developer's live-mode key) |
//! | OAuth access token | `sk_test_oauth_` + 24 (key-like, as Stripe's are, but recognisably an app token) |
//! | OAuth refresh token | `rt_` + 32 |
//! | client id, channel link, signing secret | `ca_` + 24, `chnlink_` + 16, `absec_` + 32 |
//! | authorization code | `ac_` + 24 |
//! | user | `usr_` + 14 |
//! | objects | `cus_`, `prod_`, `price_`, `appsecret_`, `evt_` + 14–24 |
//! | request id | `req_` + 14 |

use rand::distr::Alphanumeric;
use rand::Rng;

/// `prefix` followed by `n` random letters and digits.
pub fn with_prefix(prefix: &str, n: usize) -> String {
    let mut s = String::with_capacity(prefix.len() + n);
    s.push_str(prefix);
    s.extend(
        rand::rng()
            .sample_iter(&Alphanumeric)
            .take(n)
            .map(char::from),
    );
    s
}

pub fn account() -> String {
    with_prefix("acct_", 16)
}
pub fn secret_key() -> String {
    with_prefix("sk_test_", 24)
}
pub fn live_secret_key() -> String {
    with_prefix("sk_live_", 24)
}
pub fn restricted_key() -> String {
    with_prefix("rk_test_", 24)
}
pub fn publishable_key() -> String {
    with_prefix("pk_test_", 24)
}
pub fn access_token() -> String {
    with_prefix("sk_test_oauth_", 24)
}
pub fn refresh_token() -> String {
    with_prefix("rt_", 32)
}
pub fn client_id() -> String {
    with_prefix("ca_", 24)
}
pub fn channel_link() -> String {
    with_prefix("chnlink_", 16)
}
pub fn signing_secret() -> String {
    with_prefix("absec_", 32)
}
pub fn auth_code() -> String {
    with_prefix("ac_", 24)
}
pub fn user() -> String {
    with_prefix("usr_", 14)
}
pub fn request_id() -> String {
    with_prefix("req_", 14)
}

/// Eight upper-case hex digits, like a customer's `invoice_prefix`.
pub fn invoice_prefix() -> String {
    let n: u32 = rand::rng().random();
    format!("{n:08X}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_prefix_and_length_and_differ() {
        let a = account();
        assert!(a.starts_with("acct_") && a.len() == 21, "{a}");
        assert_ne!(a, account(), "two draws must differ");
        assert!(access_token().starts_with("sk_test_oauth_"));
        assert!(secret_key()[8..].chars().all(|c| c.is_ascii_alphanumeric()));
        assert_eq!(invoice_prefix().len(), 8);
    }
}
