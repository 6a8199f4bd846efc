//! `appdeck api get|post|delete PATH …`: one Stripe API call, or with `--all`
//! every page of a list.
//!
//! `--all` (GET only) sends the first page itself (so an error answer is
//! printed and exits 1 like any call, and the call is recorded), then follows
//! `has_more` through core's `fetch_all` up to `--max` objects [default 1000],
//! with progress on stderr, and prints one list object:
//! `{"object":"list","data":[…],"has_more":<false when complete>}`. Ctrl-C
//! stops after the page in flight: what was fetched is printed, exit 3.

use std::io;

use appdeck_core::console::history as console_history;
use appdeck_core::console::pages::{fetch_all_with, next_page, FetchStop};
use appdeck_core::console::request::{ApiRequest, ApiResponse};
use appdeck_core::console::retry;
use appdeck_core::context::Context;
use appdeck_core::error::ErrorCode;
use clap::Args;
use serde::Serialize;
use tokio_util::sync::CancellationToken;

use super::{print_body, report_status, send_recorded, RequestArgs, SendArgs};
use crate::commands::flow::Signals;
use crate::commands::{block_on, fail_with, open_session, usage};
use crate::context::Ctx;
use crate::exit::Exit;
use crate::output;

/// `--max` when `--all` is given without it.
pub const DEFAULT_MAX: u64 = 1000;

#[derive(Debug, Clone, Args)]
#[command(after_help = concat!("\
Examples:
  appdeck api get /v1/customers -d limit=3
  appdeck api post /v1/customers -d name=Ada -d metadata[plan]=pro -d expand[]=invoice_settings.default_payment_method
  appdeck api get /v1/customers --all --max 500 --json | jq '.data | length'
  appdeck api get /v1/invoices --install inst_0123456789ab
  appdeck api post /v1/refunds -d charge=ch_1 --account prod --unlock-live

", api_exit_codes_help!()))]
pub struct CallOpts {
    #[command(flatten)]
    pub request: RequestArgs,
    /// Follow has_more through every page (GET only) and print one list
    #[arg(long)]
    pub all: bool,
    /// With --all: stop after this many objects [default: 1000]
    #[arg(long, value_name = "N", requires = "all", value_parser = clap::value_parser!(u64).range(1..))]
    pub max: Option<u64>,
    #[command(flatten)]
    pub send: SendArgs,
}

/// What `--all` prints: Stripe's list shape, `has_more` false only when complete.
#[derive(Debug, Serialize)]
struct AllPages {
    object: &'static str,
    data: Vec<serde_json::Value>,
    has_more: bool,
}

pub fn run(ctx: &mut Ctx<'_>, method: &str, opts: CallOpts) -> io::Result<Exit> {
    let req = match opts.request.to_request(method) {
        Ok(r) => r,
        Err(message) => return usage(ctx, &message),
    };
    if opts.all && method != "GET" {
        return usage(
            ctx,
            "--all follows the pages of a list: use it with `api get`",
        );
    }
    block_on(async {
        let core = open_session!(ctx);
        if !opts.all {
            return super::send_and_print(ctx, &core, &req, &opts.send).await;
        }
        if let Err(exit) = super::permission_precheck(ctx, &req, opts.send.manifest.as_deref())? {
            return Ok(exit);
        }
        let first = match send_recorded(ctx, &core, &req, &opts.send).await? {
            Ok(resp) => resp,
            Err(exit) => return Ok(exit),
        };
        let is_list = serde_json::from_str::<serde_json::Value>(&first.body)
            .is_ok_and(|v| v["object"] == "list" || v["object"] == "search_result");
        if !(200..300).contains(&first.status) || !is_list {
            print_body(ctx, &first.body, opts.send.json)?;
            return report_status(ctx, &req, &first);
        }
        let max = opts.max.unwrap_or(DEFAULT_MAX) as usize;
        all_pages(ctx, &core, &req, first, max, &opts.send).await
    })
}

