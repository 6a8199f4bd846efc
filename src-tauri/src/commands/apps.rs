//! App credentials per mode: the OAuth client id, the external-test channel
//! link and the signing secret an install on a real account needs (what
//! `appdeck apps list|set` does).
//!
//! Invariant: `apps_set` receives a signing secret from the UI and hands it
//! straight to core, which keeps it in the keychain; no command returns one
//! (`AppCredentials` says only whether one is known).

use appdeck_core::apps::{self, AppCredentials};
use appdeck_core::keychain::Mode;
use appdeck_core::secret::SigningSecret;

use crate::ipc::{off_ui_thread, payload, IpcResult};
use crate::state::Shell;

/// Every configured app and mode (no secret).
pub async fn apps_list(shell: &Shell) -> IpcResult<Vec<AppCredentials>> {
    let ctx = shell.services().await.context();
    off_ui_thread(move || apps::list(&ctx).map_err(payload)).await
}

/// Records an app's client id and channel link for `mode` (`test` or
/// `live`), and its signing secret when given (into the keychain).
pub async fn apps_set(
    shell: &Shell,
    app_id: String,
    live: bool,
    client_id: String,
    channel_link: Option<String>,
    signing_secret: Option<String>,
) -> IpcResult<AppCredentials> {
    let ctx = shell.services().await.context();
    let mode = if live { Mode::Live } else { Mode::Test };
    let secret = signing_secret
        .filter(|s| !s.trim().is_empty())
        .map(|s| SigningSecret::new(s.trim()));
    off_ui_thread(move || {
        apps::configure(
            &ctx,
            &app_id,
            mode,
            &client_id,
            channel_link.as_deref(),
            secret,
        )
        .map_err(payload)
    })
    .await
}
