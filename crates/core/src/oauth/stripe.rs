//! Stripe's OAuth token endpoint for apps: `POST /v1/oauth/token` with HTTP
//! Basic auth by the developer's secret key of the same mode.
//!
//! Why reqwest here and oauth2-rs for providers: Stripe authenticates the
//! client with the secret key as the Basic user and no client id in the body,
//! and its token response has no `expires_in` but extra fields
//! (`stripe_user_id`, `livemode`); oauth2-rs sends `client_id` in the body when
//! there is no client secret, which Stripe's endpoint does not expect.
//! Invariant: a code exchange is never retried (codes are single-use, RFC 9700).

use serde::Deserialize;

use super::OAuthError;
use crate::secret::{AccessToken, ApiKey, RefreshToken};

/// What Stripe returns for both grants.
pub struct StripeTokens {
    pub access_token: AccessToken,
    pub refresh_token: RefreshToken,
    pub stripe_user_id: String,
    pub livemode: bool,
    pub scope: String,
    pub token_type: String,
}

#[derive(Deserialize)]
struct RawTokens {
    access_token: String,
    refresh_token: String,
    stripe_user_id: String,
    #[serde(default)]
    livemode: bool,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    token_type: String,
}

/// The request's form, for the timeline (secrets masked there).
pub fn grant_form(grant_type: &str, value: &str) -> Vec<(&'static str, String)> {
    match grant_type {
        "authorization_code" => vec![("grant_type", grant_type.into()), ("code", value.into())],
        _ => vec![
            ("grant_type", grant_type.into()),
            ("refresh_token", value.into()),
        ],
    }
}

/// Posts a grant; `Err(InvalidGrant)` for `invalid_grant`, `ExchangeFailed`
/// with the server's words otherwise.
pub async fn token_request(
    http: &reqwest::Client,
    api_base: &str,
    secret_key: &ApiKey,
    grant_type: &str,
    value: &str,
) -> Result<(StripeTokens, serde_json::Value), OAuthError> {
    let url = format!("{}/v1/oauth/token", api_base.trim_end_matches('/'));
    let resp = http
        .post(&url)
        .basic_auth(secret_key.secret(), Some(""))
        .form(&grant_form(grant_type, value))
        .send()
        .await
        .map_err(|e| OAuthError::ExchangeFailed(crate::http::describe(&e)))?;
    let status = resp.status();
    let body: serde_json::Value = resp.json().await.map_err(|e| {
        OAuthError::ExchangeFailed(format!(
            "HTTP {status}: unreadable body ({})",
            crate::http::describe(&e)
        ))
    })?;
    if !status.is_success() {
        // RFC 6749 §5.2 shape, or Stripe's API error shape for auth failures.
        let error = body["error"]
            .as_str()
            .or_else(|| body["error"]["code"].as_str())
            .or_else(|| body["error"]["type"].as_str())
            .unwrap_or("unknown_error")
            .to_string();
        let description = body["error_description"]
            .as_str()
            .or_else(|| body["error"]["message"].as_str())
            .unwrap_or("")
            .to_string();
        return Err(if error == "invalid_grant" {
            OAuthError::InvalidGrant(description)
        } else {
            OAuthError::ExchangeFailed(format!("HTTP {} {error}: {description}", status.as_u16()))
        });
    }
    let raw: RawTokens = serde_json::from_value(body.clone())
        .map_err(|e| OAuthError::ExchangeFailed(format!("unexpected token response: {e}")))?;
    Ok((
        StripeTokens {
            access_token: AccessToken::new(raw.access_token),
            refresh_token: RefreshToken::new(raw.refresh_token),
            stripe_user_id: raw.stripe_user_id,
            livemode: raw.livemode,
            scope: raw.scope,
            token_type: raw.token_type,
        },
        super::timeline::mask_params(&body),
    ))
}
