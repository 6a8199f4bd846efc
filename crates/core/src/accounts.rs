//! Sandbox account profiles: a name, the Stripe account, its mode and the kind
//! of key; the key itself lives in the keychain.
//!
//! Invariants: `accounts.json` in the config dir holds no secret; a key is
//! checked with `GET /v1/account` before it is saved (unless the caller skips
//! the check for a server without that route); removing an account deletes its
//! keychain entry first, so a failure never leaves a secret without a profile
//! pointing at it. The embedded local sandbox's developer account is always
//! listed as `local`, with no set-up. Each profile carries its [`AccountKind`]
//! (test mode, a Stripe sandbox, live, local): see `kind` for why the user
//! declares a sandbox.

mod kind;

pub use kind::AccountKind;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::context::Context;
use crate::error::{Coded, ErrorCode};
use crate::keychain::{KeychainError, Mode, SecretKind, SecretRef};
use crate::secret::ApiKey;
use crate::store::{JsonFile, StoreError};

pub const LOCAL_ACCOUNT: &str = "local";
pub const STRIPE_API_BASE: &str = "https://api.stripe.com";
const FILE: &str = "accounts.json";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export, export_to = "CredentialKind.ts")]
pub enum CredentialKind {
    SecretKey,
    RestrictedKey,
}

