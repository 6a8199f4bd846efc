//! What must hold before an install flow opens anything: the redirect URI is
//! one Stripe will redirect to, and the key can do what the flow needs.
//!
//! Why: a wrong redirect URI or key fails only after the tester has consented
//! and the single-use code is spent (or never calls back at all: Stripe shows
//! its own error page). Refusing before anything listens or opens turns that
//! into an immediate error that says what to change.
//!
//! Invariants (docs/stripe-fidelity.md cites each):
//! - Stripe redirects only to an `allowed_redirect_uris` entry of an *uploaded
//!   version*, matched exactly (/stripe-apps/install-links), and `stripe apps
//!   upload` takes `stripe-app.json` alone (stripe/stripe-apps#841). So the URIs
//!   checked are those of the uploadable manifest, never an extension's.
//! - A loopback URI must carry an explicit port: a port chosen at run time can
//!   never match (RFC 8252 §7.3 asks servers to relax the port; nothing in
//!   Stripe's docs says Stripe does, so we assume it doesn't).
//! - Live mode redirect URIs must be HTTPS (/stripe-apps/install-links).
//! - Codes and refresh tokens are exchanged with the account's *secret* key
//!   (/stripe-apps/api-authentication/oauth names a restricted key as the common
//!   mistake); `stripe login` creates restricted keys (/stripe-cli/keys).
//! - The embedded local sandbox holds the same uploaded manifest, so the same
//!   rules apply to it, except when it was started with the explicit
//!   `--any-loopback-port` opt-in (then any port of a listed loopback URI does).

use crate::accounts::{AccountKind, AccountProfile, CredentialKind};
use crate::error::ErrorCode;

use super::install::{AppManifest, FlowError};

/// What the redirect URI is checked against.
#[derive(Debug, Clone, Copy)]
pub struct RedirectRules {
    /// The account is live mode: HTTPS only.
    pub live: bool,
    /// The local sandbox was started with `--any-loopback-port`.
    pub any_loopback_port: bool,
}

/// How the browser comes back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Landing {
    /// A loopback URI Appdeck listens on (`port` 0: an ephemeral one).
    Loopback { uri: String, port: u16 },
    /// The app's own backend: Appdeck can't listen there.
    Backend { uri: String },
}

impl Landing {
    pub fn uri(&self) -> &str {
        match self {
            Landing::Loopback { uri, .. } | Landing::Backend { uri } => uri,
        }
    }
}

/// The host of `uri` when it is a loopback http URL (127.0.0.0/8, [::1], localhost).
pub fn is_loopback_uri(uri: &str) -> bool {
    url::Url::parse(uri).is_ok_and(|u| {
        u.scheme() == "http"
            && u.host()
                .is_some_and(|h| crate::manifest::rules::is_loopback(&h))
    })
}

/// The port written in `uri`, if one is (`url` drops a default port, so the
/// authority is read as written: `http://127.0.0.1:80/cb` has one).
pub fn explicit_port(uri: &str) -> Option<u16> {
    let rest = uri.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit('@').next()?;
    let port = match host_port.strip_prefix('[') {
        Some(v6) => v6.split_once(']')?.1.strip_prefix(':')?,
        None => host_port.rsplit_once(':')?.1,
    };
    port.parse().ok()
}

fn not_uploadable(message: String) -> FlowError {
    FlowError::Setup(ErrorCode::RedirectUriNotUploadable, message)
}

