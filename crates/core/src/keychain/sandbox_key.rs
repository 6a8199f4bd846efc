//! The key that seals the local sandbox's data dir at rest (appdeck-sandbox's
//! `sealed` module), kept in the secret store as
//! `sandbox-data-key:local:<dir id>`.
//!
//! The dir id is the first 16 hex digits of the SHA-256 of the data dir's
//! absolute path: two config dirs (a test's, a second profile) never share a
//! key, and the entry's name does not reveal the path.
//!
//! Invariants: the key is made once, on first use (32 random bytes as 64 hex
//! digits), and only ever kept in the store; the key used is the one read back
//! from the store after writing; a
//! store that cannot be read is an error, never a reason to make a new key
//! (that would orphan the sealed data).

use std::path::Path;

use sha2::{Digest, Sha256};

use super::{KeychainError, Mode, SecretKind, SecretRef, SecretStore};
use crate::secret::SecretValue;

/// Where the key of `data_dir` is kept.
pub fn sandbox_key_ref(data_dir: &Path) -> SecretRef {
    let absolute = std::path::absolute(data_dir).unwrap_or_else(|_| data_dir.to_path_buf());
    let digest = hex::encode(Sha256::digest(absolute.to_string_lossy().as_bytes()));
    SecretRef::new(SecretKind::SandboxDataKey, Mode::Local, &digest[..16])
}

/// The key sealing `data_dir`, made and stored on first use. Blocking (the
/// store is); call it off the async runtime.
pub fn sandbox_data_key(
    store: &dyn SecretStore,
    data_dir: &Path,
) -> Result<SecretValue, KeychainError> {
    let at = sandbox_key_ref(data_dir);
    if let Some(key) = store.get(&at)? {
        return Ok(key);
    }
    let fresh = hex::encode(rand::random::<[u8; 32]>());
    store.set(&at, &fresh)?;
    // Two processes opening a fresh dir at once may each have made a key; the
    // store keeps the last one written. Reading it back narrows that race to
    // the moment between the two writes (and redb's file lock lets only one
    // of them open the database anyway).
    Ok(store.get(&at)?.unwrap_or_else(|| SecretValue::new(fresh)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keychain::MemoryStore;

    #[test]
    fn one_key_per_data_dir_made_once() {
        let store = MemoryStore::new();
        let a = sandbox_data_key(&store, Path::new("/tmp/a/sandbox")).unwrap();
        let again = sandbox_data_key(&store, Path::new("/tmp/a/sandbox")).unwrap();
        let b = sandbox_data_key(&store, Path::new("/tmp/b/sandbox")).unwrap();
        assert_eq!(a.secret(), again.secret());
        assert_ne!(a.secret(), b.secret());
        assert_eq!(a.secret().len(), 64);
        let name = sandbox_key_ref(Path::new("/tmp/a/sandbox")).user();
        assert!(name.starts_with("sandbox-data-key:local:"), "{name}");
        assert!(!name.contains("tmp"), "{name}");
    }
}
