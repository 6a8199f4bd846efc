//! What an error answer says, in one line for people: the CLI's
//! `error[type/code]: message (Request-Id …)` and the Secret Store's
//! `api-error` message read it the same way.

use super::request::ApiResponse;

impl ApiResponse {
    /// `(type/code, message (Request-Id …))` of an error answer, for people;
    /// never the query string of the URL (it can hold values).
    pub fn error_summary(&self) -> (String, String) {
        let request_id = self
            .request_id
            .as_deref()
            .map(|id| format!(" (Request-Id {id})"))
            .unwrap_or_default();
        match &self.stripe_error {
            Some(e) => {
                let kind = e.kind.as_deref().unwrap_or("api_error");
                let label = match e.code.as_deref() {
                    Some(code) => format!("{kind}/{code}"),
                    None => kind.to_string(),
                };
                let message = e
                    .message
                    .clone()
                    .unwrap_or_else(|| format!("HTTP {}", self.status));
                (label, format!("{message}{request_id}"))
            }
            None => (
                format!("http-{}", self.status),
                format!(
                    "{} {} answered HTTP {}{request_id}",
                    self.method,
                    self.url.split('?').next().unwrap_or(&self.url),
                    self.status
                ),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::request::StripeErrorParts;
    use crate::keychain::Mode;

    fn resp(status: u16, error: Option<StripeErrorParts>) -> ApiResponse {
        ApiResponse {
            status,
            headers: vec![],
            request_id: Some("req_1".into()),
            elapsed_ms: 1,
            body: String::new(),
            stripe_error: error,
            mode: Mode::Local,
            method: "GET".into(),
            url: "http://127.0.0.1:1/v1/customers?limit=1".into(),
            idempotency_key: None,
            refreshed: false,
            attempts: vec![],
        }
    }

    #[test]
    fn the_error_summary_names_type_code_and_request_id() {
        let e = StripeErrorParts {
            kind: Some("invalid_request_error".into()),
            code: Some("resource_missing".into()),
            param: None,
            message: Some("No such customer: 'cus_x'".into()),
            doc_url: None,
        };
        assert_eq!(
            resp(404, Some(e.clone())).error_summary(),
            (
                "invalid_request_error/resource_missing".into(),
                "No such customer: 'cus_x' (Request-Id req_1)".into()
            )
        );
        let no_code = StripeErrorParts { code: None, ..e };
        assert_eq!(
            resp(403, Some(no_code)).error_summary().0,
            "invalid_request_error"
        );
        assert_eq!(
            resp(502, None).error_summary(),
            (
                "http-502".into(),
                "GET http://127.0.0.1:1/v1/customers answered HTTP 502 (Request-Id req_1)".into()
            ),
            "no query string (it can hold values) in the summary"
        );
    }
}
