//! `appdeck api history [--search TERM] [--json]`: the calls made from the CLI
//! and the desktop app, newest first (core's `<config dir>/history.json`).
//!
//! Invariants: read-only, and no secret store or sandbox is opened; nothing in
//! the history is a secret (core redacts `payload`, `*secret*`, `*token*`,
//! `password` values before writing). `--json` prints core's entries as one
//! JSON array: `{id, at, request, status, elapsed_ms, request_id, mode}`.

use std::io;
use std::sync::Arc;

use appdeck_core::console::history::{self, HistoryEntry};
use appdeck_core::console::request::AuthAs;
use appdeck_core::context::Context;
use appdeck_core::keychain::MemoryStore;
use clap::Args;

use crate::commands::fail_coded;
use crate::context::Ctx;
use crate::exit::Exit;
use crate::output::{self, truncate};

/// Longest parameter list shown in the table (the JSON has it whole).
const PARAMS_WIDTH: usize = 48;

#[derive(Debug, Clone, Args)]
#[command(after_help = "\
Examples:
  appdeck api history
  appdeck api history --search \"post customers\"
  appdeck api history --json | jq -r '.[] | select(.status >= 400) | .request.path'")]
pub struct HistoryOpts {
    /// Only calls whose method, path, parameters, status or account contain every word
    #[arg(long, value_name = "TERM")]
    pub search: Option<String>,
    /// Print a JSON array of history entries
    #[arg(long)]
    pub json: bool,
}

/// `2030-01-02 03:04:05`: the RFC 3339 time to the second, for the table.
fn at(e: &HistoryEntry) -> String {
    e.at.get(..19).unwrap_or(&e.at).replacen('T', " ", 1)
}

fn who(auth: &AuthAs) -> String {
    match auth {
        AuthAs::Account { name: Some(n) } => n.clone(),
        AuthAs::Account { name: None } => "(current)".into(),
        AuthAs::Install { install } => install.clone(),
    }
}

pub fn run(ctx: &mut Ctx<'_>, opts: HistoryOpts) -> io::Result<Exit> {
    // The history file is all this needs: no keychain, no sandbox lookup.
    let core = Context::new(ctx.config_dir.clone(), Arc::new(MemoryStore::new()));
    let entries = match history::search(&core, opts.search.as_deref().unwrap_or("")) {
        Ok(e) => e,
        Err(e) => return fail_coded(ctx, &e),
    };
    if opts.json {
        output::json_line(ctx.out, &entries)?;
        return Ok(Exit::Ok);
    }
    if entries.is_empty() {
        let why = if opts.search.is_some() {
            "no recorded call matches"
        } else {
            "no calls recorded yet; make one with `appdeck api get /v1/customers`"
        };
        writeln!(ctx.err, "{why}")?;
        return Ok(Exit::Ok);
    }
    print_table(ctx, &entries)
}

fn print_table(ctx: &mut Ctx<'_>, entries: &[HistoryEntry]) -> io::Result<Exit> {
    let params = |e: &HistoryEntry| {
        truncate(
            &e.request
                .params
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(" "),
            PARAMS_WIDTH,
        )
    };
    let width = |f: &dyn Fn(&HistoryEntry) -> usize, min: usize| {
        entries.iter().map(f).max().unwrap_or(0).max(min)
    };
    let at_w = width(&|e| at(e).len(), 8);
    let path_w = width(&|e| e.request.path.len(), 4);
    let who_w = width(&|e| who(&e.request.auth).len(), 2);
    let header = format!(
        "{:at_w$}  {:6}  {:path_w$}  {:6}  {:>7}  {:5}  {:who_w$}  {:22}  PARAMS",
        "AT (UTC)", "METHOD", "PATH", "STATUS", "TIME", "MODE", "AS", "REQUEST-ID"
    );
    writeln!(ctx.out, "{}", ctx.paint_out.bold(&header))?;
    for e in entries {
        let line = format!(
            "{:at_w$}  {:6}  {:path_w$}  {:6}  {:>7}  {:5}  {:who_w$}  {:22}  {}",
            at(e),
            e.request.method,
            e.request.path,
            e.status,
            format!("{}ms", e.elapsed_ms),
            e.mode.as_str(),
            who(&e.request.auth),
            e.request_id.as_deref().unwrap_or("-"),
            params(e),
        );
        writeln!(ctx.out, "{}", line.trim_end())?;
    }
    Ok(Exit::Ok)
}
