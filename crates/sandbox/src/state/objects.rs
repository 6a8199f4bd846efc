//! API objects (customers, products, prices, secrets, events, webhook
//! endpoints) stored as their
//! serialized JSON, with a per-account, per-kind list order.
//!
//! Invariants:
//! - `json` is the object exactly as the API returns it (without a secret's
//!   payload, which stays in `private` until `expand[]=payload`), so a
//!   retrieve clones a refcounted `Bytes` and copies nothing.
//! - Lists are newest first: `seq` grows with every insert; the index holds
//!   live objects only (deleted ones keep a tombstone in `by_id` so a retrieve
//!   answers `deleted: true`, as Stripe does).
//! - A secret's identity (account, app namespace, scope, name) maps to its id.

use std::collections::{BTreeMap, HashMap};

use axum::body::Bytes;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Customer,
    Product,
    Price,
    Secret,
    Event,
    WebhookEndpoint,
}

impl Kind {
    /// The first word of this kind's event types (`customer` in
    /// `customer.created`); `None` for kinds Stripe records no events of.
    pub fn event_noun(self) -> Option<&'static str> {
        match self {
            Kind::Customer | Kind::Product | Kind::Price => Some(self.noun()),
            Kind::Secret | Kind::Event | Kind::WebhookEndpoint => None,
        }
    }

    /// The word Stripe uses in "No such customer: 'cus_…'".
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Customer => "customer",
            Kind::Product => "product",
            Kind::Price => "price",
            Kind::Secret => "secret",
            Kind::Event => "event",
            Kind::WebhookEndpoint => "webhook_endpoint",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredObject {
    pub account: String,
    pub kind: Kind,
    pub seq: u64,
    #[serde(default)]
    pub deleted: bool,
    /// For secrets: the identity key (see [`secret_identity`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<String>,
    /// For secrets: the payload, shown only when expanded. For webhook
    /// endpoints: the signing secret (`whsec_…`), shown only at creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private: Option<String>,
    /// For webhook endpoints: a Connect endpoint (events of connected
    /// accounts). A create parameter Stripe's object does not show.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub connect: bool,
    /// For secrets: when it stops being found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
    #[serde(serialize_with = "bytes_out", deserialize_with = "bytes_in")]
    pub json: Bytes,
}

fn bytes_out<S: Serializer>(b: &Bytes, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(std::str::from_utf8(b).unwrap_or_default())
}

fn bytes_in<'de, D: Deserializer<'de>>(d: D) -> Result<Bytes, D::Error> {
    String::deserialize(d).map(Bytes::from)
}

impl StoredObject {
    pub fn new(account: &str, kind: Kind, seq: u64, value: &Value) -> Self {
        Self::from_json(account, kind, seq, to_bytes(value))
    }

    /// An object whose JSON is already written.
    pub fn from_json(account: &str, kind: Kind, seq: u64, json: Bytes) -> Self {
        StoredObject {
            account: account.to_string(),
            kind,
            seq,
            deleted: false,
            identity: None,
            private: None,
            connect: false,
            expires_at: None,
            json,
        }
    }

    /// The object as a JSON value (parses `json`).
    pub fn value(&self) -> Value {
        serde_json::from_slice(&self.json).unwrap_or(Value::Null)
    }
}

pub fn to_bytes(value: &Value) -> Bytes {
    Bytes::from(serde_json::to_vec(value).unwrap_or_default())
}

/// The identity of a secret: one per (account, app namespace, scope, name).
pub fn secret_identity(
    account: &str,
    namespace: &str,
    scope_type: &str,
    user: &str,
    name: &str,
) -> String {
    format!("{account}\u{1f}{namespace}\u{1f}{scope_type}\u{1f}{user}\u{1f}{name}")
}

/// `limit`, `starting_after`, `ending_before` of a list request.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub limit: usize,
    pub starting_after: Option<String>,
    pub ending_before: Option<String>,
}

/// A cursor that names no object of this list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageError {
    pub param: &'static str,
    pub id: String,
}

#[derive(Default)]
pub struct Objects {
    by_id: HashMap<String, StoredObject>,
    index: HashMap<(String, Kind), BTreeMap<u64, String>>,
    secrets: HashMap<String, String>,
}

impl Objects {
    pub fn get(&self, id: &str) -> Option<&StoredObject> {
        self.by_id.get(id)
    }

    /// The object if it belongs to `account` and is of `kind`.
    pub fn get_in(&self, account: &str, kind: Kind, id: &str) -> Option<&StoredObject> {
        self.by_id
            .get(id)
            .filter(|o| o.kind == kind && o.account == account)
    }

    pub fn secret_id(&self, identity: &str) -> Option<&String> {
        self.secrets.get(identity)
    }

    /// Inserts or replaces an object, keeping the indexes in step.
    pub fn insert(&mut self, id: String, obj: StoredObject) {
        if let Some(old) = self.by_id.get(&id) {
            let (account, kind, seq) = (old.account.clone(), old.kind, old.seq);
            if let Some(list) = self.index.get_mut(&(account, kind)) {
                list.remove(&seq);
            }
        }
        if !obj.deleted {
            self.index
                .entry((obj.account.clone(), obj.kind))
                .or_default()
                .insert(obj.seq, id.clone());
            if let Some(identity) = &obj.identity {
                self.secrets.insert(identity.clone(), id.clone());
            }
        } else if let Some(identity) = &obj.identity {
            self.secrets.remove(identity);
        }
        self.by_id.insert(id, obj);
    }

    /// Replaces the JSON of an existing object.
    pub fn set_json(&mut self, id: &str, value: &Value) {
        if let Some(o) = self.by_id.get_mut(id) {
            o.json = to_bytes(value);
        }
    }

