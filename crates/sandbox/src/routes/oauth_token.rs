//! `POST /v1/oauth/token`: exchange an authorization code, or rotate a
//! refresh token.
//!
//! Authenticated with HTTP Basic (or Bearer, or `client_secret=`) by the app
//! developer's secret key of the same mode as the code: codes are test mode,
//! so a live key is refused, and so are restricted keys and app tokens.
//! Response: `{"access_token","livemode","refresh_token","scope":"stripe_apps",
//! "stripe_publishable_key","stripe_user_id","token_type":"bearer"}`; errors are
//! RFC 6749 §5.2 (`invalid_request`, `invalid_client` 401, `invalid_grant`,
//! `unsupported_grant_type`, `invalid_scope`).

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::json;

use super::text;
use crate::http::auth::{credential, LoggedAccount};
use crate::http::errors::OAuthError;
use crate::http::{json_value, Params};
use crate::state::tokens::mask;
use crate::state::{KeyKind, Shared, TokenPair};

pub async fn token(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    params: Result<Params, crate::http::errors::ApiError>,
) -> Result<Response, OAuthError> {
    let Params(p) = params.map_err(|e| OAuthError::invalid_request(e.message))?;
    let key = credential(&headers)
        .or_else(|| text(&p, "client_secret").map(str::to_string))
        .ok_or_else(|| OAuthError::invalid_client("No API key provided: authenticate with your secret key (HTTP Basic, the key as user)."))?;
    let key_ref = s.read(|w| w.keys.get(&key).cloned()).ok_or_else(|| {
        OAuthError::invalid_client(format!("Invalid API Key provided: {}", mask(&key)))
    })?;
    if key_ref.kind == KeyKind::Restricted {
        return Err(OAuthError::invalid_client(
            "This request needs your secret key; a restricted key cannot exchange OAuth grants.",
        ));
    }
    if let Some(scope) = text(&p, "scope").filter(|s| *s != "stripe_apps") {
        return Err(OAuthError::new(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            format!("Invalid scope {scope}: apps are granted the stripe_apps scope."),
        ));
    }
    let live = key_ref.kind == KeyKind::LiveSecret;
    let now = s.clock.now();
    let pair: TokenPair = match text(&p, "grant_type") {
        None => {
            return Err(OAuthError::invalid_request(
                "Missing required param: grant_type.",
            ))
        }
        Some("authorization_code") => {
            let code = text(&p, "code")
                .ok_or_else(|| OAuthError::invalid_request("Missing required param: code."))?;
            if live {
                let exists = s.read(|w| w.codes.contains_key(code));
                return Err(OAuthError::invalid_grant(if exists {
                    format!("Authorization code {code} was issued in test mode, but a live mode key was used to redeem it. Use your test mode secret key.")
                } else {
                    format!("Authorization code does not exist: {code}")
                }));
            }
            s.write(|w| w.exchange_code(&key_ref.account, code, now))?
                .map_err(|e| OAuthError::invalid_grant(e.0))?
        }
        Some("refresh_token") => {
            let token = text(&p, "refresh_token").ok_or_else(|| {
                OAuthError::invalid_request("Missing required param: refresh_token.")
            })?;
            if live {
                return Err(OAuthError::invalid_grant(format!(
                    "Refresh token {} belongs to test mode, but a live mode key was used. Use your test mode secret key.",
                    mask(token)
                )));
            }
            s.write(|w| w.refresh(&key_ref.account, token, now))?
                .map_err(|e| OAuthError::invalid_grant(e.0))?
        }
        Some(other) => {
            return Err(OAuthError::new(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                format!("Unsupported grant_type {other}: use authorization_code or refresh_token."),
            ))
        }
    };
    let publishable = s
        .read(|w| {
            w.accounts
                .get(&pair.account)
                .map(|a| a.publishable_key.clone())
        })
        .unwrap_or_default();
    let mut r = json_value(&json!({
        "access_token": pair.access_token,
        "livemode": false,
        "refresh_token": pair.refresh_token,
        "scope": "stripe_apps",
        "stripe_publishable_key": publishable,
        "stripe_user_id": pair.account,
        "token_type": "bearer",
    }));
    r.extensions_mut().insert(LoggedAccount(key_ref.account));
    Ok(r)
}
