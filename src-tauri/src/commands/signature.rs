//! Signature tools: `Stripe-Signature` headers, an install link's
//! `install_signature`, and what a UI extension's `fetchStripeSignature()`
//! sends, to test an app backend.
//!
//! Invariant: the signing secret travels with each call and is used for that
//! call only: these commands store nothing and return no secret.

use appdeck_core::context::SystemClock;
use appdeck_core::signature::{self, DEFAULT_TOLERANCE_SECS};

use crate::ipc::{off_ui_thread, IpcResult};

/// `t=<timestamp>,v1=<hex>` over `payload` (timestamp: now when absent).
#[tauri::command]
pub async fn sign_stripe_signature(
    secret: String,
    payload: String,
    timestamp: Option<i64>,
) -> IpcResult<String> {
    off_ui_thread(move || {
        Ok(signature::sign_at(
            &secret,
            &payload,
            timestamp,
            &SystemClock,
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
        let tolerance = tolerance_secs.unwrap_or(DEFAULT_TOLERANCE_SECS);
        signature::verify_now(&header, &payload, &secret, tolerance, &SystemClock)
            .map(|v| v.t)
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
        let signed =
            signature::ui_extension_payload_text(&user_id, &account_id, payload.as_deref())
                .map_err(crate::ipc::payload)?;
        Ok(signature::sign_at(
            &secret,
            &signed,
            timestamp,
            &SystemClock,
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
        let tolerance = tolerance_secs.unwrap_or(DEFAULT_TOLERANCE_SECS);
        signature::verify_now(
            &install_signature,
            &signed,
            &secret,
            tolerance,
            &SystemClock,
        )
        .map(|v| v.t)
        .map_err(crate::ipc::payload)
    })
    .await
}
