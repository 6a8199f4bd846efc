//! An in-memory [`SecretStore`]: for unit tests, and for the session-only mode a
//! user picks explicitly when no OS keychain is available. Nothing touches disk.

use std::collections::HashMap;
use std::sync::Mutex;

use super::{KeychainError, SecretRef, SecretStore, StoreKind};
use crate::secret::SecretValue;

#[derive(Default)]
pub struct MemoryStore {
    entries: Mutex<HashMap<String, SecretValue>>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, SecretValue>> {
        // A panic while holding the lock can't leave a half-written entry.
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl SecretStore for MemoryStore {
    fn set(&self, at: &SecretRef, value: &str) -> Result<(), KeychainError> {
        self.lock().insert(at.user(), SecretValue::new(value));
        Ok(())
    }

    fn get(&self, at: &SecretRef) -> Result<Option<SecretValue>, KeychainError> {
        Ok(self.lock().get(&at.user()).cloned())
    }

    fn delete(&self, at: &SecretRef) -> Result<(), KeychainError> {
        self.lock().remove(&at.user());
        Ok(())
    }

    fn kind(&self) -> StoreKind {
        StoreKind::SessionMemory
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keychain::{Mode, SecretKind};

    #[test]
    fn set_get_delete_round_trip() {
        let s = MemoryStore::new();
        let at = SecretRef::new(SecretKind::AccessToken, Mode::Local, "inst_1");
        assert!(s.get(&at).unwrap().is_none());
        s.set(&at, "tok").unwrap();
        assert_eq!(s.get(&at).unwrap().unwrap().secret(), "tok");
        s.delete(&at).unwrap();
        s.delete(&at).unwrap();
        assert!(s.get(&at).unwrap().is_none());
    }
}
