//! Installs and their tokens: what an install flow produced, kept so the app
//! can call the API as the install and refresh its tokens.
//!
//! Invariants: `installs.json` holds metadata only (account, `stripe_user_id`,
//! expiry, status), the tokens are in the keychain; on refresh the new refresh
//! token is stored before the new access token is used (Stripe kills the old
//! one at once, RFC 9700 rotation); concurrent callers that find the access
//! token expired share one refresh (a per-install async lock, then a re-check);
//! `invalid_grant` marks the install `needs-reauthorization` and is never
//! retried. Forgetting an install deletes its keychain entries first.
//!
//! The one window where a crash loses the tokens: Stripe rotates the refresh
//! token when it answers the exchange, so between the server's answer and the
//! keychain write of the new refresh token, a killed process leaves the old
//! (dead) one behind and the install needs re-authorization. No client can
//! close it; we keep it as short as it can be: the new refresh token is the
//! first thing written, straight from the parsed response (before the access
//! token, `installs.json` or any output), so the window is the response's
//! transfer and parse plus one Secret Service call. A kill between the refresh
//! and access writes is harmless (the stale access token gets a 401 and is
//! refreshed). `crates/cli/tests/refresh_kill` kills `appdeck tokens refresh`
//! at random 200 times and counts each case (measured: 2 and 8 of 200 kills
//! landed in the window, most of it the Secret Service write; none lost
//! outside it).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::accounts::{self, AccountError};
use crate::context::Context;
use crate::error::{Coded, ErrorCode};
use crate::keychain::{KeychainError, Mode, SecretKind, SecretRef};
use crate::oauth::stripe::{token_request, StripeTokens};
use crate::oauth::OAuthError;
use crate::secret::{AccessToken, RefreshToken};
use crate::store::{JsonFile, StoreError};

const FILE: &str = "installs.json";
/// Stripe's access tokens live one hour.
pub const ACCESS_TOKEN_LIFETIME_SECS: i64 = 3600;
/// Refresh a little early so a token doesn't expire in flight.
const EXPIRY_SKEW_SECS: i64 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export, export_to = "InstallStatus.ts")]
pub enum InstallStatus {
    Active,
    NeedsReauthorization,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export, export_to = "InstallRecord.ts")]
