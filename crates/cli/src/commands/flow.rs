//! What `install run` and `oauth login` share: the `Open: <URL>` line and the
//! system browser, live timeline steps on stderr, Ctrl-C as a cancel, and the
//! exit status of a flow.
//!
//! Invariants: the `Open:` line is on stdout, alone on its line, flushed at
//! once (scripts and tests read it to play the browser); steps go to stderr
//! only when not `--json`; Ctrl-C or SIGTERM cancels the flow (its own error,
//! exit 3) rather than killing the process, so the loopback listener is closed
//! and nothing half-done is stored. Timeout and cancel exit 3, every other
//! flow error 1.

use std::future::Future;
use std::io;

use appdeck_core::error::ErrorCode;
use appdeck_core::oauth::timeline::{Actor, StepObserver, TimelineStep};
use serde::Serialize;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};
use tokio_util::sync::CancellationToken;

use crate::context::Ctx;
use crate::exit::Exit;
use crate::output::{self, JsonError};

/// What a running flow reports while it runs.
pub enum FlowEvent {
    Step(TimelineStep),
    /// The authorize URL, once it is known (provider logins build it late).
    Open(String),
}

pub struct Events {
    pub tx: UnboundedSender<FlowEvent>,
    rx: UnboundedReceiver<FlowEvent>,
}

impl Events {
    pub fn new() -> Self {
        let (tx, rx) = unbounded_channel();
        Events { tx, rx }
    }

    /// A timeline observer that forwards each step here.
    pub fn observer(&self) -> StepObserver {
        let tx = self.tx.clone();
        Box::new(move |s: &TimelineStep| {
            let _ = tx.send(FlowEvent::Step(s.clone()));
        })
    }
}

/// How the user meets the authorize URL.
#[derive(Debug, Clone, Copy)]
pub struct Show {
    pub no_browser: bool,
    pub json: bool,
}

/// Prints `Open: <url>` (flushed) and, unless `--no-browser`, opens the system
/// browser; the URL is printed either way in case no browser opens.
pub fn open_url(ctx: &mut Ctx<'_>, url: &str, show: Show) -> io::Result<()> {
    writeln!(ctx.out, "Open: {url}")?;
    ctx.out.flush()?;
    if !show.no_browser {
        if let Err(e) = open::that_detached(url) {
            writeln!(
                ctx.err,
                "note: could not open a browser ({e}); open the URL above yourself"
            )?;
        }
    }
    Ok(())
}

fn actor(a: Actor) -> &'static str {
    match a {
        Actor::Appdeck => "appdeck",
        Actor::Browser => "browser",
        Actor::Loopback => "loopback",
        Actor::Stripe => "stripe",
        Actor::Provider => "provider",
        Actor::Keychain => "keychain",
        Actor::Backend => "backend",
    }
}

/// One step on one line: `[   12 ms] appdeck → loopback  listening: …`.
pub fn step_line(ctx: &mut Ctx<'_>, s: &TimelineStep) -> io::Result<()> {
    let took = s
        .duration_ms
        .map(|d| format!(" ({d} ms)"))
        .unwrap_or_default();
    let arrow = format!("{} → {}", actor(s.from), actor(s.to));
    writeln!(
        ctx.err,
        "{} {arrow:<20} {}: {}{took}",
        ctx.paint_err.dim(&format!("[{:>6} ms]", s.at_ms)),
        s.kind,
        s.summary
    )
}

fn handle(ctx: &mut Ctx<'_>, ev: FlowEvent, show: Show) -> io::Result<()> {
    match ev {
        FlowEvent::Step(s) if !show.json => step_line(ctx, &s),
        FlowEvent::Step(_) => Ok(()),
        FlowEvent::Open(url) => open_url(ctx, &url, show),
    }
}

/// Drains the events already sent (steps of a flow's set-up).
pub fn drain(ctx: &mut Ctx<'_>, events: &mut Events, show: Show) -> io::Result<()> {
    while let Ok(ev) = events.rx.try_recv() {
        handle(ctx, ev, show)?;
    }
    Ok(())
}

