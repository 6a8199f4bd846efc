//! The Stripe Apps permission catalog and the event → permission table.
//!
//! Both are data embedded at build time from `crates/core/data/` (copied from
//! Stripe's permissions reference), so a new Stripe permission is a one-line data
//! change. Invariant: the catalog is parsed once and is immutable afterwards.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

const PERMISSIONS_JSON: &str = include_str!("../data/stripe-apps-permissions.json");
const EVENTS_CSV: &str = include_str!("../data/stripe-apps-event-permissions.csv");

/// How Stripe's docs know a permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export, export_to = "PermissionKind.ts")]
pub enum PermissionKind {
    /// Listed on Stripe's permissions reference page: a real name.
    Object,
    /// Only in the docs' event table: real.
    EventTableOnly,
    /// Only in Stripe's JSON schema: misspellings or undocumented names.
    SchemaEnumOnly,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export, export_to = "PermissionInfo.ts")]
pub struct PermissionInfo {
    pub permission: String,
    /// `read` or `write`.
    pub access: String,
    pub resource: String,
    pub category: String,
    pub kind: PermissionKind,
    pub description: String,
    /// Permissions Stripe's docs say come along with this one.
    pub implies: Vec<String>,
    pub notes: String,
    /// The event types this permission lets an app receive.
    pub events: Vec<String>,
    /// False when an app may not request it: the schema's misspellings and
    /// undocumented names, and the names `stripe apps upload` refuses.
    pub grantable: bool,
    /// Why Stripe refuses a manifest requesting it, in Stripe's words, when it does.
    pub refusal: Option<String>,
}

#[derive(Deserialize)]
struct RawPermission {
    permission: String,
    access: String,
    resource: String,
    category: String,
    kind: PermissionKind,
    description: String,
    implies: String,
    notes: String,
}

/// The whole catalog, loaded once.
#[derive(Debug)]
pub struct Catalog {
    permissions: Vec<PermissionInfo>,
    /// event type → permissions of which any one unlocks it.
    events: BTreeMap<String, Vec<String>>,
}

/// Permissions the catalog lists but `stripe apps upload` refuses, with the
/// upload's message. webhook_write: "requesting webhook_write permission is
/// disallowed" (PostHog/posthog#89693: the app silently failed to publish for
/// 18 days while CI, which validated against the schema, stayed green).
pub const UPLOAD_REFUSALS: &[(&str, &str)] = &[(
    "webhook_write",
    "requesting webhook_write permission is disallowed",
)];

/// Misspellings in Stripe's published schema and the real names they stand for.
const SCHEMA_MISSPELLINGS: &[(&str, &str)] = &[
    ("apply_pay_domain_read", "apple_pay_domain_read"),
    ("apply_pay_domain_write", "apple_pay_domain_write"),
    ("shpping_rate_write", "shipping_rate_write"),
];

