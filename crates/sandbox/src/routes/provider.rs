//! A generic third-party OAuth 2.0 provider that enforces PKCE (RFC 7636), so
//! Appdeck's provider logins work offline and in tests.
//!
//! `GET /provider/authorize` (response_type=code, client_id, redirect_uri,
//! state, code_challenge, code_challenge_method), `POST /provider/consent`
//! (approve or deny), `POST /provider/token` (authorization_code with
//! code_verifier, or refresh_token). Strict on purpose: a missing `state` is
//! refused (a client must send one, RFC 9700), a missing challenge is refused
//! (PKCE required), the verifier is checked with the method sent at authorize
//! (a `plain`-style verifier fails an S256 challenge), codes are single-use and
//! live 5 minutes on the sandbox clock, refresh tokens rotate. Public clients
//! (no secret); any client id is accepted and bound to its code.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use base64::Engine;
use parking_lot::Mutex;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::http::errors::OAuthError;
use crate::ids;
use crate::pages::consent::{error as error_page, escape};
use crate::state::Shared;

const CODE_TTL: i64 = 300;
const ACCESS_TTL: i64 = 3600;

struct Grant {
    client_id: String,
    redirect_uri: String,
    challenge: String,
    method: String,
    scope: String,
    issued: i64,
}

struct Pending {
    client_id: String,
    redirect_uri: String,
    state: String,
    challenge: String,
    method: String,
    scope: String,
}

/// The provider's own state, beside the Stripe world (not persisted: codes
/// and provider tokens are short-lived test values).
#[derive(Default)]
pub struct ProviderState {
    pending: Mutex<HashMap<String, Pending>>,
    codes: Mutex<HashMap<String, Grant>>,
    refresh: Mutex<HashMap<String, (String, String)>>,
}

fn redirect(uri: &str, pairs: &[(&str, &str)]) -> Response {
    let Ok(mut url) = url::Url::parse(uri) else {
        return error_page(
            StatusCode::BAD_REQUEST,
            "Bad redirect_uri",
            "The redirect_uri is not a URL.",
        );
    };
    url.query_pairs_mut().extend_pairs(pairs);
    let mut r = StatusCode::FOUND.into_response();
    match HeaderValue::from_str(url.as_str()) {
        Ok(v) => {
            r.headers_mut().insert(header::LOCATION, v);
            r
        }
        Err(_) => error_page(
            StatusCode::BAD_REQUEST,
            "Bad redirect_uri",
            "The redirect_uri can't be used.",
        ),
    }
}

fn challenge_of(verifier: &str, method: &str) -> String {
    match method {
        "S256" => base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(Sha256::digest(verifier.as_bytes())),
        _ => verifier.to_string(),
    }
}

pub async fn authorize(
    State(s): State<Arc<Shared>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| q.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let Some(redirect_uri) = get("redirect_uri") else {
        return error_page(
            StatusCode::BAD_REQUEST,
            "Missing redirect_uri",
            "The authorization request has no redirect_uri.",
        );
    };
    let valid_redirect = url::Url::parse(redirect_uri).is_ok_and(|u| {
        u.scheme() == "https"
            || (u.scheme() == "http"
                && u.host_str()
                    .is_some_and(|h| matches!(h, "127.0.0.1" | "[::1]" | "localhost")))
    });
    if !valid_redirect {
        // Never redirect to an unverified URI (RFC 6749 §4.1.2.1).
        return error_page(
            StatusCode::BAD_REQUEST,
            "Invalid redirect_uri",
            "The redirect_uri must be https, or http on a loopback address.",
        );
    }
    let Some(state) = get("state") else {
        return error_page(
            StatusCode::BAD_REQUEST,
            "Missing state",
            "This provider requires a state parameter (RFC 9700 §2.1).",
        );
    };
    let fail = |error: &str, desc: &str| {
        redirect(
            redirect_uri,
            &[
                ("error", error),
                ("error_description", desc),
                ("state", state),
            ],
        )
    };
    if get("response_type") != Some("code") {
        return fail("unsupported_response_type", "response_type must be code");
    }
    let Some(client_id) = get("client_id") else {
        return fail("invalid_request", "client_id is required");
    };
    let Some(challenge) = get("code_challenge") else {
        return fail(
            "invalid_request",
            "code_challenge is required: this provider enforces PKCE",
        );
    };
    let method = get("code_challenge_method").unwrap_or("plain");
    if method != "S256" && method != "plain" {
        return fail(
            "invalid_request",
            "code_challenge_method must be S256 or plain",
        );
    }
    let pending = Pending {
        client_id: client_id.into(),
        redirect_uri: redirect_uri.into(),
        state: state.into(),
        challenge: challenge.into(),
        method: method.into(),
        scope: get("scope").unwrap_or("").into(),
    };
    if s.settings
        .auto_consent
        .load(std::sync::atomic::Ordering::Relaxed)
    {
        return approve(&s, pending);
    }
    let id = ids::with_prefix("pcon_", 16);
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Authorize {c}</title></head><body>\
<h1>Authorize {c}</h1><p>The application <code>{c}</code> asks for: <code>{sc}</code></p>\
<form method=\"post\" action=\"/provider/consent\"><input type=\"hidden\" name=\"id\" value=\"{id}\">\
<button name=\"decision\" value=\"approve\">Approve</button> <button name=\"decision\" value=\"deny\">Deny</button></form></body></html>",
        c = escape(client_id),
        sc = escape(&pending.scope),
        id = escape(&id)
    );
    s.provider.pending.lock().insert(id, pending);
    Html(body).into_response()
}

