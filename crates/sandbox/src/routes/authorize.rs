//! The OAuth install flow: `GET /oauth/v2/authorize` and
//! `GET /oauth/v2/{chnlink}/authorize` show the consent page; the page posts
//! to `POST /oauth/v2/consent`. Shared with the platform install link.
//!
//! Invariants:
//! - `redirect_uri` must equal one of the app's `allowed_redirect_uris`
//!   character for character: scheme, host, port, path, query (absent: the
//!   first one). Stripe knows only the URIs of an uploaded version and asks
//!   for an exact match (/stripe-apps/install-links: "this must exactly match
//!   one of the … `redirect_uris` values in your app manifest"); nothing in its
//!   docs relaxes a loopback port, so neither does the sandbox by default.
//!   Anything else is a 400 error page naming the URI, never a redirect.
//! - The any-loopback-port setting is an explicit opt-in that is NOT what
//!   Stripe does: a loopback URI (127.0.0.1, [::1], localhost over http) then
//!   matches an allowed one that differs only by port (RFC 8252 §7.3).
//! - Accept → 302 `redirect_uri?code=ac_…&state=…`; Decline → 302 with
//!   `error=access_denied&error_description=…&state=…`.
//! - Auto-consent answers at once for the first install account.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;

use crate::ids;
use crate::pages::consent::{self, ConsentView};
use crate::state::{App, Flow, PendingConsent, Settings, Shared};

const CONSENT_TTL: Duration = Duration::from_secs(60 * 60);

pub async fn authorize(
    State(s): State<Arc<Shared>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    start_oauth(&s, &q, None)
}

pub async fn authorize_channel(
    State(s): State<Arc<Shared>>,
    Path(channel): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    start_oauth(&s, &q, Some(&channel))
}

fn bad(detail: impl AsRef<str>) -> Response {
    consent::error(
        StatusCode::BAD_REQUEST,
        "This install link is not valid",
        detail.as_ref(),
    )
}

fn start_oauth(s: &Shared, q: &HashMap<String, String>, channel: Option<&str>) -> Response {
    let Some(client_id) = q.get("client_id").filter(|c| !c.is_empty()) else {
        return bad("The link has no client_id.");
    };
    let Some(app) = s.read(|w| w.app_by_client_id(client_id).cloned()) else {
        return bad(format!("No app has the client_id {client_id}."));
    };
    if let Some(channel) = channel {
        if channel != app.channel_link {
            return bad(format!(
                "The channel link {channel} does not belong to {}.",
                app.id
            ));
        }
    }
    if app.access_type != "oauth" {
        return bad(format!(
            "{} uses stripe_api_access_type \"{}\", not OAuth: install it with /apps/install/link/{}.",
            app.id, app.access_type, app.id
        ));
    }
    if let Some(rt) = q.get("response_type").filter(|r| *r != "code") {
        return bad(format!(
            "Unsupported response_type {rt}: only code is supported."
        ));
    }
    begin(s, &app, q, Flow::OAuth)
}

/// Checks the redirect URI and shows the consent page (or consents at once).
pub fn begin(s: &Shared, app: &App, q: &HashMap<String, String>, flow: Flow) -> Response {
    let any_port = Settings::get(&s.settings.any_loopback_port);
    let redirect = match resolve_redirect(app, q.get("redirect_uri").map(String::as_str), any_port)
    {
        Ok(r) => r,
        Err(detail) => return bad(detail),
    };
    let state = q.get("state").cloned();
    if Settings::get(&s.settings.auto_consent) {
        let first = s.read(|w| w.meta.install_accounts.first().cloned());
        if let Some(account) = first {
            return accept(s, app, &account, &redirect, state.as_deref(), flow);
        }
    }
    let consent_id = ids::with_prefix("consent_", 24);
    {
        let mut pending = s.consents.lock();
        pending.retain(|_, p| p.shown.elapsed() < CONSENT_TTL);
        pending.insert(
            consent_id.clone(),
            PendingConsent {
                app: app.id.clone(),
                redirect_uri: redirect.clone(),
                state,
                flow,
                shown: Instant::now(),
            },
        );
    }
    let accounts = s.read(|w| {
        let mut list: Vec<(String, String)> = w
            .meta
            .install_accounts
            .iter()
            .filter_map(|id| w.accounts.get(id))
            .map(|a| (a.id.clone(), a.display_name.clone()))
            .collect();
        let mut extra: Vec<_> = w
            .accounts
            .values()
            .filter(|a| !w.meta.install_accounts.contains(&a.id))
            .map(|a| (a.created, a.id.clone(), a.display_name.clone()))
            .collect();
        extra.sort();
        list.extend(extra.into_iter().map(|(_, id, name)| (id, name)));
        list
    });
    consent::consent(&ConsentView {
        app_id: &app.id,
        permissions: &app.permissions,
        accounts: &accounts,
        consent_id: &consent_id,
        redirect_uri: &redirect,
        action: "/oauth/v2/consent",
    })
}