impl Catalog {
    /// The catalog embedded in this build.
    pub fn embedded() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| {
            Catalog::from_data(PERMISSIONS_JSON, EVENTS_CSV)
                .expect("the embedded permission catalog is valid (checked by tests)")
        })
    }

    fn from_data(json: &str, csv: &str) -> Result<Catalog, String> {
        let raw: Vec<RawPermission> =
            serde_json::from_str(json).map_err(|e| format!("permissions json: {e}"))?;
        let mut events: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (n, line) in csv.lines().enumerate().skip(1) {
            if line.trim().is_empty() {
                continue;
            }
            let (event, perms) = line
                .split_once(',')
                .ok_or_else(|| format!("event csv line {}: expected 2 columns", n + 1))?;
            events.insert(
                event.trim().to_string(),
                perms.split(';').map(|p| p.trim().to_string()).collect(),
            );
        }
        let permissions = raw
            .into_iter()
            .map(|r| {
                let unlocks = events
                    .iter()
                    .filter(|(_, any)| any.contains(&r.permission))
                    .map(|(e, _)| e.clone())
                    .collect();
                let refusal = UPLOAD_REFUSALS
                    .iter()
                    .find(|(name, _)| *name == r.permission)
                    .map(|(_, why)| (*why).to_string());
                PermissionInfo {
                    grantable: r.kind != PermissionKind::SchemaEnumOnly && refusal.is_none(),
                    refusal,
                    implies: r
                        .implies
                        .split([';', ','])
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(String::from)
                        .collect(),
                    permission: r.permission,
                    access: r.access,
                    resource: r.resource,
                    category: r.category,
                    kind: r.kind,
                    description: r.description,
                    notes: r.notes,
                    events: unlocks,
                }
            })
            .collect();
        Ok(Catalog {
            permissions,
            events,
        })
    }

    pub fn all(&self) -> &[PermissionInfo] {
        &self.permissions
    }

    pub fn get(&self, name: &str) -> Option<&PermissionInfo> {
        self.permissions.iter().find(|p| p.permission == name)
    }

    /// A name an app may request: real names only (not the schema's misspellings
    /// or undocumented entries), and none that `stripe apps upload` refuses.
    pub fn is_grantable(&self, name: &str) -> bool {
        self.get(name).is_some_and(|p| p.grantable)
    }

    /// Stripe's own words when `stripe apps upload` refuses a manifest that
    /// requests `name`.
    pub fn upload_refusal(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(|p| p.refusal.as_deref())
    }

    /// The real name a schema misspelling stands for.
    pub fn misspelling_of(&self, name: &str) -> Option<&'static str> {
        SCHEMA_MISSPELLINGS
            .iter()
            .find(|(bad, _)| *bad == name)
            .map(|(_, good)| *good)
    }

    pub fn event_permissions(&self, event: &str) -> Option<&[String]> {
        self.events.get(event).map(Vec::as_slice)
    }

    pub fn events(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.events.iter().map(|(e, p)| (e.as_str(), p.as_slice()))
    }

    /// Case-insensitive search over name, resource, category and description;
    /// every whitespace-separated term must match somewhere. Name matches first.
    pub fn search(&self, query: &str) -> Vec<&PermissionInfo> {
        let terms: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        let mut hits: Vec<(u8, &PermissionInfo)> = self
            .permissions
            .iter()
            .filter(|p| p.kind != PermissionKind::SchemaEnumOnly || !terms.is_empty())
            .filter_map(|p| {
                let name = p.permission.to_lowercase();
                let hay = format!(
                    "{} {} {} {} {}",
                    name,
                    p.resource.to_lowercase(),
                    p.category.to_lowercase(),
                    p.description.to_lowercase(),
                    p.events.join(" ").to_lowercase()
                );
                if terms.iter().all(|t| hay.contains(t.as_str())) {
                    let rank = if name == terms.join("_") {
                        0
                    } else if terms.iter().all(|t| name.contains(t.as_str())) {
                        1
                    } else {
                        2
                    };
                    Some((rank, p))
                } else {
                    None
                }
            })
            .collect();
        hits.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.permission.cmp(&b.1.permission)));
        hits.into_iter().map(|(_, p)| p).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalog_loads_every_row() {
        let c = Catalog::embedded();
        assert_eq!(
            c.all().len(),
            111,
            "104 object + 2 event-table + 5 schema-only"
        );
        assert!(c.events().count() >= 160);
        assert!(c.is_grantable("customer_read"));
        assert!(!c.is_grantable("shpping_rate_write"));
        assert!(!c.is_grantable("datastore_write"));
    }

    #[test]
    fn upload_refusals_are_listed_but_not_grantable() {
        let c = Catalog::embedded();
        let w = c
            .get("webhook_write")
            .expect("webhook_write is in the catalog");
        assert!(!w.grantable, "stripe apps upload refuses webhook_write");
        assert!(!c.is_grantable("webhook_write"));
        assert_eq!(
            c.upload_refusal("webhook_write"),
            Some("requesting webhook_write permission is disallowed")
        );
        assert!(c.get("webhook_read").unwrap().grantable);
        assert_eq!(c.upload_refusal("webhook_read"), None);
        assert!(!c.get("shpping_rate_write").unwrap().grantable);
    }

    #[test]
    fn permissions_know_the_events_they_unlock() {
        let c = Catalog::embedded();
        let event_read = c.get("event_read").unwrap();
        assert!(event_read
            .events
            .iter()
            .any(|e| e == "account.application.authorized"));
    }

    #[test]
    fn search_matches_every_term_and_ranks_name_hits_first() {
        let c = Catalog::embedded();
        let hits = c.search("customer read");
        assert_eq!(hits[0].permission, "customer_read");
        assert!(c.search("zzzz-nothing").is_empty());
        let by_category = c.search("connect");
        assert!(by_category
            .iter()
            .any(|p| p.permission == "account_link_write"));
    }

    #[test]
    fn schema_misspellings_map_to_real_names() {
        let c = Catalog::embedded();
        assert_eq!(
            c.misspelling_of("apply_pay_domain_read"),
            Some("apple_pay_domain_read")
        );
        assert_eq!(c.misspelling_of("customer_read"), None);
    }
}
