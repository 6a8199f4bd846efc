//! What a run produced: for each (account, loop) the steps with their outcome
//! and timing, and for a failed step the request and response (masked).
//! Serialized as-is for `qa run --json` and the desktop.
//!
//! Invariant: `Exchange` holds only masked values (built through
//! `report::scrub`), so serializing a result can't leak a secret.

use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export, export_to = "QaOutcome.ts", rename = "QaOutcome")]
pub enum Outcome {
    Passed,
    Failed,
    /// Not run: an earlier step of the same loop failed (or the run stopped).
    Skipped,
    /// Interrupted by a cancel (Ctrl-C).
    Cancelled,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Failed => "failed",
            Outcome::Skipped => "skipped",
            Outcome::Cancelled => "cancelled",
        }
    }
}

/// A request and what came back, as a failure report shows it.
#[derive(Debug, Clone, Default, Serialize, TS)]
#[ts(export, export_to = "QaExchange.ts", rename = "QaExchange")]
pub struct Exchange {
    /// `GET http://127.0.0.1:…/v1/customers?limit=3`, secrets masked.
    pub request: String,
    /// Extra request lines (`Stripe-Account: acct_…`, the flow's hops).
    pub request_lines: Vec<String>,
    pub status: Option<u16>,
    /// The response body, masked and cut to a few KB.
    pub response: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export, export_to = "QaStepResult.ts", rename = "QaStepResult")]
pub struct StepResult {
    /// 1-based position in the flow.
    pub index: usize,
    pub kind: String,
    pub label: String,
    pub outcome: Outcome,
    #[ts(type = "number")]
    pub duration_ms: u64,
    pub message: Option<String>,
    pub exchange: Option<Exchange>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export, export_to = "QaIteration.ts", rename = "QaIteration")]
pub struct Iteration {
    /// The account as the flow names it (`install-2`, `acct_…`).
    pub account: String,
    /// The account the install went into, once known.
    pub account_id: Option<String>,
    /// 1-based.
    pub loop_index: u32,
    #[ts(type = "number")]
    pub duration_ms: u64,
    pub steps: Vec<StepResult>,
}

impl Iteration {
    pub fn passed(&self) -> bool {
        self.steps.iter().all(|s| s.outcome == Outcome::Passed)
    }

    pub fn failed(&self) -> bool {
        self.steps.iter().any(|s| s.outcome == Outcome::Failed)
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export, export_to = "QaRunReport.ts", rename = "QaRunReport")]
pub struct RunReport {
    pub flow: String,
    pub file: String,
    pub started_at: String,
    #[ts(type = "number")]
    pub duration_ms: u64,
    pub developer: String,
    /// `local` for the embedded sandbox, else the developer account's mode.
    pub mode: String,
    pub accounts: Vec<String>,
    pub loops: u32,
    pub step_labels: Vec<String>,
    pub iterations: Vec<Iteration>,
    /// Each loop's wall time across all accounts, in loop order.
    #[ts(type = "Array<number>")]
    pub loop_durations_ms: Vec<u64>,
    pub cancelled: bool,
    /// `stop_on_failure` ended the run early.
    pub stopped: bool,
    /// What the runner did that the reader should know (auto-consent switched off…).
    pub notes: Vec<String>,
}

/// Counts over every step of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export, export_to = "QaTotals.ts", rename = "QaTotals")]
pub struct Totals {
    pub steps: usize,
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
    pub cancelled: usize,
}

impl RunReport {
    /// `account`'s iterations, in loop order.
    pub fn iterations_of<'a>(&'a self, account: &'a str) -> impl Iterator<Item = &'a Iteration> {
        self.iterations.iter().filter(move |i| i.account == account)
    }

    pub fn totals(&self) -> Totals {
        let mut t = Totals::default();
        for s in self.iterations.iter().flat_map(|i| &i.steps) {
            t.steps += 1;
            match s.outcome {
                Outcome::Passed => t.passed += 1,
                Outcome::Failed => t.failed += 1,
                Outcome::Skipped => t.skipped += 1,
                Outcome::Cancelled => t.cancelled += 1,
            }
        }
        t
    }

    /// Every step passed and the run was neither cancelled nor stopped.
    pub fn passed(&self) -> bool {
        !self.cancelled && self.iterations.iter().all(Iteration::passed)
    }

    /// The median of the loop durations.
    pub fn median_loop_ms(&self) -> u64 {
        median(&self.loop_durations_ms)
    }
}

pub fn median(values: &[u64]) -> u64 {
    let mut v = values.to_vec();
    v.sort_unstable();
    match v.len() {
        0 => 0,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2,
    }
}
