//! Installs the app's own backend completes: the redirect URI is the app's
//! server, which exchanges the code itself, so Appdeck must never touch the
//! code. It opens the install link and confirms the install from Stripe's
//! side instead: the `account.application.authorized` event for this app.
//!
//! Invariants:
//! - The code is never exchanged or stored; a pasted landing URL is a second
//!   signal on the timeline (its state checked, a decline reported), never
//!   the confirmation.
//! - Only events created after the flow started count: the ids already listed
//!   when it starts are remembered and skipped, so an earlier install of the
//!   same app can't confirm this one.
//! - The event is matched on its `data.object` (the `application`) being this
//!   app's client id.
//!
//! Where the event is read: Stripe sends `account.application.authorized` to
//! the developer's Connect webhook endpoints, with `account` set to the
//! installing account (/stripe-apps/events, /stripe-apps/build-backend); the
//! event lives on that account. A desktop tool has no public webhook URL, so
//! Appdeck lists `GET /v1/events?type=account.application.authorized` as the
//! developer acting on the installing account (`Stripe-Account`, the `--into`
//! account: /connect/authentication). Until the install that answers 403
//! (the developer can't act on an account that hasn't installed the app), which
//! is waiting, not failing; after it the event is there.

use std::collections::{BTreeMap, HashSet};
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;
use tokio::sync::mpsc::UnboundedReceiver;
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use super::install::{abort, FlowError, FlowFailure, Prepared};
use super::timeline::{Actor, TimelineStep};
use super::{state, OAuthError};
use crate::context::Context;
use crate::error::{Coded, ErrorCode};
use crate::keychain::Mode;
use crate::secret::ApiKey;

/// How often the events are listed while waiting.
pub const POLL: Duration = Duration::from_millis(750);
/// Consecutive failed listings before the wait gives up.
const MAX_FAILED_POLLS: u32 = 5;
const EVENT: &str = "account.application.authorized";

/// What a backend install watches for, fixed when the flow starts.
#[derive(Debug, Clone)]
pub struct BackendWatch {
    pub client_id: String,
    /// The account the app is installed into (`acct_…`).
    pub into: String,
    seen: HashSet<String>,
}

/// An install confirmed from Stripe's side (no tokens: the backend has them).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export, export_to = "BackendInstall.ts")]
pub struct BackendInstall {
    pub app: String,
    /// The developer account profile whose events confirmed it.
    pub account: String,
    pub mode: Mode,
    /// The account the app was installed on (the event's `account`).
    pub stripe_account: String,
    /// The `account.application.authorized` event's id.
    pub event: String,
    pub livemode: bool,
    /// Whether the user also pasted the URL the browser landed on.
    pub landed: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export, export_to = "BackendOutcome.ts")]
pub struct BackendOutcome {
    pub install: BackendInstall,
    pub timeline: Vec<TimelineStep>,
}

/// The account a backend install goes into: an `acct_…` id as given, or the
/// account id of an Appdeck account of that name.
pub fn target(ctx: &Context, into: Option<&str>) -> Result<String, FlowError> {
    let Some(into) = into.map(str::trim).filter(|s| !s.is_empty()) else {
        return Err(FlowError::Setup(
            ErrorCode::InvalidInput,
            "name the account the app will be installed into (--into acct_… or an account name): Stripe lists the install's event on that account".into(),
        ));
    };
    if into.starts_with("acct_") {
        return Ok(into.to_string());
    }
    let profile = crate::accounts::get(ctx, into).map_err(|e| FlowError::Other(e.to_payload()))?;
    if profile.account_id.is_empty() {
        return Err(FlowError::Setup(
            ErrorCode::InvalidInput,
            format!("the account \"{into}\" was added without a check, so its acct_… id is unknown; pass the id with --into acct_…"),
        ));
    }
    Ok(profile.account_id)
}

