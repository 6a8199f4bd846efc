//! The install step: core's real loopback flow (`prepare` → `finish`), with
//! `browser::follow_redirects` playing the browser against the local sandbox
//! (answering its consent page for the loop's account) and a pause on the
//! consent URL against a real account.
//!
//! Invariants: the browser and the listener run together (the loopback holds
//! the browser's request until the exchange is done); when the browser ends
//! anywhere but the loopback (an error page), the listener is cancelled at
//! once and the page's reason is the failure, rather than a timeout; an
//! install that lands in another account than the one asked for fails.

use std::time::Duration;

use super::flow::InstallStep;
use super::report::scrub;
use super::result::{Exchange, Outcome};
use super::run::{Progress, LOCAL_CONSENT_TIMEOUT};
use super::steps::{fail, pass, Done, Iter};
use crate::error::Coded;
use crate::oauth::install::{self, InstallRequest};
use crate::oauth::timeline::mask_url;

impl Iter<'_> {
    pub(super) async fn install(&mut self, s: &InstallStep) -> Done {
        if self.control.is_some() {
            self.take_baselines().await;
        }
        let req = InstallRequest {
            account: Some(self.dev.name.clone()),
            redirect_uri: s.redirect_uri.clone(),
            platform: s.platform,
            via_backend: false,
            into: None,
        };
        let prepared = match install::prepare(self.ctx, self.app.clone(), &req, None).await {
            Ok(p) => p,
            Err(f) => return fail(f.error.to_string(), None),
        };
        let url = prepared.authorize_url.clone();
        let mut exchange = Exchange {
            request: format!("GET {}", mask_url(&url)),
            ..Exchange::default()
        };
        if prepared.listener.is_none() {
            return fail(format!("the redirect URI {} is not loopback, so the runner can't catch the callback; add a fixed-port loopback URI such as http://127.0.0.1:8765/callback to stripe-app.json's allowed_redirect_uris (Stripe matches it exactly, port included), or name one with redirect_uri", prepared.redirect_uri), Some(exchange));
        }
        let loopback = url::Url::parse(&prepared.redirect_uri)
            .ok()
            .map(|u| u.origin());
        let result = if self.control.is_some() {
            let child = self.cancel.child_token();
            let following = async {
                let landing =
                    super::browser::follow_redirects(self.browser, &url, self.target.id.as_deref())
                        .await;
                let at_loopback = landing
                    .as_ref()
                    .is_ok_and(|l| url::Url::parse(&l.url).ok().map(|u| u.origin()) == loopback);
                if !at_loopback {
                    child.cancel();
                }
                landing
            };
            let (finished, landing) = tokio::join!(
                install::finish(self.ctx, prepared, LOCAL_CONSENT_TIMEOUT, &child),
                following
            );
            match landing {
                Ok(l) => {
                    exchange.request_lines = l.hops.clone();
                    exchange.status = Some(l.status);
                    exchange.response = scrub::text(&l.text);
                    if finished.is_err() && !self.cancel.is_cancelled() && child.is_cancelled() {
                        return fail(
                            format!(
                                "the browser ended on {} ({}) instead of the loopback: {}",
                                l.url, l.status, l.text
                            ),
                            Some(exchange),
                        );
                    }
                }
                Err(e) if !self.cancel.is_cancelled() => {
                    return fail(format!("the browser failed: {e}"), Some(exchange))
                }
                Err(_) => {}
            }
            finished
        } else {
            (self.progress)(&Progress::Consent {
                account: self.target.label.clone(),
                url: url.clone(),
            });
            let timeout = Duration::from_secs(self.flow.consent_timeout_secs);
            install::finish(self.ctx, prepared, timeout, self.cancel).await
        };
        let outcome = match result {
            Ok(o) => o,
            Err(_) if self.cancel.is_cancelled() => {
                return Done {
                    outcome: Outcome::Cancelled,
                    message: Some("cancelled".into()),
                    exchange: None,
                }
            }
            Err(f) => {
                exchange.request_lines.extend(
                    f.timeline
                        .iter()
                        .map(|t| format!("{}: {}", t.kind, scrub::text(&t.summary))),
                );
                return fail(
                    format!("{} [{}]", f.error, f.error.code().as_str()),
                    Some(exchange),
                );
            }
        };
        let rec = outcome.install;
        self.installed_into = Some(rec.stripe_user_id.clone());
        let wrong = self
            .target
            .id
            .as_ref()
            .filter(|id| **id != rec.stripe_user_id)
            .cloned();
        let summary = format!(
            "{} installed on {} ({})",
            rec.install, rec.stripe_user_id, rec.kind
        );
        self.install = Some(rec);
        if let Some(want) = wrong {
            return fail(
                format!(
                    "the install went into {} instead of {want}",
                    self.installed_into.as_deref().unwrap_or("?")
                ),
                Some(exchange),
            );
        }
        if self.control.is_none() {
            self.take_baselines().await;
        }
        pass(summary)
    }
}