/// The rest of the list after `first`, through core's `fetch_all`.
async fn all_pages(
    ctx: &mut Ctx<'_>,
    core: &Context,
    req: &ApiRequest,
    first: ApiResponse,
    max: usize,
    send: &super::SendArgs,
) -> io::Result<Exit> {
    // Caught before the first progress line, so a Ctrl-C after it is a cancel.
    let mut signals = Signals::install()?;
    let v: serde_json::Value = serde_json::from_str(&first.body).unwrap_or_default();
    let mut data: Vec<serde_json::Value> = v["data"].as_array().cloned().unwrap_or_default();
    let first_has_more = v["has_more"] == true;
    let mut complete = !first_has_more && data.len() <= max;
    data.truncate(max);
    let mut pages = 1;
    let mut interrupted = false;
    let mut page_failed = false;
    progress(ctx, data.len(), pages)?;
    if let Some(next) = next_page(req, &first).filter(|_| data.len() < max) {
        let cancel = CancellationToken::new();
        let (so_far, out_tty) = (data.len(), ctx.err_is_terminal);
        let err = &mut *ctx.err;
        let guard = super::guard(send);
        let policy = super::retry_policy(core, send);
        let mut unrecorded = 0;
        let fetched = {
            let on_page = |r: &ApiRequest, resp: &ApiResponse, n| {
                pages += 1;
                // Every page is a call: it goes to the history like any other.
                if console_history::record(core, r, resp).is_err() {
                    unrecorded += 1;
                }
                let retried = retry::summary(&resp.attempts);
                let _ = progress_line(err, out_tty, so_far + n, pages, retried.as_deref());
            };
            let fetching =
                fetch_all_with(core, &next, &guard, &policy, max - so_far, &cancel, on_page);
            tokio::pin!(fetching);
            loop {
                tokio::select! {
                    _ = signals.recv(), if !cancel.is_cancelled() => cancel.cancel(),
                    r = &mut fetching => break r,
                }
            }
        };
        if unrecorded > 0 {
            super::warning(
                ctx,
                &format!("{unrecorded} page(s) were not recorded in the history"),
            )?;
        }
        match fetched {
            Ok(f) => {
                data.extend(f.data);
                match f.stop {
                    FetchStop::Complete => complete = true,
                    FetchStop::Max => complete = false,
                    FetchStop::Cancelled => interrupted = true,
                    FetchStop::Failed(resp) => {
                        end_progress(ctx)?;
                        super::report_attempts(ctx, &resp, send.json)?;
                        super::report_status(ctx, req, &resp)?;
                        page_failed = true;
                    }
                }
            }
            Err(e) => {
                end_progress(ctx)?;
                return super::console_failure(ctx, &e);
            }
        }
    }
    end_progress(ctx)?;
    let list = AllPages {
        object: "list",
        data,
        has_more: !complete,
    };
    if ctx.out_is_terminal && !send.json {
        serde_json::to_writer_pretty(&mut *ctx.out, &list)?;
        writeln!(ctx.out)?;
    } else {
        output::json_line(ctx.out, &list)?;
    }
    if interrupted {
        writeln!(
            ctx.err,
            "interrupted after {} objects ({pages} pages); has_more is true",
            list.data.len()
        )?;
        return Ok(Exit::Interrupted);
    }
    if page_failed {
        return fail_with(
            ctx,
            ErrorCode::PageFailed,
            &format!(
                "a page after the first {} objects failed; the list printed is incomplete (has_more: true). Retry, or page by hand with -d starting_after={}",
                list.data.len(),
                list.data
                    .last()
                    .and_then(|o| o["id"].as_str())
                    .unwrap_or("…")
            ),
        );
    }
    Ok(Exit::Ok)
}

fn progress(ctx: &mut Ctx<'_>, objects: usize, pages: usize) -> io::Result<()> {
    progress_line(ctx.err, ctx.err_is_terminal, objects, pages, None)
}

/// `fetched N objects (P pages)`, and `; page P retried 1× after 429 (…)`
/// when the last page was: redrawn in place on a terminal, one line per page
/// otherwise (logs keep every step).
fn progress_line(
    err: &mut dyn io::Write,
    tty: bool,
    objects: usize,
    pages: usize,
    retried: Option<&str>,
) -> io::Result<()> {
    let mut text = format!(
        "fetched {} ({})",
        output::plural(objects, "object"),
        output::plural(pages, "page")
    );
    if let Some(r) = retried {
        text.push_str(&format!("; page {pages} {r}"));
    }
    if tty {
        // Clear to the end of the line: a retry note makes a line longer than the next.
        write!(err, "\r{text}\x1b[K")?;
        err.flush()
    } else {
        writeln!(err, "{text}")
    }
}

fn end_progress(ctx: &mut Ctx<'_>) -> io::Result<()> {
    if ctx.err_is_terminal {
        writeln!(ctx.err)?;
    }
    Ok(())
}
