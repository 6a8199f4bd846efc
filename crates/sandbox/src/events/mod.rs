//! The event stream: the one place every change to an API object passes
//! through. [`World::created`], [`World::updated`] and [`World::deleted`]
//! change the object and record its event; [`World::emit`] records an event
//! of any type (install events). Recording an event also schedules its
//! webhook deliveries (see `state::deliveries`).
//!
//! The event, in Stripe's shape (docs/stripe-fidelity.md): `id` (`evt_…`),
//! `object`, `account` (only for an account connected to a platform: one
//! where an app is installed, and on install events), `api_version`,
//! `created`, `data.object` (a snapshot of the object at the change: never
//! updated later), `data.previous_attributes` (on `*.updated` only),
//! `livemode` (false), `pending_webhooks` (endpoints still to reach),
//! `request` (`{id, idempotency_key}` of the API request that caused it,
//! both null otherwise), `type`.
//!
//! Invariants:
//! - Recording is cheap and runs inside the write that made the change, so
//!   an event is committed with its change, in the same order.
//! - Kinds without events (Stripe's type list has none for Secret Store
//!   secrets or webhook endpoints) change through the same functions and
//!   record nothing.
//! - The seed and the control API's bulk seed insert objects directly: they
//!   are the sandbox's starting state, not changes anyone made.

pub mod diff;
mod envelope;
pub mod types;

use axum::body::Bytes;
use serde_json::Value;

use crate::ids;
use crate::state::{Kind, StoredObject, Table, World};

/// The API version events are rendered in.
pub const API_VERSION: &str = "2024-06-20";

/// The API request behind a change: its `Request-Id` and `Idempotency-Key`.
/// Changes no API request caused (installs through a consent page or the
/// control API) have neither.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    pub request_id: Option<String>,
    pub idempotency_key: Option<String>,
}

impl Origin {
    /// A change no API request caused.
    pub fn none() -> Self {
        Origin::default()
    }
}

/// One event to record on `account`; `object` is the object's JSON bytes.
pub struct Change<'a> {
    pub account: &'a str,
    pub kind: &'a str,
    pub object: &'a [u8],
    pub previous: Option<Value>,
    pub origin: &'a Origin,
    pub at: i64,
}

/// The object a change is about, as stored.
struct Subject<'a> {
    account: &'a str,
    kind: Kind,
    object: &'a [u8],
}

impl<'a> Subject<'a> {
    fn of(account: &'a str, kind: Kind, object: &'a [u8]) -> Self {
        Subject {
            account,
            kind,
            object,
        }
    }
}

impl World {
    /// Records `change` as an event, schedules its deliveries, and returns
    /// its id.
    pub fn emit(&mut self, change: Change<'_>) -> String {
        let id = ids::with_prefix("evt_", 24);
        let application_event = change.kind.starts_with("account.application.");
        let account =
            (application_event || self.is_connected(change.account)).then_some(change.account);
        let recipients = self.recipients(change.account, change.kind, change.object);
        let envelope = envelope::Envelope {
            id: &id,
            account,
            created: change.at,
            previous: change.previous.as_ref(),
            pending_webhooks: recipients.len(),
            origin: change.origin,
            kind: change.kind,
        };
        let json = envelope::event(&envelope, change.object);
        let event = StoredObject::from_json(change.account, Kind::Event, self.next_seq(), json);
        self.objects.insert(id.clone(), event);
        self.mark(Table::Object, &id);
        self.schedule(&id, change.account, recipients, change.at);
        id
    }

    /// Whether `account` is connected to a platform: an app is installed there.
    fn is_connected(&self, account: &str) -> bool {
        self.installs
            .values()
            .any(|i| i.active && i.account == account)
    }

    /// Inserts a new object of `kind` and records `<kind>.created`.
    pub fn created(
        &mut self,
        account: &str,
        kind: Kind,
        id: &str,
        value: &Value,
        origin: &Origin,
        now: i64,
    ) {
        let seq = self.next_seq();
        self.created_stored(
            id,
            StoredObject::new(account, kind, seq, value),
            origin,
            now,
        );
    }

    /// Inserts a prepared object (one with private parts: a secret's payload,
    /// an endpoint's signing secret) and records `<kind>.created`.
    pub fn created_stored(&mut self, id: &str, obj: StoredObject, origin: &Origin, now: i64) {
        let (account, kind, bytes) = (obj.account.clone(), obj.kind, obj.json.clone());
        self.objects.insert(id.to_string(), obj);
        self.mark(Table::Object, id);
        let subject = Subject::of(&account, kind, &bytes);
        self.record_event(subject, "created", None, origin, now);
    }