pub struct InstallRecord {
    /// The handle other commands take (`inst_…`).
    pub install: String,
    pub app: String,
    /// The developer account (profile name) whose key exchanged and refreshes.
    pub account: String,
    pub mode: Mode,
    pub stripe_user_id: String,
    pub livemode: bool,
    pub scope: String,
    /// `oauth` installs hold tokens; `platform` installs only a verified signature.
    pub kind: String,
    pub access_expires_at: Option<String>,
    pub status: InstallStatus,
    pub installed_at: String,
    pub refreshed_at: Option<String>,
    /// Masked forms, for display.
    pub access_token_hint: Option<String>,
    pub refresh_token_hint: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    #[error("no install \"{0}\"; see `appdeck tokens list`")]
    NotFound(String),
    #[error("install \"{0}\" needs re-authorization (its refresh token was rejected); run the install flow again")]
    NeedsReauthorization(String),
    #[error(transparent)]
    OAuth(#[from] OAuthError),
    #[error(transparent)]
    Account(#[from] AccountError),
    #[error(transparent)]
    Keychain(#[from] KeychainError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Coded for InstallError {
    fn code(&self) -> ErrorCode {
        match self {
            InstallError::NotFound(_) => ErrorCode::InstallNotFound,
            InstallError::NeedsReauthorization(_) => ErrorCode::NeedsReauthorization,
            InstallError::OAuth(e) => e.code(),
            InstallError::Account(e) => e.code(),
            InstallError::Keychain(e) => e.code(),
            InstallError::Store(e) => e.code(),
        }
    }
}

fn file(ctx: &Context) -> JsonFile {
    JsonFile::new(&ctx.config_dir, FILE)
}

fn access_ref(r: &InstallRecord) -> SecretRef {
    SecretRef::new(SecretKind::AccessToken, r.mode, r.install.clone())
}

fn refresh_ref(r: &InstallRecord) -> SecretRef {
    SecretRef::new(SecretKind::RefreshToken, r.mode, r.install.clone())
}

pub fn new_handle() -> String {
    use rand::RngCore;
    let mut b = [0u8; 6];
    rand::rng().fill_bytes(&mut b);
    format!("inst_{}", hex::encode(b))
}

pub fn list(ctx: &Context) -> Result<Vec<InstallRecord>, InstallError> {
    Ok(file(ctx).load()?)
}

pub fn get(ctx: &Context, handle: &str) -> Result<InstallRecord, InstallError> {
    list(ctx)?
        .into_iter()
        .find(|r| r.install == handle)
        .ok_or_else(|| InstallError::NotFound(handle.to_string()))
}

fn upsert(ctx: &Context, rec: &InstallRecord) -> Result<(), InstallError> {
    let rec = rec.clone();
    file(ctx).update(move |list: &mut Vec<InstallRecord>| {
        list.retain(|r| r.install != rec.install);
        list.push(rec);
    })?;
    Ok(())
}

fn apply_tokens(
    ctx: &Context,
    rec: &mut InstallRecord,
    tokens: &StripeTokens,
) -> Result<(), InstallError> {
    // Order matters: Stripe has already invalidated the old refresh token.
    ctx.secrets
        .set(&refresh_ref(rec), tokens.refresh_token.secret())?;
    ctx.secrets
        .set(&access_ref(rec), tokens.access_token.secret())?;
    rec.access_expires_at =
        Some((ctx.clock.now() + Duration::seconds(ACCESS_TOKEN_LIFETIME_SECS)).to_rfc3339());
    rec.access_token_hint = Some(tokens.access_token.masked());
    rec.refresh_token_hint = Some(tokens.refresh_token.masked());
    rec.status = InstallStatus::Active;
    Ok(())
}

/// Stores a fresh install's tokens (keychain) and its record (config dir).
pub fn record_oauth(
    ctx: &Context,
    mut rec: InstallRecord,
    tokens: &StripeTokens,
) -> Result<InstallRecord, InstallError> {
    apply_tokens(ctx, &mut rec, tokens)?;
    upsert(ctx, &rec)?;
    Ok(rec)
}

/// Records a platform install (verified signature, no tokens).
pub fn record_platform(ctx: &Context, rec: InstallRecord) -> Result<InstallRecord, InstallError> {
    upsert(ctx, &rec)?;
    Ok(rec)
}

/// Whether the install's access token is expired (or about to be).
pub fn is_expired(ctx: &Context, rec: &InstallRecord) -> bool {
    rec.access_expires_at
        .as_deref()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .is_none_or(|t| {
            ctx.clock.now() + Duration::seconds(EXPIRY_SKEW_SECS) >= t.with_timezone(&Utc)
        })
}

async fn refresh_locked(
    ctx: &Context,
    mut rec: InstallRecord,
) -> Result<InstallRecord, InstallError> {
    let profile = accounts::get(ctx, &rec.account)?;
    let key = accounts::api_key(ctx, &profile)?;
    let refresh = ctx
        .secrets
        .get(&refresh_ref(&rec))?
        .map(|v| RefreshToken::new(v.secret()))
        .ok_or_else(|| InstallError::NeedsReauthorization(rec.install.clone()))?;
    match token_request(
        &ctx.http,
        &profile.api_base,
        &key,
        "refresh_token",
        refresh.secret(),
    )
    .await
    {
        Ok((tokens, _)) => {
            apply_tokens(ctx, &mut rec, &tokens)?;
            rec.refreshed_at = Some(ctx.clock.now().to_rfc3339());
            upsert(ctx, &rec)?;
            Ok(rec)
        }
        Err(OAuthError::InvalidGrant(_)) => {
            rec.status = InstallStatus::NeedsReauthorization;
            upsert(ctx, &rec)?;
            Err(InstallError::NeedsReauthorization(rec.install))
        }
        Err(e) => Err(e.into()),
    }
}

/// Refreshes now (shared with any concurrent refresh of the same install).
pub async fn refresh(ctx: &Context, handle: &str) -> Result<InstallRecord, InstallError> {
    let before = get(ctx, handle)?;
    let gate = ctx.refresh_gate.lock_for(handle);
    let _held = gate.lock().await;
    let now = get(ctx, handle)?;
    if now.refreshed_at != before.refreshed_at || now.access_token_hint != before.access_token_hint
    {
        return Ok(now); // someone refreshed while we waited
    }
    if now.status == InstallStatus::NeedsReauthorization {
        return Err(InstallError::NeedsReauthorization(handle.to_string()));
    }
    refresh_locked(ctx, now).await
}

/// A usable access token for the install, refreshed first when expired.
pub async fn access_token(
    ctx: &Context,
    handle: &str,
) -> Result<(InstallRecord, AccessToken), InstallError> {
    let mut rec = get(ctx, handle)?;
    if rec.status == InstallStatus::NeedsReauthorization {
        return Err(InstallError::NeedsReauthorization(handle.to_string()));
    }
    if is_expired(ctx, &rec) {
        let gate = ctx.refresh_gate.lock_for(handle);
        let _held = gate.lock().await;
        rec = get(ctx, handle)?;
        if is_expired(ctx, &rec) {
            rec = refresh_locked(ctx, rec).await?;
        }
    }
    let token = ctx
        .secrets
        .get(&access_ref(&rec))?
        .map(|v| AccessToken::new(v.secret()))
        .ok_or_else(|| InstallError::NeedsReauthorization(handle.to_string()))?;
    Ok((rec, token))
}

/// Deletes the install's keychain entries, then its record.
pub fn forget(ctx: &Context, handle: &str) -> Result<(), InstallError> {
    let rec = get(ctx, handle)?;
    ctx.secrets.delete(&access_ref(&rec))?;
    ctx.secrets.delete(&refresh_ref(&rec))?;
    file(ctx).update(|list: &mut Vec<InstallRecord>| list.retain(|r| r.install != handle))?;
    Ok(())
}