/// The allowed redirect URI this request names, or why none matches.
pub fn resolve_redirect(
    app: &App,
    given: Option<&str>,
    any_loopback_port: bool,
) -> Result<String, String> {
    let Some(first) = app.redirect_uris.first() else {
        return Err(format!("{} has no allowed_redirect_uris.", app.id));
    };
    let given = match given {
        None | Some("") => return Ok(first.clone()),
        Some(g) => g,
    };
    if app.redirect_uris.iter().any(|a| a == given)
        || (any_loopback_port && app.redirect_uris.iter().any(|a| same_but_port(a, given)))
    {
        return Ok(given.to_string());
    }
    Err(format!(
        "The redirect_uri {given} is not one of the app's allowed_redirect_uris ({}).",
        app.redirect_uris.join(", ")
    ))
}

/// Both loopback http URIs, equal except for the port.
fn same_but_port(allowed: &str, given: &str) -> bool {
    let (Ok(a), Ok(g)) = (url::Url::parse(allowed), url::Url::parse(given)) else {
        return false;
    };
    let loopback = |u: &url::Url| {
        u.scheme() == "http"
            && matches!(
                u.host_str(),
                Some("127.0.0.1") | Some("[::1]") | Some("localhost")
            )
    };
    loopback(&a)
        && loopback(&g)
        && a.host_str() == g.host_str()
        && a.path() == g.path()
        && a.query() == g.query()
        && a.fragment().is_none()
        && g.fragment().is_none()
        && a.username() == g.username()
        && a.password() == g.password()
}

pub async fn decide(
    State(s): State<Arc<Shared>>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let pending = f.get("consent").and_then(|id| s.consents.lock().remove(id));
    let Some(pending) = pending.filter(|p| p.shown.elapsed() < CONSENT_TTL) else {
        return bad(
            "This consent page has expired or was already answered. Start the install again.",
        );
    };
    let Some(app) = s.read(|w| w.apps.get(&pending.app).cloned()) else {
        return bad("The app is no longer registered.");
    };
    match f.get("decision").map(String::as_str) {
        Some("accept") => {
            let account = f.get("account").cloned().unwrap_or_default();
            if !s.read(|w| w.accounts.contains_key(&account)) {
                return bad(format!("No such account: {account}."));
            }
            accept(
                &s,
                &app,
                &account,
                &pending.redirect_uri,
                pending.state.as_deref(),
                pending.flow,
            )
        }
        _ => redirect_to(
            &pending.redirect_uri,
            &[
                ("error", "access_denied"),
                ("error_description", "The user denied your request"),
            ],
            pending.state.as_deref(),
        ),
    }
}