/// Runs `flow` to its end, printing its events as they come; Ctrl-C or
/// SIGTERM fires `cancel` (the flow then ends as cancelled). `signals` must
/// be installed before the `Open:` line is printed, so a Ctrl-C right after
/// it cancels the flow rather than killing the process.
pub async fn drive<F: Future>(
    ctx: &mut Ctx<'_>,
    flow: F,
    events: &mut Events,
    show: Show,
    cancel: &CancellationToken,
    signals: &mut Signals,
) -> io::Result<F::Output> {
    tokio::pin!(flow);
    let out = loop {
        tokio::select! {
            biased;
            Some(ev) = events.rx.recv() => handle(ctx, ev, show)?,
            _ = signals.recv(), if !cancel.is_cancelled() => cancel.cancel(),
            out = &mut flow => break out,
        }
    };
    drain(ctx, events, show)?;
    Ok(out)
}

/// The exit status of a failed flow: 3 for timeout or cancel, else 1.
pub fn failure_exit(code: ErrorCode) -> Exit {
    match code {
        ErrorCode::OauthTimeout | ErrorCode::OauthCancelled => Exit::Interrupted,
        _ => Exit::Findings,
    }
}

#[derive(Serialize)]
struct JsonFailure<'a> {
    error: JsonError<'a>,
    timeline: &'a [TimelineStep],
}

/// Reports a failed flow: `error[code]: message` on stderr and, with
/// `--json`, `{"error":{"code","message"},"timeline":[…]}` on stdout.
pub fn report_failure(
    ctx: &mut Ctx<'_>,
    code: ErrorCode,
    message: &str,
    timeline: &[TimelineStep],
    json: bool,
) -> io::Result<Exit> {
    output::error_line(ctx.err, ctx.paint_err, code, message)?;
    super::hint(ctx, code)?;
    if json {
        output::json_line(
            ctx.out,
            &JsonFailure {
                error: JsonError { code, message },
                timeline,
            },
        )?;
    }
    Ok(failure_exit(code))
}

/// Ctrl-C and (on Unix) SIGTERM, caught from the moment this is created.
pub struct Signals {
    #[cfg(unix)]
    int: tokio::signal::unix::Signal,
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
}

impl Signals {
    #[cfg(unix)]
    pub fn install() -> io::Result<Self> {
        use tokio::signal::unix::{signal, SignalKind};
        Ok(Signals {
            int: signal(SignalKind::interrupt())?,
            term: signal(SignalKind::terminate())?,
        })
    }

    #[cfg(not(unix))]
    pub fn install() -> io::Result<Self> {
        Ok(Signals {})
    }

    #[cfg(unix)]
    pub async fn recv(&mut self) {
        tokio::select! {
            _ = self.int.recv() => {}
            _ = self.term.recv() => {}
        }
    }

    #[cfg(not(unix))]
    pub async fn recv(&mut self) {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeout_and_cancel_exit_3_other_flow_errors_1() {
        assert_eq!(failure_exit(ErrorCode::OauthTimeout).code(), 3);
        assert_eq!(failure_exit(ErrorCode::OauthCancelled).code(), 3);
        assert_eq!(failure_exit(ErrorCode::OauthStateMismatch).code(), 1);
        assert_eq!(failure_exit(ErrorCode::KeychainUnavailable).code(), 1);
    }

    #[test]
    fn the_open_line_is_alone_on_stdout() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut ctx = Ctx::plain(&mut out, &mut err, "unused".into());
        open_url(
            &mut ctx,
            "http://127.0.0.1:1/x?a=b",
            Show {
                no_browser: true,
                json: true,
            },
        )
        .unwrap();
        drop(ctx);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "Open: http://127.0.0.1:1/x?a=b\n"
        );
        assert!(err.is_empty());
    }
}
