//! Account profiles: the embedded sandbox's `local` account, and accounts added
//! by pasting a key.
//!
//! Invariant: `accounts_add` is the only command that receives a secret from
//! the UI; the key goes straight to the secret store (through core, after its
//! `GET /v1/account` check) and no command returns one.

use appdeck_core::accounts::{self, AccountProfile, AccountsView};
use appdeck_core::secret::ApiKey;

use crate::ipc::{off_ui_thread, payload, IpcResult};
use crate::state::Shell;

/// Every profile (the local sandbox's first) and the current one.
pub async fn accounts_list(shell: &Shell) -> IpcResult<AccountsView> {
    let ctx = shell.services().await.context();
    off_ui_thread(move || accounts::list(&ctx).map_err(payload)).await
}

/// Checks the key (unless `skip_check`), stores it, records the profile.
pub async fn accounts_add(
    shell: &Shell,
    name: String,
    key: String,
    api_base: Option<String>,
    skip_check: bool,
    sandbox: Option<bool>,
) -> IpcResult<AccountProfile> {
    let ctx = shell.services().await.context();
    let key = ApiKey::new(key);
    let opts = accounts::AddOptions {
        api_base,
        skip_check,
        sandbox: sandbox.unwrap_or(false),
    };
    accounts::add(&ctx, &name, key, &opts)
        .await
        .map_err(payload)
}

/// Removes a profile and its keychain entry.
pub async fn accounts_remove(shell: &Shell, name: String) -> IpcResult<AccountsView> {
    let ctx = shell.services().await.context();
    off_ui_thread(move || {
        accounts::remove(&ctx, &name).map_err(payload)?;
        accounts::list(&ctx).map_err(payload)
    })
    .await
}

/// Makes `name` the current account.
pub async fn accounts_use(shell: &Shell, name: String) -> IpcResult<AccountsView> {
    let ctx = shell.services().await.context();
    off_ui_thread(move || {
        accounts::use_account(&ctx, &name).map_err(payload)?;
        accounts::list(&ctx).map_err(payload)
    })
    .await
}
