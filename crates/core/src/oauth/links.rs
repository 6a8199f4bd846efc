//! Install links, the way Stripe builds them (stripe-apps.md §4):
//! - OAuth: `{base}/oauth/v2/authorize?client_id&redirect_uri&state`, or with
//!   the external-test channel: `{base}/oauth/v2/{chnlink}/authorize?…`;
//! - platform: `{base}/apps/install/link/{app id}?redirect_uri&state`.
//!
//! `base` is the marketplace (test and live use separate client ids) or the
//! embedded sandbox.

use url::Url;

use crate::apps::{self, AppError, MARKETPLACE_BASE};
use crate::context::Context;
use crate::keychain::Mode;

/// The install link for `app_id` in `mode`, with a fresh state: OAuth (through
/// the channel link when one is configured) or platform. `redirect_uri`
/// defaults to the app's first allowed one. A platform link needs no client
/// id, so an unconfigured app still gets Stripe's marketplace link in test and
/// live mode; the local sandbox always knows its app.
pub fn install_link(
    ctx: &Context,
    app_id: &str,
    app_redirect_uris: &[String],
    mode: Mode,
    redirect_uri: Option<&str>,
    platform: bool,
) -> Result<String, AppError> {
    let redirect = redirect_uri
        .map(str::to_string)
        .or_else(|| app_redirect_uris.first().cloned())
        .unwrap_or_default();
    let st = super::state::generate(mode);
    match apps::resolve(ctx, app_id, mode) {
        Ok((creds, _)) if platform => Ok(self::platform(
            &creds.marketplace_base,
            app_id,
            &redirect,
            &st,
        )),
        Ok((creds, _)) => Ok(oauth(
            &creds.marketplace_base,
            creds.channel_link.as_deref(),
            &creds.client_id,
            &redirect,
            &st,
        )),
        Err(AppError::NotConfigured { .. }) if platform && mode != Mode::Local => {
            Ok(self::platform(MARKETPLACE_BASE, app_id, &redirect, &st))
        }
        Err(e) => Err(e),
    }
}

pub fn oauth(
    base: &str,
    channel_link: Option<&str>,
    client_id: &str,
    redirect_uri: &str,
    state: &str,
) -> String {
    let path = match channel_link {
        Some(c) => format!("/oauth/v2/{c}/authorize"),
        None => "/oauth/v2/authorize".into(),
    };
    with_query(
        base,
        &path,
        &[
            ("client_id", client_id),
            ("redirect_uri", redirect_uri),
            ("state", state),
        ],
    )
}

pub fn platform(base: &str, app_id: &str, redirect_uri: &str, state: &str) -> String {
    with_query(
        base,
        &format!("/apps/install/link/{app_id}"),
        &[("redirect_uri", redirect_uri), ("state", state)],
    )
}

fn with_query(base: &str, path: &str, params: &[(&str, &str)]) -> String {
    let mut u = Url::parse(&format!("{}{}", base.trim_end_matches('/'), path))
        .unwrap_or_else(|_| Url::parse("https://marketplace.stripe.com/").expect("static URL"));
    u.query_pairs_mut()
        .extend_pairs(params.iter().filter(|(_, v)| !v.is_empty()));
    u.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_match_stripe_shapes_and_encode_params() {
        let l = oauth(
            "https://marketplace.stripe.com",
            None,
            "ca_1",
            "https://a.example/cb?x=1",
            "test.s",
        );
        assert_eq!(
            l,
            "https://marketplace.stripe.com/oauth/v2/authorize?client_id=ca_1&redirect_uri=https%3A%2F%2Fa.example%2Fcb%3Fx%3D1&state=test.s"
        );
        let l = oauth(
            "http://127.0.0.1:9",
            Some("chnlink_9"),
            "ca_1",
            "http://127.0.0.1:5/cb",
            "s",
        );
        assert!(l.starts_with("http://127.0.0.1:9/oauth/v2/chnlink_9/authorize?client_id=ca_1"));
        let p = platform(
            "https://marketplace.stripe.com",
            "com.example.app",
            "https://a.example/cb",
            "s",
        );
        assert!(p.starts_with(
            "https://marketplace.stripe.com/apps/install/link/com.example.app?redirect_uri="
        ));
    }
}
