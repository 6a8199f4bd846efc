//! "Copy as curl": the call as a shell command, with the key replaced by an
//! environment variable, never the secret itself.
//!
//! Invariants: the variable's name is a plain shell identifier (so the line is
//! safe to paste); the URL is the API base of the account the call would use
//! (of the install's account for an install), so a `local` call points at the
//! running sandbox. Nothing is sent and nothing is recorded. The CLI's
//! `api curl` and the desktop's "Copy as curl" both call [`curl_for`].

use super::request::{ApiRequest, AuthAs, ConsoleError};
use crate::accounts;
use crate::context::Context;
use crate::installs;

/// The variable the line reads the key or token from unless told otherwise.
pub const DEFAULT_ENV_VAR: &str = "STRIPE_API_KEY";

/// A plain shell identifier: letters, digits and `_`, not starting with a digit.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The API base `req` would go to.
pub fn api_base(ctx: &Context, req: &ApiRequest) -> Result<String, ConsoleError> {
    match &req.auth {
        AuthAs::Account { name } => Ok(accounts::resolve(ctx, name.as_deref())?.api_base),
        AuthAs::Install { install } => {
            let rec = installs::get(ctx, install)?;
            Ok(accounts::get(ctx, &rec.account)?.api_base)
        }
    }
}

/// `req` as a curl line against its account's API base, reading the
/// credential from `$env_var` (`None` or empty: [`DEFAULT_ENV_VAR`]).
pub fn curl_for(
    ctx: &Context,
    req: &ApiRequest,
    env_var: Option<&str>,
) -> Result<String, ConsoleError> {
    let env_var = check(req, env_var)?;
    let base = api_base(ctx, req)?;
    Ok(to_curl(req, &base, env_var)?)
}

/// What [`curl_for`] refuses before it looks anything up (a caller can check
/// early, with no session): a variable name that isn't a plain identifier, a
/// path outside `/v1`, rows that can't be encoded. Returns the variable to use.
pub fn check<'a>(req: &ApiRequest, env_var: Option<&'a str>) -> Result<&'a str, ConsoleError> {
    let env_var = env_var.filter(|v| !v.is_empty()).unwrap_or(DEFAULT_ENV_VAR);
    if !is_identifier(env_var) {
        return Err(ConsoleError::EnvVar(env_var.to_string()));
    }
    let path = req.path.trim();
    if !path.starts_with("/v1/") && path != "/v1" {
        return Err(ConsoleError::Path(req.path.clone()));
    }
    super::form::encode_rows(&req.params)?;
    Ok(env_var)
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// `curl` for `req` against `base`; the credential is `$env_var`.
pub fn to_curl(
    req: &ApiRequest,
    base: &str,
    env_var: &str,
) -> Result<String, super::form::FormError> {
    let method = req.method.to_ascii_uppercase();
    let mut parts = vec!["curl".to_string()];
    let url = format!("{}{}", base.trim_end_matches('/'), req.path.trim());
    if method == "GET" && !req.params.is_empty() {
        parts.push("-G".into());
    } else if method != "GET" && method != "POST" {
        parts.push(format!("-X {method}"));
    }
    parts.push(quote(&url));
    parts.push(format!("-u \"${env_var}:\""));
    for (h, v) in [
        ("Stripe-Account", &req.stripe_account),
        ("Stripe-Version", &req.stripe_version),
        ("Idempotency-Key", &req.idempotency_key),
    ] {
        if let Some(v) = v.as_ref().filter(|v| !v.is_empty()) {
            parts.push(format!("-H {}", quote(&format!("{h}: {v}"))));
        }
    }
    match (&req.raw_body, method.as_str()) {
        (Some(raw), "POST") => parts.push(format!("--data-raw {}", quote(raw))),
        _ => {
            let encoded = super::form::encode_rows(&req.params)?;
            for pair in encoded.split('&').filter(|p| !p.is_empty()) {
                parts.push(format!("-d {}", quote(pair)));
            }
        }
    }
    // `curl [-G] 'URL'` on the first line, one option per continued line.
    let first = parts.iter().position(|p| p.starts_with('\'')).unwrap_or(0);
    let head = parts[..=first].join(" ");
    let rest = &parts[first + 1..];
    Ok(std::iter::once(head)
        .chain(rest.iter().cloned())
        .collect::<Vec<_>>()
        .join(" \\\n  "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_identifiers_are_env_var_names() {
        assert!(is_identifier("STRIPE_API_KEY") && is_identifier("_k1"));
        for bad in ["", "1KEY", "KEY;rm", "$(x)", "A B"] {
            assert!(!is_identifier(bad), "{bad:?}");
        }
    }

    #[test]
    fn curl_uses_an_env_var_and_quotes_values() {
        let req = ApiRequest {
            method: "POST".into(),
            path: "/v1/customers".into(),
            params: vec![
                ("name".into(), "O'Brien".into()),
                ("metadata[plan]".into(), "pro".into()),
            ],
            raw_body: None,
            stripe_account: Some("acct_1".into()),
            stripe_version: None,
            idempotency_key: None,
            auth: AuthAs::Account { name: None },
        };
        let c = to_curl(&req, "https://api.stripe.com", "STRIPE_API_KEY").unwrap();
        assert!(
            c.starts_with("curl 'https://api.stripe.com/v1/customers'"),
            "{c}"
        );
        assert!(c.contains("-u \"$STRIPE_API_KEY:\""));
        assert!(
            c.contains("-d 'name=O%27Brien'") && c.contains("-d 'metadata[plan]=pro'"),
            "{c}"
        );
        assert!(c.contains("-H 'Stripe-Account: acct_1'"));
        let get = ApiRequest {
            method: "GET".into(),
            params: vec![("limit".into(), "3".into())],
            ..req
        };
        assert!(to_curl(&get, "http://127.0.0.1:1", "K")
            .unwrap()
            .contains("-G"));
    }
}
