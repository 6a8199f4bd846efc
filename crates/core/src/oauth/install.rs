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

use std::path::Path;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use serde::Serialize;
use ts_rs::TS;

use super::backend::BackendWatch;
use super::loopback::{Callback, Loopback, LoopbackSpec, Waited};
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
}

/// The app as the uploadable manifest describes it.
#[derive(Debug, Clone, Default)]
pub struct AppManifest {
    pub id: String,
    pub access_type: String,
    pub redirect_uris: Vec<String>,
    /// `public` or `private` (Stripe's default: private).
    pub distribution: String,
    /// `sandbox_install_compatible` as written (`None` when absent).
    pub sandbox_install_compatible: Option<bool>,
    /// The file Stripe would get (`stripe-app.json`), for messages.
    pub source: Option<std::path::PathBuf>,
}

impl AppManifest {
    /// The uploadable file's name as messages show it.
    pub fn source_name(&self) -> String {
        self.source
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| crate::manifest::MANIFEST_FILE_NAME.to_string())
    }

    pub fn from_text(text: &str) -> Result<Self, String> {
        // Lenient like Stripe's CLI and the sandbox (comments, trailing commas):
        // the validator reports those; an install needs only these fields.
        let v: serde_json::Value = jsonc_parser::parse_to_serde_value::<Option<serde_json::Value>>(
            text,
            &Default::default(),
        )
        .map_err(|e| format!("the manifest is not valid JSON ({e})"))?
        .unwrap_or_default();
        let id = v["id"]
            .as_str()
            .ok_or("the manifest has no \"id\"")?
            .to_string();
        Ok(Self {
            id,
            distribution: v["distribution_type"]
                .as_str()
                .unwrap_or("private")
                .to_string(),
            sandbox_install_compatible: v["sandbox_install_compatible"].as_bool(),
            source: None,
            access_type: v["stripe_api_access_type"]
                .as_str()
                .unwrap_or("platform")
                .to_string(),
            redirect_uris: v["allowed_redirect_uris"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|u| u.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default(),
        })
    }

    /// Reads the manifest Stripe would hold: `path` itself, or, for an
    /// extension manifest, the base it `extends` (what `stripe apps upload`
    /// sends; extension manifests never reach Stripe).
    pub fn load(path: &Path) -> Result<Self, FlowError> {
        let source = uploadable_path(path);
        let text = std::fs::read_to_string(&source).map_err(|e| {
            FlowError::Setup(
                ErrorCode::ManifestUnreadable,
                format!("cannot read {}: {e}", source.display()),
            )
        })?;
        let mut app =
            Self::from_text(&text).map_err(|m| FlowError::Setup(ErrorCode::ManifestSyntax, m))?;
        app.source = Some(source);
        Ok(app)
    }
}

/// The manifest `stripe apps upload` would send for `path`: the base an
/// extension manifest (`stripe-app.<name>.json` with `extends`) names, else `path`.
pub fn uploadable_path(path: &Path) -> std::path::PathBuf {
    if !crate::manifest::validate::is_extension_file_name(path) {
        return path.to_path_buf();
    }
    let base = std::fs::read_to_string(path).ok().and_then(|t| {
        jsonc_parser::parse_to_serde_value::<Option<serde_json::Value>>(&t, &Default::default())
            .ok()
            .flatten()
            .and_then(|v| v["extends"].as_str().map(str::to_string))
    });
    match base {
        Some(b) => path.parent().unwrap_or(Path::new(".")).join(b),
        None => path.to_path_buf(),
    }
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
    /// What a backend install watches for; `None` for Appdeck's own flows.
    pub fn backend_watch(&self) -> Option<&BackendWatch> {
        self.backend.as_ref()
    }
}

