//! How `qa run` talks: a progress line per step on stderr (loop, account,
//! step, outcome, time; a failure's reason indented below), the consent URL
//! when a real account needs a human, and the summary on stdout (text, or one
//! JSON object with `--json`).
//!
//! Invariant: the `--json` summary holds counts, timings, outcomes and
//! masked messages only (the run's results are already scrubbed).

use std::io;

use appdeck_core::qa::report::Written;
use appdeck_core::qa::result::{Outcome, RunReport, Totals};
use appdeck_core::qa::run::Progress;
use serde::Serialize;

use super::qa_embedded::EmbeddedInfo;
use crate::context::Ctx;
use crate::exit::Exit;
use crate::output;

pub fn progress(ctx: &mut Ctx<'_>, p: &Progress) -> io::Result<()> {
    match p {
        Progress::Step { .. } => Ok(()),
        Progress::StepDone {
            account,
            loop_index,
            index,
            label,
            outcome,
            duration_ms,
            message,
        } => {
            let mark = match outcome {
                Outcome::Passed => ctx.paint_err.green("ok"),
                Outcome::Failed => ctx
                    .paint_err
                    .severity(appdeck_core::manifest::Severity::Error, "FAILED"),
                Outcome::Skipped => ctx.paint_err.dim("skipped"),
                Outcome::Cancelled => ctx.paint_err.dim("cancelled"),
            };
            writeln!(
                ctx.err,
                "{} {account:<12} {index:>2}. {label:<40} {mark} {}",
                ctx.paint_err.dim(&format!("[loop {loop_index}]")),
                ctx.paint_err.dim(&format!("{duration_ms} ms")),
            )?;
            if *outcome == Outcome::Failed {
                if let Some(m) = message {
                    writeln!(ctx.err, "      {m}")?;
                }
            }
            Ok(())
        }
        Progress::Consent { account, url } => {
            writeln!(ctx.err, "Open: {url}")?;
            writeln!(
                ctx.err,
                "  consent for {account} in the browser; the run continues when the callback arrives"
            )
        }
        Progress::Note(n) => writeln!(ctx.err, "note: {n}"),
    }
}

#[derive(Serialize)]
struct JsonStep<'a> {
    index: usize,
    label: &'a str,
    outcome: Outcome,
    duration_ms: u64,
    message: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonIteration<'a> {
    account: &'a str,
    account_id: Option<&'a str>,
    #[serde(rename = "loop")]
    loop_index: u32,
    passed: bool,
    duration_ms: u64,
    steps: Vec<JsonStep<'a>>,
}

#[derive(Serialize)]
struct JsonSummary<'a> {
    flow: &'a str,
    passed: bool,
    cancelled: bool,
    stopped: bool,
    exit: i32,
    totals: Totals,
    duration_ms: u64,
    median_loop_ms: u64,
    loop_durations_ms: &'a [u64],
    accounts: &'a [String],
    loops: u32,
    report: &'a Written,
    /// The sandbox the run started for itself, when it did.
    embedded_sandbox: Option<&'a EmbeddedInfo>,
    iterations: Vec<JsonIteration<'a>>,
}

pub fn summary(
    ctx: &mut Ctx<'_>,
    r: &RunReport,
    written: &Written,
    exit: Exit,
    embedded: Option<&EmbeddedInfo>,
    json: bool,
) -> io::Result<()> {
    let t = r.totals();
    if json {
        return output::json_line(
            ctx.out,
            &JsonSummary {
                flow: &r.flow,
                passed: r.passed(),
                cancelled: r.cancelled,
                stopped: r.stopped,
                exit: exit.code(),
                totals: t,
                duration_ms: r.duration_ms,
                median_loop_ms: r.median_loop_ms(),
                loop_durations_ms: &r.loop_durations_ms,
                accounts: &r.accounts,
                loops: r.loops,
                report: written,
                embedded_sandbox: embedded,
                iterations: r
                    .iterations
                    .iter()
                    .map(|i| JsonIteration {
                        account: &i.account,
                        account_id: i.account_id.as_deref(),
                        loop_index: i.loop_index,
                        passed: i.passed(),
                        duration_ms: i.duration_ms,
                        steps: i
                            .steps
                            .iter()
                            .map(|s| JsonStep {
                                index: s.index,
                                label: &s.label,
                                outcome: s.outcome,
                                duration_ms: s.duration_ms,
                                message: s.message.as_deref(),
                            })
                            .collect(),
                    })
                    .collect(),
            },
        );
    }
    let verdict = match exit {
        Exit::Ok => ctx.paint_out.green("PASSED"),
        Exit::Interrupted => "CANCELLED".to_string(),
        _ => ctx
            .paint_out
            .severity(appdeck_core::manifest::Severity::Error, "FAILED"),
    };
    writeln!(
        ctx.out,
        "{verdict} {}: {} of {} steps passed, {} failed, {} skipped ({} loop(s) × {} account(s), {:.1} s, median loop {} ms)",
        r.flow,
        t.passed,
        t.steps,
        t.failed,
        t.skipped + t.cancelled,
        r.loops,
        r.accounts.len(),
        r.duration_ms as f64 / 1000.0,
        r.median_loop_ms()
    )?;
    writeln!(ctx.out, "  report  {}", written.markdown.display())?;
    writeln!(ctx.out, "  chart   {}", written.svg.display())?;
    writeln!(ctx.out, "  junit   {}", written.junit.display())
}
