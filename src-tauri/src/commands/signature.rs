//! Signature tools: `Stripe-Signature` headers, an install link's
//! `install_signature`, and what a UI extension's `fetchStripeSignature()`
//! sends, to test an app backend.
//!
//! Invariant: the signing secret travels with each call and is used for that
//! call only: these commands store nothing and return no secret.

use appdeck_core::context::SystemClock;
use appdeck_core::signature::{self, DEFAULT_TOLERANCE_SECS};
use serde::Deserialize;
use ts_rs::TS;

use crate::ipc::{off_ui_thread, IpcResult};

/// What `sign_stripe_signature` signs.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export, export_to = "SignStripeSignatureArgs.ts", optional_fields)]
pub struct SignStripeSignatureArgs {
    pub secret: String,
    pub payload: String,
    /// Unix seconds; now when absent.
    #[ts(optional, type = "number")]
    pub timestamp: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export, export_to = "VerifyStripeSignatureArgs.ts", optional_fields)]
pub struct VerifyStripeSignatureArgs {
    pub secret: String,
    pub header: String,
    pub payload: String,
    /// Seconds the timestamp may be off (default 300; 0 = no limit).
    #[ts(optional, type = "number")]
    pub tolerance_secs: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export, export_to = "SignUiExtensionArgs.ts", optional_fields)]
pub struct SignUiExtensionArgs {
    pub secret: String,
    pub user_id: String,
    pub account_id: String,
    /// The extension's own payload: JSON object text, merged after `user_id` and `account_id`.
    pub payload: Option<String>,
    #[ts(optional, type = "number")]
    pub timestamp: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export, export_to = "VerifyInstallSignatureArgs.ts", optional_fields)]
pub struct VerifyInstallSignatureArgs {
    pub secret: String,
    pub install_signature: String,
    pub state: String,
    pub user_id: String,
    pub account_id: String,
    #[ts(optional, type = "number")]
    pub tolerance_secs: Option<i64>,
}

/// `t=<timestamp>,v1=<hex>` over `payload` (timestamp: now when absent).
pub async fn sign_stripe_signature(args: SignStripeSignatureArgs) -> IpcResult<String> {
    off_ui_thread(move || {
        Ok(signature::sign_at(
            &args.secret,
            &args.payload,
            args.timestamp,
            &SystemClock,
        ))
    })
    .await
}

/// The signature's timestamp when `header` signs `payload` with `secret`
/// within the tolerance (default 300 s; 0 = no limit); else
/// `signature-mismatch`, `signature-expired` or `invalid-input`.
pub async fn verify_stripe_signature(args: VerifyStripeSignatureArgs) -> IpcResult<i64> {
    off_ui_thread(move || {
        let tolerance = args.tolerance_secs.unwrap_or(DEFAULT_TOLERANCE_SECS);
        signature::verify_now(
            &args.header,
            &args.payload,
            &args.secret,
            tolerance,
            &SystemClock,
        )
        .map(|v| v.t)
        .map_err(crate::ipc::payload)
    })
    .await
}

/// The `Stripe-Signature` a UI extension's `fetchStripeSignature()` sends for
/// `{user_id, account_id}` plus the extension's own payload (a JSON object text).
pub async fn sign_ui_extension(args: SignUiExtensionArgs) -> IpcResult<String> {
    off_ui_thread(move || {
        let signed = signature::ui_extension_payload_text(
            &args.user_id,
            &args.account_id,
            args.payload.as_deref(),
        )
        .map_err(crate::ipc::payload)?;
        Ok(signature::sign_at(
            &args.secret,
            &signed,
            args.timestamp,
            &SystemClock,
        ))
    })
    .await
}

/// Verifies an install link's `install_signature` for its `state`, `user_id`
/// and `account_id`; answers the signature's timestamp.
pub async fn verify_install_signature(args: VerifyInstallSignatureArgs) -> IpcResult<i64> {
    off_ui_thread(move || {
        let signed = signature::install_payload(&args.state, &args.user_id, &args.account_id);
        let tolerance = args.tolerance_secs.unwrap_or(DEFAULT_TOLERANCE_SECS);
        signature::verify_now(
            &args.install_signature,
            &signed,
            &args.secret,
            tolerance,
            &SystemClock,
        )
        .map(|v| v.t)
        .map_err(crate::ipc::payload)
    })
    .await
}
