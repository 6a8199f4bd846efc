//! The history of console calls: what was sent and what came back (method,
//! path, parameters, account or install, status, timing), newest first,
//! searchable and re-runnable, in `<config dir>/history.json`.
//!
//! Invariant: never a secret. Credentials are not part of a request; parameter
//! values whose names suggest a secret (`payload`, `*secret*`, `*token*`,
//! `password`) are replaced by `[redacted]` before anything is written.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::request::{ApiRequest, ApiResponse};
use crate::context::Context;
use crate::store::{JsonFile, StoreError};

const FILE: &str = "history.json";
const MAX: usize = 500;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export, export_to = "HistoryEntry.ts")]
pub struct HistoryEntry {
    pub id: String,
    pub at: String,
    pub request: ApiRequest,
    pub status: u16,
    #[ts(type = "number")]
    pub elapsed_ms: u64,
    pub request_id: Option<String>,
    pub mode: crate::keychain::Mode,
}

fn sensitive(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k.starts_with("payload")
        || k.contains("secret")
        || k.contains("token")
        || k.contains("password")
}

/// The request as it may be stored.
pub fn redact(req: &ApiRequest) -> ApiRequest {
    let mut r = req.clone();
    for (k, v) in &mut r.params {
        if sensitive(k) {
            *v = "[redacted]".into();
        }
    }
    if r.raw_body.is_some() {
        let rows = super::form::decode(r.raw_body.as_deref().unwrap_or_default());
        if rows.iter().any(|(k, _)| sensitive(k)) {
            r.raw_body = Some("[redacted]".into());
        }
    }
    r
}

pub fn record(
    ctx: &Context,
    req: &ApiRequest,
    resp: &ApiResponse,
) -> Result<HistoryEntry, StoreError> {
    let entry = HistoryEntry {
        id: super::request::new_idempotency_key().replace("appdeck-", "h_"),
        at: ctx.clock.now().to_rfc3339(),
        request: redact(req),
        status: resp.status,
        elapsed_ms: resp.elapsed_ms,
        request_id: resp.request_id.clone(),
        mode: resp.mode,
    };
    let saved = entry.clone();
    JsonFile::new(&ctx.config_dir, FILE).update(move |list: &mut Vec<HistoryEntry>| {
        list.insert(0, saved);
        list.truncate(MAX);
    })?;
    Ok(entry)
}

/// Entries matching every term of `query` (method, path, params, status, account).
pub fn search(ctx: &Context, query: &str) -> Result<Vec<HistoryEntry>, StoreError> {
    let all: Vec<HistoryEntry> = JsonFile::new(&ctx.config_dir, FILE).load()?;
    let terms: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    Ok(all
        .into_iter()
        .filter(|e| {
            let hay = format!(
                "{} {} {} {} {}",
                e.request.method,
                e.request.path,
                e.request
                    .params
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(" "),
                e.status,
                serde_json::to_string(&e.request.auth).unwrap_or_default()
            )
            .to_lowercase();
            terms.iter().all(|t| hay.contains(t.as_str()))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::request::AuthAs;

    #[test]
    fn secrets_in_params_are_redacted() {
        let req = ApiRequest {
            method: "POST".into(),
            path: "/v1/apps/secrets".into(),
            params: vec![
                ("name".into(), "github".into()),
                ("payload".into(), "ghp_realtoken".into()),
            ],
            raw_body: Some("name=x&payload=ghp_realtoken".into()),
            stripe_account: None,
            stripe_version: None,
            idempotency_key: None,
            auth: AuthAs::Install {
                install: "inst_1".into(),
            },
        };
        let r = redact(&req);
        assert_eq!(r.params[1].1, "[redacted]");
        assert_eq!(r.params[0].1, "github");
        assert_eq!(r.raw_body.as_deref(), Some("[redacted]"));
    }
}
