//! Signature tools: `Stripe-Signature` headers, an install link's
//! `install_signature`, and what a UI extension's `fetchStripeSignature()`
//! sends, to test an app backend.
//!
//! Invariant: the signing secret travels with each call and is used for that
//! call only: these commands store nothing and return no secret.

use std::time::{SystemTime, UNIX_EPOCH};

use appdeck_core::error::{ErrorCode, ErrorPayload};
use appdeck_core::signature::{self, DEFAULT_TOLERANCE_SECS};

use crate::ipc::{off_ui_thread, payload, IpcResult};

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// `t=<timestamp>,v1=<hex>` over `payload` (timestamp: now when absent).
#[tauri::command]
pub async fn sign_stripe_signature(
    secret: String,
    payload: String,
    timestamp: Option<i64>,
) -> IpcResult<String> {
    off_ui_thread(move || {
        Ok(signature::sign(
            &secret,
            &payload,
            timestamp.unwrap_or_else(now),
        ))
    })
    .await
}

/// The signature's timestamp when `header` signs `payload` with `secret`
/// within the tolerance (default 300 s; 0 = no limit); else
/// `signature-mismatch`, `signature-expired` or `invalid-input`.
#[tauri::command]
pub async fn verify_stripe_signature(
    secret: String,
    header: String,
    payload: String,
    tolerance_secs: Option<i64>,
) -> IpcResult<i64> {
    off_ui_thread(move || {
        signature::verify(
            &header,
            &payload,
            &secret,
            tolerance_secs.unwrap_or(DEFAULT_TOLERANCE_SECS),
            now(),
        )
        .map_err(crate::ipc::payload)
    })
    .await
}

/// The `Stripe-Signature` a UI extension's `fetchStripeSignature()` sends for
/// `{user_id, account_id}` plus the extension's own payload (a JSON object text).
#[tauri::command]
pub async fn sign_ui_extension(
    secret: String,
    user_id: String,
    account_id: String,
    payload: Option<String>,
    timestamp: Option<i64>,
) -> IpcResult<String> {
    off_ui_thread(move || {
        let extra = match payload.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            None => None,
            Some(text) => match serde_json::from_str::<serde_json::Value>(text) {
                Ok(v @ serde_json::Value::Object(_)) => Some(v),
                _ => {
                    return Err(ErrorPayload {
                        code: ErrorCode::InvalidInput,
                        message: "the payload must be a JSON object, e.g. {\"order\": \"o_1\"}"
                            .into(),
                    })
                }
            },
        };
        let signed = signature::ui_extension_payload(&user_id, &account_id, extra.as_ref());
        Ok(signature::sign(
            &secret,
            &signed,
            timestamp.unwrap_or_else(now),
        ))
    })
    .await
}

/// Verifies an install link's `install_signature` for its `state`, `user_id`
/// and `account_id`; answers the signature's timestamp.
#[tauri::command]
pub async fn verify_install_signature(
    secret: String,
    install_signature: String,
    state: String,
    user_id: String,
    account_id: String,
    tolerance_secs: Option<i64>,
) -> IpcResult<i64> {
    off_ui_thread(move || {
        let signed = signature::install_payload(&state, &user_id, &account_id);
        signature::verify(
            &install_signature,
            &signed,
            &secret,
            tolerance_secs.unwrap_or(DEFAULT_TOLERANCE_SECS),
            now(),
        )
        .map_err(payload)
    })
    .await
}
