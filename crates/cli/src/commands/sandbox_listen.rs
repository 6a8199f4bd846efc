//! `appdeck sandbox listen --forward-to URL`: like `stripe listen`, against
//! the running local sandbox. Core's `local::listen` creates a temporary
//! webhook endpoint pointing at URL (the sandbox delivers there itself,
//! signed, with its retries), this verb prints each attempt as it happens,
//! and Ctrl-C (or SIGTERM) deletes the endpoint.
//!
//! Output: a ready line on stderr (what is forwarded where); then on stdout
//! one line per attempt: time (sandbox clock, UTC), event type, event id,
//! status or what happened instead, latency, and a retry or give-up note.
//! With `--json`, stdout holds JSON lines instead: `{"kind":"ready",…}` then
//! `{"kind":"delivery",…}` per attempt (core's `Delivery`).
//!
//! Invariant: the endpoint's `whsec_` secret is printed only with
//! `--print-secret` (on stdout, as `Signing secret: whsec_…`, or as
//! `secret` in the JSON ready line), never otherwise and never to stderr.
//! Exit 0 when stopped; 1 when the sandbox is missing, refuses the endpoint
//! (a URL that is not loopback, an unknown event type) or fails.

use std::io::{self, Write};

use appdeck_core::local::deliveries::Delivery;
use appdeck_core::local::listen::{listen, parse_events, ListenOptions, ListenReport, Listening};
use clap::Args;
use serde_json::json;

use super::{block_on, fail_coded, open_session};
use crate::context::Ctx;
use crate::exit::Exit;

#[derive(Debug, Clone, Args)]
#[command(after_help = concat!("\
Examples:
  appdeck sandbox listen --forward-to http://127.0.0.1:4242/webhook
  appdeck sandbox listen --forward-to http://localhost:3000/hooks --events customer.created,customer.updated
  appdeck sandbox listen --forward-to http://127.0.0.1:4242/webhook --connect --print-secret

", flow_exit_codes_help!()))]
pub struct ListenOpts {
    /// Where the sandbox delivers events, signed (a loopback URL)
    #[arg(long, value_name = "URL")]
    pub forward_to: String,
    /// Event types to forward, comma-separated [default: every event]
    #[arg(long, value_name = "A,B")]
    pub events: Option<String>,
    /// Forward the events of connected accounts (where your apps are installed)
    /// instead of the developer account's own
    #[arg(long)]
    pub connect: bool,
    /// Print the endpoint's whsec_ signing secret (to verify signatures)
    #[arg(long)]
    pub print_secret: bool,
    /// JSON lines on stdout: a ready line, then one per delivery attempt
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &mut Ctx<'_>, opts: ListenOpts) -> io::Result<Exit> {
    block_on(async {
        let core = open_session!(ctx);
        let mut signals = super::flow::Signals::install()?;
        let listen_opts = ListenOptions {
            forward_to: opts.forward_to.clone(),
            events: parse_events(opts.events.as_deref().unwrap_or_default()),
            connect: opts.connect,
        };
        let mut broken: Option<io::Error> = None;
        let mut endpoint = String::new();
        let outcome = {
            let (out, err) = (&mut *ctx.out, &mut *ctx.err);
            listen(&core, &listen_opts, signals.recv(), |report| {
                let shown = match report {
                    ListenReport::Ready(l) => {
                        endpoint = l.endpoint.clone();
                        ready(out, err, l, &opts)
                    }
                    ListenReport::Delivery(d) => delivery(out, d, opts.json),
                };
                match shown {
                    Ok(()) => true,
                    Err(e) => {
                        broken = Some(e);
                        false
                    }
                }
            })
            .await
        };
        let summary = match outcome {
            Ok(s) => s,
            Err(e) => return fail_coded(ctx, &e),
        };
        if let Some(e) = broken {
            return Err(e);
        }
        if summary.removed {
            writeln!(
                ctx.err,
                "Stopped: {} attempts, {} delivered; the temporary endpoint {endpoint} was deleted.",
                summary.attempts, summary.delivered
            )?;
        } else {
            writeln!(
                ctx.err,
                "warning: stopped, but the temporary endpoint {endpoint} could not be deleted; delete it with DELETE /v1/webhook_endpoints/{endpoint}"
            )?;
        }
        Ok(Exit::Ok)
    })
}

fn ready(
    out: &mut dyn Write,
    err: &mut dyn Write,
    l: &Listening,
    opts: &ListenOpts,
) -> io::Result<()> {
    let which = if l.enabled_events == ["*"] {
        "every event".to_string()
    } else {
        l.enabled_events.join(", ")
    };
    let whose = if l.connect {
        "of connected accounts"
    } else {
        "of the developer account"
    };
    writeln!(
        err,
        "Ready: forwarding {which} {whose} to {} through {} (Ctrl-C to stop and delete it)",
        l.forward_to, l.endpoint
    )?;
    if opts.json {
        let mut line = json!({
            "kind": "ready",
            "endpoint": l.endpoint,
            "forward_to": l.forward_to,
            "enabled_events": l.enabled_events,
            "connect": l.connect,
        });
        if opts.print_secret {
            line["secret"] = json!(l.secret.secret());
        }
        crate::output::json_line(out, &line)?;
    } else if opts.print_secret {
        writeln!(out, "Signing secret: {}", l.secret.secret())?;
    }
    out.flush()
}

fn delivery(out: &mut dyn Write, d: &Delivery, as_json: bool) -> io::Result<()> {
    if as_json {
        let mut line = json!({"kind": "delivery"});
        if let (Some(map), Ok(serde_json::Value::Object(fields))) =
            (line.as_object_mut(), serde_json::to_value(d))
        {
            map.extend(fields);
        }
        crate::output::json_line(out, &line)?;
        return out.flush();
    }
    let when = |t: i64| {
        chrono::DateTime::from_timestamp(t, 0)
            .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_else(|| t.to_string())
    };
    let next = match (d.next_retry_at, d.gave_up, d.manual) {
        (_, _, true) => "  (resent)".to_string(),
        (Some(t), _, _) => format!("  (retry at {})", when(t)),
        (None, true, _) => "  (gave up)".to_string(),
        (None, false, _) => String::new(),
    };
    writeln!(
        out,
        "{}  {}  {}  {}  {:.0} ms{next}",
        when(d.at),
        d.event_type,
        d.event,
        d.outcome(),
        d.latency_ms
    )?;
    out.flush()
}
