//! The QA flow runner: a flow file (YAML) of install → assert → call →
//! refresh → expire → uninstall → wait-for-event steps, run over a list of
//! accounts and a number of loops, with a report (Markdown + SVG chart, JUnit
//! XML) of every step's timing and, on failure, the request and response.
//!
//! Layout: `flow` + `flow_de` (the file format and its located errors),
//! `captures` + `capture_de` + `capture_scope` (values a step saves for the
//! later steps, `{{name}}`, checked while parsing), `check` (assertions on
//! JSON bodies), `browser` (the unattended "browser" that follows the
//! authorize URL to the loopback callback), `run` + `steps`
//! (the runner, which drives the local sandbox through
//! [`crate::local::control`]), `result` (what a run produced), `report`
//! (Markdown, SVG, JUnit; secrets masked), `files` (a project's flows and
//! reports folders) and `record` + `record_render` + `record_captures` +
//! `record_literals` (a flow recorded from the desktop's Install and API
//! screens).
//!
//! Invariants: a failing step never stops other accounts or loops unless the
//! flow says `stop_on_failure`; after a failure the rest of that loop's steps
//! are skipped (they depend on it); a cancel ends the run between steps (or
//! inside a wait) and the report still holds what ran; no report holds a
//! token, key or code whole (`report::scrub`).

pub mod browser;
mod capture_de;
mod capture_scope;
pub mod captures;
pub mod check;
mod events;
pub mod files;
pub mod flow;
mod flow_de;
mod install_step;
pub mod record;
mod record_captures;
mod record_literals;
mod record_render;
pub mod report;
pub mod result;
pub mod run;
mod steps;

use crate::error::{Coded, ErrorCode, ErrorPayload};

/// Why a run could not start (a step's failure is a result, not an error).
#[derive(Debug, thiserror::Error)]
pub enum QaError {
    #[error(transparent)]
    Syntax(#[from] flow::FlowSyntaxError),
    #[error("{}", .0.message)]
    Setup(ErrorPayload),
    #[error(transparent)]
    Control(#[from] crate::local::control::ControlError),
}

impl Coded for QaError {
    fn code(&self) -> ErrorCode {
        match self {
            QaError::Syntax(_) => ErrorCode::QaFlowInvalid,
            QaError::Setup(p) => p.code,
            QaError::Control(_) => ErrorCode::Network,
        }
    }
}

impl QaError {
    pub fn setup(code: ErrorCode, message: impl Into<String>) -> Self {
        QaError::Setup(ErrorPayload {
            code,
            message: message.into(),
        })
    }
}

#[cfg(test)]
mod flow_tests;
#[cfg(test)]
mod record_capture_tests;
#[cfg(test)]
mod record_tests;
#[cfg(test)]
mod run_tests;
