//! Which webhook endpoints an event goes to, and the bookkeeping of its
//! deliveries until each endpoint got it or was given up on.
//!
//! Who receives an event of account A (docs/stripe-fidelity.md):
//! - A's own enabled endpoints without `connect` whose `enabled_events` hold
//!   its type or `*`;
//! - the enabled `connect` endpoints of the platforms A is connected to: the
//!   owner of an app installed on A, when that install's permissions let the
//!   app receive the type (`events::types::app_may_receive`); an install event
//!   (`account.application.*`) goes to the owner of the app it is about only
//!   ("Sent to the related application only"), also after the uninstall.
//!   Each endpoint gets an event once, however many of its owner's apps apply.
//!
//! Invariants:
//! - An [`Outbox`] (persisted, keyed by event id) lists the endpoints an event
//!   still has to reach, with their attempts and the sandbox time the next is
//!   due; it exists while a delivery is pending or after one was given up on
//!   (`failed`), which is what `delivery_success=false` lists. The event's
//!   `pending_webhooks` is the length of that list, rewritten at each change.
//! - [`World::schedule`] and [`World::settle`] queue [`Job`]s in memory;
//!   `Shared::write` hands them to the delivery scheduler once the change is
//!   committed, so nothing is attempted before it is durable.
//! - Retries are due on the sandbox clock: a test advances through them.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{Kind, Table, World};
use crate::events::types;

/// Seconds after a failed attempt that the next is due: three retries,
/// each four times later than the one before (10 min, 40 min, 160 min).
/// Stripe retries an event three times over a few hours in test mode and for
/// up to three days in live mode, with exponential backoff; the sandbox is
/// test mode and Stripe publishes no exact intervals (these are inferred).
pub const RETRY_DELAYS: [i64; 3] = [600, 2_400, 9_600];

/// One endpoint an event still has to reach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outstanding {
    pub endpoint: String,
    /// Attempts made so far.
    pub attempts: u32,
    /// When the next attempt is due (sandbox clock).
    pub due: i64,
}

/// An event's deliveries that are pending or failed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outbox {
    pub account: String,
    pub pending: Vec<Outstanding>,
    /// An endpoint was given up on.
    pub failed: bool,
}

/// An attempt to make: deliver `event` to `endpoint` once `due` has come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub event: String,
    pub endpoint: String,
    pub due: i64,
}

/// What became of an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The endpoint answered 2xx.
    Delivered,
    /// It did not; retry if attempts remain.
    Failed,
    /// The endpoint was deleted or disabled: no more attempts.
    Abandoned,
}

/// What the bookkeeping did with an attempt's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    Delivered,
    /// The next attempt is due then (sandbox clock).
    RetryAt(i64),
    GaveUp,
    /// The event had no pending delivery to that endpoint (a manual resend).
    NotPending,
}

/// An endpoint's JSON, when it is enabled and subscribes to `kind`.
fn subscribes(json: &[u8], kind: &str) -> bool {
    let v: Value = serde_json::from_slice(json).unwrap_or(Value::Null);
    v["status"] == "enabled"
        && v["enabled_events"]
            .as_array()
            .is_some_and(|l| l.iter().any(|e| e == "*" || e == kind))
}

