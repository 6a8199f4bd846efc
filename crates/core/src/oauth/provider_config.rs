//! Third-party OAuth provider settings: `providers.json` (no secret) plus the
//! optional client secret in the keychain.
//!
//! Invariants: a provider's name is a file-and-keychain-safe token; its URLs
//! are https (http only for loopback, for local test providers); removing a
//! provider removes every keychain entry it had, so nothing is orphaned. The
//! login itself (PKCE through the loopback listener) is `provider.rs`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::provider::ProviderError;
use crate::context::Context;
use crate::keychain::{SecretKind, SecretRef};
use crate::secret::ClientSecret;
use crate::store::JsonFile;

const FILE: &str = "providers.json";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export, export_to = "ProviderConfig.ts")]
pub struct ProviderConfig {
    pub name: String,
    pub authorize_url: String,
    pub token_url: String,
    pub client_id: String,
    pub scopes: Vec<String>,
    /// Extra authorize parameters (e.g. `access_type=offline`).
    pub params: Vec<(String, String)>,
    pub has_client_secret: bool,
    /// Set after a login: when the access token expires (if the provider said).
    pub access_expires_at: Option<String>,
    pub logged_in_at: Option<String>,
    pub has_refresh_token: bool,
}

/// The Dashboard redirect URLs a UI extension registers with a provider.
pub fn dashboard_redirect_urls(app_id: &str) -> [String; 2] {
    [
        format!("https://dashboard.stripe.com/test/apps-oauth/{app_id}"),
        format!("https://dashboard.stripe.com/apps-oauth/{app_id}"),
    ]
}

pub(super) fn file(ctx: &Context) -> JsonFile {
    JsonFile::new(&ctx.config_dir, FILE)
}

pub fn list(ctx: &Context) -> Result<Vec<ProviderConfig>, ProviderError> {
    Ok(file(ctx).load()?)
}

pub fn get(ctx: &Context, name: &str) -> Result<ProviderConfig, ProviderError> {
    list(ctx)?
        .into_iter()
        .find(|p| p.name == name)
        .ok_or_else(|| ProviderError::NotFound(name.into()))
}

fn check_url(what: &str, u: &str) -> Result<(), ProviderError> {
    match url::Url::parse(u) {
        Ok(p)
            if p.scheme() == "https"
                || (p.scheme() == "http"
                    && p.host()
                        .is_some_and(|h| crate::manifest::rules::is_loopback(&h))) =>
        {
            Ok(())
        }
        _ => Err(ProviderError::Invalid(format!(
            "the {what} must be an absolute https:// URL (http only for loopback), got \"{u}\""
        ))),
    }
}

/// Adds a provider; the client secret (if any) goes to the keychain.
pub fn add(
    ctx: &Context,
    mut cfg: ProviderConfig,
    secret: Option<ClientSecret>,
) -> Result<ProviderConfig, ProviderError> {
    if cfg.name.is_empty()
        || !cfg
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(ProviderError::Invalid(format!(
            "\"{}\" is not a usable provider name: use letters, digits, '-', '_' or '.'",
            cfg.name
        )));
    }
    check_url("authorize URL", &cfg.authorize_url)?;
    check_url("token URL", &cfg.token_url)?;
    if cfg.client_id.trim().is_empty() {
        return Err(ProviderError::Invalid(
            "the client id must not be empty".into(),
        ));
    }
    if list(ctx)?.iter().any(|p| p.name == cfg.name) {
        return Err(ProviderError::Exists(cfg.name));
    }
    if let Some(s) = &secret {
        ctx.secrets.set(
            &SecretRef::provider(SecretKind::ProviderClientSecret, &cfg.name),
            s.secret(),
        )?;
    }
    cfg.has_client_secret = secret.is_some();
    let saved = cfg.clone();
    file(ctx).update(move |l: &mut Vec<ProviderConfig>| l.push(saved))?;
    Ok(cfg)
}

/// Removes a provider and every keychain entry it had.
pub fn remove(ctx: &Context, name: &str) -> Result<(), ProviderError> {
    get(ctx, name)?;
    for kind in [
        SecretKind::ProviderClientSecret,
        SecretKind::ProviderAccessToken,
        SecretKind::ProviderRefreshToken,
    ] {
        ctx.secrets.delete(&SecretRef::provider(kind, name))?;
    }
    file(ctx).update(|l: &mut Vec<ProviderConfig>| l.retain(|p| p.name != name))?;
    Ok(())
}
