//! Third-party OAuth providers (authorization code + PKCE S256) and the
//! Dashboard redirect URLs a UI extension registers with them.
//!
//! Invariant: a provider's client secret comes in once (`providers_add`) and
//! goes to the secret store; configs and logins return `has_*` flags and a
//! masked token hint, never a token. The run's verifier, challenge and state
//! are shown on purpose (the verifier is spent by the exchange). A login is a
//! job under the id the UI gave it (`services.logins`) until it returns, so
//! `provider_login_cancel` can end it while it waits for the browser.

use std::time::Duration;

use appdeck_core::oauth::install::DEFAULT_TIMEOUT;
use appdeck_core::oauth::provider::{self, ProviderConfig, ProviderLogin};
use appdeck_core::oauth::timeline::TimelineStep;
use appdeck_core::secret::ClientSecret;
use tauri::ipc::Channel;

use crate::commands::install::channel_observer;
use crate::ipc::{off_ui_thread, payload, IpcResult};
use crate::state::Shell;

pub async fn providers_list(shell: &Shell) -> IpcResult<Vec<ProviderConfig>> {
    let ctx = shell.services().await.context();
    off_ui_thread(move || provider::list(&ctx).map_err(payload)).await
}

/// Adds a provider; its client secret (if any) goes to the secret store.
pub async fn providers_add(
    shell: &Shell,
    config: ProviderConfig,
    client_secret: Option<String>,
) -> IpcResult<ProviderConfig> {
    let ctx = shell.services().await.context();
    let secret = client_secret
        .filter(|s| !s.is_empty())
        .map(ClientSecret::new);
    off_ui_thread(move || provider::add(&ctx, config, secret).map_err(payload)).await
}

/// Removes a provider and every keychain entry it had.
pub async fn providers_remove(shell: &Shell, name: String) -> IpcResult<()> {
    let ctx = shell.services().await.context();
    off_ui_thread(move || provider::remove(&ctx, &name).map_err(payload)).await
}

/// Runs authorization code + PKCE in the system browser as the job `login`;
/// steps stream on `on_step`. Rejects `oauth-cancelled` when cancelled.
pub async fn provider_login(
    shell: &Shell,
    name: String,
    timeout_secs: Option<u64>,
    login: String,
    on_step: Channel<TimelineStep>,
) -> IpcResult<ProviderLogin> {
    let svc = shell.services().await;
    let job = svc.logins.start_as(&login, ())?;
    let ctx = svc.context();
    let timeout = timeout_secs
        .map(Duration::from_secs)
        .unwrap_or(DEFAULT_TIMEOUT);
    let opener = svc.opener.clone();
    let open = move |url: &str| {
        if let Err(e) = opener(url) {
            eprintln!("appdeck-desktop: could not open a browser ({e})");
        }
    };
    provider::login(
        &ctx,
        &name,
        timeout,
        job.token(),
        Some(channel_observer(on_step)),
        open,
    )
    .await
    .map_err(|f| payload(f.error))
}

/// Cancels the login `login` (it rejects `oauth-cancelled`), also one that has
/// not reached the shell yet; one that ended is not an error.
pub async fn provider_login_cancel(shell: &Shell, login: String) -> IpcResult<()> {
    shell.services().await.logins.cancel(&login);
    Ok(())
}

/// Refreshes the provider's tokens with its refresh token.
pub async fn provider_refresh(shell: &Shell, name: String) -> IpcResult<ProviderConfig> {
    let ctx = shell.services().await.context();
    provider::refresh(&ctx, &name).await.map_err(payload)
}

/// `https://dashboard.stripe.com/[test/]apps-oauth/{app id}`.
pub async fn dashboard_redirect_urls(app_id: String) -> IpcResult<Vec<String>> {
    Ok(provider::dashboard_redirect_urls(&app_id).to_vec())
}
