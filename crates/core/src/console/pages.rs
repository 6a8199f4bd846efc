//! List pagination: the next page of a Stripe list, or every page up to a
//! limit, with progress and cancel. Stripe lists carry `has_more` and are paged
//! with `starting_after` = the last object's id.

use super::request::{send_with, ApiRequest, ApiResponse, ConsoleError, LiveGuard};
use super::retry::RetryPolicy;
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

/// Why `fetch_all` stopped.
#[derive(Debug)]
pub enum FetchStop {
    /// The list has no more pages.
    Complete,
    /// `max` objects were fetched.
    Max,
    /// The cancel token fired.
    Cancelled,
    /// A page's answer was an error (its response).
    Failed(Box<ApiResponse>),
}

#[derive(Debug)]
pub struct Fetched {
    pub data: Vec<serde_json::Value>,
    pub pages: usize,
    pub stop: FetchStop,
}

/// Every object of a list, page by page, up to `max` objects. `on_page` sees
/// each request and its response (to record history, draw progress); stops
/// early, keeping what it has, when `cancel` fires or a page fails.
pub async fn fetch_all(
    ctx: &Context,
    first: &ApiRequest,
    guard: &LiveGuard,
    max: usize,
    cancel: &tokio_util::sync::CancellationToken,
    on_page: impl FnMut(&ApiRequest, &ApiResponse, usize),
) -> Result<Fetched, ConsoleError> {
    fetch_all_with(ctx, first, guard, &ctx.retry, max, cancel, on_page).await
}

/// [`fetch_all`] with each page retried per `policy`.
pub async fn fetch_all_with(
    ctx: &Context,
    first: &ApiRequest,
    guard: &LiveGuard,
    policy: &RetryPolicy,
    max: usize,
    cancel: &tokio_util::sync::CancellationToken,
    mut on_page: impl FnMut(&ApiRequest, &ApiResponse, usize),
) -> Result<Fetched, ConsoleError> {
    let mut data = Vec::new();
    let mut req = first.clone();
    let mut pages = 0;
    let stop = loop {
        if cancel.is_cancelled() {
            break FetchStop::Cancelled;
        }
        // The cancel also cuts a wait between retries short (the page in
        // flight is let finish); what was fetched so far is the answer.
        let resp = match send_with(ctx, &req, guard, policy, cancel).await {
            Ok(resp) => resp,
            Err(_) if cancel.is_cancelled() => break FetchStop::Cancelled,
            Err(e) => return Err(e),
        };
        pages += 1;
        if resp.status >= 400 && cancel.is_cancelled() {
            on_page(&req, &resp, data.len());
            break FetchStop::Cancelled;
        }
        if resp.status >= 400 {
            on_page(&req, &resp, data.len());
            break FetchStop::Failed(Box::new(resp));
        }
        let v: serde_json::Value = serde_json::from_str(&resp.body).unwrap_or_default();
        let mut capped = false;
        for item in v["data"].as_array().cloned().unwrap_or_default() {
            if data.len() >= max {
                capped = true;
                break;
            }
            data.push(item);
        }
        on_page(&req, &resp, data.len());
        match next_page(&req, &resp) {
            _ if capped => break FetchStop::Max,
            Some(_) if data.len() >= max => break FetchStop::Max,
            Some(next) => req = next,
            None => break FetchStop::Complete,
        }
    };
    Ok(Fetched { data, pages, stop })
}
