//! Choosing the secret store at start: the OS keychain if it answers within
//! core's timeout, else core's `NoStore` (every call refused, naming why)
//! until the user picks session memory or a retry succeeds.

use std::sync::Arc;

use appdeck_core::error::Coded;
use appdeck_core::keychain::{KeychainError, NoStore, OsKeychain, SecretStore, StoreKind};
use appdeck_core::status::KeychainStatus;

/// Probes the OS keychain's `service` on a blocking thread (bounded by core's 5 s timeout).
pub(super) async fn probe_keychain(service: String) -> (Arc<dyn SecretStore>, KeychainStatus) {
    let os = Arc::new(OsKeychain::new(service.clone()));
    let probe = os.clone();
    let result = tauri::async_runtime::spawn_blocking(move || probe.probe())
        .await
        .unwrap_or_else(|e| Err(KeychainError::Failed(e.to_string())));
    match result {
        Ok(()) => (
            os,
            KeychainStatus {
                store: Some(StoreKind::OsKeychain),
                problem: None,
                service,
            },
        ),
        Err(e) => (
            Arc::new(NoStore::new(e.to_string())),
            KeychainStatus {
                store: None,
                problem: Some(e.to_payload()),
                service,
            },
        ),
    }
}
