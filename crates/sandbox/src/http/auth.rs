//! Who is calling `/v1`: the key or token, the account acted on, and what the
//! caller may do.
//!
//! Accepted credentials: `Authorization: Bearer KEY` or HTTP Basic with the
//! key as user (empty password), as Stripe does. KEY is an account's test
//! secret key (everything), its restricted key (its permission list), or an
//! app's OAuth access token (the permissions granted at install; expired,
//! revoked or uninstalled → 401). `Stripe-Account: acct_…` lets a developer's
//! secret key act on an account where one of its apps is installed, with that
//! install's permissions (platform apps); anything else naming another account
//! is a 403.
//!
//! Invariants: the state lock is taken once, for reading; the rate limit is
//! counted on the account acted on, after authentication; a denied request is
//! logged with its account.

use std::sync::Arc;

use axum::extract::{MatchedPath, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;

use super::errors::ApiError;
use super::permissions::{self, Need};
use super::RequestId;
use crate::events::Origin;
use crate::state::{KeyKind, Settings, Shared};

/// The authenticated caller, in the request's extensions.
#[derive(Debug, Clone)]
pub struct ApiCtx {
    /// The account acted on.
    pub account: String,
    /// The app whose secrets and permissions apply (`""` for an account's own keys).
    pub namespace: String,
    /// `None`: everything; `Some`: only these permissions.
    pub perms: Option<Arc<Vec<String>>>,
    /// The credential, for error messages (always masked there).
    pub key: String,
    /// The developer account acting through `Stripe-Account`, when it is one:
    /// it sees what concerns any of its apps, not only `namespace`.
    pub platform: Option<String>,
    /// This request's id and `Idempotency-Key`: the `request` of the events
    /// it causes.
    pub origin: Origin,
}

impl ApiCtx {
    /// Fails with Stripe's 403 when the caller lacks `need`.
    pub fn require(&self, need: Need) -> Result<(), ApiError> {
        match &self.perms {
            None => Ok(()),
            Some(granted) => match permissions::missing(need, granted) {
                None => Ok(()),
                Some(p) if self.namespace.is_empty() => Err(ApiError::permission(
                    &self.key,
                    &self.account,
                    &format!("rak_{p}"),
                )),
                Some(p) => Err(ApiError::permission(&self.key, &self.account, &p)),
            },
        }
    }
}

/// The account a response is logged under (set by this layer).
#[derive(Debug, Clone)]
pub struct LoggedAccount(pub String);

/// The key in `Authorization`, Bearer or Basic.
pub fn credential(headers: &HeaderMap) -> Option<String> {
    let value = headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, rest) = value.split_once(' ')?;
    let rest = rest.trim();
    if scheme.eq_ignore_ascii_case("bearer") {
        return Some(rest.to_string()).filter(|k| !k.is_empty());
    }
    if scheme.eq_ignore_ascii_case("basic") {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(rest)
            .ok()?;
        let text = String::from_utf8(decoded).ok()?;
        let (user, password) = text.split_once(':').unwrap_or((&text, ""));
        let key = if user.is_empty() { password } else { user };
        return Some(key.to_string()).filter(|k| !k.is_empty());
    }
    None
}

