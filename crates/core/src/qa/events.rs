//! Waiting for an event: the newest event of a type on the installed
//! account, polled until one newer than the loop's baseline appears.
//!
//! Against the local sandbox the events are read with the installed
//! account's own key (from the control API): after an uninstall the
//! developer's key with `Stripe-Account` is refused (403, the app is no longer
//! installed there), which is also what Stripe does. Against a real account
//! they are read as the developer with `Stripe-Account`, which works for
//! events that arrive while the app is installed.
//!
//! Invariant: the baseline (newest id per waited-for type) is taken before
//! the install when the account is known, else right after it, so an event
//! left by an earlier loop never satisfies a later wait.

use std::time::{Duration, Instant};

use super::report::scrub;
use super::result::{Exchange, Outcome};
use super::steps::{fail, pass, Done, Iter, BODY_MAX};
use crate::console::request::{self, ApiRequest, AuthAs, LiveGuard};
use crate::qa::flow::Step;

const POLL: Duration = Duration::from_millis(100);

impl Iter<'_> {
    /// Records the newest event id of every type a `wait_event` step waits for.
    pub(super) async fn take_baselines(&mut self) {
        let types: Vec<String> = self
            .flow
            .steps
            .iter()
            .filter_map(|s| match s {
                Step::WaitEvent(w) => Some(w.event_type.clone()),
                _ => None,
            })
            .collect();
        for t in types {
            let newest = self.newest_event(&t).await.ok().and_then(|(id, _)| id);
            self.baselines.insert(t, newest);
        }
    }

    /// The newest event of `event_type` on the installed account.
    async fn newest_event(
        &self,
        event_type: &str,
    ) -> Result<(Option<String>, Exchange), (String, Exchange)> {
        let account = self
            .installed_into
            .clone()
            .or_else(|| self.target.id.clone())
            .ok_or_else(|| {
                (
                    "no account to read events from: install first".to_string(),
                    Exchange::default(),
                )
            })?;
        let (status, body, mut exchange) = match (self.control, &self.target.key) {
            (Some(control), Some(key)) => {
                let url = format!("{}/v1/events", control.base());
                let exchange = Exchange {
                    request: format!("GET {url}?type={event_type}&limit=1"),
                    request_lines: vec![format!("(as {account}'s own key)")],
                    ..Exchange::default()
                };
                let resp = self
                    .ctx
                    .http
                    .get(&url)
                    .query(&[("type", event_type), ("limit", "1")])
                    .bearer_auth(key.secret())
                    .send()
                    .await
                    .map_err(|e| (crate::http::describe(&e), exchange.clone()))?;
                let status = resp.status().as_u16();
                (status, resp.text().await.unwrap_or_default(), exchange)
            }
            _ => {
                let req = ApiRequest {
                    method: "GET".into(),
                    path: "/v1/events".into(),
                    params: vec![
                        ("type".into(), event_type.into()),
                        ("limit".into(), "1".into()),
                    ],
                    raw_body: None,
                    stripe_account: Some(account.clone()),
                    stripe_version: None,
                    idempotency_key: None,
                    auth: AuthAs::Account {
                        name: Some(self.dev.name.clone()),
                    },
                };
                let exchange = Exchange {
                    request: format!("GET /v1/events?type={event_type}&limit=1"),
                    request_lines: vec![format!("Stripe-Account: {account}")],
                    ..Exchange::default()
                };
                let resp = request::send(self.ctx, &req, &LiveGuard::default())
                    .await
                    .map_err(|e| (e.to_string(), exchange.clone()))?;
                (resp.status, resp.body, exchange)
            }
        };
        exchange.status = Some(status);
        exchange.response = scrub::body(&body, BODY_MAX);
        if !(200..300).contains(&status) {
            return Err((format!("listing events answered {status}"), exchange));
        }
        let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
        let id = v["data"][0]["id"].as_str().map(str::to_string);
        Ok((id, exchange))
    }

    pub(super) async fn wait_event(&mut self, event_type: &str, timeout_secs: u64) -> Done {
        let started = Instant::now();
        let deadline = started + Duration::from_secs(timeout_secs);
        let baseline = self.baselines.get(event_type).cloned().flatten();
        loop {
            let last = match self.newest_event(event_type).await {
                Ok((Some(id), _)) if Some(&id) != baseline.as_ref() => {
                    return pass(format!("{id} after {} ms", started.elapsed().as_millis()));
                }
                Ok((_, exchange)) => (format!("no new {event_type} event"), exchange),
                Err(e) => e,
            };
            if Instant::now() >= deadline {
                return fail(
                    format!(
                        "{} within {timeout_secs}s (last answer: {})",
                        last.0,
                        last.1.status.map_or("none".into(), |s| s.to_string())
                    ),
                    Some(last.1),
                );
            }
            if self.cancel.is_cancelled() {
                return Done {
                    outcome: Outcome::Cancelled,
                    message: Some("cancelled".into()),
                    exchange: None,
                };
            }
            tokio::time::sleep(POLL).await;
        }
    }
}
