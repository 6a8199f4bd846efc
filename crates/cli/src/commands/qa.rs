//! `appdeck qa run FLOW`: runs a QA flow (install → assert → call → refresh →
//! expire → uninstall → wait for an event, over accounts and loops) against
//! the local sandbox unattended, or against a real account pausing at
//! consent; writes a Markdown report with an SVG chart and JUnit XML. A flow
//! on local accounts with no sandbox running (or `--embedded`) gets a sandbox
//! of its own for the run (`qa_embedded`), announced on the first line.
//!
//! Invariants: a malformed flow is refused before anything runs, located as
//! `file:line:column` (exit 2); progress goes to stderr as it happens (step,
//! loop, account), the summary to stdout (`--json`: one object); Ctrl-C or
//! SIGTERM cancels the run (exit 3) and the reports still hold what ran; any
//! failed step is exit 1; the reports are written before the exit status is
//! decided, whatever it is.

use std::io;
use std::path::PathBuf;
use std::sync::Arc;

use appdeck_core::error::{Coded, ErrorCode};
use appdeck_core::oauth::install::AppManifest;
use appdeck_core::qa::flow::{self, AccountSpec, FlowSyntaxError};
use appdeck_core::qa::run::{self, Progress, RunOptions};
use appdeck_core::qa::{files, report};
use clap::Args;
use serde::Serialize;
use tokio::sync::mpsc::unbounded_channel;
use tokio_util::sync::CancellationToken;

use super::flow::Signals;
use super::manifest::default_manifest;
use super::qa_embedded::{self, StartError};
use super::qa_print;
use super::{block_on, fail_coded, fail_with, open_session, usage};
use crate::context::Ctx;
use crate::exit::Exit;
use crate::output::{self, JsonError};

#[derive(Debug, Clone, Args)]
#[command(after_help = concat!("\
Examples:
  appdeck qa run flows/install-smoke.yaml
  appdeck qa run flows/install-smoke.yaml --accounts install-1,install-2,install-3 --loops 10
  appdeck --sandbox http://127.0.0.1:12111 qa run flows/customer-roundtrip.yaml
  appdeck qa run flows/token-rotation.yaml --report-dir out/qa --junit out/junit.xml --json

The flow format is documented in flows/README.md (JSON schema: flows/flow.schema.json).

", qa_exit_codes_help!()))]
pub struct RunOpts {
    /// The flow file (YAML)
    #[arg(value_name = "FLOW")]
    pub flow: PathBuf,
    /// Install into these accounts instead of the flow's: install-N (the local
    /// sandbox's Nth install account) or acct_… ids, comma-separated
    #[arg(long, value_name = "A,B,C", value_delimiter = ',')]
    pub accounts: Option<Vec<String>>,
    /// Run the steps N times per account instead of the flow's `loops`
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=i64::from(appdeck_core::qa::flow::MAX_LOOPS)))]
    pub loops: Option<u32>,
    /// Where report.md and timings.svg (and junit.xml) go [default:
    /// qa-reports/<flow name>/<UTC time>-<run>/ beside the manifest, as the QA screen writes them]
    #[arg(long, value_name = "DIR")]
    pub report_dir: Option<PathBuf>,
    /// Write the JUnit XML here [default: <report dir>/junit.xml]
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// The app's manifest [default: ./stripe-app.json]
    #[arg(long, value_name = "PATH")]
    pub manifest: Option<PathBuf>,
    /// Start a sandbox for this run even when one is running [default: only
    /// when none answers]; for flows on local accounts (developer `local`,
    /// accounts install-N)
    #[arg(long)]
    pub embedded: bool,
    /// Print a machine summary (one JSON object) on stdout
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct JsonSyntax<'a> {
    error: JsonError<'a>,
    file: String,
    line: usize,
    column: usize,
}

fn malformed(ctx: &mut Ctx<'_>, e: &FlowSyntaxError, json: bool) -> io::Result<Exit> {
    let code = ErrorCode::QaFlowInvalid;
    output::error_line(ctx.err, ctx.paint_err, code, &e.to_string())?;
    if json {
        output::json_line(
            ctx.out,
            &JsonSyntax {
                error: JsonError {
                    code,
                    message: &e.message,
                },
                file: e.file.display().to_string(),
                line: e.line,
                column: e.column,
            },
        )?;
    }
    Ok(Exit::Usage)
}

