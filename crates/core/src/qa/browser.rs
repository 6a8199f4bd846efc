//! The "browser" of unattended runs against the local sandbox: GETs the
//! authorize URL and follows its redirects to the loopback callback, the way
//! a browser would after the user clicked Accept. When the sandbox shows its
//! consent page (auto-consent off), it submits the page's form for the chosen
//! account, as a user would.
//!
//! Invariants: redirects are followed by hand (the client never follows on
//! its own) and at most [`MAX_HOPS`] times; URLs kept for reports are masked
//! (`code`, `state`); only the sandbox's own consent form is submitted (the
//! form's `consent` id, the account, `decision=accept`), nothing else.

use std::time::Duration;

use super::super::oauth::timeline::mask_url;

const MAX_HOPS: usize = 10;

/// Where the browser ended up.
#[derive(Debug, Clone)]
pub struct Landing {
    /// The last URL (masked) and its status.
    pub url: String,
    pub status: u16,
    /// Each request made, `METHOD url (masked) → status`.
    pub hops: Vec<String>,
    /// The text of the last page's first paragraph (an error page's reason).
    pub text: String,
}

/// A client for the browser: no redirects of its own, short timeouts.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .user_agent(crate::http::USER_AGENT)
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(60))
        .build()
        .expect("a client with static settings builds")
}

/// GETs `url` and follows its redirects; on a consent page, accepts for
/// `consent_as` (or the account the page selects). Ends on the first page
/// that neither redirects nor asks for consent (the loopback's answer, or an
/// error page).
pub async fn follow_redirects(
    http: &reqwest::Client,
    url: &str,
    consent_as: Option<&str>,
) -> Result<Landing, String> {
    let mut hops = Vec::new();
    let mut current = url::Url::parse(url).map_err(|e| format!("not a URL ({e})"))?;
    let mut form: Option<Vec<(String, String)>> = None;
    for _ in 0..MAX_HOPS {
        let (method, req) = match form.take() {
            Some(fields) => ("POST", http.post(current.clone()).form(&fields)),
            None => ("GET", http.get(current.clone())),
        };
        let resp = req.send().await.map_err(|e| {
            format!(
                "{method} {}: {}",
                mask_url(current.as_str()),
                crate::http::describe(&e)
            )
        })?;
        let status = resp.status().as_u16();
        hops.push(format!(
            "{method} {} → {status}",
            mask_url(current.as_str())
        ));
        let location = resp
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .map(str::to_string);
        if let (true, Some(loc)) = (resp.status().is_redirection(), location) {
            current = current
                .join(&loc)
                .map_err(|e| format!("a redirect to an invalid URL ({e})"))?;
            continue;
        }
        let body = resp.text().await.unwrap_or_default();
        if let Some((action, fields)) = consent_form(&body, consent_as) {
            current = current
                .join(&action)
                .map_err(|e| format!("a consent form with an invalid action ({e})"))?;
            form = Some(fields);
            continue;
        }
        return Ok(Landing {
            url: mask_url(current.as_str()),
            status,
            hops,
            text: first_paragraph(&body),
        });
    }
    Err(format!(
        "more than {MAX_HOPS} redirects: {}",
        hops.join(", ")
    ))
}

/// The value of `name="…" value="…"` in an input tag.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!("{name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')? + start;
    Some(&tag[start..end])
}

/// The sandbox's consent form: its action and the fields that accept it.
fn consent_form(html: &str, account: Option<&str>) -> Option<(String, Vec<(String, String)>)> {
    let form_at = html.find("<form")?;
    let form_tag = &html[form_at..form_at + html[form_at..].find('>')?];
    let action = unescape(attr(form_tag, "action")?);
    let consent_at = html.find("name=\"consent\"")?;
    let tag_start = html[..consent_at].rfind('<')?;
    let tag = &html[tag_start..tag_start + html[tag_start..].find('>')?];
    let consent = unescape(attr(tag, "value")?);
    let account = match account {
        Some(a) => a.to_string(),
        None => {
            let sel = html.find("<option")?;
            unescape(attr(&html[sel..], "value")?)
        }
    };
    Some((
        action,
        vec![
            ("consent".into(), consent),
            ("account".into(), account),
            ("decision".into(), "accept".into()),
        ],
    ))
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The first `<p>`'s text, tags stripped (an error page's reason).
fn first_paragraph(html: &str) -> String {
    let Some(start) = html.find("<p>") else {
        return String::new();
    };
    let rest = &html[start + 3..];
    let end = rest.find("</p>").unwrap_or(rest.len());
    let mut text = String::new();
    let mut in_tag = false;
    for c in rest[..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    unescape(text.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<html><form method=\"post\" action=\"/oauth/v2/consent\">\
<input type=\"hidden\" name=\"consent\" value=\"consent_abc\">\
<p><label>Account <select name=\"account\"><option value=\"acct_1\" selected>A (acct_1)</option>\
<option value=\"acct_2\">B</option></select></label></p></form></html>";

    #[test]
    fn the_consent_form_is_accepted_for_the_chosen_account() {
        let (action, fields) = consent_form(PAGE, Some("acct_2")).unwrap();
        assert_eq!(action, "/oauth/v2/consent");
        assert_eq!(
            fields,
            [
                ("consent".to_string(), "consent_abc".to_string()),
                ("account".to_string(), "acct_2".to_string()),
                ("decision".to_string(), "accept".to_string())
            ]
        );
        let (_, fields) = consent_form(PAGE, None).unwrap();
        assert_eq!(fields[1].1, "acct_1", "the page's selected account");
        assert!(consent_form("<p>Installed</p>", None).is_none());
    }

    #[test]
    fn an_error_page_gives_its_reason() {
        let html = "<div class=\"error\"><h1>Bad</h1><p>The redirect_uri <b>x</b> is not &amp; allowed.</p></div>";
        assert_eq!(
            first_paragraph(html),
            "The redirect_uri x is not & allowed."
        );
    }
}
