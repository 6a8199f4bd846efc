//! The permission catalog and the event advisor, as embedded in core.
//!
//! The catalog is static data, so these commands cannot fail except through the
//! IPC edge itself; they still return `{code, message}` errors like every other.

use appdeck_core::catalog::{Catalog, PermissionInfo};
use appdeck_core::manifest::{advise, EventAdvice};

use crate::ipc::{off_ui_thread, IpcResult};

/// Every permission Stripe documents, with the events each unlocks.
#[tauri::command]
pub async fn permission_catalog() -> IpcResult<Vec<PermissionInfo>> {
    off_ui_thread(|| Ok(Catalog::embedded().all().to_vec())).await
}

/// Every event type Stripe delivers to apps, sorted.
#[tauri::command]
pub async fn event_types() -> IpcResult<Vec<String>> {
    off_ui_thread(|| {
        Ok(Catalog::embedded()
            .events()
            .map(|(e, _)| e.to_string())
            .collect())
    })
    .await
}

/// Which permissions unlock `events`, given the permissions granted in `text`.
/// `path` names the manifest the text belongs to; the advice reads only `text`.
#[tauri::command]
pub async fn advise_events(
    path: String,
    text: String,
    events: Vec<String>,
) -> IpcResult<Vec<EventAdvice>> {
    let _ = path;
    off_ui_thread(move || {
        Ok(advise(
            Catalog::embedded(),
            &granted_permissions(&text),
            &events,
        ))
    })
    .await
}

/// `permissions[].permission` of a manifest's text; empty when the text does
/// not parse (the problems list already says why).
fn granted_permissions(text: &str) -> Vec<String> {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    json.get("permissions")
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| p.get("permission")?.as_str().map(str::to_string))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn granted_permissions_come_from_the_permissions_array_only() {
        let text = r#"{"permissions":[{"permission":"customer_read","purpose":"x"},{"purpose":"no name"}],
                       "other":{"permission":"charge_write"}}"#;
        assert_eq!(granted_permissions(text), vec!["customer_read"]);
        assert!(granted_permissions("{ not json").is_empty());
    }
}
