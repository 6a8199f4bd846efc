//! Third-party OAuth providers: authorization code + PKCE S256 (RFC 7636)
//! through the same loopback listener, with oauth2-rs doing the protocol.
//!
//! Invariants: provider settings live in `providers.json` (no secret); the
//! client secret (optional: PKCE public clients have none) and the tokens live
//! in the keychain; the redirect URI is `http://127.0.0.1:PORT/callback` on an
//! ephemeral port; a run's verifier, challenge and state are shown to the user
//! after the run (they are one-time values, useless once the code is spent).

use std::time::{Duration, Instant};

use oauth2::basic::BasicClient;
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret as OClientSecret, CsrfToken,
    PkceCodeChallenge, RedirectUrl, RefreshToken as ORefreshToken, RequestTokenError, Scope,
    TokenResponse, TokenUrl,
};
use serde::Serialize;
use ts_rs::TS;

use super::loopback::{Loopback, LoopbackSpec, Waited};
use super::timeline::{mask_url, Actor, StepObserver, Timeline, TimelineStep};
use super::{pages, state, OAuthError};
use crate::context::Context;
use crate::error::{Coded, ErrorCode};
use crate::keychain::{KeychainError, Mode, SecretKind, SecretRef};
use crate::store::StoreError;

use super::provider_config::file;
pub use super::provider_config::{add, dashboard_redirect_urls, get, list, remove, ProviderConfig};

/// What a run used, shown to the user after it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export, export_to = "PkceRun.ts")]
pub struct PkceRun {
    pub code_verifier: String,
    pub code_challenge: String,
    pub code_challenge_method: String,
    pub state: String,
    pub redirect_uri: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export, export_to = "ProviderLogin.ts")]
pub struct ProviderLogin {
    pub provider: ProviderConfig,
    pub pkce: PkceRun,
    pub scopes_granted: Vec<String>,
    pub access_token_hint: String,
    pub timeline: Vec<TimelineStep>,
}