impl World {
    /// The endpoints an event of `kind` about `object` on `account` goes to.
    pub fn recipients(&self, account: &str, kind: &str, object: &[u8]) -> Vec<String> {
        let mut out: Vec<String> = self
            .objects
            .iter_live_ids(account, Kind::WebhookEndpoint)
            .filter(|(_, e)| !e.connect && subscribes(&e.json, kind))
            .map(|(id, _)| id.clone())
            .collect();
        let mut platforms: Vec<&str> = if kind.starts_with("account.application.") {
            let application: Value = serde_json::from_slice(object).unwrap_or(Value::Null);
            application["id"]
                .as_str()
                .and_then(|client| self.app_by_client_id(client))
                .filter(|app| {
                    self.installs
                        .get(&super::apps::install_key(&app.id, account))
                        .is_some_and(|i| types::app_may_receive(kind, &i.permissions))
                })
                .map(|app| vec![app.owner.as_str()])
                .unwrap_or_default()
        } else {
            self.installs
                .values()
                .filter(|i| {
                    i.active && i.account == account && types::app_may_receive(kind, &i.permissions)
                })
                .filter_map(|i| self.apps.get(&i.app).map(|a| a.owner.as_str()))
                .collect()
        };
        platforms.sort_unstable();
        platforms.dedup();
        for owner in platforms.into_iter().filter(|o| *o != account) {
            out.extend(
                self.objects
                    .iter_live_ids(owner, Kind::WebhookEndpoint)
                    .filter(|(_, e)| e.connect && subscribes(&e.json, kind))
                    .map(|(id, _)| id.clone()),
            );
        }
        out
    }

    /// Opens the outbox of a new event and queues its first attempts, due now.
    pub(crate) fn schedule(
        &mut self,
        event: &str,
        account: &str,
        endpoints: Vec<String>,
        now: i64,
    ) {
        if endpoints.is_empty() {
            return;
        }
        for endpoint in &endpoints {
            self.jobs.push(Job {
                event: event.to_string(),
                endpoint: endpoint.clone(),
                due: now,
            });
        }
        let pending = endpoints
            .into_iter()
            .map(|endpoint| Outstanding {
                endpoint,
                attempts: 0,
                due: now,
            })
            .collect();
        self.deliveries.insert(
            event.to_string(),
            Outbox {
                account: account.to_string(),
                pending,
                failed: false,
            },
        );
        self.mark(Table::Delivery, event);
    }

    /// Records an attempt's outcome: the endpoint is done with (delivered or
    /// given up on) or its next attempt is queued; `pending_webhooks` follows.
    pub fn settle(&mut self, event: &str, endpoint: &str, outcome: Outcome, now: i64) -> Settled {
        let Some(outbox) = self.deliveries.get_mut(event) else {
            return Settled::NotPending;
        };
        let Some(i) = outbox.pending.iter().position(|o| o.endpoint == endpoint) else {
            return Settled::NotPending;
        };
        let attempts = outbox.pending[i].attempts + 1;
        let retry = match outcome {
            Outcome::Failed => RETRY_DELAYS.get(attempts as usize - 1).copied(),
            Outcome::Delivered | Outcome::Abandoned => None,
        };
        let settled = match (outcome, retry) {
            (Outcome::Delivered, _) => Settled::Delivered,
            (_, Some(delay)) => Settled::RetryAt(now + delay),
            _ => Settled::GaveUp,
        };
        match settled {
            Settled::RetryAt(due) => {
                outbox.pending[i] = Outstanding {
                    endpoint: endpoint.to_string(),
                    attempts,
                    due,
                };
                self.jobs.push(Job {
                    event: event.to_string(),
                    endpoint: endpoint.to_string(),
                    due,
                });
            }
            _ => {
                outbox.pending.remove(i);
                outbox.failed |= settled == Settled::GaveUp;
            }
        }
        let (left, keep) = (
            outbox.pending.len(),
            !outbox.pending.is_empty() || outbox.failed,
        );
        if !keep {
            self.deliveries.remove(event);
        }
        self.mark(Table::Delivery, event);
        if let Some(mut v) = self.objects.get(event).map(|o| o.value()) {
            v["pending_webhooks"] = json!(left);
            self.objects.set_json(event, &v);
            self.mark(Table::Object, event);
        }
        settled
    }

