//! Send one Stripe API call as an account (its secret or restricted key) or as
//! an installed app (its OAuth access token, refreshed first when expired).
//!
//! Invariants: a live-mode write is refused unless writes were unlocked for the
//! session (`live-write-locked`); POSTs get an `Idempotency-Key` unless one is
//! given, so a retry can never double-charge; a 401 on an install's token is
//! refreshed (single-flight) and retried once, only when the retry is safe (GET,
//! DELETE, or a POST with its idempotency key); 429s, 5xx and calls that got
//! no answer are retried as `retry.rs` decides, with the same idempotency key,
//! each attempt listed in the response; the key or token never leaves through
//! the response, the history or a curl line.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use super::form::{encode_rows, FormError};
use super::retry::{self, Attempt, RetryPolicy};
use crate::accounts::{self, AccountError};
use crate::context::Context;
use crate::error::{Coded, ErrorCode};
use crate::installs::{self, InstallError};
use crate::keychain::Mode;
use crate::secret::{AccessToken, ApiKey};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[ts(export, export_to = "AuthAs.ts")]
pub enum AuthAs {
    /// An account profile's key (`None`: the current account).
    Account { name: Option<String> },
    /// An install's OAuth access token.
    Install { install: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export, export_to = "ApiRequest.ts")]
pub struct ApiRequest {
    /// `GET`, `POST` or `DELETE`.
    pub method: String,
    /// `/v1/customers`, or a full URL on the account's API base.
    pub path: String,
    /// Key/value rows with bracket nesting.
    pub params: Vec<(String, String)>,
    /// A raw form body instead of `params` (POST only).
    pub raw_body: Option<String>,
    pub stripe_account: Option<String>,
    pub stripe_version: Option<String>,
    pub idempotency_key: Option<String>,
    pub auth: AuthAs,
}

impl ApiRequest {
    /// A call with form rows and no headers, raw body or key of its own: the
    /// composer's starting point (tests and canned answers build theirs so).
    pub fn new(method: &str, path: &str, params: &[(&str, &str)], auth: AuthAs) -> Self {
        ApiRequest {
            method: method.into(),
            path: path.into(),
            params: params
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            raw_body: None,
            stripe_account: None,
            stripe_version: None,
            idempotency_key: None,
            auth,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export, export_to = "StripeErrorParts.ts")]
pub struct StripeErrorParts {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub code: Option<String>,
    pub param: Option<String>,
    pub message: Option<String>,
    pub doc_url: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export, export_to = "ApiResponse.ts")]
