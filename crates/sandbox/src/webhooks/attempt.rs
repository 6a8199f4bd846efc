//! One delivery attempt: POST the event to the endpoint's URL, signed, and
//! record what happened.
//!
//! The request (docs/stripe-fidelity.md): body = the event's JSON as it is
//! now (its `pending_webhooks` current, its `data` the snapshot taken at the
//! change), `Content-Type: application/json; charset=utf-8`,
//! `Stripe-Signature: t=<unix>,v1=<HMAC-SHA256 of "t.body" with the
//! endpoint's whsec_ secret>` (`crate::signature`, the scheme Stripe's
//! libraries and appdeck-core verify). `t` is wall-clock time, not the
//! sandbox clock: the receiver checks it against its own clock (stripe-node
//! allows 300 s), and a sandbox clock advanced through retries would make
//! every retry look forged. Only a 2xx answer counts as delivered; redirects
//! are not followed; a timeout, a refused connection or a connection closed
//! without an answer is a failed attempt.
//!
//! Invariant: no lock is held while the request is in flight.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use axum::body::Bytes;

use super::log::{excerpt, Attempt};
use crate::clock::wall_now;
use crate::state::{Kind, Outcome, Settled, Shared};
use crate::{ids, signature};

/// What an attempt needs, read under the lock and used after it.
struct Target {
    url: String,
    secret: String,
    enabled: bool,
    body: Bytes,
    event_type: String,
    attempts: u32,
}

fn target(s: &Shared, event: &str, endpoint: &str) -> Option<Target> {
    s.read(|w| {
        let ep = w
            .objects
            .get(endpoint)
            .filter(|o| o.kind == Kind::WebhookEndpoint && !o.deleted)?;
        let ev = w.objects.get(event).filter(|o| o.kind == Kind::Event)?;
        let v = ep.value();
        let attempts = w
            .deliveries
            .get(event)
            .and_then(|o| o.pending.iter().find(|p| p.endpoint == endpoint))
            .map_or(0, |p| p.attempts);
        Some(Target {
            url: v["url"].as_str().unwrap_or_default().to_string(),
            secret: ep.private.clone().unwrap_or_default(),
            enabled: v["status"] == "enabled",
            body: ev.json.clone(),
            event_type: ev.value()["type"].as_str().unwrap_or_default().to_string(),
            attempts,
        })
    })
}

/// What the endpoint did.
struct Answer {
    status: Option<u16>,
    error: Option<&'static str>,
    body: Bytes,
    latency_ms: f64,
}

async fn post(s: &Shared, t: &Target) -> Answer {
    let timeout = Duration::from_millis(s.settings.webhook_timeout_ms.load(Ordering::Relaxed));
    let header = signature::sign(
        &t.secret,
        wall_now(),
        std::str::from_utf8(&t.body).unwrap_or_default(),
    );
    let started = Instant::now();
    let sent = s
        .hooks
        .client
        .post(&t.url)
        .timeout(timeout)
        .header("content-type", "application/json; charset=utf-8")
        .header("stripe-signature", header)
        .body(t.body.clone())
        .send()
        .await;
    let result = match sent {
        Ok(resp) => {
            let status = resp.status().as_u16();
            match resp.bytes().await {
                Ok(body) => Ok((status, body)),
                Err(e) => Err(e),
            }
        }
        Err(e) => Err(e),
    };
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    match result {
        Ok((status, body)) => Answer {
            status: Some(status),
            error: None,
            body,
            latency_ms,
        },
        Err(e) => Answer {
            status: None,
            error: Some(if e.is_timeout() {
                "timed_out"
            } else if e.is_connect() {
                "failed_to_connect"
            } else {
                "connection_closed"
            }),
            body: Bytes::new(),
            latency_ms,
        },
    }
}

/// Attempts to deliver `event` to `endpoint`. A scheduled attempt (`manual`
/// false) settles the event's bookkeeping; a resend does not. `None` when
/// there was nothing to attempt (the endpoint or event is gone, or the
/// endpoint is disabled: a scheduled delivery to it is then abandoned).
pub async fn run(s: &Shared, event: &str, endpoint: &str, manual: bool) -> Option<Attempt> {
    let t = target(s, event, endpoint).filter(|t| t.enabled);
    let Some(t) = t else {
        if !manual {
            let now = s.clock.now();
            if let Err(e) = s.write(|w| w.settle(event, endpoint, Outcome::Abandoned, now)) {
                tracing::error!("webhook bookkeeping: {e}");
            }
        }
        return None;
    };
    let at = s.clock.now();
    let answer = post(s, &t).await;
    let delivered = answer.status.is_some_and(|c| (200..300).contains(&c));
    let settled = if manual {
        Settled::NotPending
    } else {
        let outcome = if delivered {
            Outcome::Delivered
        } else {
            Outcome::Failed
        };
        // A retry is due its delay after this attempt began.
        s.write(|w| w.settle(event, endpoint, outcome, at))
            .unwrap_or_else(|e| {
                tracing::error!("webhook bookkeeping: {e}");
                Settled::NotPending
            })
    };
    Some(s.hooks.log.push(Attempt {
        id: ids::with_prefix("whdel_", 20),
        seq: 0,
        endpoint: endpoint.to_string(),
        event: event.to_string(),
        event_type: t.event_type,
        attempt: if manual { 0 } else { t.attempts + 1 },
        manual,
        at,
        status: answer.status,
        error: answer.error.map(str::to_string),
        delivered,
        latency_ms: answer.latency_ms,
        response: excerpt(&answer.body),
        next_retry_at: match settled {
            Settled::RetryAt(t) => Some(t),
            _ => None,
        },
        gave_up: settled == Settled::GaveUp,
    }))
}
