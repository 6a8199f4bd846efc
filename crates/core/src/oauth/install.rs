//! The Stripe Apps install flow, end to end: install link → the system browser
//! → consent → loopback callback → code exchange with the developer's secret
//! key of that mode → tokens into the keychain → the install recorded.
//!
//! Invariants: the state is one-time and checked in constant time before
//! anything else is trusted; the browser's success page is sent only after the
//! exchange and the keychain writes succeeded; every failure is reported with
//! its own code and stores nothing; every step lands on the timeline (secrets
//! masked). A redirect URI that isn't loopback (the app's real backend) can't be
//! listened on: [`prepare`] then returns no listener and the caller finishes with
//! [`complete_from_url`] after the user pastes the URL they landed on, or (an
//! install the backend completes itself) with `backend::wait`.
//!
//! The app is read as Stripe holds it: from the uploadable `stripe-app.json`
//! (an extension manifest's base), never merged with an extension manifest,
//! and [`prepare`] refuses, before anything listens or opens, a redirect URI
//! Stripe would not redirect to and a key that cannot exchange the code
//! (`preflight`).

use std::time::{Duration, Instant};

use serde::Serialize;
use ts_rs::TS;

pub use super::app_manifest::{platform_livemode, uploadable_path, AppManifest};
use super::backend::BackendWatch;
use super::loopback::{Loopback, LoopbackSpec, Waited};
use super::preflight::{self, Landing, RedirectRules};
use super::timeline::{mask_url, Actor, StepObserver, Timeline, TimelineStep};
use super::{links, pages, state, stripe, OAuthError};
use crate::accounts::{self, AccountProfile};
use crate::apps;
use crate::context::Context;
use crate::error::{Coded, ErrorCode, ErrorPayload};
use crate::installs::{self, InstallRecord, InstallStatus};
use crate::keychain::Mode;
use crate::secret::ApiKey;

pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