/// The redirect URI a flow will use, chosen and checked as Stripe would.
///
/// Without `requested`: the first loopback URI with a port (or, for a backend
/// install, the first non-loopback one), else the first URI (a backend: the
/// user pastes where they landed).
pub fn choose_redirect(
    app: &AppManifest,
    requested: Option<&str>,
    rules: RedirectRules,
    via_backend: bool,
) -> Result<Landing, FlowError> {
    let listed = &app.redirect_uris;
    let file = app.source_name();
    let uri = match requested {
        Some(r) => r.to_string(),
        None => default_uri(app, via_backend)?,
    };
    let loopback = is_loopback_uri(&uri);
    let port = explicit_port(&uri);
    let in_list = listed.contains(&uri);
    let relaxed =
        rules.any_loopback_port && loopback && listed.iter().any(|u| same_but_port(u, &uri));
    if !in_list && !relaxed {
        let example = suggested_loopback(listed);
        return Err(not_uploadable(if listed.is_empty() {
            format!("{file} lists no allowed_redirect_uris, so Stripe has nowhere to send the browser back. Add one, e.g. \"{example}\" for a loopback install, and upload a new version (`stripe apps upload`)")
        } else {
            format!("{uri} is not in allowed_redirect_uris of {file} ({}). Stripe redirects only to a URI of the uploaded version, matched exactly (extension manifests such as stripe-app.dev.json are never uploaded): add \"{uri}\" to {file} and upload a new version, or pick a listed one with --redirect-uri", listed.join(", "))
        }));
    }
    if rules.live && !uri.starts_with("https://") {
        return Err(not_uploadable(format!(
            "{uri} is not HTTPS, and Stripe requires live mode redirect URIs to be HTTPS (/stripe-apps/install-links): use the app's https backend URI, or run the flow with a test-mode account"
        )));
    }
    // A backend may run on loopback too (a developer's local server): who
    // answers the redirect decides, not the address.
    if !loopback || via_backend {
        return Ok(Landing::Backend { uri });
    }
    match port {
        Some(port) => Ok(Landing::Loopback { uri, port }),
        None if rules.any_loopback_port => Ok(Landing::Loopback { uri, port: 0 }),
        None => Err(not_uploadable(format!(
            "{uri} has no port, and Stripe matches redirect URIs exactly, so a port chosen when the flow starts can never match. Give it a fixed port in {file}, e.g. \"{}\", and upload a new version",
            with_port(&uri, 8765)
        ))),
    }
}

fn default_uri(app: &AppManifest, via_backend: bool) -> Result<String, FlowError> {
    let listed = &app.redirect_uris;
    let file = app.source_name();
    if via_backend {
        return listed
            .iter()
            .find(|u| !is_loopback_uri(u))
            .or(listed.first())
            .cloned()
            .ok_or_else(|| {
                not_uploadable(format!(
                    "{file} lists no allowed_redirect_uris, so there is no backend for Stripe to send the browser to; add the backend's callback URL and upload a new version"
                ))
            });
    }
    let fixed = listed
        .iter()
        .find(|u| is_loopback_uri(u) && explicit_port(u).is_some());
    let any = listed.iter().find(|u| is_loopback_uri(u));
    match (fixed, any) {
        (Some(u), _) => Ok(u.clone()),
        // Without the opt-in, the port check refuses it with its fix.
        (None, Some(u)) => Ok(u.clone()),
        (None, None) => listed.first().cloned().ok_or_else(|| {
            not_uploadable(format!(
                "{file} lists no allowed_redirect_uris, so Stripe has nowhere to send the browser back. Add one, e.g. \"{}\" for a loopback install, and upload a new version (`stripe apps upload`)",
                suggested_loopback(listed)
            ))
        }),
    }
}

/// Loopback URIs equal but for the port (the `--any-loopback-port` opt-in).
fn same_but_port(listed: &str, given: &str) -> bool {
    let (Ok(a), Ok(b)) = (url::Url::parse(listed), url::Url::parse(given)) else {
        return false;
    };
    is_loopback_uri(listed)
        && a.host_str() == b.host_str()
        && a.path() == b.path()
        && a.query() == b.query()
}

fn with_port(uri: &str, port: u16) -> String {
    match url::Url::parse(uri) {
        Ok(mut u) => {
            let _ = u.set_port(Some(port));
            u.to_string()
        }
        Err(_) => format!("http://127.0.0.1:{port}/callback"),
    }
}

fn suggested_loopback(listed: &[String]) -> String {
    listed
        .iter()
        .find(|u| is_loopback_uri(u))
        .map(|u| with_port(u, 8765))
        .unwrap_or_else(|| "http://127.0.0.1:8765/callback".into())
}