fn approve(s: &Shared, p: Pending) -> Response {
    let code = ids::with_prefix("pc_", 24);
    s.provider.codes.lock().insert(
        code.clone(),
        Grant {
            client_id: p.client_id,
            redirect_uri: p.redirect_uri.clone(),
            challenge: p.challenge,
            method: p.method,
            scope: p.scope,
            issued: s.clock.now(),
        },
    );
    redirect(&p.redirect_uri, &[("code", &code), ("state", &p.state)])
}

pub async fn consent(
    State(s): State<Arc<Shared>>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let pending = f
        .get("id")
        .and_then(|id| s.provider.pending.lock().remove(id));
    let Some(p) = pending else {
        return error_page(
            StatusCode::BAD_REQUEST,
            "Unknown request",
            "This consent was already answered or never existed.",
        );
    };
    if f.get("decision").map(String::as_str) == Some("approve") {
        approve(&s, p)
    } else {
        redirect(
            &p.redirect_uri,
            &[
                ("error", "access_denied"),
                ("error_description", "The user denied the request."),
                ("state", &p.state),
            ],
        )
    }
}

fn tokens(s: &Shared, client_id: &str, scope: &str) -> Response {
    let access = ids::with_prefix("pat_", 32);
    let refresh = ids::with_prefix("prt_", 32);
    s.provider
        .refresh
        .lock()
        .insert(refresh.clone(), (client_id.to_string(), scope.to_string()));
    let mut r = axum::Json(json!({
        "access_token": access,
        "token_type": "bearer",
        "expires_in": ACCESS_TTL,
        "refresh_token": refresh,
        "scope": scope,
    }))
    .into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

pub async fn token(
    State(s): State<Arc<Shared>>,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, OAuthError> {
    let get = |k: &str| f.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let invalid_grant =
        |d: &str| OAuthError::new(StatusCode::BAD_REQUEST, "invalid_grant", d.to_string());
    match get("grant_type") {
        Some("authorization_code") => {
            let code = get("code")
                .ok_or_else(|| OAuthError::invalid_request("Missing required param: code."))?;
            // Single use: removed whatever the outcome.
            let grant = s
                .provider
                .codes
                .lock()
                .remove(code)
                .ok_or_else(|| invalid_grant("The code is unknown or was already used."))?;
            if s.clock.now() - grant.issued > CODE_TTL {
                return Err(invalid_grant("The code expired."));
            }
            if get("client_id") != Some(grant.client_id.as_str()) {
                return Err(invalid_grant("The code was issued to another client_id."));
            }
            if get("redirect_uri") != Some(grant.redirect_uri.as_str()) {
                return Err(invalid_grant(
                    "The redirect_uri differs from the authorization request's.",
                ));
            }
            let verifier = get("code_verifier").ok_or_else(|| {
                OAuthError::invalid_request("Missing required param: code_verifier (PKCE).")
            })?;
            let ok_len = (43..=128).contains(&verifier.len())
                && verifier
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
            if !ok_len || challenge_of(verifier, &grant.method) != grant.challenge {
                return Err(invalid_grant(&format!("PKCE verification failed: the code_verifier does not match the {} code_challenge.", grant.method)));
            }
            Ok(tokens(&s, &grant.client_id, &grant.scope))
        }
        Some("refresh_token") => {
            let rt = get("refresh_token").ok_or_else(|| {
                OAuthError::invalid_request("Missing required param: refresh_token.")
            })?;
            let (client, scope) = s
                .provider
                .refresh
                .lock()
                .remove(rt)
                .ok_or_else(|| invalid_grant("The refresh token is unknown or was rotated."))?;
            if get("client_id").is_some_and(|c| c != client) {
                return Err(invalid_grant(
                    "The refresh token belongs to another client_id.",
                ));
            }
            Ok(tokens(&s, &client, &scope))
        }
        Some(_) => Err(OAuthError::new(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "Use authorization_code or refresh_token.",
        )),
        None => Err(OAuthError::invalid_request(
            "Missing required param: grant_type.",
        )),
    }
}