/// Resolves the caller; the error carries the account when one was known.
pub fn authenticate(s: &Shared, headers: &HeaderMap) -> Result<ApiCtx, (ApiError, Option<String>)> {
    let key = credential(headers).ok_or((ApiError::no_key(), None))?;
    let target = headers
        .get("stripe-account")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty());
    let now = s.clock.now();
    s.read(|w| {
        let mut ctx = if let Some(k) = w.keys.get(&key) {
            let perms = match k.kind {
                KeyKind::Secret => None,
                KeyKind::Restricted => w
                    .accounts
                    .get(&k.account)
                    .map(|a| Arc::new(a.restricted_permissions.clone())),
                KeyKind::LiveSecret => return Err((ApiError::live_key(&key), None)),
            };
            ApiCtx {
                account: k.account.clone(),
                namespace: String::new(),
                perms,
                key: String::new(),
                platform: None,
                origin: Origin::none(),
            }
        } else if let Some(t) = w.access_tokens.get(&key) {
            if now >= t.expires_at {
                return Err((ApiError::expired_key(&key), Some(t.account.clone())));
            }
            let install = w.active_install(&t.app, &t.account);
            match install {
                Some(i) if !t.revoked => ApiCtx {
                    account: t.account.clone(),
                    namespace: t.app.clone(),
                    perms: Some(Arc::new(i.permissions.clone())),
                    key: String::new(),
                    platform: None,
                    origin: Origin::none(),
                },
                _ => {
                    let mut e = ApiError::bad_key(&key);
                    e.message = format!("{} (the access token was revoked)", e.message);
                    return Err((e, Some(t.account.clone())));
                }
            }
        } else {
            return Err((ApiError::bad_key(&key), None));
        };
        if let Some(target) = target.filter(|t| *t != ctx.account) {
            let platform = (ctx.namespace.is_empty() && ctx.perms.is_none())
                .then(|| {
                    w.apps
                        .values()
                        .filter(|a| a.owner == ctx.account)
                        .find_map(|a| w.active_install(&a.id, target))
                })
                .flatten();
            match platform {
                Some(install) => {
                    ctx = ApiCtx {
                        account: install.account.clone(),
                        namespace: install.app.clone(),
                        perms: Some(Arc::new(install.permissions.clone())),
                        key: String::new(),
                        platform: Some(ctx.account.clone()),
                        origin: Origin::none(),
                    }
                }
                None => {
                    return Err((
                        ApiError::no_account_access(&key, target),
                        Some(ctx.account.clone()),
                    ))
                }
            }
        }
        ctx.key = key.clone();
        Ok(ctx)
    })
}

/// Route layer on `/v1`: authenticate, rate-limit, check the route's permission.
pub async fn layer(State(s): State<Arc<Shared>>, mut req: Request, next: Next) -> Response {
    let mut ctx = match authenticate(&s, req.headers()) {
        Ok(ctx) => ctx,
        Err((e, account)) => return logged(e.into_response(), account),
    };
    if Settings::get(&s.settings.rate_limit) && !s.limiter.allow(&ctx.account) {
        return logged(ApiError::rate_limited().into_response(), Some(ctx.account));
    }
    if ctx.perms.is_some() {
        let route = req
            .extensions()
            .get::<MatchedPath>()
            .map(|m| m.as_str().to_string())
            .unwrap_or_default();
        let denied = match permissions::need(req.method().as_str(), &route) {
            Some(need) => ctx.require(need).err(),
            None => Some(ApiError::permission(&ctx.key, &ctx.account, "unknown")),
        };
        if let Some(e) = denied {
            return logged(e.into_response(), Some(ctx.account));
        }
    }
    ctx.origin = Origin {
        request_id: req.extensions().get::<RequestId>().map(|r| r.0.clone()),
        idempotency_key: req
            .headers()
            .get("idempotency-key")
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
    };
    let account = ctx.account.clone();
    req.extensions_mut().insert(ctx);
    logged(next.run(req).await, Some(account))
}

fn logged(mut r: Response, account: Option<String>) -> Response {
    if let Some(a) = account {
        r.extensions_mut().insert(LoggedAccount(a));
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with_auth(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("authorization", HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn bearer_and_basic() {
        assert_eq!(
            credential(&with_auth("Bearer sk_test_1")).as_deref(),
            Some("sk_test_1")
        );
        let basic = base64::engine::general_purpose::STANDARD.encode("sk_test_2:");
        assert_eq!(
            credential(&with_auth(&format!("Basic {basic}"))).as_deref(),
            Some("sk_test_2")
        );
        assert_eq!(credential(&with_auth("Basic !!!")), None);
        assert_eq!(credential(&with_auth("Bearer ")), None);
        assert_eq!(credential(&HeaderMap::new()), None);
    }
}