impl CredentialKind {
    pub fn secret_kind(self) -> SecretKind {
        match self {
            CredentialKind::SecretKey => SecretKind::SecretKey,
            CredentialKind::RestrictedKey => SecretKind::RestrictedKey,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export, export_to = "AccountProfile.ts")]
pub struct AccountProfile {
    pub name: String,
    pub account_id: String,
    pub mode: Mode,
    /// Test mode, a Stripe sandbox, live or local: shown wherever the mode is.
    #[serde(default)]
    pub kind: AccountKind,
    pub credential: CredentialKind,
    pub api_base: String,
    /// The account's display name or email, when `GET /v1/account` told it.
    pub display_name: Option<String>,
    pub added_at: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct AccountsFile {
    current: Option<String>,
    accounts: Vec<AccountProfile>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export, export_to = "AccountsView.ts")]
pub struct AccountsView {
    pub current: Option<String>,
    pub accounts: Vec<AccountProfile>,
}

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("no account named \"{0}\"; see `appdeck accounts list`")]
    NotFound(String),
    #[error("an account named \"{0}\" already exists; remove it first or pick another name")]
    Exists(String),
    #[error("\"{0}\" is not a usable account name: use 1–64 letters, digits, '.', '_' or '-' (and not \"local\", which is the embedded sandbox)")]
    InvalidName(String),
    #[error("that is not a Stripe secret or restricted key ({0}); paste a key starting with sk_test_, sk_live_, rk_test_ or rk_live_")]
    InvalidKey(String),
    #[error("a Stripe sandbox has test keys only (sk_test_…, rk_test_…); this is a live key, so drop the sandbox flag or paste the sandbox's own key")]
    LiveSandbox,
    #[error("Stripe rejected the key ({status}): {message}")]
    KeyRejected { status: u16, message: String },
    #[error("could not reach {base}: {reason}. Check the API base URL and your connection, or pass --skip-check")]
    Network { base: String, reason: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Keychain(#[from] KeychainError),
}

impl Coded for AccountError {
    fn code(&self) -> ErrorCode {
        match self {
            AccountError::NotFound(_) => ErrorCode::AccountNotFound,
            AccountError::Exists(_) => ErrorCode::AccountExists,
            AccountError::InvalidName(_)
            | AccountError::InvalidKey(_)
            | AccountError::LiveSandbox => ErrorCode::InvalidInput,
            AccountError::KeyRejected { .. } => ErrorCode::KeyRejected,
            AccountError::Network { .. } => ErrorCode::Network,
            AccountError::Store(e) => e.code(),
            AccountError::Keychain(e) => e.code(),
        }
    }
}

/// Mode and kind from a key's prefix.
pub fn classify_key(key: &str) -> Result<(Mode, CredentialKind), AccountError> {
    let trimmed = key.trim();
    let (kind, rest) = if let Some(r) = trimmed.strip_prefix("sk_") {
        (CredentialKind::SecretKey, r)
    } else if let Some(r) = trimmed.strip_prefix("rk_") {
        (CredentialKind::RestrictedKey, r)
    } else if trimmed.starts_with("pk_") {
        return Err(AccountError::InvalidKey(
            "a publishable key can't call the API".into(),
        ));
    } else {
        return Err(AccountError::InvalidKey("unknown prefix".into()));
    };
    let mode = if rest.starts_with("test_") {
        Mode::Test
    } else if rest.starts_with("live_") {
        Mode::Live
    } else {
        return Err(AccountError::InvalidKey(
            "no test_ or live_ after the prefix".into(),
        ));
    };
    if trimmed.chars().any(char::is_whitespace) || trimmed.len() < 16 {
        return Err(AccountError::InvalidKey(
            "too short or contains spaces".into(),
        ));
    }
    Ok((mode, kind))
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name != LOCAL_ACCOUNT
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

fn file(ctx: &Context) -> JsonFile {
    JsonFile::new(&ctx.config_dir, FILE)
}

fn local_profile(ctx: &Context) -> Option<AccountProfile> {
    ctx.local.as_ref().map(|l| AccountProfile {
        name: LOCAL_ACCOUNT.into(),
        account_id: l.account_id.clone(),
        mode: Mode::Local,
        kind: AccountKind::Local,
        credential: CredentialKind::SecretKey,
        api_base: l.base_url.clone(),
        display_name: Some("Embedded local sandbox".into()),
        added_at: String::new(),
    })
}

/// Every profile (the local sandbox's first, when it runs) and the current one.
pub fn list(ctx: &Context) -> Result<AccountsView, AccountError> {
    let f: AccountsFile = file(ctx).load()?;
    let mut accounts: Vec<AccountProfile> = local_profile(ctx).into_iter().collect();
    // Profiles saved before kinds existed say nothing of one: their mode decides.
    accounts.extend(f.accounts.into_iter().map(|mut a| {
        if a.kind != AccountKind::Sandbox {
            a.kind = AccountKind::of(a.mode, false);
        }
        a
    }));
    let current = f
        .current
        .filter(|c| accounts.iter().any(|a| &a.name == c))
        .or_else(|| accounts.first().map(|a| a.name.clone()));
    Ok(AccountsView { current, accounts })
}

pub fn get(ctx: &Context, name: &str) -> Result<AccountProfile, AccountError> {
    list(ctx)?
        .accounts
        .into_iter()
        .find(|a| a.name == name)
        .ok_or_else(|| AccountError::NotFound(name.to_string()))
}

/// The named account, or the current one.
pub fn resolve(ctx: &Context, name: Option<&str>) -> Result<AccountProfile, AccountError> {
    match name {
        Some(n) => get(ctx, n),
        None => {
            let view = list(ctx)?;
            let current = view.current.ok_or_else(|| {
                AccountError::NotFound("(none: add one with `appdeck accounts add`)".into())
            })?;
            get(ctx, &current)
        }
    }
}

fn key_ref(p: &AccountProfile) -> SecretRef {
    SecretRef::new(p.credential.secret_kind(), p.mode, p.name.clone())
}

/// The account's API key: from the running sandbox for `local`, else the keychain.
pub fn api_key(ctx: &Context, profile: &AccountProfile) -> Result<ApiKey, AccountError> {
    if profile.mode == Mode::Local {
        return ctx
            .local
            .as_ref()
            .map(|l| l.secret_key.clone())
            .ok_or_else(|| AccountError::NotFound(LOCAL_ACCOUNT.into()));
    }
    match ctx.secrets.get(&key_ref(profile))? {
        Some(v) => Ok(ApiKey::new(v.secret())),
        None => Err(AccountError::Keychain(KeychainError::Failed(format!(
            "the key of \"{}\" is missing from the keychain (removed outside Appdeck, or the keychain is locked); add the account again",
            profile.name
        )))),
    }
}

#[derive(Deserialize)]
struct AccountResponse {
    id: String,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    business_profile: Option<serde_json::Value>,
    #[serde(default)]
    settings: Option<serde_json::Value>,
}

/// Checks a key with `GET /v1/account`: the account id and a display name.
pub async fn check_key(
    ctx: &Context,
    api_base: &str,
    key: &ApiKey,
) -> Result<(String, Option<String>), AccountError> {
    let url = format!("{}/v1/account", api_base.trim_end_matches('/'));
    let resp = ctx
        .http
        .get(&url)
        .basic_auth(key.secret(), Some(""))
        .send()
        .await
        .map_err(|e| AccountError::Network {
            base: api_base.to_string(),
            reason: crate::http::describe(&e),
        })?;
    let status = resp.status();
    let body: serde_json::Value = resp.json().await.unwrap_or(serde_json::Value::Null);
    if !status.is_success() {
        let message = body["error"]["message"]
            .as_str()
            .unwrap_or("no error message")
            .to_string();
        return Err(AccountError::KeyRejected {
            status: status.as_u16(),
            message,
        });
    }
    let acct: AccountResponse =
        serde_json::from_value(body).map_err(|e| AccountError::Network {
            base: api_base.to_string(),
            reason: format!("unexpected response to GET /v1/account: {e}"),
        })?;
    let display = acct
        .settings
        .as_ref()
        .and_then(|s| s["dashboard"]["display_name"].as_str().map(String::from))
        .or_else(|| {
            acct.business_profile
                .as_ref()
                .and_then(|b| b["name"].as_str().map(String::from))
        })
        .or(acct.email);
    Ok((acct.id, display))
}

/// How to add an account, besides its name and key.
#[derive(Debug, Clone, Default)]
pub struct AddOptions {
    /// The API base URL [default: Stripe's].
    pub api_base: Option<String>,
    /// Save without `GET /v1/account` (a server without that route).
    pub skip_check: bool,
    /// The key belongs to a Stripe sandbox (its prefix can't tell).
    pub sandbox: bool,
}

/// Adds a profile: checks the key (unless `skip_check`), stores it in the
/// keychain, then records the profile. A live key is allowed, and flagged by
/// its mode everywhere it is shown.
pub async fn add(
    ctx: &Context,
    name: &str,
    key: ApiKey,
    opts: &AddOptions,
) -> Result<AccountProfile, AccountError> {
    let (api_base, skip_check) = (opts.api_base.as_deref(), opts.skip_check);
    if !valid_name(name) {
        return Err(AccountError::InvalidName(name.to_string()));
    }
    if list(ctx)?.accounts.iter().any(|a| a.name == name) {
        return Err(AccountError::Exists(name.to_string()));
    }
    let key = ApiKey::new(key.secret().trim());
    let (mode, credential) = classify_key(key.secret())?;
    if opts.sandbox && mode == Mode::Live {
        return Err(AccountError::LiveSandbox);
    }
    let api_base = api_base
        .unwrap_or(STRIPE_API_BASE)
        .trim_end_matches('/')
        .to_string();
    let (account_id, display_name) = if skip_check {
        (String::new(), None)
    } else {
        check_key(ctx, &api_base, &key).await?
    };
    let profile = AccountProfile {
        name: name.to_string(),
        account_id,
        mode,
        kind: AccountKind::of(mode, opts.sandbox),
        credential,
        api_base,
        display_name,
        added_at: ctx.clock.now().to_rfc3339(),
    };
    let secrets = ctx.secrets.clone();
    let at = key_ref(&profile);
    let value = key.clone();
    tokio::task::spawn_blocking(move || secrets.set(&at, value.secret()))
        .await
        .map_err(|e| KeychainError::Failed(e.to_string()))??;
    let saved = profile.clone();
    let has_local = ctx.local.is_some();
    file(ctx).update(move |f: &mut AccountsFile| {
        f.accounts.push(saved);
        // With the local sandbox running it is the implicit current account;
        // adding another doesn't silently switch away from it.
        if f.current.is_none() && !has_local {
            f.current = Some(name.to_string());
        }
    })?;
    Ok(profile)
}

/// Removes a profile and its keychain entry.
pub fn remove(ctx: &Context, name: &str) -> Result<(), AccountError> {
    let f: AccountsFile = file(ctx).load()?;
    let profile = f
        .accounts
        .iter()
        .find(|a| a.name == name)
        .cloned()
        .ok_or_else(|| AccountError::NotFound(name.to_string()))?;
    ctx.secrets.delete(&key_ref(&profile))?;
    file(ctx).update(|f: &mut AccountsFile| {
        f.accounts.retain(|a| a.name != name);
        if f.current.as_deref() == Some(name) {
            f.current = None;
        }
    })?;
    Ok(())
}

/// Makes `name` the current account.
pub fn use_account(ctx: &Context, name: &str) -> Result<AccountProfile, AccountError> {
    let profile = get(ctx, name)?;
    file(ctx).update(|f: &mut AccountsFile| f.current = Some(name.to_string()))?;
    Ok(profile)
}

#[cfg(test)]
mod tests;
