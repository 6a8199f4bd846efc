//! Where secrets live: the OS keychain behind the [`SecretStore`] trait, an
//! in-memory store for tests and for an explicitly chosen session-only mode.
//!
//! Naming scheme (one entry per secret, so no entry nears Windows' 2560-byte
//! limit and test/live secrets never share an entry):
//! - service: `appdeck` for release builds, `appdeck-dev` for debug builds
//!   (macOS prompts again when a binary's signature changes; keeping them apart
//!   keeps development from disturbing the real entries). `APPDECK_KEYCHAIN_SERVICE`
//!   overrides it, for tests against a throwaway keyring.
//! - user (account) name: `<kind>:<mode>:<owner>`, e.g. `secret-key:test:acct_123`,
//!   `refresh-token:local:inst_9f…`; third-party provider secrets have no Stripe
//!   mode: `provider-access-token:<provider name>`.
//!
//! Invariant: nothing here falls back to another store on its own; the caller
//! (and so the user) chooses session-only memory explicitly.

mod memory;
mod no_store;
mod os;
mod sandbox_key;

use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use memory::MemoryStore;
pub use no_store::NoStore;
pub use os::OsKeychain;
pub use sandbox_key::sandbox_data_key;

use crate::error::{Coded, ErrorCode};
use crate::secret::SecretValue;

/// What a secret is, part of its entry name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export, export_to = "SecretKind.ts")]
pub enum SecretKind {
    SecretKey,
    RestrictedKey,
    AccessToken,
    RefreshToken,
    SigningSecret,
    ProviderAccessToken,
    ProviderRefreshToken,
    ProviderClientSecret,
    /// The key that seals the local sandbox's data dir at rest.
    SandboxDataKey,
}

impl SecretKind {
    fn as_str(self) -> &'static str {
        match self {
            SecretKind::SecretKey => "secret-key",
            SecretKind::RestrictedKey => "restricted-key",
            SecretKind::AccessToken => "access-token",
            SecretKind::RefreshToken => "refresh-token",
            SecretKind::SigningSecret => "signing-secret",
            SecretKind::ProviderAccessToken => "provider-access-token",
            SecretKind::ProviderRefreshToken => "provider-refresh-token",
            SecretKind::ProviderClientSecret => "provider-client-secret",
            SecretKind::SandboxDataKey => "sandbox-data-key",
        }
    }
}

/// Which Stripe environment a secret belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export, export_to = "Mode.ts")]
pub enum Mode {
    Test,
    Live,
    /// The embedded local sandbox.
    Local,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Test => "test",
            Mode::Live => "live",
            Mode::Local => "local",
        }
    }
}

/// The address of one secret in a store.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SecretRef {
    pub kind: SecretKind,
    pub mode: Mode,
    /// The account name, install handle or provider name it belongs to.
    pub owner: String,
}

impl SecretRef {
    pub fn new(kind: SecretKind, mode: Mode, owner: impl Into<String>) -> Self {
        Self {
            kind,
            mode,
            owner: owner.into(),
        }
    }

    /// A third-party provider's secret (no Stripe mode).
    pub fn provider(kind: SecretKind, provider: impl Into<String>) -> Self {
        Self::new(kind, Mode::Test, provider)
    }

    /// The keychain "user" field: `<kind>:<mode>:<owner>`, or
    /// `<kind>:<owner>` for provider secrets.
    pub fn user(&self) -> String {
        match self.kind {
            SecretKind::ProviderAccessToken
            | SecretKind::ProviderRefreshToken
            | SecretKind::ProviderClientSecret => format!("{}:{}", self.kind.as_str(), self.owner),
            _ => format!(
                "{}:{}:{}",
                self.kind.as_str(),
                self.mode.as_str(),
                self.owner
            ),
        }
    }
}

impl fmt::Display for SecretRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.user())
    }
}

/// The environment variable that names another keychain service (tests, CI);
/// the faces read it and pass its value to [`service_name`].
pub const SERVICE_ENV: &str = "APPDECK_KEYCHAIN_SERVICE";

/// The keychain service name for this build: `overridden` (the value of
/// [`SERVICE_ENV`], when set and not empty), else `appdeck-dev` for debug
/// builds and `appdeck` for release builds.
pub fn service_name(overridden: Option<&str>) -> String {
    if let Some(s) = overridden.filter(|s| !s.is_empty()) {
        return s.to_string();
    }
    if cfg!(debug_assertions) {
        "appdeck-dev".into()
    } else {
        "appdeck".into()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeychainError {
    #[error("no keychain service is available ({0}). On Linux, start a Secret Service such as gnome-keyring in your desktop session, or choose to keep secrets for this session only")]
    Unavailable(String),
    #[error("the keychain is locked; unlock it (e.g. log in to your desktop session's keyring) and try again")]
    Locked,
    #[error("the keychain did not answer within {0} seconds; it may be waiting for a password prompt or hung. Unlock it and try again")]
    Timeout(u64),
    #[error("the keychain refused access ({0}); allow Appdeck in the prompt or in your keychain settings")]
    Denied(String),
    #[error("the keychain failed: {0}")]
    Failed(String),
}

impl Coded for KeychainError {
    fn code(&self) -> ErrorCode {
        match self {
            KeychainError::Unavailable(_) => ErrorCode::KeychainUnavailable,
            KeychainError::Locked => ErrorCode::KeychainLocked,
            KeychainError::Timeout(_) => ErrorCode::KeychainTimeout,
            KeychainError::Denied(_) => ErrorCode::KeychainDenied,
            KeychainError::Failed(_) => ErrorCode::KeychainFailed,
        }
    }
}

/// Which store is in use, for the status bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export, export_to = "StoreKind.ts")]
pub enum StoreKind {
    OsKeychain,
    /// Chosen explicitly by the user: secrets vanish when the app quits.
    SessionMemory,
}

/// A place for secrets. Implementations are blocking; call them from
/// `spawn_blocking` in async code (the OS one bounds each call by a timeout).
pub trait SecretStore: Send + Sync {
    fn set(&self, at: &SecretRef, value: &str) -> Result<(), KeychainError>;
    /// `Ok(None)` when there is no such entry.
    fn get(&self, at: &SecretRef) -> Result<Option<SecretValue>, KeychainError>;
    /// Deleting a missing entry is not an error.
    fn delete(&self, at: &SecretRef) -> Result<(), KeychainError>;
    fn kind(&self) -> StoreKind;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_names_separate_kind_mode_and_owner() {
        let a = SecretRef::new(SecretKind::SecretKey, Mode::Test, "acct_1");
        let b = SecretRef::new(SecretKind::SecretKey, Mode::Live, "acct_1");
        assert_eq!(a.user(), "secret-key:test:acct_1");
        assert_ne!(a.user(), b.user());
        assert!(service_name(None).starts_with("appdeck"));
        assert_eq!(service_name(Some("appdeck-ci")), "appdeck-ci");
        assert_eq!(service_name(Some("")), service_name(None), "empty is unset");
    }

    #[test]
    fn errors_carry_distinct_codes() {
        let codes = [
            KeychainError::Unavailable("x".into()).code(),
            KeychainError::Locked.code(),
            KeychainError::Timeout(5).code(),
            KeychainError::Denied("x".into()).code(),
        ];
        for (i, a) in codes.iter().enumerate() {
            for b in &codes[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }
}
