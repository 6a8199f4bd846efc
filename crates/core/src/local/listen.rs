//! `sandbox listen`, like `stripe listen`: a temporary webhook endpoint on the
//! running local sandbox, pointing at a local server, whose deliveries are
//! reported as they happen, and which is deleted when the listening stops.
//!
//! The sandbox itself delivers to `forward_to`, signed with the endpoint's
//! `whsec_` secret and retried on its clock, exactly as for any endpoint; this
//! use case creates the endpoint (on the developer account, with its key; a
//! `connect` endpoint gets the events of the accounts where the developer's
//! apps are installed), follows its delivery log through the control API's
//! long poll, and deletes it.
//!
//! Invariants: the secret is handed to the caller once, as a
//! [`WebhookSecret`] (redacted `Debug`, no `Serialize`): whether it is shown
//! is the face's choice. The endpoint is deleted however the listening ends
//! (stopped, the caller's callback declining more, the sandbox failing).

use std::future::Future;
use std::time::Duration;

use serde_json::Value;

use super::control::Control;
use super::deliveries::Delivery;
use crate::context::Context;
use crate::error::{Coded, ErrorCode};
use crate::secret::WebhookSecret;

/// How long one long poll of the delivery log waits.
const POLL: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListenOptions {
    /// Where the sandbox delivers (a loopback URL; the sandbox refuses others).
    pub forward_to: String,
    /// Event types to subscribe to; empty means every event (`*`).
    pub events: Vec<String>,
    /// A Connect endpoint: the events of connected accounts.
    pub connect: bool,
}

/// The temporary endpoint, once it exists.
#[derive(Debug)]
pub struct Listening {
    pub endpoint: String,
    pub secret: WebhookSecret,
    pub enabled_events: Vec<String>,
    pub connect: bool,
    pub forward_to: String,
}

/// What the caller hears about, in order: the endpoint, then each attempt.
#[derive(Debug)]
pub enum ListenReport<'a> {
    Ready(&'a Listening),
    Delivery(&'a Delivery),
}

/// How the listening went.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListenSummary {
    pub attempts: u32,
    pub delivered: u32,
    /// The temporary endpoint was deleted.
    pub removed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ListenError {
    #[error("no local sandbox is running; start one with `appdeck sandbox serve` (or name one with --sandbox URL)")]
    NoSandbox,
    /// The sandbox refused the endpoint (a URL that is not loopback, an
    /// unknown event type): its message.
    #[error("the sandbox refused the endpoint: {0}")]
    Refused(String),
    #[error("the local sandbox failed: {0}")]
    Sandbox(String),
}

impl Coded for ListenError {
    fn code(&self) -> ErrorCode {
        match self {
            ListenError::Refused(_) => ErrorCode::InvalidInput,
            ListenError::NoSandbox | ListenError::Sandbox(_) => ErrorCode::Network,
        }
    }
}

/// `a,b , c` → `["a", "b", "c"]`; nothing → `[]` (every event).
pub fn parse_events(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Listens until `stop` resolves or `report` returns false; deletes the
/// endpoint either way.
pub async fn listen(
    ctx: &Context,
    opts: &ListenOptions,
    stop: impl Future<Output = ()>,
    mut report: impl FnMut(ListenReport<'_>) -> bool,
) -> Result<ListenSummary, ListenError> {
    let local = ctx.local.as_ref().ok_or(ListenError::NoSandbox)?;
    let endpoints = format!("{}/v1/webhook_endpoints", local.base_url);
    let events = if opts.events.is_empty() {
        vec!["*".to_string()]
    } else {
        opts.events.clone()
    };
    let mut form: Vec<(&str, &str)> = vec![
        ("url", &opts.forward_to),
        ("connect", if opts.connect { "true" } else { "false" }),
        (
            "description",
            "appdeck sandbox listen (temporary: deleted when it stops)",
        ),
    ];
    form.extend(events.iter().map(|e| ("enabled_events[]", e.as_str())));
    let resp = ctx
        .http
        .post(&endpoints)
        .basic_auth(local.secret_key.secret(), Some(""))
        .form(&form)
        .send()
        .await
        .map_err(|e| ListenError::Sandbox(crate::http::describe(&e)))?;
    let status = resp.status();
    let body: Value = resp.json().await.unwrap_or(Value::Null);
    if !status.is_success() {
        let msg = body["error"]["message"]
            .as_str()
            .unwrap_or("no message")
            .to_string();
        return Err(if status == reqwest::StatusCode::BAD_REQUEST {
            ListenError::Refused(msg)
        } else {
            ListenError::Sandbox(format!(
                "POST /v1/webhook_endpoints answered {status}: {msg}"
            ))
        });
    }
    let listening = Listening {
        endpoint: body["id"].as_str().unwrap_or_default().to_string(),
        secret: WebhookSecret::new(body["secret"].as_str().unwrap_or_default()),
        enabled_events: events,
        connect: opts.connect,
        forward_to: opts.forward_to.clone(),
    };
    let control = Control::new(ctx.http.clone(), &local.base_url);
    let mut summary = ListenSummary::default();
    let outcome = if report(ListenReport::Ready(&listening)) {
        follow(
            &control,
            &listening.endpoint,
            stop,
            &mut report,
            &mut summary,
        )
        .await
    } else {
        Ok(())
    };
    let removed = ctx
        .http
        .delete(format!("{endpoints}/{}", listening.endpoint))
        .basic_auth(local.secret_key.secret(), Some(""))
        .send()
        .await
        .is_ok_and(|r| r.status().is_success());
    summary.removed = removed;
    outcome.map(|()| summary)
}

async fn follow(
    control: &Control,
    endpoint: &str,
    stop: impl Future<Output = ()>,
    report: &mut impl FnMut(ListenReport<'_>) -> bool,
    summary: &mut ListenSummary,
) -> Result<(), ListenError> {
    tokio::pin!(stop);
    let mut after = 0;
    loop {
        let got = tokio::select! {
            () = &mut stop => return Ok(()),
            got = control.deliveries(endpoint, after, POLL) => got,
        };
        let list = got.map_err(|e| ListenError::Sandbox(e.reason().to_string()))?;
        for d in &list {
            after = after.max(d.seq);
            summary.attempts += 1;
            summary.delivered += u32::from(d.delivered);
            if !report(ListenReport::Delivery(d)) {
                return Ok(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_lists_are_comma_separated() {
        assert_eq!(
            parse_events("customer.created, product.created,,"),
            ["customer.created", "product.created"]
        );
        assert!(parse_events("").is_empty());
    }
}
