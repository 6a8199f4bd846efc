//! JUnit XML, the shape CI systems read: `<testsuites>` for the flow, a
//! `<testsuite>` per account, a `<testcase>` per loop and step (`classname`
//! `flow.account`, `name` `loop N · i. step`), `<failure message type>` with
//! the request and response as text, `<skipped>` for steps that did not run.
//!
//! Invariant: counts on every element agree with the testcases under it;
//! all text is XML-escaped and scrubbed of secrets.

use super::scrub;
use crate::markup::escape;
use crate::qa::result::{Outcome, RunReport, StepResult};

fn secs(ms: u64) -> String {
    format!("{:.3}", ms as f64 / 1000.0)
}

struct Counts {
    tests: usize,
    failures: usize,
    skipped: usize,
    ms: u64,
}

fn count<'a>(steps: impl Iterator<Item = &'a StepResult>) -> Counts {
    let mut c = Counts {
        tests: 0,
        failures: 0,
        skipped: 0,
        ms: 0,
    };
    for s in steps {
        c.tests += 1;
        c.ms += s.duration_ms;
        match s.outcome {
            Outcome::Failed => c.failures += 1,
            Outcome::Skipped | Outcome::Cancelled => c.skipped += 1,
            Outcome::Passed => {}
        }
    }
    c
}

fn failure_text(s: &StepResult) -> String {
    let mut t = s.message.clone().unwrap_or_default();
    if let Some(x) = &s.exchange {
        t.push_str("\n\nRequest:\n");
        t.push_str(&x.request);
        for l in &x.request_lines {
            t.push('\n');
            t.push_str(l);
        }
        if let Some(status) = x.status {
            t.push_str(&format!("\n\nResponse ({status}):\n{}", x.response));
        }
    }
    scrub::text(&t)
}

pub fn render(r: &RunReport) -> String {
    let all = count(r.iterations.iter().flat_map(|i| &i.steps));
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str(&format!(
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"{}\">\n",
        escape(&r.flow),
        all.tests,
        all.failures,
        all.skipped,
        secs(r.duration_ms)
    ));
    for account in &r.accounts {
        let its: Vec<_> = r.iterations_of(account).collect();
        let c = count(its.iter().flat_map(|i| &i.steps));
        x.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"{}\" timestamp=\"{}\">\n",
            escape(account),
            c.tests,
            c.failures,
            c.skipped,
            secs(c.ms),
            escape(&r.started_at)
        ));
        if let Some(id) = its.iter().find_map(|i| i.account_id.as_ref()) {
            x.push_str(&format!(
                "    <properties><property name=\"account_id\" value=\"{}\"/></properties>\n",
                escape(id)
            ));
        }
        for it in &its {
            for s in &it.steps {
                x.push_str(&format!(
                    "    <testcase classname=\"{}.{}\" name=\"loop {} · {}. {}\" time=\"{}\"",
                    escape(&r.flow),
                    escape(account),
                    it.loop_index,
                    s.index,
                    escape(&s.label),
                    secs(s.duration_ms)
                ));
                match s.outcome {
                    Outcome::Passed => x.push_str("/>\n"),
                    Outcome::Failed => x.push_str(&format!(
                        ">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>\n",
                        escape(&scrub::text(s.message.as_deref().unwrap_or("failed"))),
                        escape(&s.kind),
                        escape(&failure_text(s))
                    )),
                    Outcome::Skipped => x.push_str(
                        ">\n      <skipped message=\"an earlier step of this loop failed\"/>\n    </testcase>\n",
                    ),
                    Outcome::Cancelled => x.push_str(
                        ">\n      <skipped message=\"cancelled\"/>\n    </testcase>\n",
                    ),
                }
            }
        }
        x.push_str("  </testsuite>\n");
    }
    x.push_str("</testsuites>\n");
    x
}