/// What the user asked for.
#[derive(Debug, Clone, Default)]
pub struct InstallRequest {
    /// The developer account whose key exchanges the code (default: current).
    pub account: Option<String>,
    /// A redirect URI from `allowed_redirect_uris` (default: the first loopback
    /// one with a port; for `via_backend`, the first backend one).
    pub redirect_uri: Option<String>,
    /// A platform install link instead of OAuth.
    pub platform: bool,
    /// The app's own backend receives the redirect and exchanges the code:
    /// Appdeck opens the link and confirms the install from Stripe's side.
    pub via_backend: bool,
    /// For `via_backend`: the account the app is installed into (`acct_…`, or
    /// an account name), whose events Stripe lists the install on.
    pub into: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum FlowError {
    #[error(transparent)]
    OAuth(#[from] OAuthError),
    #[error("{1}")]
    Setup(ErrorCode, String),
    #[error("{}", .0.message)]
    Other(ErrorPayload),
}

impl Coded for FlowError {
    fn code(&self) -> ErrorCode {
        match self {
            FlowError::OAuth(e) => e.code(),
            FlowError::Setup(c, _) => *c,
            FlowError::Other(p) => p.code,
        }
    }
}

fn other(e: impl Coded) -> FlowError {
    FlowError::Other(e.to_payload())
}

/// A flow that failed, with the steps up to the failure.
#[derive(Debug)]
pub struct FlowFailure {
    pub error: FlowError,
    pub timeline: Vec<TimelineStep>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export, export_to = "InstallOutcome.ts")]
pub struct InstallOutcome {
    pub install: InstallRecord,
    pub timeline: Vec<TimelineStep>,
}

/// A flow ready to start: the link to open and what the callback must match.
pub struct Prepared {
    pub authorize_url: String,
    pub redirect_uri: String,
    /// `Some` for loopback redirect URIs; `None` means "paste the URL".
    pub listener: Option<Loopback>,
    pub timeline: Timeline,
    state: String,
    mode: Mode,
    profile: AccountProfile,
    key: ApiKey,
    app: AppManifest,
    platform: bool,
    signing_secret: Option<crate::secret::SigningSecret>,
    /// `Some` for an install the app's backend completes (see `backend`).
    backend: Option<BackendWatch>,
}

impl Prepared {
    pub(crate) fn state(&self) -> &str {
        &self.state
    }
    pub(crate) fn profile(&self) -> &AccountProfile {
        &self.profile
    }
    pub(crate) fn key(&self) -> &ApiKey {
        &self.key
    }
    pub(crate) fn app(&self) -> &AppManifest {
        &self.app
    }
    pub(crate) fn mode(&self) -> Mode {
        self.mode
    }
    pub(crate) fn signing_secret(&self) -> Option<&crate::secret::SigningSecret> {
        self.signing_secret.as_ref()
    }
    /// What a backend install watches for; `None` for Appdeck's own flows.
    pub fn backend_watch(&self) -> Option<&BackendWatch> {
        self.backend.as_ref()
    }
}

/// Whether the embedded local sandbox was started with the explicit
/// `--any-loopback-port` opt-in (asked of its control API; unknown = no, the
/// stricter reading).
async fn local_any_port(ctx: &Context, profile: &AccountProfile) -> bool {
    crate::local::control::Control::new(ctx.http.clone(), &profile.api_base)
        .any_loopback_port()
        .await
        .unwrap_or(false)
}

/// Resolves account, app and redirect URI, starts the listener, builds the link.
pub async fn prepare(
    ctx: &Context,
    app: AppManifest,
    req: &InstallRequest,
    observer: Option<StepObserver>,
) -> Result<Prepared, FlowFailure> {
    let mut timeline = Timeline::new(observer);
    let fail = |error: FlowError, timeline: Timeline| FlowFailure {
        error,
        timeline: timeline.into_steps(),
    };
    let profile = match accounts::resolve(ctx, req.account.as_deref()) {
        Ok(p) => p,
        Err(e) => return Err(fail(other(e), timeline)),
    };
    let key = match accounts::api_key(ctx, &profile) {
        Ok(k) => k,
        Err(e) => return Err(fail(other(e), timeline)),
    };
    let mode = profile.mode;
    // Appdeck exchanges the code itself unless the app's backend does.
    if !req.platform && !req.via_backend {
        if let Err(e) = preflight::refuse_restricted_key(&profile) {
            return Err(fail(e, timeline));
        }
    }
    let rules = RedirectRules {
        live: mode == Mode::Live,
        any_loopback_port: mode == Mode::Local && local_any_port(ctx, &profile).await,
    };
    let landing =
        match preflight::choose_redirect(&app, req.redirect_uri.as_deref(), rules, req.via_backend)
        {
            Ok(l) => l,
            Err(e) => return Err(fail(e, timeline)),
        };
    let (creds, signing_secret) = match apps::resolve(ctx, &app.id, mode) {
        Ok(c) => c,
        Err(e) => return Err(fail(other(e), timeline)),
    };
    let backend = if req.via_backend {
        let into = match super::backend::target(ctx, req.into.as_deref()) {
            Ok(t) => t,
            Err(e) => return Err(fail(e, timeline)),
        };
        match super::backend::watch(ctx, &profile.api_base, &key, &creds.client_id, &into).await {
            Ok(w) => Some(w),
            Err(e) => return Err(fail(e, timeline)),
        }
    } else {
        None
    };
    let spec = match &landing {
        Landing::Loopback { uri, port } => LoopbackSpec::from_redirect_uri(uri).map(|mut s| {
            s.port = *port;
            s
        }),
        Landing::Backend { .. } => None,
    };
    let listener = match spec {
        Some(spec) => match Loopback::start(&spec).await {
            Ok(l) => {
                timeline.step(
                    Actor::Appdeck,
                    Actor::Loopback,
                    "listening",
                    format!("listening on {}", l.redirect_uri),
                    serde_json::json!({"redirect_uri": l.redirect_uri, "abort_url": "(hidden)"}),
                    None,
                );
                Some(l)
            }
            Err(e) => return Err(fail(e.into(), timeline)),
        },
        None => None,
    };
    // A fixed port is sent exactly as the manifest writes it (Stripe compares
    // strings); an ephemeral one only exists once the listener is up.
    let redirect_uri = match (&landing, &listener) {
        (Landing::Loopback { port: 0, .. }, Some(l)) => l.redirect_uri.clone(),
        _ => landing.uri().to_string(),
    };
    let st = state::generate(mode);
    let authorize_url = if req.platform {
        links::platform(&creds.marketplace_base, &app.id, &redirect_uri, &st)
    } else {
        links::oauth(
            &creds.marketplace_base,
            creds.channel_link.as_deref(),
            &creds.client_id,
            &redirect_uri,
            &st,
        )
    };
    timeline.step(
        Actor::Appdeck,
        Actor::Browser,
        "authorize-url",
        if req.platform { "platform install link" } else { "OAuth install link" },
        serde_json::json!({"url": mask_url(&authorize_url), "client_id": creds.client_id, "mode": mode.as_str(), "account": profile.name}),
        None,
    );
    Ok(Prepared {
        authorize_url,
        redirect_uri,
        listener,
        timeline,
        state: st,
        mode,
        profile,
        key,
        app,
        platform: req.platform,
        signing_secret,
        backend,
    })
}

/// Waits for the loopback callback and completes the flow.
pub async fn finish(
    ctx: &Context,
    mut p: Prepared,
    timeout: Duration,
    cancel: &tokio_util::sync::CancellationToken,
) -> Result<InstallOutcome, FlowFailure> {
    let Some(mut listener) = p.listener.take() else {
        return Err(FlowFailure {
            error: FlowError::Setup(
                ErrorCode::InvalidInput,
                "nothing listens on this redirect URI (the app's backend); paste the URL you landed on instead, or wait for the backend install".into(),
            ),
            timeline: p.timeline.into_steps(),
        });
    };
    let waited = listener.wait(timeout, cancel).await;
    let cb = match waited {
        Waited::Callback(cb) => cb,
        // Closed before answering, so a fixed port is free again at once.
        Waited::TimedOut => {
            listener.close().await;
            return Err(abort(p, OAuthError::Timeout(timeout.as_secs()).into()));
        }
        Waited::Cancelled | Waited::Aborted => {
            listener.close().await;
            return Err(abort(p, OAuthError::Cancelled.into()));
        }
    };
    let params = cb.params.clone();
    let result = match params {
        Ok(params) => complete(ctx, &mut p, params).await,
        Err(reason) => Err(FlowError::OAuth(OAuthError::CallbackInvalid(reason))),
    };
    pages::respond(cb, &result, p.platform);
    listener.close().await;
    match result {
        Ok(install) => Ok(InstallOutcome {
            install,
            timeline: p.timeline.into_steps(),
        }),
        Err(error) => Err(abort(p, error)),
    }
}

/// Completes a flow from the URL the browser landed on (non-loopback redirect URIs).
pub async fn complete_from_url(
    ctx: &Context,
    mut p: Prepared,
    landed: &str,
) -> Result<InstallOutcome, FlowFailure> {
    if p.backend.is_some() {
        // The backend spends this code; exchanging it here would break its install.
        return Err(FlowFailure {
            error: FlowError::Setup(
                ErrorCode::InvalidInput,
                "this install goes through the app's backend, which exchanges the code itself; Appdeck never exchanges it (the pasted URL is only noted while it waits for Stripe's event)".into(),
            ),
            timeline: p.timeline.into_steps(),
        });
    }
    let parsed = url::Url::parse(landed.trim())
        .map_err(|e| {
            OAuthError::CallbackInvalid(format!(
                "that is not a URL ({e}); paste the whole address from the browser"
            ))
        })
        .and_then(|u| {
            let mut map = std::collections::BTreeMap::new();
            for (k, v) in u.query_pairs() {
                if map.insert(k.to_string(), v.to_string()).is_some() {
                    return Err(OAuthError::CallbackInvalid(format!(
                        "the parameter \"{k}\" appears more than once"
                    )));
                }
            }
            Ok(map)
        });
    let result = match parsed {
        Ok(params) => complete(ctx, &mut p, params).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(install) => Ok(InstallOutcome {
            install,
            timeline: p.timeline.into_steps(),
        }),
        Err(error) => Err(FlowFailure {
            error,
            timeline: p.timeline.into_steps(),
        }),
    }
}

/// Ends a flow with `error`, as the last step of its timeline.
pub(crate) fn abort(mut p: Prepared, error: FlowError) -> FlowFailure {
    p.timeline.step(
        Actor::Appdeck,
        Actor::Appdeck,
        "error",
        error.to_string(),
        serde_json::json!({"code": error.code()}),
        None,
    );
    FlowFailure {
        error,
        timeline: p.timeline.into_steps(),
    }
}

/// Checks the callback and, for OAuth, exchanges the code and stores the tokens.
async fn complete(
    ctx: &Context,
    p: &mut Prepared,
    params: std::collections::BTreeMap<String, String>,
) -> Result<InstallRecord, FlowError> {
    let shown: serde_json::Map<String, serde_json::Value> = params
        .iter()
        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
        .collect();
    p.timeline.step(
        Actor::Browser,
        Actor::Loopback,
        "callback",
        "callback received",
        serde_json::Value::Object(shown),
        None,
    );
    let got = params.get("state").ok_or(OAuthError::MissingState)?;
    if !state::matches(&p.state, got) {
        return Err(OAuthError::StateMismatch.into());
    }
    if let Some(error) = params.get("error") {
        let description = params.get("error_description").cloned().unwrap_or_default();
        return Err(if error == "access_denied" {
            OAuthError::AccessDenied {
                error: error.clone(),
                description,
            }
        } else {
            OAuthError::ProviderError {
                error: error.clone(),
                description,
            }
        }
        .into());
    }
    let now = ctx.clock.now().to_rfc3339();
    if p.platform {
        return super::platform::complete(ctx, p, &params, now);
    }
    let code = params
        .get("code")
        .filter(|c| !c.is_empty())
        .ok_or_else(|| {
            OAuthError::CallbackInvalid("the callback has neither code nor error".into())
        })?;
    let started = Instant::now();
    p.timeline.step(
        Actor::Appdeck,
        Actor::Stripe,
        "token-request",
        format!("POST {}/v1/oauth/token (grant_type=authorization_code)", p.profile.api_base),
        serde_json::json!({"grant_type": "authorization_code", "code": code, "authorization": p.key.masked()}),
        None,
    );
    let (tokens, shown) = stripe::token_request(
        &ctx.http,
        &p.profile.api_base,
        &p.key,
        "authorization_code",
        code,
    )
    .await?;
    p.timeline.step(
        Actor::Stripe,
        Actor::Appdeck,
        "token-response",
        format!("tokens for {}", tokens.stripe_user_id),
        shown,
        Some(started.elapsed().as_millis() as u64),
    );
    let rec = InstallRecord {
        install: installs::new_handle(),
        app: p.app.id.clone(),
        account: p.profile.name.clone(),
        mode: p.mode,
        stripe_user_id: tokens.stripe_user_id.clone(),
        livemode: tokens.livemode,
        scope: tokens.scope.clone(),
        kind: "oauth".into(),
        access_expires_at: None,
        status: InstallStatus::Active,
        installed_at: now,
        refreshed_at: None,
        access_token_hint: None,
        refresh_token_hint: None,
    };
    let started = Instant::now();
    let rec = installs::record_oauth(ctx, rec, &tokens).map_err(other)?;
    p.timeline.step(
        Actor::Appdeck,
        Actor::Keychain,
        "keychain-write",
        match ctx.secrets.kind() {
            crate::keychain::StoreKind::OsKeychain => {
                "refresh token, then access token, stored in the OS keychain"
            }
            crate::keychain::StoreKind::SessionMemory => {
                "refresh token, then access token, kept in memory for this session"
            }
        },
        serde_json::json!({"store": format!("{:?}", ctx.secrets.kind()), "install": rec.install}),
        Some(started.elapsed().as_millis() as u64),
    );
    p.timeline.step(Actor::Appdeck, Actor::Appdeck, "recorded", format!("install {} recorded", rec.install), serde_json::json!({"install": rec.install, "stripe_user_id": rec.stripe_user_id, "livemode": rec.livemode}), None);
    Ok(rec)
}
