//! The consent page (pick an account, see each permission with its purpose,
//! Accept or Decline) and the error page of the install flow.
//!
//! Invariant: every value that came from a request or a manifest is
//! HTML-escaped before it is written into a page; the form carries only an
//! opaque consent id, never the redirect URI, so a page cannot be tampered
//! into redirecting elsewhere.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::config::PermissionGrant;

/// Escapes `& < > " '` for text and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1a1f36}\
h1{font-size:1.4rem}li{margin:.5rem 0}code{background:#f6f8fa;padding:0 .25rem}\
.purpose{color:#555}button{font-size:1rem;padding:.5rem 1.25rem;margin-right:.5rem}\
.note{color:#697386;font-size:.85rem}.error{border-left:4px solid #df1b41;padding-left:1rem}";

/// What the consent page shows.
pub struct ConsentView<'a> {
    pub app_id: &'a str,
    pub permissions: &'a [PermissionGrant],
    /// (account id, display name)
    pub accounts: &'a [(String, String)],
    pub consent_id: &'a str,
    pub redirect_uri: &'a str,
    pub action: &'a str,
}

pub fn consent(v: &ConsentView) -> Response {
    let mut perms = String::new();
    if v.permissions.is_empty() {
        perms.push_str("<li>No permissions.</li>");
    }
    for p in v.permissions {
        perms.push_str(&format!(
            "<li><code>{}</code><br><span class=\"purpose\">{}</span></li>",
            escape(&p.permission),
            if p.purpose.is_empty() {
                "(no purpose given)".to_string()
            } else {
                escape(&p.purpose)
            }
        ));
    }
    let mut options = String::new();
    for (i, (id, name)) in v.accounts.iter().enumerate() {
        options.push_str(&format!(
            "<option value=\"{}\"{}>{} ({})</option>",
            escape(id),
            if i == 0 { " selected" } else { "" },
            escape(name),
            escape(id)
        ));
    }
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Install {app}</title><style>{STYLE}</style></head><body>\
<h1>Install <code>{app}</code></h1>\
<p>This app is asking for these permissions:</p><ul id=\"permissions\">{perms}</ul>\
<form method=\"post\" action=\"{action}\">\
<input type=\"hidden\" name=\"consent\" value=\"{consent}\">\
<p><label>Account <select name=\"account\">{options}</select></label></p>\
<p><button type=\"submit\" name=\"decision\" value=\"accept\">Accept</button>\
<button type=\"submit\" name=\"decision\" value=\"decline\">Decline</button></p>\
</form><p class=\"note\">Appdeck sandbox (test mode). You will return to {redirect}.</p></body></html>",
        app = escape(v.app_id),
        action = escape(v.action),
        consent = escape(v.consent_id),
        redirect = escape(v.redirect_uri),
    );
    Html(html).into_response()
}

/// An error page: shown instead of redirecting when the request cannot be trusted.
pub fn error(status: StatusCode, title: &str, detail: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title><style>{STYLE}</style></head><body>\
<div class=\"error\"><h1>{t}</h1><p>{d}</p></div><p class=\"note\">Appdeck sandbox. Nothing was installed.</p></body></html>",
        t = escape(title),
        d = escape(detail),
    );
    (status, Html(html)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[tokio::test]
    async fn consent_page_escapes_every_value() {
        let perms = vec![PermissionGrant {
            permission: "customer_read".into(),
            purpose: "<script>alert(1)</script>".into(),
        }];
        let accounts = vec![("acct_1".to_string(), "A & B <Ltd>".to_string())];
        let r = consent(&ConsentView {
            app_id: "com.x\"><b>",
            permissions: &perms,
            accounts: &accounts,
            consent_id: "c1",
            redirect_uri: "https://x/cb?a=<b>",
            action: "/oauth/v2/consent",
        });
        let body = axum::body::to_bytes(r.into_body(), usize::MAX)
            .await
            .unwrap();
        let html = String::from_utf8(body.to_vec()).unwrap();
        assert!(!html.contains("<script>"), "purpose is escaped");
        assert!(!html.contains("<b>"), "app id and redirect are escaped");
        assert!(html.contains("A &amp; B &lt;Ltd&gt;"));
        assert!(html.contains("customer_read"));
    }
}