    /// Marks an object deleted: out of lists, retrieve shows `deleted_json`.
    pub fn tombstone(&mut self, id: &str, deleted_json: &Value) {
        if let Some(mut o) = self.by_id.get(id).cloned() {
            o.deleted = true;
            o.private = None;
            o.json = to_bytes(deleted_json);
            self.insert(id.to_string(), o);
        }
    }

    /// Live objects of a kind in an account with their ids, newest first.
    pub fn iter_live_ids<'a>(
        &'a self,
        account: &str,
        kind: Kind,
    ) -> impl Iterator<Item = (&'a String, &'a StoredObject)> + 'a {
        self.index
            .get(&(account.to_string(), kind))
            .into_iter()
            .flat_map(|m| m.values().rev())
            .filter_map(|id| self.by_id.get(id).map(|o| (id, o)))
    }

    /// Live objects of a kind in an account, newest first.
    pub fn iter_live<'a>(
        &'a self,
        account: &str,
        kind: Kind,
    ) -> impl Iterator<Item = &'a StoredObject> + 'a {
        self.iter_live_ids(account, kind).map(|(_, o)| o)
    }

    /// One page of a list, newest first, keeping only what `keep` accepts.
    /// Returns the page and whether more follow in the direction of travel.
    pub fn page<'a>(
        &'a self,
        account: &str,
        kind: Kind,
        q: &ListQuery,
        mut keep: impl FnMut(&StoredObject) -> bool,
    ) -> Result<(Vec<&'a StoredObject>, bool), PageError> {
        let empty = BTreeMap::new();
        let list = self
            .index
            .get(&(account.to_string(), kind))
            .unwrap_or(&empty);
        let cursor = |param: &'static str, id: &String| -> Result<u64, PageError> {
            self.get_in(account, kind, id)
                .filter(|o| !o.deleted)
                .map(|o| o.seq)
                .ok_or(PageError {
                    param,
                    id: id.clone(),
                })
        };
        let resolve = |id: &String| self.by_id.get(id);
        let mut out: Vec<&StoredObject> = Vec::with_capacity(q.limit.min(100) + 1);
        if let Some(after) = &q.starting_after {
            let seq = cursor("starting_after", after)?;
            for o in list.range(..seq).rev().filter_map(|(_, id)| resolve(id)) {
                if keep(o) {
                    out.push(o);
                    if out.len() > q.limit {
                        break;
                    }
                }
            }
        } else if let Some(before) = &q.ending_before {
            let seq = cursor("ending_before", before)?;
            for o in list.range(seq + 1..).filter_map(|(_, id)| resolve(id)) {
                if keep(o) {
                    out.push(o);
                    if out.len() > q.limit {
                        break;
                    }
                }
            }
            let more = out.len() > q.limit;
            out.truncate(q.limit);
            out.reverse();
            return Ok((out, more));
        } else {
            for o in list.values().rev().filter_map(resolve) {
                if keep(o) {
                    out.push(o);
                    if out.len() > q.limit {
                        break;
                    }
                }
            }
        }
        let more = out.len() > q.limit;
        out.truncate(q.limit);
        Ok((out, more))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn store(n: u64) -> Objects {
        let mut o = Objects::default();
        for i in 1..=n {
            o.insert(
                format!("cus_{i}"),
                StoredObject::new(
                    "acct_a",
                    Kind::Customer,
                    i,
                    &json!({"id": format!("cus_{i}")}),
                ),
            );
        }
        o
    }

    fn ids(page: &[&StoredObject]) -> Vec<u64> {
        page.iter().map(|o| o.seq).collect()
    }

    #[test]
    fn pages_newest_first_in_both_directions() {
        let o = store(5);
        let q = |limit, after: Option<&str>, before: Option<&str>| ListQuery {
            limit,
            starting_after: after.map(str::to_string),
            ending_before: before.map(str::to_string),
        };
        let (p, more) = o
            .page("acct_a", Kind::Customer, &q(2, None, None), |_| true)
            .unwrap();
        assert_eq!((ids(&p), more), (vec![5, 4], true));
        let (p, more) = o
            .page("acct_a", Kind::Customer, &q(2, Some("cus_4"), None), |_| {
                true
            })
            .unwrap();
        assert_eq!((ids(&p), more), (vec![3, 2], true));
        let (p, more) = o
            .page("acct_a", Kind::Customer, &q(2, Some("cus_2"), None), |_| {
                true
            })
            .unwrap();
        assert_eq!((ids(&p), more), (vec![1], false));
        let (p, more) = o
            .page("acct_a", Kind::Customer, &q(2, None, Some("cus_2")), |_| {
                true
            })
            .unwrap();
        assert_eq!(
            (ids(&p), more),
            (vec![4, 3], true),
            "ending_before takes the nearest newer ones"
        );
        let err = o
            .page("acct_a", Kind::Customer, &q(2, Some("cus_9"), None), |_| {
                true
            })
            .unwrap_err();
        assert_eq!(err.param, "starting_after");
        assert!(
            o.page("acct_b", Kind::Customer, &q(2, Some("cus_1"), None), |_| {
                true
            })
            .is_err(),
            "cursor of another account"
        );
    }

    #[test]
    fn tombstones_leave_lists_but_stay_retrievable() {
        let mut o = store(3);
        o.tombstone("cus_2", &json!({"id": "cus_2", "deleted": true}));
        let q = ListQuery {
            limit: 10,
            ..Default::default()
        };
        let (p, _) = o.page("acct_a", Kind::Customer, &q, |_| true).unwrap();
        assert_eq!(ids(&p), vec![3, 1]);
        assert!(o.get("cus_2").unwrap().deleted);
    }
}