#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    #[error("no provider named \"{0}\"; see `appdeck oauth providers list`")]
    NotFound(String),
    #[error("a provider named \"{0}\" exists already; remove it first")]
    Exists(String),
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    OAuth(#[from] OAuthError),
    #[error(transparent)]
    Keychain(#[from] KeychainError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Coded for ProviderError {
    fn code(&self) -> ErrorCode {
        match self {
            ProviderError::NotFound(_) => ErrorCode::ProviderNotFound,
            ProviderError::Exists(_) => ErrorCode::ProviderExists,
            ProviderError::Invalid(_) => ErrorCode::InvalidInput,
            ProviderError::OAuth(e) => e.code(),
            ProviderError::Keychain(e) => e.code(),
            ProviderError::Store(e) => e.code(),
        }
    }
}

/// A login that failed, with its steps.
#[derive(Debug)]
pub struct ProviderFailure {
    pub error: ProviderError,
    pub timeline: Vec<TimelineStep>,
}

fn token_error<E: std::error::Error>(
    e: RequestTokenError<E, oauth2::basic::BasicErrorResponse>,
) -> OAuthError {
    match e {
        RequestTokenError::ServerResponse(r) => {
            let code = r.error().to_string();
            let desc = r.error_description().cloned().unwrap_or_default();
            if code == "invalid_grant" {
                OAuthError::InvalidGrant(desc)
            } else {
                OAuthError::ExchangeFailed(format!("{code}: {desc}"))
            }
        }
        RequestTokenError::Request(e) => {
            OAuthError::ExchangeFailed(format!("the token request failed: {e}"))
        }
        RequestTokenError::Parse(e, _) => {
            OAuthError::ExchangeFailed(format!("unreadable token response: {e}"))
        }
        RequestTokenError::Other(s) => OAuthError::ExchangeFailed(s),
    }
}

/// Runs authorization code + PKCE: `open` receives the authorize URL (open a
/// browser, or print it).
pub async fn login(
    ctx: &Context,
    name: &str,
    timeout: Duration,
    cancel: &tokio_util::sync::CancellationToken,
    observer: Option<StepObserver>,
    open: impl FnOnce(&str),
) -> Result<ProviderLogin, ProviderFailure> {
    let mut tl = Timeline::new(observer);
    let fail = |error: ProviderError, tl: Timeline| ProviderFailure {
        error,
        timeline: tl.into_steps(),
    };
    let cfg = match get(ctx, name) {
        Ok(c) => c,
        Err(e) => return Err(fail(e, tl)),
    };
    let secret = match ctx
        .secrets
        .get(&SecretRef::provider(SecretKind::ProviderClientSecret, name))
    {
        Ok(s) => s,
        Err(e) => return Err(fail(e.into(), tl)),
    };
    let mut listener = match Loopback::start(&LoopbackSpec::ephemeral("/callback")).await {
        Ok(l) => l,
        Err(e) => return Err(fail(e.into(), tl)),
    };
    tl.step(
        Actor::Appdeck,
        Actor::Loopback,
        "listening",
        format!("listening on {}", listener.redirect_uri),
        serde_json::json!({"redirect_uri": listener.redirect_uri}),
        None,
    );
    let (Ok(auth), Ok(token), Ok(redirect)) = (
        AuthUrl::new(cfg.authorize_url.clone()),
        TokenUrl::new(cfg.token_url.clone()),
        RedirectUrl::new(listener.redirect_uri.clone()),
    ) else {
        return Err(fail(
            ProviderError::Invalid("the provider's URLs are not valid".into()),
            tl,
        ));
    };
    let mut client = BasicClient::new(ClientId::new(cfg.client_id.clone()))
        .set_auth_uri(auth)
        .set_token_uri(token)
        .set_redirect_uri(redirect);
    if let Some(s) = &secret {
        client = client.set_client_secret(OClientSecret::new(s.secret().to_string()));
    }
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let st = state::generate(Mode::Test);
    let run = PkceRun {
        code_verifier: verifier.secret().to_string(),
        code_challenge: challenge.as_str().to_string(),
        code_challenge_method: "S256".into(),
        state: st.clone(),
        redirect_uri: listener.redirect_uri.clone(),
    };
    let st_for_url = st.clone();
    let mut req = client
        .authorize_url(move || CsrfToken::new(st_for_url))
        .set_pkce_challenge(challenge)
        .add_scopes(cfg.scopes.iter().map(|s| Scope::new(s.clone())));
    for (k, v) in &cfg.params {
        req = req.add_extra_param(k.clone(), v.clone());
    }
    let (url, _) = req.url();
    tl.step(Actor::Appdeck, Actor::Browser, "authorize-url", "authorization request with PKCE S256", serde_json::json!({"url": mask_url(url.as_str()), "code_challenge": run.code_challenge, "code_challenge_method": "S256"}), None);
    open(url.as_str());
    let cb = match listener.wait(timeout, cancel).await {
        Waited::Callback(cb) => cb,
        Waited::TimedOut => return Err(fail(OAuthError::Timeout(timeout.as_secs()).into(), tl)),
        Waited::Aborted | Waited::Cancelled => return Err(fail(OAuthError::Cancelled.into(), tl)),
    };
    let checked: Result<String, OAuthError> = match cb.params.clone() {
        Err(reason) => Err(OAuthError::CallbackInvalid(reason)),
        Ok(params) => {
            let shown: serde_json::Map<String, serde_json::Value> = params
                .iter()
                .map(|(k, v)| (k.clone(), v.clone().into()))
                .collect();
            tl.step(
                Actor::Browser,
                Actor::Loopback,
                "callback",
                "callback received",
                serde_json::Value::Object(shown),
                None,
            );
            match (params.get("state"), params.get("error"), params.get("code")) {
                (None, _, _) => Err(OAuthError::MissingState),
                (Some(s), _, _) if !state::matches(&st, s) => Err(OAuthError::StateMismatch),
                (_, Some(e), _) => {
                    let description = params.get("error_description").cloned().unwrap_or_default();
                    Err(if e == "access_denied" {
                        OAuthError::AccessDenied {
                            error: e.clone(),
                            description,
                        }
                    } else {
                        OAuthError::ProviderError {
                            error: e.clone(),
                            description,
                        }
                    })
                }
                (_, _, Some(c)) if !c.is_empty() => Ok(c.clone()),
                _ => Err(OAuthError::CallbackInvalid(
                    "the callback has neither code nor error".into(),
                )),
            }
        }
    };
    let code = match checked {
        Ok(c) => c,
        Err(e) => {
            cb.respond(
                axum::http::StatusCode::BAD_REQUEST,
                pages::failure(
                    "The sign-in did not complete",
                    &e.code().as_str(),
                    Some(&e.to_string()),
                ),
            );
            listener.close().await;
            return Err(fail(e.into(), tl));
        }
    };
    let started = Instant::now();
    tl.step(Actor::Appdeck, Actor::Provider, "token-request", format!("POST {}", cfg.token_url), serde_json::json!({"grant_type": "authorization_code", "code": code, "code_verifier": run.code_verifier}), None);
    let result = client
        .exchange_code(AuthorizationCode::new(code))
        .set_pkce_verifier(verifier)
        .request_async(&ctx.http)
        .await
        .map_err(token_error);
    let tokens = match result {
        Ok(t) => t,
        Err(e) => {
            cb.respond(
                axum::http::StatusCode::BAD_REQUEST,
                pages::failure(
                    "The sign-in did not complete",
                    &e.code().as_str(),
                    Some(&e.to_string()),
                ),
            );
            tl.step(
                Actor::Provider,
                Actor::Appdeck,
                "error",
                e.to_string(),
                serde_json::json!({"code": e.code()}),
                Some(started.elapsed().as_millis() as u64),
            );
            listener.close().await;
            return Err(fail(e.into(), tl));
        }
    };
    let scopes: Vec<String> = tokens
        .scopes()
        .map(|s| s.iter().map(|x| x.to_string()).collect())
        .unwrap_or_else(|| cfg.scopes.clone());
    tl.step(
        Actor::Provider,
        Actor::Appdeck,
        "token-response",
        "tokens received",
        serde_json::json!({"access_token": tokens.access_token().secret(), "token_type": format!("{:?}", tokens.token_type()), "expires_in": tokens.expires_in().map(|d| d.as_secs()), "refresh_token": tokens.refresh_token().map(|r| r.secret().clone()), "scope": scopes.join(" ")}),
        Some(started.elapsed().as_millis() as u64),
    );
    let stored = store_tokens(
        ctx,
        name,
        tokens.access_token().secret(),
        tokens.refresh_token().map(|r| r.secret().as_str()),
        tokens.expires_in(),
    );
    let updated = match stored {
        Ok(c) => c,
        Err(e) => {
            cb.respond(
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                pages::failure(
                    "The tokens could not be stored",
                    &e.code().as_str(),
                    Some(&e.to_string()),
                ),
            );
            listener.close().await;
            return Err(fail(e, tl));
        }
    };
    tl.step(
        Actor::Appdeck,
        Actor::Keychain,
        "keychain-write",
        "provider tokens stored",
        serde_json::json!({"provider": name}),
        None,
    );
    cb.respond(
        axum::http::StatusCode::OK,
        pages::success("The sign-in", name),
    );
    listener.close().await;
    Ok(ProviderLogin {
        provider: updated,
        pkce: run,
        scopes_granted: scopes,
        access_token_hint: crate::secret::mask(tokens.access_token().secret()),
        timeline: tl.into_steps(),
    })
}

fn store_tokens(
    ctx: &Context,
    name: &str,
    access: &str,
    refresh: Option<&str>,
    expires_in: Option<Duration>,
) -> Result<ProviderConfig, ProviderError> {
    // A provider that rotates refresh tokens sends a new one; one that doesn't
    // keeps the old (RFC 9700): replace only when a new one arrives.
    if let Some(r) = refresh {
        ctx.secrets.set(
            &SecretRef::provider(SecretKind::ProviderRefreshToken, name),
            r,
        )?;
    }
    ctx.secrets.set(
        &SecretRef::provider(SecretKind::ProviderAccessToken, name),
        access,
    )?;
    let now = ctx.clock.now();
    let expires =
        expires_in.map(|d| (now + chrono::Duration::seconds(d.as_secs() as i64)).to_rfc3339());
    let name2 = name.to_string();
    let has_refresh = refresh.is_some();
    let updated = file(ctx).update(move |l: &mut Vec<ProviderConfig>| {
        let p = l.iter_mut().find(|p| p.name == name2)?;
        p.access_expires_at = expires;
        p.logged_in_at = Some(now.to_rfc3339());
        p.has_refresh_token = p.has_refresh_token || has_refresh;
        Some(p.clone())
    })?;
    updated.ok_or_else(|| ProviderError::NotFound(name.into()))
}

/// Refreshes a provider's tokens with its refresh token.
pub async fn refresh(ctx: &Context, name: &str) -> Result<ProviderConfig, ProviderError> {
    let cfg = get(ctx, name)?;
    let rt = ctx
        .secrets
        .get(&SecretRef::provider(SecretKind::ProviderRefreshToken, name))?
        .ok_or_else(|| {
            ProviderError::Invalid(format!("\"{name}\" has no refresh token; log in again"))
        })?;
    let (Ok(auth), Ok(token)) = (
        AuthUrl::new(cfg.authorize_url.clone()),
        TokenUrl::new(cfg.token_url.clone()),
    ) else {
        return Err(ProviderError::Invalid(
            "the provider's URLs are not valid".into(),
        ));
    };
    let mut client = BasicClient::new(ClientId::new(cfg.client_id.clone()))
        .set_auth_uri(auth)
        .set_token_uri(token);
    if let Some(s) = ctx
        .secrets
        .get(&SecretRef::provider(SecretKind::ProviderClientSecret, name))?
    {
        client = client.set_client_secret(OClientSecret::new(s.secret().to_string()));
    }
    let rt = ORefreshToken::new(rt.secret().to_string());
    let tokens = client
        .exchange_refresh_token(&rt)
        .request_async(&ctx.http)
        .await
        .map_err(token_error)?;
    store_tokens(
        ctx,
        name,
        tokens.access_token().secret(),
        tokens.refresh_token().map(|r| r.secret().as_str()),
        tokens.expires_in(),
    )
}