/// The newest authorized events on `into` (newest first); `None` while the
/// developer can't act on that account yet (403: not installed). No `created`
/// filter: ids seen at the start tell old from new whatever the clocks say.
async fn list(
    ctx: &Context,
    api_base: &str,
    key: &ApiKey,
    into: &str,
) -> Result<Option<Vec<Value>>, String> {
    let url = format!("{}/v1/events", api_base.trim_end_matches('/'));
    let resp = ctx
        .http
        .get(&url)
        .basic_auth(key.secret(), Some(""))
        .header("Stripe-Account", into)
        .query(&[("type", EVENT), ("limit", "100")])
        .send()
        .await
        .map_err(|e| crate::http::describe(&e))?;
    let status = resp.status();
    let body: Value = resp.json().await.unwrap_or(Value::Null);
    if status == reqwest::StatusCode::FORBIDDEN {
        return Ok(None);
    }
    if !status.is_success() {
        let msg = body["error"]["message"].as_str().unwrap_or("no message");
        return Err(format!("GET /v1/events answered {status}: {msg}"));
    }
    Ok(Some(body["data"].as_array().cloned().unwrap_or_default()))
}

/// Remembers the events already there, so only a new one confirms the install.
/// Fails (before anything opens) when the account's events can't be read.
pub async fn watch(
    ctx: &Context,
    api_base: &str,
    key: &ApiKey,
    client_id: &str,
    into: &str,
) -> Result<BackendWatch, FlowError> {
    let seen = list(ctx, api_base, key, into).await.map_err(|why| {
        FlowError::Setup(
            ErrorCode::KeyRejected,
            format!("an install through the backend is confirmed from the account's events, and they can't be read: {why}. Use the account's secret key, or a restricted key with Events read access"),
        )
    })?;
    Ok(BackendWatch {
        client_id: client_id.to_string(),
        into: into.to_string(),
        seen: seen
            .unwrap_or_default()
            .iter()
            .filter_map(|e| e["id"].as_str().map(str::to_string))
            .collect(),
    })
}

fn matching<'a>(w: &BackendWatch, events: &'a [Value]) -> Option<&'a Value> {
    events.iter().rev().find(|e| {
        e["type"] == EVENT
            && e["id"].as_str().is_some_and(|id| !w.seen.contains(id))
            && e["data"]["object"]["id"].as_str() == Some(w.client_id.as_str())
    })
}

/// Notes a pasted landing URL: a decline or a foreign state ends the flow,
/// a code is shown as reaching the backend (and left alone).
/// A paste that isn't a URL is a typo, not a verdict: it is noted on the
/// timeline and the wait goes on.
fn landed(p: &mut Prepared, url: &str) -> Result<bool, FlowError> {
    let parsed = match url::Url::parse(url.trim()) {
        Ok(u) => u,
        Err(e) => {
            p.timeline.step(
                Actor::Appdeck,
                Actor::Appdeck,
                "landed-unreadable",
                format!("that is not a URL ({e}); paste the whole address the browser shows"),
                serde_json::json!({}),
                None,
            );
            return Ok(false);
        }
    };
    let params: BTreeMap<String, String> = parsed
        .query_pairs()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    if let Some(got) = params.get("state") {
        if !state::matches(p.state(), got) {
            return Err(OAuthError::StateMismatch.into());
        }
    }
    if let Some(error) = params.get("error") {
        let description = params.get("error_description").cloned().unwrap_or_default();
        return Err(OAuthError::AccessDenied {
            error: error.clone(),
            description,
        }
        .into());
    }
    let shown: serde_json::Map<String, Value> = params
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    p.timeline.step(
        Actor::Browser,
        Actor::Backend,
        "landed",
        "the browser reached the backend (its code is the backend's to exchange; Appdeck leaves it alone)",
        Value::Object(shown),
        None,
    );
    Ok(true)
}

