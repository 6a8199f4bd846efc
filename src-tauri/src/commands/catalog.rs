//! The permission catalog and the event advisor, as embedded in core.
//!
//! The catalog is static data, so these commands cannot fail except through the
//! IPC edge itself; they still return `{code, message}` errors like every other.

use std::path::Path;

use appdeck_core::catalog::{Catalog, PermissionInfo};
use appdeck_core::manifest::{advise_at, EventAdvice};

use crate::ipc::{off_ui_thread, IpcResult};

/// Every permission Stripe documents, with the events each unlocks.
pub async fn permission_catalog() -> IpcResult<Vec<PermissionInfo>> {
    off_ui_thread(|| Ok(Catalog::embedded().all().to_vec())).await
}

/// Every event type Stripe delivers to apps, sorted.
pub async fn event_types() -> IpcResult<Vec<String>> {
    off_ui_thread(|| {
        Ok(Catalog::embedded()
            .events()
            .map(|(e, _)| e.to_string())
            .collect())
    })
    .await
}

/// Which permissions unlock `events`, given the permissions granted in `text`
/// (the manifest at `path`; an extension is merged over its base).
pub async fn advise_events(
    path: String,
    text: String,
    events: Vec<String>,
) -> IpcResult<Vec<EventAdvice>> {
    off_ui_thread(move || {
        Ok(advise_at(
            Catalog::embedded(),
            Path::new(&path),
            &text,
            &events,
        ))
    })
    .await
}