pub struct ApiResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub request_id: Option<String>,
    #[ts(type = "number")]
    pub elapsed_ms: u64,
    /// The raw body (the UI parses it lazily; bodies can be many MB).
    pub body: String,
    pub stripe_error: Option<StripeErrorParts>,
    pub mode: Mode,
    /// The method, URL and idempotency key actually sent.
    pub method: String,
    pub url: String,
    pub idempotency_key: Option<String>,
    /// Whether an expired install token was refreshed for this call.
    pub refreshed: bool,
    /// Every attempt, the answer's last (a retry after 429, 5xx, or no answer).
    #[serde(default)]
    pub attempts: Vec<Attempt>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    #[error("live mode: writes are locked for this session. Unlock live writes explicitly (the UI's unlock, or --unlock-live) to send {0}")]
    LiveWriteLocked(String),
    #[error("unsupported method \"{0}\"; use GET, POST or DELETE")]
    Method(String),
    #[error("the path must start with /v1/ (got \"{0}\")")]
    Path(String),
    #[error("the environment variable must be a name (letters, digits, '_', not starting with a digit; got {0:?})")]
    EnvVar(String),
    #[error(transparent)]
    Form(#[from] FormError),
    #[error("{url} got no answer: {reason}")]
    Network { url: String, reason: String },
    #[error("{url} was cancelled before its answer came{}", cancelled_advice(url, idempotency_key.as_deref()))]
    Cancelled {
        url: String,
        /// Set for a POST: the key that makes a resend safe.
        idempotency_key: Option<String>,
    },
    #[error(transparent)]
    Account(#[from] AccountError),
    #[error(transparent)]
    Install(#[from] InstallError),
}

/// What a user should know about a write that was cut off: it may have happened.
fn cancelled_advice(url: &str, idempotency_key: Option<&str>) -> String {
    match idempotency_key {
        Some(k) => format!("; Stripe may still have carried it out: send it again with Idempotency-Key {k} and it will not be done twice"),
        None if url.starts_with("POST") => "; Stripe may still have carried it out, and it had no Idempotency-Key: check (e.g. list the objects) before sending it again".into(),
        None => String::new(),
    }
}

impl Coded for ConsoleError {
    fn code(&self) -> ErrorCode {
        match self {
            ConsoleError::LiveWriteLocked(_) => ErrorCode::LiveWriteLocked,
            ConsoleError::Method(_)
            | ConsoleError::Path(_)
            | ConsoleError::EnvVar(_)
            | ConsoleError::Form(_) => ErrorCode::InvalidInput,
            ConsoleError::Network { .. } => ErrorCode::Network,
            ConsoleError::Cancelled { .. } => ErrorCode::ApiCancelled,
            ConsoleError::Account(e) => e.code(),
            ConsoleError::Install(e) => e.code(),
        }
    }
}

/// Live-mode writes stay locked until the user unlocks them for the session.
#[derive(Debug, Default)]
pub struct LiveGuard {
    unlocked: std::sync::atomic::AtomicBool,
}

impl LiveGuard {
    pub fn unlocked() -> Self {
        let g = Self::default();
        g.set(true);
        g
    }
    pub fn set(&self, on: bool) {
        self.unlocked.store(on, std::sync::atomic::Ordering::SeqCst);
    }
    pub fn is_unlocked(&self) -> bool {
        self.unlocked.load(std::sync::atomic::Ordering::SeqCst)
    }
}

enum Credential {
    Key(ApiKey),
    Token(AccessToken),
}

impl Credential {
    fn secret(&self) -> &str {
        match self {
            Credential::Key(k) => k.secret(),
            Credential::Token(t) => t.secret(),
        }
    }
}

/// Where and as whom a call goes: (api base, mode, credential).
async fn resolve(
    ctx: &Context,
    auth: &AuthAs,
    force_refresh: bool,
) -> Result<(String, Mode, Credential, bool), ConsoleError> {
    match auth {
        AuthAs::Account { name } => {
            let p = accounts::resolve(ctx, name.as_deref())?;
            let key = accounts::api_key(ctx, &p)?;
            Ok((p.api_base, p.mode, Credential::Key(key), false))
        }
        AuthAs::Install { install } => {
            let rec = installs::get(ctx, install)?;
            let dev = accounts::get(ctx, &rec.account)?;
            let refreshed = force_refresh || installs::is_expired(ctx, &rec);
            if force_refresh {
                installs::refresh(ctx, install).await?;
            }
            let (rec, token) = installs::access_token(ctx, install).await?;
            Ok((dev.api_base, rec.mode, Credential::Token(token), refreshed))
        }
    }
}

pub fn new_idempotency_key() -> String {
    use rand::RngCore;
    let mut b = [0u8; 16];
    rand::rng().fill_bytes(&mut b);
    format!("appdeck-{}", hex::encode(b))
}

/// Sends the call, retrying per the context's policy (see [`send_with`]).
pub async fn send(
    ctx: &Context,
    req: &ApiRequest,
    guard: &LiveGuard,
) -> Result<ApiResponse, ConsoleError> {
    send_with(ctx, req, guard, &ctx.retry, &CancellationToken::new()).await
}

/// What one attempt brought back: an answer, or why none came.
type Exchange = Result<(u16, Vec<(String, String)>, String), String>;

async fn exchange(rb: reqwest::RequestBuilder) -> Exchange {
    let resp = rb.send().await.map_err(|e| crate::http::describe(&e))?;
    let status = resp.status().as_u16();
    let headers: Vec<(String, String)> = resp
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.to_string(),
                String::from_utf8_lossy(v.as_bytes()).to_string(),
            )
        })
        .collect();
    // A connection dropped mid-body is no answer either: the status alone
    // cannot be trusted without the body it announced.
    let body = resp.text().await.map_err(|e| {
        format!(
            "the connection broke while reading the answer: {}",
            crate::http::describe(&e)
        )
    })?;
    Ok((status, headers, body))
}

/// Sends the call; retries where [`retry::should_retry`] says it is safe,
/// with the same `Idempotency-Key` on every attempt, and reports each attempt
/// in [`ApiResponse::attempts`]. `cancel` ends a wait between attempts: the
/// last answer is then returned as it is (or, if none came, the network
/// error); an attempt already sent is let finish, so a fetch of every page
/// keeps the page in flight.
pub async fn send_with(
    ctx: &Context,
    req: &ApiRequest,
    guard: &LiveGuard,
    policy: &RetryPolicy,
    cancel: &CancellationToken,
) -> Result<ApiResponse, ConsoleError> {
    send_inner(ctx, req, guard, policy, cancel, false).await
}

/// [`send_with`], where `cancel` also ends an attempt still waiting for its
/// answer (`api-cancelled`, naming the Idempotency-Key of a POST that Stripe
/// may have carried out): the user's "Cancel" on one call.
pub async fn send_abortable(
    ctx: &Context,
    req: &ApiRequest,
    guard: &LiveGuard,
    policy: &RetryPolicy,
    cancel: &CancellationToken,
) -> Result<ApiResponse, ConsoleError> {
    send_inner(ctx, req, guard, policy, cancel, true).await
}