/// Installs the app and redirects with a code (OAuth) or a signed install
/// result (platform install link).
pub fn accept(
    s: &Shared,
    app: &App,
    account: &str,
    redirect: &str,
    state: Option<&str>,
    flow: Flow,
) -> Response {
    let now = s.clock.now();
    let result = s.write(|w| {
        w.install(&app.id, account, now);
        let user = w
            .accounts
            .get(account)
            .map(|a| a.user_id.clone())
            .unwrap_or_default();
        let code = (flow == Flow::OAuth).then(|| w.issue_code(&app.id, account, redirect, now));
        (code, user)
    });
    let (code, user) = match result {
        Ok(r) => r,
        Err(e) => {
            tracing::error!("store: {e}");
            return consent::error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The sandbox could not save the install",
                "See the sandbox's log.",
            );
        }
    };
    match code {
        Some(code) => redirect_to(redirect, &[("code", &code)], state),
        None => {
            let st = state.unwrap_or_default();
            let payload = crate::signature::install_payload(st, &user, account);
            let signature = crate::signature::sign(&app.signing_secret, now, &payload);
            // /stripe-apps/install-links: `user_id`, `account_id`, `state` (if
            // provided), `install_signature`, and "if the app is installed into
            // test mode, a `livemode=false` value is appended". Live installs
            // carry no `livemode` at all; every sandbox install is test mode.
            let mut pairs = vec![("user_id", user.as_str()), ("account_id", account)];
            if let Some(st) = state {
                pairs.push(("state", st));
            }
            pairs.push(("install_signature", &signature));
            pairs.push(("livemode", "false"));
            redirect_to(redirect, &pairs, None)
        }
    }
}

/// 302 to `base` with `pairs` (and `state` when given) added to its query.
fn redirect_to(base: &str, pairs: &[(&str, &str)], state: Option<&str>) -> Response {
    let Ok(mut url) = url::Url::parse(base) else {
        return bad(format!("The redirect_uri {base} is not a URL."));
    };
    {
        let mut q = url.query_pairs_mut();
        for (k, v) in pairs {
            q.append_pair(k, v);
        }
        if let Some(st) = state {
            q.append_pair("state", st);
        }
    }
    let mut r = StatusCode::FOUND.into_response();
    match HeaderValue::from_str(url.as_str()) {
        Ok(v) => {
            r.headers_mut().insert(header::LOCATION, v);
            r
        }
        Err(_) => bad("The redirect_uri cannot be used in a Location header."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(uris: &[&str]) -> App {
        App {
            id: "com.example.app".into(),
            owner: "acct_dev".into(),
            client_id: "ca_1".into(),
            channel_link: "chnlink_1".into(),
            signing_secret: "absec_1".into(),
            permissions: vec![],
            redirect_uris: uris.iter().map(|s| s.to_string()).collect(),
            distribution: "public".into(),
            access_type: "oauth".into(),
            created: 0,
            updated: 0,
        }
    }

    #[test]
    fn exact_match_and_default() {
        let a = app(&["https://x.example/cb", "https://x.example/cb2"]);
        assert_eq!(
            resolve_redirect(&a, None, false).unwrap(),
            "https://x.example/cb"
        );
        assert_eq!(
            resolve_redirect(&a, Some("https://x.example/cb2"), false).unwrap(),
            "https://x.example/cb2"
        );
        assert!(
            resolve_redirect(&a, Some("https://x.example/cb/"), false).is_err(),
            "trailing slash differs"
        );
        assert!(resolve_redirect(&a, Some("https://x.example/cb?a=1"), false).is_err());
        assert!(resolve_redirect(&app(&[]), None, false).is_err());
    }

    #[test]
    fn loopback_ports_only_with_the_setting() {
        let a = app(&["http://127.0.0.1:5000/callback"]);
        assert!(resolve_redirect(&a, Some("http://127.0.0.1:61234/callback"), false).is_err());
        assert!(resolve_redirect(&a, Some("http://127.0.0.1:61234/callback"), true).is_ok());
        assert!(
            resolve_redirect(&a, Some("http://127.0.0.1:61234/other"), true).is_err(),
            "path must match"
        );
        assert!(
            resolve_redirect(&a, Some("http://localhost:61234/callback"), true).is_err(),
            "host must match"
        );
        let https = app(&["https://example.com:443/cb"]);
        assert!(
            resolve_redirect(&https, Some("https://example.com:8443/cb"), true).is_err(),
            "not loopback"
        );
    }

    #[test]
    fn redirect_keeps_existing_query_and_encodes() {
        let r = redirect_to(
            "https://x.example/cb?keep=1",
            &[("code", "ac_1")],
            Some("a b&c"),
        );
        assert_eq!(r.status(), StatusCode::FOUND);
        assert_eq!(
            r.headers()[header::LOCATION],
            "https://x.example/cb?keep=1&code=ac_1&state=a+b%26c"
        );
    }
}