    /// Replaces the object's JSON and, when anything changed, records
    /// `<kind>.updated` with the changed attributes' old values.
    pub fn updated(&mut self, id: &str, value: &Value, origin: &Origin, now: i64) {
        let Some(obj) = self.objects.get(id) else {
            return;
        };
        let (account, kind, before) = (obj.account.clone(), obj.kind, obj.value());
        self.objects.set_json(id, value);
        self.mark(Table::Object, id);
        let Some(previous) = diff::previous_attributes(&before, value) else {
            return;
        };
        let bytes: Bytes = self
            .objects
            .get(id)
            .map(|o| o.json.clone())
            .unwrap_or_default();
        let subject = Subject::of(&account, kind, &bytes);
        self.record_event(subject, "updated", Some(previous), origin, now);
    }

    /// Deletes the object (a retrieve then answers `gone`) and records
    /// `<kind>.deleted` with the object as it was.
    pub fn deleted(&mut self, id: &str, gone: &Value, origin: &Origin, now: i64) {
        let Some(obj) = self.objects.get(id) else {
            return;
        };
        let (account, kind, last) = (obj.account.clone(), obj.kind, obj.json.clone());
        self.objects.tombstone(id, gone);
        self.mark(Table::Object, id);
        let subject = Subject::of(&account, kind, &last);
        self.record_event(subject, "deleted", None, origin, now);
    }

    /// Emits `<kind>.<verb>` when Stripe records events of that kind.
    fn record_event(
        &mut self,
        subject: Subject<'_>,
        verb: &str,
        previous: Option<Value>,
        origin: &Origin,
        at: i64,
    ) {
        if let Some(noun) = subject.kind.event_noun() {
            self.emit(Change {
                account: subject.account,
                kind: &format!("{noun}.{verb}"),
                object: subject.object,
                previous,
                origin,
                at,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn world() -> (World, String) {
        let mut w = World::default();
        w.seed(100);
        let account = w.meta.install_accounts[0].clone();
        (w, account)
    }

    fn events(w: &World, account: &str) -> Vec<Value> {
        w.objects
            .iter_live(account, Kind::Event)
            .map(StoredObject::value)
            .collect()
    }

    #[test]
    fn a_create_update_delete_records_three_events_with_snapshots() {
        let (mut w, a) = world();
        let origin = Origin {
            request_id: Some("req_1".into()),
            idempotency_key: Some("k1".into()),
        };
        let v = json!({"id": "cus_x", "object": "customer", "name": "Ada", "metadata": {}});
        w.created(&a, Kind::Customer, "cus_x", &v, &origin, 200);
        let renamed =
            json!({"id": "cus_x", "object": "customer", "name": "Grace", "metadata": {"k": "v"}});
        w.updated("cus_x", &renamed, &Origin::none(), 201);
        w.updated("cus_x", &renamed, &Origin::none(), 202);
        w.deleted(
            "cus_x",
            &json!({"id": "cus_x", "deleted": true}),
            &Origin::none(),
            203,
        );
        let e = events(&w, &a);
        let types: Vec<&str> = e.iter().map(|e| e["type"].as_str().unwrap()).collect();
        assert_eq!(
            types,
            ["customer.deleted", "customer.updated", "customer.created"],
            "newest first; an update that changes nothing records nothing"
        );
        let created = &e[2];
        assert_eq!(created["data"]["object"]["name"], "Ada", "a snapshot");
        assert_eq!(
            created["request"],
            json!({"id": "req_1", "idempotency_key": "k1"})
        );
        assert_eq!(created["created"], 200);
        assert!(created["data"].get("previous_attributes").is_none());
        assert!(
            created.get("account").is_none(),
            "no app installed: not a connected account"
        );
        assert_eq!(
            e[1]["data"]["previous_attributes"],
            json!({"name": "Ada", "metadata": {"k": null}})
        );
        assert_eq!(
            e[1]["request"],
            json!({"id": null, "idempotency_key": null})
        );
        assert_eq!(
            e[0]["data"]["object"]["name"], "Grace",
            "deleted carries the object as it was"
        );
    }

    #[test]
    fn events_of_a_connected_account_name_it_and_secrets_record_none() {
        let (mut w, a) = world();
        let reg = crate::config::AppRegistration {
            id: "com.example.x".into(),
            permissions: vec![],
            redirect_uris: vec![],
            distribution: "private".into(),
            access_type: "platform".into(),
        };
        let owner = w.meta.developer.clone();
        w.register_app(&reg, &owner, 100);
        w.install("com.example.x", &a, 100);
        w.created(
            &a,
            Kind::Product,
            "prod_x",
            &json!({"id": "prod_x"}),
            &Origin::none(),
            300,
        );
        w.created(
            &a,
            Kind::Secret,
            "appsecret_x",
            &json!({"id": "appsecret_x"}),
            &Origin::none(),
            300,
        );
        let e = events(&w, &a);
        assert_eq!(e[0]["type"], "product.created");
        assert_eq!(e[0]["account"], a.as_str());
        assert_eq!(e[1]["type"], "account.application.authorized");
        assert_eq!(e.len(), 2, "no event for a secret");
    }
}
