//! What kind of Stripe environment an account profile is: the embedded local
//! sandbox, test mode, a Stripe sandbox, or live mode.
//!
//! Why a kind beside the mode: Stripe's sandboxes are separate environments,
//! each its own `acct_…` with its own keys, but their keys carry the same
//! `sk_test_`/`rk_test_` prefixes as test mode (/keys: "Sandbox keys start with
//! pk_test_, rk_test_ and sk_test_"), and nothing documented tells them apart
//! from the key or from `GET /v1/account`. So the user says so when adding the
//! account (`--sandbox`), and the kind is kept next to the mode, which still
//! decides the keychain entry (test and live secrets apart).
//!
//! Invariant: a sandbox is always test mode; the kind of an old profile (saved
//! before kinds existed) follows from its mode.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::keychain::Mode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export, export_to = "AccountKind.ts")]
pub enum AccountKind {
    /// The embedded local sandbox (Appdeck's own, offline).
    Local,
    /// An account's test mode (the classic test environment).
    #[default]
    Test,
    /// A Stripe sandbox (docs.stripe.com/sandboxes): test keys, its own account.
    Sandbox,
    /// Live mode: real money, real customers.
    Live,
}

impl AccountKind {
    /// The kind of a profile of `mode`, declared a sandbox or not.
    pub fn of(mode: Mode, sandbox: bool) -> AccountKind {
        match mode {
            Mode::Local => AccountKind::Local,
            Mode::Live => AccountKind::Live,
            Mode::Test if sandbox => AccountKind::Sandbox,
            Mode::Test => AccountKind::Test,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::Local => "local",
            AccountKind::Test => "test",
            AccountKind::Sandbox => "sandbox",
            AccountKind::Live => "live",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_follows_mode_and_the_sandbox_flag() {
        assert_eq!(AccountKind::of(Mode::Test, false), AccountKind::Test);
        assert_eq!(AccountKind::of(Mode::Test, true), AccountKind::Sandbox);
        assert_eq!(AccountKind::of(Mode::Live, false), AccountKind::Live);
        assert_eq!(AccountKind::of(Mode::Local, false), AccountKind::Local);
        assert_eq!(
            serde_json::to_string(&AccountKind::Sandbox).unwrap(),
            "\"sandbox\""
        );
    }
}
