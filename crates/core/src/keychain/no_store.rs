//! The store in use while no store is chosen (the OS keychain failed and the
//! user has not picked session memory): every call fails with
//! `keychain-unavailable`, naming why, so nothing falls back to plaintext or
//! to memory without the user's word.

use super::{KeychainError, SecretRef, SecretStore, StoreKind};
use crate::secret::SecretValue;

/// The store in use while the user has not chosen one: every call fails with
/// `keychain-unavailable`, naming why the OS keychain could not be used.
pub struct NoStore {
    why: String,
}

impl NoStore {
    /// A store refusing everything because of `why` (the keychain's own words).
    pub fn new(why: impl Into<String>) -> Self {
        NoStore { why: why.into() }
    }
}

impl NoStore {
    fn refuse(&self) -> KeychainError {
        KeychainError::Unavailable(format!(
            "{}; no secret store is chosen. Retry the keychain, or keep secrets for this session only",
            self.why
        ))
    }
}

impl SecretStore for NoStore {
    fn set(&self, _: &SecretRef, _: &str) -> Result<(), KeychainError> {
        Err(self.refuse())
    }
    fn get(&self, _: &SecretRef) -> Result<Option<SecretValue>, KeychainError> {
        Err(self.refuse())
    }
    fn delete(&self, _: &SecretRef) -> Result<(), KeychainError> {
        Err(self.refuse())
    }
    fn kind(&self) -> StoreKind {
        // Never reported: KeychainStatus.store is `None` while this is in use.
        StoreKind::OsKeychain
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Coded, ErrorCode};
    use crate::keychain::{Mode, SecretKind};

    #[test]
    fn every_call_is_refused_with_the_reason() {
        let s = NoStore::new("no Secret Service");
        let at = SecretRef::new(SecretKind::SecretKey, Mode::Test, "qa");
        for e in [
            s.set(&at, "x").unwrap_err(),
            s.get(&at).unwrap_err(),
            s.delete(&at).unwrap_err(),
        ] {
            assert_eq!(e.code(), ErrorCode::KeychainUnavailable);
            assert!(e.to_string().contains("no Secret Service"), "{e}");
        }
    }
}
