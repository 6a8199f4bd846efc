//! List pagination: the next page of a Stripe list, or every page up to a
//! limit, with progress and cancel. Stripe lists carry `has_more` and are paged
//! with `starting_after` = the last object's id.

use super::request::{send, ApiRequest, ApiResponse, ConsoleError, LiveGuard};
use crate::context::Context;

/// The request for the page after `resp`, if the list has more.
pub fn next_page(req: &ApiRequest, resp: &ApiResponse) -> Option<ApiRequest> {
    let v: serde_json::Value = serde_json::from_str(&resp.body).ok()?;
    if v["object"] != "list" && v["object"] != "search_result" || v["has_more"] != true {
        return None;
    }
    if let Some(next) = v["next_page"].as_str() {
        let mut r = req.clone();
        r.params.retain(|(k, _)| k != "page");
        r.params.push(("page".into(), next.into()));
        return Some(r);
    }
    let last = v["data"].as_array()?.last()?["id"].as_str()?.to_string();
    let mut r = req.clone();
    r.params
        .retain(|(k, _)| k != "starting_after" && k != "ending_before");
    r.params.push(("starting_after".into(), last));
    Some(r)
}

/// Every object of a list, page by page, up to `max` objects; `progress` gets
/// the count so far; stops early (keeping what it has) when `cancel` fires.
pub async fn fetch_all(
    ctx: &Context,
    first: &ApiRequest,
    guard: &LiveGuard,
    max: usize,
    cancel: &tokio_util::sync::CancellationToken,
    mut progress: impl FnMut(usize, usize),
) -> Result<(Vec<serde_json::Value>, bool), ConsoleError> {
    let mut out = Vec::new();
    let mut req = first.clone();
    let mut pages = 0;
    loop {
        if cancel.is_cancelled() {
            return Ok((out, false));
        }
        let resp = send(ctx, &req, guard).await?;
        pages += 1;
        if resp.status >= 400 {
            return Ok((out, false));
        }
        let v: serde_json::Value = serde_json::from_str(&resp.body).unwrap_or_default();
        for item in v["data"].as_array().cloned().unwrap_or_default() {
            if out.len() >= max {
                return Ok((out, false));
            }
            out.push(item);
        }
        progress(out.len(), pages);
        match next_page(&req, &resp) {
            Some(next) if out.len() < max => req = next,
            Some(_) => return Ok((out, false)),
            None => return Ok((out, true)),
        }
    }
}
