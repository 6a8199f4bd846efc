//! The embedded sandbox and the secret store, as the status bar shows them.
//!
//! `sandbox_status` answers at once (`starting` until startup is done: the UI
//! polls it); the keychain commands wait for startup, which probes the OS
//! keychain for at most 5 s. Choosing session memory is the user's explicit
//! act (`use_session_secrets`); nothing here falls back on its own.

use appdeck_core::status::{KeychainStatus, SandboxStatus};

use crate::ipc::IpcResult;
use crate::services::starting_sandbox_status;
use crate::state::Shell;

/// The sandbox's state, base URL, developer account and app.
pub async fn sandbox_status(shell: &Shell) -> IpcResult<SandboxStatus> {
    Ok(shell
        .services_now()
        .map(|s| s.sandbox_status())
        .unwrap_or_else(starting_sandbox_status))
}

/// Turns the sandbox's auto-consent (answer authorize URLs at once) on or off.
pub async fn sandbox_set_auto_consent(shell: &Shell, on: bool) -> IpcResult<SandboxStatus> {
    shell.services().await.set_auto_consent(on).await
}

/// Which store holds secrets, and why not the OS keychain when it doesn't.
pub async fn keychain_status(shell: &Shell) -> IpcResult<KeychainStatus> {
    Ok(shell.services().await.keychain_status())
}

/// Keeps secrets in memory for this session (the UI shows a banner meanwhile).
pub async fn use_session_secrets(shell: &Shell) -> IpcResult<KeychainStatus> {
    Ok(shell.services().await.use_session_secrets())
}

/// Probes the OS keychain again and uses it if it answers.
pub async fn retry_keychain(shell: &Shell) -> IpcResult<KeychainStatus> {
    Ok(shell.services().await.retry_keychain().await)
}