async fn send_inner(
    ctx: &Context,
    req: &ApiRequest,
    guard: &LiveGuard,
    policy: &RetryPolicy,
    cancel: &CancellationToken,
    abort_in_flight: bool,
) -> Result<ApiResponse, ConsoleError> {
    let method = req.method.to_ascii_uppercase();
    if !matches!(method.as_str(), "GET" | "POST" | "DELETE") {
        return Err(ConsoleError::Method(req.method.clone()));
    }
    let path = req.path.trim();
    if !path.starts_with("/v1/") && path != "/v1" {
        return Err(ConsoleError::Path(path.to_string()));
    }
    let encoded = match (&req.raw_body, method.as_str()) {
        (Some(raw), "POST") => raw.clone(),
        _ => encode_rows(&req.params)?,
    };
    // An explicit empty key is the caller opting out of the automatic one.
    let idempotency_key = match (&req.idempotency_key, method.as_str()) {
        (Some(k), _) => Some(k.clone()).filter(|k| !k.is_empty()),
        (None, "POST") => Some(new_idempotency_key()),
        _ => None,
    };
    let retry_safe = method != "POST" || idempotency_key.is_some();
    let mut force_refresh = false;
    let (mut base, mut mode, mut cred, mut refreshed) = resolve(ctx, &req.auth, false).await?;
    let mut attempts: Vec<Attempt> = Vec::new();
    let mut retries = 0u32;
    let mut waited = Duration::ZERO;
    loop {
        if mode == Mode::Live && method != "GET" && !guard.is_unlocked() {
            return Err(ConsoleError::LiveWriteLocked(format!("{method} {path}")));
        }
        let mut url = format!("{}{}", base.trim_end_matches('/'), path);
        if method != "POST" && !encoded.is_empty() {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&encoded);
        }
        let mut rb = ctx
            .http
            .request(method.parse().unwrap_or(reqwest::Method::GET), &url)
            .bearer_auth(cred.secret());
        if method == "POST" {
            rb = rb
                .header(
                    reqwest::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .body(encoded.clone());
        }
        for (h, v) in [
            ("Stripe-Account", &req.stripe_account),
            ("Stripe-Version", &req.stripe_version),
            ("Idempotency-Key", &idempotency_key),
        ] {
            if let Some(v) = v.as_ref().filter(|v| !v.is_empty()) {
                rb = rb.header(h, v);
            }
        }
        let started = Instant::now();
        let outcome = tokio::select! {
            outcome = exchange(rb) => outcome,
            () = cancel.cancelled(), if abort_in_flight => {
                return Err(ConsoleError::Cancelled {
                    url: format!("{method} {}", url.split('?').next().unwrap_or(&url)),
                    idempotency_key: idempotency_key.filter(|_| method == "POST"),
                });
            }
        };
        let elapsed_ms = started.elapsed().as_millis() as u64;
        let (status, headers) = match &outcome {
            Ok((status, headers, _)) => (Some(*status), headers.as_slice()),
            Err(_) => (None, &[][..]),
        };
        attempts.push(Attempt {
            status,
            error: outcome.as_ref().err().cloned(),
            waited_ms: waited.as_millis() as u64,
            elapsed_ms,
        });
        if status == Some(401)
            && matches!(req.auth, AuthAs::Install { .. })
            && !force_refresh
            && retry_safe
        {
            force_refresh = true;
            waited = Duration::ZERO;
            (base, mode, cred, refreshed) = resolve(ctx, &req.auth, true).await?;
            continue;
        }
        if let Some(wait) = retry::next_wait(policy, retries, retry_safe, status, headers) {
            if retry::pause(wait, cancel).await {
                retries += 1;
                waited = wait;
                continue;
            }
        }
        let (status, headers, body) = match outcome {
            Ok(answer) => answer,
            Err(reason) => {
                return Err(ConsoleError::Network {
                    url: format!("{method} {}", url.split('?').next().unwrap_or(&url)),
                    reason: no_answer_reason(&reason, &attempts, retry_safe, policy),
                })
            }
        };
        let request_id = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("request-id"))
            .map(|(_, v)| v.clone());
        let stripe_error = (status >= 400)
            .then(|| serde_json::from_str::<serde_json::Value>(&body).ok())
            .flatten()
            .and_then(|v| serde_json::from_value::<StripeErrorParts>(v["error"].clone()).ok());
        return Ok(ApiResponse {
            status,
            headers,
            request_id,
            elapsed_ms,
            body,
            stripe_error,
            mode,
            method: method.clone(),
            url,
            idempotency_key: idempotency_key.clone(),
            refreshed: refreshed || force_refresh,
            attempts,
        });
    }
}

/// Why no answer came, how often it was tried, and what to do about it.
fn no_answer_reason(
    last: &str,
    attempts: &[Attempt],
    retry_safe: bool,
    policy: &RetryPolicy,
) -> String {
    let n = attempts.len();
    let waited: u64 = attempts.iter().map(|a| a.waited_ms).sum();
    let tries = if n == 1 {
        "1 attempt".to_string()
    } else {
        format!("{n} attempts, {:.1} s of waiting", waited as f64 / 1000.0)
    };
    let advice = if !retry_safe {
        "not retried: a POST without an Idempotency-Key could apply twice. Check whether it took effect before sending it again"
    } else if policy.max_retries == 0 {
        "retries are off (max retries 0). Check that the server is up and reachable, then send it again"
    } else {
        "check that the server is up and reachable, then send it again (the same Idempotency-Key makes a POST safe to repeat)"
    };
    format!("{last} ({tries}); {advice}")
}
