//! Event advisor: which permissions let an app receive the events it wants, and
//! which of them the manifest lacks.
//!
//! Stripe delivers an event to an app that holds any one of the permissions
//! listed for it (`stripe-apps-event-permissions.csv`), so the advice is "any
//! of", and an event is satisfied as soon as one of them is granted.

use serde::Serialize;
use ts_rs::TS;

use crate::catalog::Catalog;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export, export_to = "EventAdvice.ts")]
pub struct EventAdvice {
    pub event: String,
    /// False when the event type is not in Stripe's table (typo, or not delivered to apps).
    pub known: bool,
    /// Any one of these unlocks the event.
    pub any_of: Vec<String>,
    /// The granted permission that already unlocks it, if any.
    pub granted_by: Option<String>,
    /// Suggested permission to grant when none is granted (the first read permission).
    pub suggestion: Option<String>,
    /// A close event name when `known` is false.
    pub did_you_mean: Option<String>,
}

/// The permission names a manifest's text requests (empty when it doesn't parse).
pub fn granted_permissions(text: &str) -> Vec<String> {
    super::parse::parse(text)
        .map(|p| granted_in(&p.root.to_json()))
        .unwrap_or_default()
}

fn granted_in(manifest: &serde_json::Value) -> Vec<String> {
    manifest["permissions"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| e["permission"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The permissions the manifest at `path` grants, an extension manifest merged
/// over its base first. Errs with the syntax diagnostic when the text is not JSON.
pub fn granted_permissions_at(
    path: &std::path::Path,
    text: &str,
) -> Result<Vec<String>, Box<super::Diagnostic>> {
    let own = super::parse::parse(text)?.root.to_json();
    if !super::validate::is_extension_file_name(path) {
        return Ok(granted_in(&own));
    }
    let base = own["extends"]
        .as_str()
        .and_then(|name| std::fs::read_to_string(path.parent()?.join(name)).ok())
        .and_then(|t| super::parse::parse(&t).ok().map(|p| p.root.to_json()));
    Ok(match base {
        Some(b) => granted_in(&super::extension::merge(&b, &own)),
        None => granted_in(&own),
    })
}

/// Advice for a manifest's text: [`advise`] over the permissions it grants.
pub fn advise_text(catalog: &Catalog, text: &str, events: &[String]) -> Vec<EventAdvice> {
    advise(catalog, &granted_permissions(text), events)
}

/// Advice for the manifest at `path` (an extension merged over its base);
/// text that doesn't parse gets advice as if nothing were granted.
pub fn advise_at(
    catalog: &Catalog,
    path: &std::path::Path,
    text: &str,
    events: &[String],
) -> Vec<EventAdvice> {
    advise(
        catalog,
        &granted_permissions_at(path, text).unwrap_or_default(),
        events,
    )
}

pub fn advise(catalog: &Catalog, granted: &[String], events: &[String]) -> Vec<EventAdvice> {
    events
        .iter()
        .map(|event| match catalog.event_permissions(event) {
            Some(any_of) => {
                let granted_by = any_of.iter().find(|p| granted.contains(p)).cloned();
                let suggestion = if granted_by.is_some() {
                    None
                } else {
                    any_of
                        .iter()
                        .find(|p| p.ends_with("_read"))
                        .or_else(|| any_of.first())
                        .cloned()
                };
                EventAdvice {
                    event: event.clone(),
                    known: true,
                    any_of: any_of.to_vec(),
                    granted_by,
                    suggestion,
                    did_you_mean: None,
                }
            }
            None => EventAdvice {
                event: event.clone(),
                known: false,
                any_of: vec![],
                granted_by: None,
                suggestion: None,
                did_you_mean: super::suggest::closest(event, catalog.events().map(|(e, _)| e))
                    .map(str::to_string),
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn granted_permissions_are_read_from_text() {
        let text =
            "{\"permissions\": [{\"permission\": \"event_read\", \"purpose\": \"x\"}, \"bare\"]}";
        assert_eq!(granted_permissions(text), vec!["event_read"]);
        assert!(granted_permissions("{").is_empty());
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("stripe-app.json"), text).unwrap();
        let ext = dir.path().join("stripe-app.dev.json");
        let ext_text = "{\"extends\": \"stripe-app.json\", \"name\": \"Dev\"}";
        assert_eq!(
            granted_permissions_at(&ext, ext_text).unwrap(),
            vec!["event_read"]
        );
        assert_eq!(
            granted_permissions_at(&ext, "{").unwrap_err().code,
            "json-syntax"
        );
        let a = advise_text(
            Catalog::embedded(),
            text,
            &["account.application.deauthorized".into()],
        );
        assert_eq!(a[0].granted_by.as_deref(), Some("event_read"));
    }

    #[test]
    fn satisfied_event_names_the_granting_permission() {
        let c = Catalog::embedded();
        let a = advise(
            c,
            &["event_read".into()],
            &["account.application.authorized".into()],
        );
        assert_eq!(a[0].granted_by.as_deref(), Some("event_read"));
        assert!(a[0].suggestion.is_none());
    }

    #[test]
    fn missing_permission_is_suggested_and_unknown_events_get_a_guess() {
        let c = Catalog::embedded();
        let a = advise(
            c,
            &[],
            &["customer.created".into(), "customer.craeted".into()],
        );
        assert!(a[0].known);
        assert!(a[0].granted_by.is_none());
        assert!(a[0].any_of.contains(a[0].suggestion.as_ref().unwrap()));
        assert!(!a[1].known);
        assert_eq!(a[1].did_you_mean.as_deref(), Some("customer.created"));
    }
}
