//! The Markdown report: the verdict, the chart (an SVG beside the file), a
//! table per account with each step's time in each loop, and every failure
//! with its message, request and response.
//!
//! Invariant: table cells are escaped (`|`), code blocks are fenced with a
//! fence longer than any backtick run in them, all text is scrubbed.

use std::fmt::Write;

use super::scrub;
use crate::qa::result::{Outcome, RunReport};

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn ms(v: u64) -> String {
    if v >= 10_000 {
        format!("{:.1} s", v as f64 / 1000.0)
    } else {
        format!("{v} ms")
    }
}

fn fenced(out: &mut String, lang: &str, body: &str) {
    let mut longest = 0;
    let mut run = 0;
    for c in body.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest.max(2) + 1);
    let _ = writeln!(out, "{fence}{lang}\n{body}\n{fence}\n");
}

pub fn render(r: &RunReport, svg_file: &str) -> String {
    let t = r.totals();
    let mut o = String::new();
    let verdict = if r.cancelled {
        "CANCELLED"
    } else if r.passed() {
        "PASSED"
    } else {
        "FAILED"
    };
    let _ = writeln!(o, "# QA run: {}\n", r.flow);
    let _ = writeln!(
        o,
        "**{verdict}**: {} of {} steps passed, {} failed, {} skipped{}.\n",
        t.passed,
        t.steps,
        t.failed,
        t.skipped + t.cancelled,
        if r.stopped {
            " (stopped at the first failure: stop_on_failure)"
        } else {
            ""
        }
    );
    let _ = writeln!(o, "| | |\n|---|---|");
    let _ = writeln!(o, "| flow | `{}` |", cell(&r.file));
    let _ = writeln!(
        o,
        "| developer account | `{}` ({}) |",
        cell(&r.developer),
        r.mode
    );
    let _ = writeln!(o, "| accounts | {} |", cell(&r.accounts.join(", ")));
    let _ = writeln!(o, "| loops | {} |", r.loops);
    let _ = writeln!(o, "| started | {} |", r.started_at);
    let _ = writeln!(o, "| total time | {} |", ms(r.duration_ms));
    let _ = writeln!(
        o,
        "| median loop | {} (all accounts) |\n",
        ms(r.median_loop_ms())
    );
    for n in &r.notes {
        let _ = writeln!(o, "> Note: {}\n", scrub::text(n));
    }
    let _ = writeln!(o, "![Step timings per loop and account]({svg_file})\n");
    let _ = writeln!(o, "## Step timings\n");
    for account in &r.accounts {
        let its: Vec<_> = r.iterations_of(account).collect();
        let id = its
            .iter()
            .find_map(|i| i.account_id.clone())
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "### {account}{}\n",
            if id.is_empty() {
                String::new()
            } else {
                format!(" (`{id}`)")
            }
        );
        if its.is_empty() {
            let _ = writeln!(o, "Not run.\n");
            continue;
        }
        let _ = write!(o, "| # | step |");
        for it in &its {
            let _ = write!(o, " loop {} |", it.loop_index);
        }
        let _ = write!(o, "\n|---|---|");
        for _ in &its {
            let _ = write!(o, "---:|");
        }
        o.push('\n');
        for (i, label) in r.step_labels.iter().enumerate() {
            let _ = write!(o, "| {} | {} |", i + 1, cell(label));
            for it in &its {
                let c = match it.steps.get(i) {
                    Some(s) => match s.outcome {
                        Outcome::Passed => ms(s.duration_ms),
                        Outcome::Failed => format!("**✗ {}**", ms(s.duration_ms)),
                        Outcome::Skipped => "skipped".into(),
                        Outcome::Cancelled => "cancelled".into(),
                    },
                    None => "-".into(),
                };
                let _ = write!(o, " {c} |");
            }
            o.push('\n');
        }
        let _ = write!(o, "| | **loop total** |");
        for it in &its {
            let _ = write!(o, " **{}** |", ms(it.duration_ms));
        }
        o.push_str("\n\n");
    }
    let failures: Vec<_> = r
        .iterations
        .iter()
        .flat_map(|it| it.steps.iter().map(move |s| (it, s)))
        .filter(|(_, s)| s.outcome == Outcome::Failed)
        .collect();
    let _ = writeln!(o, "## Failures\n");
    if failures.is_empty() {
        let _ = writeln!(o, "None.");
    }
    for (it, s) in failures {
        let _ = writeln!(
            o,
            "### {} · loop {} · step {}: {}\n",
            it.account, it.loop_index, s.index, s.label
        );
        let _ = writeln!(
            o,
            "{} ({})\n",
            scrub::text(s.message.as_deref().unwrap_or("failed")),
            ms(s.duration_ms)
        );
        if let Some(x) = &s.exchange {
            let mut req = x.request.clone();
            for l in &x.request_lines {
                req.push('\n');
                req.push_str(l);
            }
            let _ = writeln!(o, "Request:\n");
            fenced(&mut o, "http", &scrub::text(&req));
            if let Some(status) = x.status {
                let _ = writeln!(o, "Response ({status}):\n");
                fenced(&mut o, "", &scrub::text(&x.response));
            }
        }
    }
    o
}
