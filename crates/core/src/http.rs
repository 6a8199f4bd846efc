//! The one HTTP client factory: user agent `appdeck/<version>`, timeouts,
//! rustls, and no redirects (an OAuth or API response that redirects is shown
//! to the user, never followed: following could leak a code or a key).

use std::time::Duration;

pub const USER_AGENT: &str = concat!("appdeck/", env!("CARGO_PKG_VERSION"));

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(60))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client with static settings builds")
}

/// A short description of a transport failure (never includes the request body).
pub fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "the request timed out".into()
    } else if e.is_connect() {
        "could not connect".into()
    } else {
        // reqwest's Display includes the full URL (with any query); show only
        // origin and path.
        let kind = if e.is_request() {
            "request failed"
        } else if e.is_body() || e.is_decode() {
            "bad response body"
        } else {
            "HTTP error"
        };
        match e.url() {
            Some(u) => format!("{kind} ({}{})", u.origin().ascii_serialization(), u.path()),
            None => kind.to_string(),
        }
    }
}
