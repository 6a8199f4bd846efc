//! "Copy as curl": the call as a shell command, with the key replaced by an
//! environment variable, never the secret itself.

use super::request::ApiRequest;

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
    use crate::console::request::AuthAs;

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