    /// Every attempt still to make (what a restarted sandbox resumes).
    pub fn outstanding_jobs(&self) -> Vec<Job> {
        self.deliveries
            .iter()
            .flat_map(|(event, o)| {
                o.pending.iter().map(move |p| Job {
                    event: event.clone(),
                    endpoint: p.endpoint.clone(),
                    due: p.due,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::StoredObject;

    fn endpoint(w: &mut World, account: &str, id: &str, events: &[&str], connect: bool) {
        let seq = w.next_seq();
        let mut o = StoredObject::new(
            account,
            Kind::WebhookEndpoint,
            seq,
            &json!({"id": id, "status": "enabled", "enabled_events": events}),
        );
        o.connect = connect;
        w.objects.insert(id.to_string(), o);
    }

    #[test]
    fn failures_retry_on_schedule_then_give_up_and_pending_counts_down() {
        let mut w = World::default();
        endpoint(&mut w, "acct_a", "we_1", &["*"], false);
        endpoint(&mut w, "acct_a", "we_2", &["customer.created"], false);
        endpoint(&mut w, "acct_a", "we_3", &["product.created"], false);
        let mut recipients = w.recipients("acct_a", "customer.created", b"{}");
        recipients.sort();
        assert_eq!(recipients, ["we_1", "we_2"], "by subscription");
        let evt = w.emit(crate::events::Change {
            account: "acct_a",
            kind: "customer.created",
            object: br#"{"id":"cus_1"}"#,
            previous: None,
            origin: &crate::events::Origin::none(),
            at: 1000,
        });
        let pending = |w: &World| w.objects.get(&evt).unwrap().value()["pending_webhooks"].clone();
        assert_eq!(pending(&w), 2);
        assert_eq!(w.jobs.len(), 2, "both due at once");
        w.jobs.clear();
        assert_eq!(
            w.settle(&evt, "we_1", Outcome::Delivered, 1000),
            Settled::Delivered
        );
        assert_eq!(pending(&w), 1);
        let mut at = 1000;
        for delay in RETRY_DELAYS {
            assert_eq!(
                w.settle(&evt, "we_2", Outcome::Failed, at),
                Settled::RetryAt(at + delay)
            );
            at += delay;
        }
        assert_eq!(w.jobs.len(), 3, "one job per retry");
        assert_eq!(w.settle(&evt, "we_2", Outcome::Failed, at), Settled::GaveUp);
        assert_eq!(pending(&w), 0);
        assert!(w.deliveries[&evt].failed, "kept as failed");
        assert_eq!(
            w.settle(&evt, "we_2", Outcome::Delivered, at),
            Settled::NotPending
        );
    }

    #[test]
    fn connect_endpoints_get_events_of_accounts_their_apps_may_receive() {
        let mut w = World::default();
        w.seed(0);
        let dev = w.meta.developer.clone();
        let a = w.meta.install_accounts[0].clone();
        let reg = |perms: &[&str]| crate::config::AppRegistration {
            id: "com.example.x".into(),
            permissions: perms
                .iter()
                .map(|p| crate::config::PermissionGrant {
                    permission: p.to_string(),
                    purpose: "p".into(),
                })
                .collect(),
            redirect_uris: vec![],
            distribution: "private".into(),
            access_type: "platform".into(),
        };
        w.register_app(&reg(&["event_read", "customer_read"]), &dev, 0);
        endpoint(&mut w, &dev, "we_connect", &["*"], true);
        endpoint(&mut w, &dev, "we_own", &["*"], false);
        let none = w.recipients(&a, "customer.created", b"{}");
        assert!(none.is_empty(), "not installed: not connected");
        w.install("com.example.x", &a, 0);
        assert_eq!(w.recipients(&a, "customer.created", b"{}"), ["we_connect"]);
        assert!(
            w.recipients(&a, "product.created", b"{}").is_empty(),
            "the install lacks product_read"
        );
        assert_eq!(
            w.recipients(&dev, "product.created", b"{}"),
            ["we_own"],
            "the developer's own events go to its own endpoints"
        );
        let client = w.apps["com.example.x"].client_id.clone();
        w.uninstall("com.example.x", &a, 1);
        assert_eq!(
            w.recipients(
                &a,
                "account.application.deauthorized",
                json!({"id": client}).to_string().as_bytes()
            ),
            ["we_connect"],
            "the uninstall still reaches the app's developer"
        );
        assert!(w.recipients(&a, "customer.created", b"{}").is_empty());
    }
}
