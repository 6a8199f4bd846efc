//! OAuth through the loopback (RFC 8252): the Stripe Apps install flow and
//! authorization code + PKCE against third-party providers, every step recorded
//! on a timeline with secrets masked.
//!
//! Layout: `state` (the value a run is bound to; PKCE is oauth2-rs's, in `provider`), `loopback` (the
//! redirect listener), `pages` (what the browser shows), `timeline` (the steps),
//! `links` (install links), `stripe` (Stripe's token endpoint), `install` (the
//! whole install flow), `tokens` (stored installs and refresh), `provider`
//! (third-party PKCE logins).

pub mod app_manifest;
pub mod backend;
pub mod checklist;
pub mod install;
pub mod links;
pub mod loopback;
pub mod pages;
mod platform;
pub mod preflight;
pub mod provider;
mod provider_config;
pub mod state;
pub mod stripe;
pub mod timeline;

use crate::error::{Coded, ErrorCode};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OAuthError {
    #[error("port {0} on the loopback interface is in use by another program; stop it, or use a redirect URI without a fixed port (an ephemeral port is chosen then)")]
    PortInUse(u16),
    #[error("{0}")]
    Listener(String),
    #[error("the callback's state does not match this sign-in (a stale tab, or a forged request); nothing was stored. Start a new flow")]
    StateMismatch,
    #[error("the callback carried no state; nothing was stored. The server must echo the state it was sent")]
    MissingState,
    #[error("the authorization was declined ({error}): {description}")]
    AccessDenied { error: String, description: String },
    #[error("the authorization server returned an error ({error}): {description}")]
    ProviderError { error: String, description: String },
    #[error("the callback was malformed: {0}")]
    CallbackInvalid(String),
    #[error("no callback arrived within {0} seconds. Check that the redirect URI is registered (allowed_redirect_uris) and that the browser reached the consent page")]
    Timeout(u64),
    #[error("the sign-in was cancelled")]
    Cancelled,
    #[error("the code exchange failed: {0}")]
    ExchangeFailed(String),
    #[error("the grant is no longer valid ({0}); authorize again")]
    InvalidGrant(String),
}

impl Coded for OAuthError {
    fn code(&self) -> ErrorCode {
        match self {
            OAuthError::PortInUse(_) => ErrorCode::LoopbackPortInUse,
            OAuthError::Listener(_) => ErrorCode::LoopbackFailed,
            OAuthError::StateMismatch => ErrorCode::OauthStateMismatch,
            OAuthError::MissingState => ErrorCode::OauthMissingState,
            OAuthError::AccessDenied { .. } => ErrorCode::OauthAccessDenied,
            OAuthError::ProviderError { .. } => ErrorCode::OauthProviderError,
            OAuthError::CallbackInvalid(_) => ErrorCode::OauthCallbackInvalid,
            OAuthError::Timeout(_) => ErrorCode::OauthTimeout,
            OAuthError::Cancelled => ErrorCode::OauthCancelled,
            OAuthError::ExchangeFailed(_) => ErrorCode::OauthExchangeFailed,
            OAuthError::InvalidGrant(_) => ErrorCode::OauthInvalidGrant,
        }
    }
}