/// Whether the embedded local sandbox was started with the explicit
/// `--any-loopback-port` opt-in (asked of its control API; unknown = no, the
/// stricter reading).
async fn local_any_port(ctx: &Context, profile: &AccountProfile) -> bool {
    crate::qa::control::Control::new(ctx.http.clone(), &profile.api_base)
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
        match super::backend::watch(ctx, &profile.api_base, &key, &creds.client_id).await {
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
        Waited::TimedOut => return Err(abort(p, OAuthError::Timeout(timeout.as_secs()))),
        Waited::Cancelled | Waited::Aborted => return Err(abort(p, OAuthError::Cancelled)),
    };
    let params = cb.params.clone();
    let result = match params {
        Ok(params) => complete(ctx, &mut p, params).await,
        Err(reason) => Err(FlowError::OAuth(OAuthError::CallbackInvalid(reason))),
    };
    respond(cb, &result, &p);
    listener.close().await;
    match result {
        Ok(install) => Ok(InstallOutcome {
            install,
            timeline: p.timeline.into_steps(),
        }),
        Err(error) => {
            p.timeline.step(
                Actor::Appdeck,
                Actor::Appdeck,
                "error",
                error.to_string(),
                serde_json::json!({"code": error.code()}),
                None,
            );
            Err(FlowFailure {
                error,
                timeline: p.timeline.into_steps(),
            })
        }
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

fn abort(mut p: Prepared, e: OAuthError) -> FlowFailure {
    p.timeline.step(
        Actor::Appdeck,
        Actor::Appdeck,
        "error",
        e.to_string(),
        serde_json::json!({"code": e.code()}),
        None,
    );
    FlowFailure {
        error: e.into(),
        timeline: p.timeline.into_steps(),
    }
}

fn respond(cb: Callback, result: &Result<InstallRecord, FlowError>, p: &Prepared) {
    match result {
        Ok(rec) => cb.respond(
            StatusCode::OK,
            pages::success(
                if p.platform {
                    "The platform install"
                } else {
                    "The install"
                },
                &rec.stripe_user_id,
            ),
        ),
        Err(FlowError::OAuth(OAuthError::AccessDenied { error, description })) => cb.respond(
            StatusCode::OK,
            pages::failure("The install was declined", error, Some(description)),
        ),
        Err(FlowError::OAuth(OAuthError::ProviderError { error, description })) => cb.respond(
            StatusCode::OK,
            pages::failure("Stripe reported an error", error, Some(description)),
        ),
        Err(e) => cb.respond(
            StatusCode::BAD_REQUEST,
            pages::failure(
                "The install did not complete",
                &e.code().as_str(),
                Some(&e.to_string()),
            ),
        ),
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
        return complete_platform(ctx, p, &params, now);
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

fn complete_platform(
    ctx: &Context,
    p: &mut Prepared,
    params: &std::collections::BTreeMap<String, String>,
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
    let secret = p.signing_secret.as_ref().ok_or_else(|| {
        FlowError::Setup(ErrorCode::AppNotConfigured, "no signing secret is configured for this app and mode, so the install_signature can't be verified".into())
    })?;
    let payload = crate::signature::install_payload(&p.state, &user_id, &account_id);
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
    if livemode != (p.mode == Mode::Live) {
        return Err(OAuthError::CallbackInvalid(format!(
            "the app was installed in {} but this flow is for {} mode; nothing was recorded. Install again from the {} install link",
            if livemode { "live mode" } else { "test mode" },
            p.mode.as_str(),
            p.mode.as_str()
        ))
        .into());
    }
    let rec = InstallRecord {
        install: installs::new_handle(),
        app: p.app.id.clone(),
        account: p.profile.name.clone(),
        mode: p.mode,
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

/// `livemode` of a platform install's redirect. Stripe appends `livemode=false`
/// to a test-mode install's redirect and nothing to a live one
/// (/stripe-apps/install-links), so an absent value means live mode; `true`
/// is read as live too, anything else is malformed.
pub fn platform_livemode(value: Option<&str>) -> Result<bool, OAuthError> {
    match value {
        None | Some("true") => Ok(true),
        Some("false") => Ok(false),
        Some(other) => Err(OAuthError::CallbackInvalid(format!(
            "livemode={other} is neither false (a test-mode install) nor absent (live mode)"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_livemode_is_absent_in_live_mode_and_false_in_test_mode() {
        assert_eq!(platform_livemode(None), Ok(true));
        assert_eq!(platform_livemode(Some("false")), Ok(false));
        assert_eq!(platform_livemode(Some("true")), Ok(true));
        assert!(platform_livemode(Some("0")).is_err());
    }

    #[test]
    fn an_extension_manifest_installs_the_base_it_extends() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("stripe-app.json");
        std::fs::write(
            &base,
            r#"{"id":"a.b","allowed_redirect_uris":["https://x.example/cb"]}"#,
        )
        .unwrap();
        let dev = dir.path().join("stripe-app.dev.json");
        std::fs::write(
            &dev,
            r#"{"extends":"stripe-app.json","allowed_redirect_uris":["http://127.0.0.1/callback"]}"#,
        )
        .unwrap();
        let app = AppManifest::load(&dev).unwrap();
        assert_eq!(
            app.redirect_uris,
            ["https://x.example/cb"],
            "never the extension's"
        );
        assert_eq!(app.source.as_deref(), Some(base.as_path()));
        assert_eq!(AppManifest::load(&base).unwrap().redirect_uris.len(), 1);
    }
}
