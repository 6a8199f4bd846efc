//! Completing a platform install (an install link, no OAuth): the redirect
//! carries `user_id`, `account_id`, `state` and an `install_signature` over
//! `{"state","user_id","account_id"}` signed with the app's signing secret,
//! plus `livemode=false` in test mode (/stripe-apps/install-links).
//!
//! Invariant: nothing is recorded unless the signature verifies and the mode
//! Stripe reports is the flow's.

use std::collections::BTreeMap;

use super::install::{platform_livemode, FlowError, Prepared};
use super::timeline::Actor;
use super::OAuthError;
use crate::context::Context;
use crate::error::{Coded, ErrorCode};
use crate::installs::{self, InstallRecord, InstallStatus};
use crate::keychain::Mode;

fn other(e: impl Coded) -> FlowError {
    FlowError::Other(e.to_payload())
}

pub(crate) fn complete(
    ctx: &Context,
    p: &mut Prepared,
    params: &BTreeMap<String, String>,
    now: String,
) -> Result<InstallRecord, FlowError> {
    let field = |k: &str| {
        params
            .get(k)
            .cloned()
            .ok_or_else(|| OAuthError::CallbackInvalid(format!("the platform callback has no {k}")))
    };
    let (user_id, account_id, signature) = (
        field("user_id")?,
        field("account_id")?,
        field("install_signature")?,
    );
    let secret = p.signing_secret().ok_or_else(|| {
        FlowError::Setup(ErrorCode::AppNotConfigured, "no signing secret is configured for this app and mode, so the install_signature can't be verified".into())
    })?;
    let payload = crate::signature::install_payload(p.state(), &user_id, &account_id);
    crate::signature::verify(
        &signature,
        &payload,
        secret.secret(),
        crate::signature::DEFAULT_TOLERANCE_SECS,
        ctx.clock.now().timestamp(),
    )
    .map_err(other)?;
    p.timeline.step(
        Actor::Appdeck,
        Actor::Appdeck,
        "signature-verified",
        "install_signature verified",
        serde_json::json!({"user_id": user_id, "account_id": account_id}),
        None,
    );
    let livemode = platform_livemode(params.get("livemode").map(String::as_str))?;
    if livemode != (p.mode() == Mode::Live) {
        return Err(OAuthError::CallbackInvalid(format!(
            "the app was installed in {} but this flow is for {} mode; nothing was recorded. Install again from the {} install link",
            if livemode { "live mode" } else { "test mode" },
            p.mode().as_str(),
            p.mode().as_str()
        ))
        .into());
    }
    let rec = InstallRecord {
        install: installs::new_handle(),
        app: p.app().id.clone(),
        account: p.profile().name.clone(),
        mode: p.mode(),
        stripe_user_id: account_id,
        livemode,
        scope: String::new(),
        kind: "platform".into(),
        access_expires_at: None,
        status: InstallStatus::Active,
        installed_at: now,
        refreshed_at: None,
        access_token_hint: None,
        refresh_token_hint: None,
    };
    installs::record_platform(ctx, rec).map_err(other)
}