pub fn run(ctx: &mut Ctx<'_>, opts: RunOpts) -> io::Result<Exit> {
    let flow = match flow::load(&opts.flow) {
        Ok(f) => f,
        Err(e) => return malformed(ctx, &e, opts.json),
    };
    let accounts = match &opts.accounts {
        Some(list) => match list.iter().map(|a| AccountSpec::parse(a)).collect() {
            Ok(specs) => Some(specs),
            Err(message) => return usage(ctx, &format!("--accounts: {message}")),
        },
        None => None,
    };
    let manifest = opts.manifest.clone().unwrap_or_else(default_manifest);
    let app = match AppManifest::load(&manifest) {
        Ok(a) => a,
        Err(e) => {
            let message = format!("{}: {e}", manifest.display());
            output::error_line(ctx.err, ctx.paint_err, e.code(), &message)?;
            return Ok(Exit::Usage);
        }
    };
    let local_only = qa_embedded::local_only(
        &flow.developer,
        accounts.as_deref().unwrap_or(&flow.accounts),
    );
    if opts.embedded && ctx.session.sandbox_url.is_some() {
        return usage(ctx, "--embedded starts a sandbox for the run, and --sandbox (or APPDECK_SANDBOX_URL) names a running one: give one of them");
    }
    if opts.embedded && !local_only {
        return usage(ctx, "--embedded runs the flow in a sandbox of its own, so its developer must be `local` and its accounts install-N (acct_… ids belong to another sandbox or a real account)");
    }
    let run_opts = RunOptions {
        file: opts.flow.clone(),
        accounts,
        loops: opts.loops,
    };
    block_on(async {
        let mut signals = Signals::install()?;
        let embed = opts.embedded
            || (local_only
                && matches!(
                    crate::session::find_local(ctx, &appdeck_core::http::client()).await,
                    Ok(None)
                ));
        let (core, embedded) = if embed {
            match qa_embedded::start(ctx, &manifest).await {
                Ok((e, core)) => {
                    writeln!(ctx.err, "{}", e.announce())?;
                    if e.registered.instead_of.is_some() {
                        writeln!(ctx.err, "note: {}", e.registered.describe())?;
                    }
                    (core, Some(e))
                }
                Err(StartError::Registration(e)) => return super::sandbox::unregistrable(ctx, &e),
                Err(StartError::Failed(why)) => {
                    return fail_with(ctx, ErrorCode::SandboxFailed, &why)
                }
            }
        } else {
            (open_session!(ctx), None)
        };
        let started = core.clock.now();
        let (tx, mut rx) = unbounded_channel::<Progress>();
        let progress: run::ProgressFn = Arc::new(move |p: &Progress| {
            let _ = tx.send(p.clone());
        });
        let cancel = CancellationToken::new();
        let running = run::run(&core, &flow, app, &run_opts, progress, &cancel);
        tokio::pin!(running);
        let result = loop {
            tokio::select! {
                biased;
                Some(p) = rx.recv() => qa_print::progress(ctx, &p)?,
                _ = signals.recv(), if !cancel.is_cancelled() => {
                    writeln!(ctx.err, "cancelling: the current step stops, the report keeps what ran")?;
                    cancel.cancel();
                }
                r = &mut running => break r,
            }
        };
        while let Ok(p) = rx.try_recv() {
            qa_print::progress(ctx, &p)?;
        }
        let embedded = match embedded {
            Some(e) => Some(e.stop().await),
            None => None,
        };
        let mut report = match result {
            Ok(r) => r,
            Err(e) => return fail_coded(ctx, &e),
        };
        if let Some(e) = &embedded {
            report.notes.insert(0, format!("ran against a sandbox started for this run at {} (app {}), stopped when the run ended", e.base_url, e.app));
            if flow.keep_installs {
                report.notes.push("keep_installs: the installs were kept until the run ended, in the sandbox started for it".into());
            }
        }
        // The same folder the QA screen writes to, so a run never overwrites
        // the report an earlier one (from either face) opens.
        let dir = opts.report_dir.clone().unwrap_or_else(|| {
            files::report_dir(&manifest, &opts.flow, &files::new_run_id(), started)
        });
        let written = match report::write_all(&report, &dir, opts.junit.as_deref()) {
            Ok(w) => w,
            Err(e) => {
                output::error_line(
                    ctx.err,
                    ctx.paint_err,
                    ErrorCode::ConfigIo,
                    &format!("cannot write the report into {}: {e}", dir.display()),
                )?;
                return Ok(Exit::Usage);
            }
        };
        let exit = if report.cancelled {
            Exit::Interrupted
        } else if report.passed() {
            Exit::Ok
        } else {
            Exit::Findings
        };
        qa_print::summary(ctx, &report, &written, exit, embedded.as_ref(), opts.json)?;
        Ok(exit)
    })
}