/// Waits for Stripe's `account.application.authorized` for this app, reading
/// pasted landing URLs from `pasted` meanwhile.
pub async fn wait(
    ctx: &Context,
    mut p: Prepared,
    timeout: Duration,
    cancel: &CancellationToken,
    mut pasted: Option<UnboundedReceiver<String>>,
) -> Result<BackendOutcome, FlowFailure> {
    let Some(watch) = p.backend_watch().cloned() else {
        let e = FlowError::Setup(ErrorCode::Internal, "not a backend install".into());
        return Err(abort(p, e));
    };
    let deadline = Instant::now() + timeout;
    let started = Instant::now();
    let (mut failures, mut was_landed) = (0u32, false);
    loop {
        match list(ctx, &p.profile().api_base, p.key(), &watch.into).await {
            Ok(None) => failures = 0,
            Ok(Some(events)) => {
                failures = 0;
                if let Some(e) = matching(&watch, &events) {
                    return Ok(confirmed(p, e, was_landed, started));
                }
            }
            Err(why) => {
                failures += 1;
                if failures >= MAX_FAILED_POLLS {
                    let e = FlowError::Setup(
                        ErrorCode::Network,
                        format!("the account's events could not be read {MAX_FAILED_POLLS} times in a row ({why}); the install may still have completed: check the Dashboard"),
                    );
                    return Err(abort(p, e));
                }
            }
        }
        if Instant::now() >= deadline {
            let e = FlowError::Setup(
                ErrorCode::OauthTimeout,
                format!("no {EVENT} event for {} on {} arrived within {} seconds. Check that the install was approved in the browser for that account, and that the browser reached the backend (paste the URL it landed on)", p.app().id, watch.into, timeout.as_secs()),
            );
            return Err(abort(p, e));
        }
        let next = async {
            match pasted.as_mut() {
                Some(rx) => rx.recv().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = tokio::time::sleep(POLL) => {}
            _ = cancel.cancelled() => return Err(abort(p, OAuthError::Cancelled.into())),
            url = next => match url {
                Some(url) => match landed(&mut p, &url) {
                    Ok(noted) => was_landed |= noted,
                    Err(e) => return Err(abort(p, e)),
                },
                None => pasted = None,
            },
        }
    }
}

fn confirmed(mut p: Prepared, event: &Value, landed: bool, started: Instant) -> BackendOutcome {
    let stripe_account = event["account"].as_str().unwrap_or_default().to_string();
    let id = event["id"].as_str().unwrap_or_default().to_string();
    p.timeline.step(
        Actor::Stripe,
        Actor::Appdeck,
        "event",
        format!("{EVENT} for {stripe_account}"),
        serde_json::json!({"event": id, "account": stripe_account, "application": event["data"]["object"]["id"]}),
        Some(started.elapsed().as_millis() as u64),
    );
    BackendOutcome {
        install: BackendInstall {
            app: p.app().id.clone(),
            account: p.profile().name.clone(),
            mode: p.mode(),
            stripe_account,
            event: id,
            livemode: event["livemode"].as_bool().unwrap_or(false),
            landed,
        },
        timeline: p.timeline.into_steps(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_new_event_of_this_app_confirms() {
        let w = BackendWatch {
            client_id: "ca_mine".into(),
            into: "acct_1".into(),
            seen: ["evt_old".to_string()].into_iter().collect(),
        };
        let ev = |id: &str, app: &str| serde_json::json!({"id": id, "type": EVENT, "account": "acct_1", "data": {"object": {"id": app}}});
        assert!(
            matching(&w, &[ev("evt_old", "ca_mine")]).is_none(),
            "seen before the start"
        );
        assert!(
            matching(&w, &[ev("evt_x", "ca_other")]).is_none(),
            "another app"
        );
        let list = [ev("evt_new2", "ca_mine"), ev("evt_new1", "ca_mine")];
        assert_eq!(
            matching(&w, &list).unwrap()["id"],
            "evt_new1",
            "the oldest new one"
        );
    }
}