/// Refuses a restricted key when Appdeck itself will exchange the code (an
/// OAuth install caught on the loopback or pasted): Stripe wants the secret key.
pub fn refuse_restricted_key(profile: &AccountProfile) -> Result<(), FlowError> {
    if profile.credential != CredentialKind::RestrictedKey {
        return Ok(());
    }
    let (secret, where_) = match profile.kind {
        AccountKind::Live => ("sk_live_…", "live mode"),
        AccountKind::Sandbox => ("sk_test_… of the sandbox", "the sandbox"),
        _ => ("sk_test_…", "test mode"),
    };
    Err(FlowError::Setup(
        ErrorCode::RestrictedKey,
        format!(
            "\"{}\" holds a restricted key (rk_…), and Stripe exchanges OAuth codes and refresh tokens only with the account's secret key ({secret}); a restricted key, like the one `stripe login` creates, would fail after the single-use code is spent. Copy the secret key of {where_} from Dashboard → Developers → API keys, add it (`appdeck accounts add NAME --key-stdin`) and run the install with --account NAME",
            profile.name
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Coded;

    fn app(uris: &[&str]) -> AppManifest {
        AppManifest {
            id: "com.example.app".into(),
            access_type: "oauth".into(),
            redirect_uris: uris.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    const EXACT: RedirectRules = RedirectRules {
        live: false,
        any_loopback_port: false,
    };

    fn code(r: Result<Landing, FlowError>) -> ErrorCode {
        r.unwrap_err().code()
    }

    #[test]
    fn ports_are_read_as_written() {
        assert_eq!(explicit_port("http://127.0.0.1:8765/callback"), Some(8765));
        assert_eq!(explicit_port("http://127.0.0.1:80/callback"), Some(80));
        assert_eq!(explicit_port("http://[::1]:9000/cb"), Some(9000));
        assert_eq!(explicit_port("http://[::1]/cb"), None);
        assert_eq!(explicit_port("http://127.0.0.1/callback"), None);
        assert_eq!(explicit_port("http://localhost/cb?x=:1"), None);
    }

    #[test]
    fn the_first_fixed_port_loopback_uri_is_the_default_and_used_as_written() {
        let a = app(&[
            "https://backend.example.com/cb",
            "http://127.0.0.1:8765/callback",
        ]);
        assert_eq!(
            choose_redirect(&a, None, EXACT, false).unwrap(),
            Landing::Loopback {
                uri: "http://127.0.0.1:8765/callback".into(),
                port: 8765
            }
        );
        assert_eq!(
            choose_redirect(&a, None, EXACT, true).unwrap(),
            Landing::Backend {
                uri: "https://backend.example.com/cb".into()
            },
            "a backend install takes the backend URI"
        );
    }

    #[test]
    fn a_uri_not_uploaded_is_refused_naming_it_and_the_fix() {
        let a = app(&["http://127.0.0.1:8765/callback"]);
        let e =
            choose_redirect(&a, Some("http://127.0.0.1:9999/callback"), EXACT, false).unwrap_err();
        assert_eq!(e.code(), ErrorCode::RedirectUriNotUploadable);
        let m = e.to_string();
        assert!(
            m.contains("http://127.0.0.1:9999/callback") && m.contains("stripe-app.json"),
            "{m}"
        );
        assert!(m.contains("upload"), "{m}");
        for other in [
            "http://127.0.0.1:8765/callback/",
            "http://127.0.0.1:8765/callback?x=1",
            "http://localhost:8765/callback",
            "https://127.0.0.1:8765/callback",
        ] {
            assert_eq!(
                code(choose_redirect(&a, Some(other), EXACT, false)),
                ErrorCode::RedirectUriNotUploadable,
                "{other} differs from the listed URI"
            );
        }
    }

    #[test]
    fn a_loopback_uri_without_a_port_is_refused_with_a_fixed_port_to_use() {
        let a = app(&["http://127.0.0.1/callback"]);
        let e = choose_redirect(&a, None, EXACT, false).unwrap_err();
        assert_eq!(e.code(), ErrorCode::RedirectUriNotUploadable);
        assert!(
            e.to_string().contains("http://127.0.0.1:8765/callback"),
            "{e}"
        );
    }

    #[test]
    fn the_any_port_opt_in_relaxes_only_the_port() {
        let rules = RedirectRules {
            live: false,
            any_loopback_port: true,
        };
        let a = app(&["http://127.0.0.1/callback"]);
        assert_eq!(
            choose_redirect(&a, None, rules, false).unwrap(),
            Landing::Loopback {
                uri: "http://127.0.0.1/callback".into(),
                port: 0
            }
        );
        assert!(choose_redirect(&a, Some("http://127.0.0.1:4242/callback"), rules, false).is_ok());
        assert_eq!(
            code(choose_redirect(
                &a,
                Some("http://127.0.0.1:4242/other"),
                rules,
                false
            )),
            ErrorCode::RedirectUriNotUploadable
        );
        for rules in [rules, EXACT] {
            assert_eq!(
                code(choose_redirect(&app(&[]), None, rules, false)),
                ErrorCode::RedirectUriNotUploadable,
                "nothing listed, nothing to relax"
            );
        }
    }

    #[test]
    fn live_mode_needs_https() {
        let live = RedirectRules {
            live: true,
            any_loopback_port: false,
        };
        let a = app(&["http://127.0.0.1:8765/callback", "https://b.example.com/cb"]);
        assert_eq!(
            code(choose_redirect(&a, None, live, false)),
            ErrorCode::RedirectUriNotUploadable
        );
        assert!(choose_redirect(&a, Some("https://b.example.com/cb"), live, false).is_ok());
    }
}
