//! The small HTML pages the loopback listener shows in the user's browser.
//!
//! Invariants: every value echoed from a request or a server (error codes,
//! descriptions, account ids) is HTML-escaped; a success page is rendered only
//! after the code exchange succeeded; pages tell the user what to do next and
//! never show a token. No external resources (the page must work offline).

use axum::http::StatusCode;

use super::install::FlowError;
use super::loopback::Callback;
use super::OAuthError;
use crate::error::Coded;
use crate::installs::InstallRecord;
use crate::markup::escape;

fn page(title: &str, body_html: &str, ok: bool) -> String {
    let color = if ok { "#1a7f37" } else { "#b42318" };
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t} · Appdeck</title>\
<meta name=\"viewport\" content=\"width=device-width\">\
<style>body{{font:15px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1f2328}}\
h1{{font-size:1.3rem;color:{color}}}code{{background:#f3f4f6;padding:.1rem .3rem;border-radius:4px}}</style></head>\
<body><h1>{t}</h1>{body_html}</body></html>",
        t = escape(title)
    )
}

/// After a successful exchange: nothing secret on the page.
pub fn success(what: &str, account: &str) -> String {
    page(
        "Appdeck: sign-in complete",
        &format!(
            "<p>{} for <code>{}</code> is complete. You can close this tab and return to Appdeck.</p>\
<p>Do not share this page or its address.</p>",
            escape(what),
            escape(account)
        ),
        true,
    )
}

/// A failure the user should know about, with the server's words escaped.
pub fn failure(title: &str, error: &str, description: Option<&str>) -> String {
    let desc = description
        .map(|d| format!("<p>{}</p>", escape(d)))
        .unwrap_or_default();
    page(
        title,
        &format!(
            "<p>Error: <code>{}</code></p>{desc}<p>Return to Appdeck to see the details and try again.</p>",
            escape(error)
        ),
        false,
    )
}

/// For requests that aren't the callback while a flow waits.
pub fn not_found(abort_url: &str) -> String {
    page(
        "Not found",
        &format!(
            "<p>Appdeck is waiting for the sign-in to finish at another address.</p>\
<p><a href=\"{}\">Abort the sign-in</a></p>",
            escape(abort_url)
        ),
        false,
    )
}

pub fn finished() -> String {
    page(
        "This sign-in is already finished",
        "<p>Appdeck already received a response for this sign-in; this one was ignored. Start a new flow from Appdeck if you need to.</p>",
        false,
    )
}

pub fn aborted() -> String {
    page(
        "Sign-in aborted",
        "<p>Appdeck stopped waiting. You can close this tab.</p>",
        false,
    )
}

/// Answers the browser's callback with the install's outcome.
pub(crate) fn respond(cb: Callback, result: &Result<InstallRecord, FlowError>, platform: bool) {
    match result {
        Ok(rec) => cb.respond(
            StatusCode::OK,
            success(
                if platform {
                    "The platform install"
                } else {
                    "The install"
                },
                &rec.stripe_user_id,
            ),
        ),
        Err(FlowError::OAuth(OAuthError::AccessDenied { error, description })) => cb.respond(
            StatusCode::OK,
            failure("The install was declined", error, Some(description)),
        ),
        Err(FlowError::OAuth(OAuthError::ProviderError { error, description })) => cb.respond(
            StatusCode::OK,
            failure("Stripe reported an error", error, Some(description)),
        ),
        Err(e) => cb.respond(
            StatusCode::BAD_REQUEST,
            failure(
                "The install did not complete",
                &e.code().as_str(),
                Some(&e.to_string()),
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echoed_values_are_escaped() {
        let p = failure(
            "Declined",
            "access_denied",
            Some("<script>alert(1)</script>\"'&"),
        );
        assert!(!p.contains("<script>"));
        assert!(p.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;"));
        assert!(success("Install", "<b>acct</b>").contains("&lt;b&gt;acct&lt;/b&gt;"));
    }
}
