//! `Idempotency-Key` on POST requests, as Stripe does it.
//!
//! The first response to a key is saved with a fingerprint of the request
//! (method, path, query and body); a retry with the same key and the same
//! request gets that response again (`Idempotent-Replayed: true`); the same
//! key with other parameters is an `idempotency_error`; a retry while the
//! first is still running is a 409. Keys are per account, at most 255
//! characters, and kept 24 hours (sandbox clock).
//!
//! Invariants: only responses of requests that ran are saved (2xx, 402, 404,
//! 409): authentication, permission, validation (400), rate-limit and server
//! errors are not, so a retry runs again. No lock is held across an await.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use parking_lot::Mutex;
use sha2::{Digest, Sha256};

use super::auth::ApiCtx;
use super::errors::ApiError;
use crate::state::Shared;

const TTL: i64 = 24 * 60 * 60;
const MAX_BODY: usize = 2 * 1024 * 1024;

#[derive(Debug, Clone)]
enum Entry {
    Running,
    Done {
        fingerprint: [u8; 32],
        status: StatusCode,
        body: Bytes,
        at: i64,
    },
}

#[derive(Debug, Default)]
pub struct Idempotency {
    entries: Mutex<HashMap<(String, String), Entry>>,
}

enum Begin {
    Run,
    Replay(StatusCode, Bytes),
    Refuse(ApiError),
}

impl Idempotency {
    fn begin(&self, key: (String, String), fingerprint: [u8; 32], now: i64) -> Begin {
        let mut entries = self.entries.lock();
        match entries.get(&key) {
            Some(Entry::Done { at, .. }) if now - at > TTL => {}
            Some(Entry::Done { fingerprint: f, status, body, .. }) => {
                return if *f == fingerprint {
                    Begin::Replay(*status, body.clone())
                } else {
                    Begin::Refuse(ApiError::idempotency(format!(
                        "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{}' if you meant to execute a different request.",
                        key.1
                    )))
                };
            }
            Some(Entry::Running) => {
                return Begin::Refuse(ApiError::new(
                    StatusCode::CONFLICT,
                    "idempotency_error",
                    None,
                    "There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through). Please try again later.",
                ))
            }
            None => {}
        }
        entries.insert(key, Entry::Running);
        Begin::Run
    }

    fn finish(
        &self,
        key: (String, String),
        fingerprint: [u8; 32],
        status: StatusCode,
        body: Bytes,
        now: i64,
    ) {
        let keep = status.is_success() || matches!(status.as_u16(), 402 | 404 | 409);
        let mut entries = self.entries.lock();
        if keep {
            entries.insert(
                key,
                Entry::Done {
                    fingerprint,
                    status,
                    body,
                    at: now,
                },
            );
        } else {
            entries.remove(&key);
        }
    }
}

/// Route layer inside authentication.
pub async fn layer(State(s): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    let Some(key) = req
        .headers()
        .get("idempotency-key")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    else {
        return next.run(req).await;
    };
    if key.len() > 255 {
        return ApiError::invalid("Idempotency-Key must be at most 255 characters long.")
            .into_response();
    }
    let Some(account) = req.extensions().get::<ApiCtx>().map(|c| c.account.clone()) else {
        return next.run(req).await;
    };
    let (parts, body) = req.into_parts();
    let body = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => return ApiError::invalid("The request body is too large.").into_response(),
    };
    let mut h = Sha256::new();
    h.update(parts.method.as_str());
    h.update([0]);
    h.update(parts.uri.path());
    h.update([0]);
    h.update(parts.uri.query().unwrap_or(""));
    h.update([0]);
    h.update(&body);
    let fingerprint: [u8; 32] = h.finalize().into();
    let slot = (account, key);
    match s
        .idempotency
        .begin(slot.clone(), fingerprint, s.clock.now())
    {
        Begin::Replay(status, bytes) => {
            let mut r = (status, bytes).into_response();
            r.headers_mut()
                .insert("content-type", HeaderValue::from_static("application/json"));
            r.headers_mut()
                .insert("idempotent-replayed", HeaderValue::from_static("true"));
            r
        }
        Begin::Refuse(e) => e.into_response(),
        Begin::Run => {
            let response = next.run(Request::from_parts(parts, Body::from(body))).await;
            let (parts, body) = response.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            s.idempotency.finish(
                slot,
                fingerprint,
                parts.status,
                bytes.clone(),
                s.clock.now(),
            );
            Response::from_parts(parts, Body::from(bytes))
        }
    }
}
