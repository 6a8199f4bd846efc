//! The control API's view of webhook deliveries, for the console, tests and
//! `appdeck sandbox listen`:
//!
//! | route | what |
//! |---|---|
//! | `GET /webhook_endpoints` | `{data: [endpoint + account, connect]}`: every account's live endpoints, no secrets |
//! | `GET /webhook_endpoints/{id}/deliveries?after=SEQ&limit=N&wait_ms=T` | `{data: [attempt…], last}`: the endpoint's attempts with `seq` above `after` (default 0), oldest first, at most `limit` (default 100, ≤ 1000); with `wait_ms` (≤ 30000), waits that long for a first one (a long poll); `last` is the newest `seq` returned, or `after` |
//! | `POST /webhook_endpoints/{id}/resend` | `{delivery: "whdel_…"}` (that attempt's event) or `{event: "evt_…"}`: one attempt now, outside the retry schedule; answers the attempt |
//!
//! An attempt is `webhooks::log::Attempt` (time, status or error, latency,
//! the first bytes of the answer, what happens next). Deleted endpoints keep
//! their log for the rest of the run.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::http::errors::ApiError;
use crate::http::json_value;
use crate::state::{Kind, Shared};
use crate::webhooks::attempt;

const LIMIT: usize = 100;
const MAX_LIMIT: usize = 1000;
const MAX_WAIT_MS: u64 = 30_000;

pub fn routes(r: Router<Arc<Shared>>) -> Router<Arc<Shared>> {
    r.route("/webhook_endpoints", get(endpoints))
        .route("/webhook_endpoints/{id}/deliveries", get(deliveries))
        .route("/webhook_endpoints/{id}/resend", post(resend))
}

async fn endpoints(State(s): State<Arc<Shared>>) -> Response {
    let list: Vec<Value> = s.read(|w| {
        let mut accounts: Vec<&String> = w.accounts.keys().collect();
        accounts.sort();
        accounts
            .into_iter()
            .flat_map(|a| {
                w.objects
                    .iter_live_ids(a, Kind::WebhookEndpoint)
                    .map(move |(_, o)| {
                        let mut v = o.value();
                        v["account"] = json!(a);
                        v["connect"] = json!(o.connect);
                        v
                    })
            })
            .collect()
    });
    json_value(&json!({ "data": list }))
}

/// Fails unless `id` is (or was) a webhook endpoint.
fn known(s: &Shared, id: &str) -> Result<(), ApiError> {
    let known = s.read(|w| {
        w.objects
            .get(id)
            .is_some_and(|o| o.kind == Kind::WebhookEndpoint)
    });
    if known {
        Ok(())
    } else {
        Err(ApiError::missing(Kind::WebhookEndpoint.noun(), id, "id"))
    }
}

fn number(q: &HashMap<String, String>, key: &str, default: u64, max: u64) -> Result<u64, ApiError> {
    match q.get(key) {
        None => Ok(default),
        Some(v) => v.parse::<u64>().ok().filter(|n| *n <= max).ok_or_else(|| {
            ApiError::param_invalid(key, &format!("{key} must be an integer from 0 to {max}"))
        }),
    }
}

async fn deliveries(
    State(s): State<Arc<Shared>>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    known(&s, &id)?;
    let after = number(&q, "after", 0, u64::MAX)?;
    let limit = number(&q, "limit", LIMIT as u64, MAX_LIMIT as u64)?.max(1) as usize;
    let wait = number(&q, "wait_ms", 0, MAX_WAIT_MS)?;
    let data = if wait == 0 {
        s.hooks.log.after(&id, after, limit)
    } else {
        s.hooks
            .log
            .wait_after(&id, after, limit, Duration::from_millis(wait))
            .await
    };
    let last = data.last().map_or(after, |a| a.seq);
    Ok(json_value(&json!({"data": data, "last": last})))
}

async fn resend(
    State(s): State<Arc<Shared>>,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Result<Response, ApiError> {
    known(&s, &id)?;
    let event = match (body["delivery"].as_str(), body["event"].as_str()) {
        (Some(delivery), None) => s
            .hooks
            .log
            .find(&id, delivery)
            .map(|a| a.event)
            .ok_or_else(|| ApiError::missing("delivery", delivery, "delivery"))?,
        (None, Some(event)) => event.to_string(),
        _ => {
            return Err(ApiError::invalid(
                "Give either `delivery` (an attempt of this endpoint's log) or `event`.",
            ))
        }
    };
    let exists = s.read(|w| w.objects.get(&event).is_some_and(|o| o.kind == Kind::Event));
    if !exists {
        return Err(ApiError::missing("event", &event, "event"));
    }
    match attempt::run(&s, &event, &id, true).await {
        Some(a) => Ok(json_value(&json!(a))),
        None => Err(ApiError::invalid(
            "The endpoint is deleted or disabled: nothing was sent.",
        )),
    }
}
