//! A QA flow: the steps a tester repeats (install, assert, call, refresh,
//! expire, uninstall, wait for an event), over a list of accounts and a number
//! of loops. Written in YAML (documented in `flows/README.md`, JSON schema in
//! `flows/flow.schema.json`).
//!
//! Invariants: a flow that parses is runnable as far as its own text goes:
//! unknown keys, a step without its required fields, a bad regex, a JSON
//! pointer without its leading `/`, zero loops or an account that is neither
//! `install-N` nor `acct_…`, and a `{{name}}` that no earlier step saves are
//! all refused while parsing, each with the line and column it sits at
//! ([`FlowSyntaxError`]). Why YAML through
//! `serde_norway`: a maintained fork of `serde_yaml` that keeps libyaml's
//! marks, so errors raised inside our own visitors are located too.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use super::capture_de::Saves;
pub use super::flow_de::{AccountSpec, JsonCheck, JsonTest, Params, Pattern, Pointer};

/// A whole flow file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flow {
    /// A title for reports (JUnit's testsuites name).
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    /// The developer account (profile name) whose key exchanges codes and
    /// refreshes tokens; `local` is the embedded sandbox.
    #[serde(default = "default_developer")]
    pub developer: String,
    /// The accounts to install into: `install-N` (the sandbox's Nth install
    /// account) or an account id `acct_…`. Default: `[install-1]`.
    #[serde(default = "default_accounts")]
    pub accounts: Vec<AccountSpec>,
    /// How many times the steps run for each account.
    #[serde(default = "one", deserialize_with = "super::flow_de::loops")]
    pub loops: u32,
    /// Stop everything at the first failing step (default: isolate failures
    /// per account and loop).
    #[serde(default)]
    pub stop_on_failure: bool,
    /// Keep the installs' local records and tokens after each loop (default:
    /// forgotten at the end of each loop, so a QA run leaves no tokens).
    #[serde(default)]
    pub keep_installs: bool,
    /// How long an install waits for consent (real accounts pause for a human).
    #[serde(default = "default_consent_timeout")]
    pub consent_timeout_secs: u64,
    #[serde(deserialize_with = "super::flow_de::steps")]
    pub steps: Vec<Step>,
}

fn default_developer() -> String {
    crate::accounts::LOCAL_ACCOUNT.to_string()
}
fn default_accounts() -> Vec<AccountSpec> {
    vec![AccountSpec::Install(1)]
}
fn one() -> u32 {
    1
}
fn default_consent_timeout() -> u64 {
    300
}

/// One step. Written `- uninstall` (no options) or `- call: {…}`.
#[derive(Debug, Clone)]
pub enum Step {
    Install(InstallStep),
    AssertInstall(AssertInstallStep),
    Call(CallStep),
    Refresh,
    Expire(ExpireStep),
    Uninstall,
    WaitEvent(WaitEventStep),
}

/// The step names, as written in a flow.
/// The most loops a flow (or an override) may ask for.
pub const MAX_LOOPS: u32 = 10_000;

/// `n` as a number of loops, or why not (1 to [`MAX_LOOPS`]).
pub fn check_loops(n: i64) -> Result<u32, String> {
    u32::try_from(n)
        .ok()
        .filter(|n| (1..=MAX_LOOPS).contains(n))
        .ok_or_else(|| format!("loops must be from 1 to {MAX_LOOPS} (got {n})"))
}

pub const STEP_NAMES: &[&str] = &[
    "install",
    "assert_install",
    "call",
    "refresh",
    "expire",
    "uninstall",
    "wait_event",
];

impl Step {
    pub fn kind(&self) -> &'static str {
        match self {
            Step::Install(_) => "install",
            Step::AssertInstall(_) => "assert_install",
            Step::Call(_) => "call",
            Step::Refresh => "refresh",
            Step::Expire(_) => "expire",
            Step::Uninstall => "uninstall",
            Step::WaitEvent(_) => "wait_event",
        }
    }

    /// What reports call the step: its `name`, else a description.
    pub fn label(&self) -> String {
        match self {
            Step::Install(s) => s.name.clone().unwrap_or_else(|| {
                if s.platform {
                    "install (platform link)"
                } else {
                    "install (OAuth)"
                }
                .into()
            }),
            Step::AssertInstall(s) => s.name.clone().unwrap_or_else(|| "assert install".into()),
            Step::Call(s) => s
                .name
                .clone()
                .unwrap_or_else(|| format!("{} {}", s.method.as_str(), s.path)),
            Step::Refresh => "refresh tokens".into(),
            Step::Expire(s) => format!("expire (clock +{}s)", s.seconds),
            Step::Uninstall => "uninstall".into(),
            Step::WaitEvent(s) => s
                .name
                .clone()
                .unwrap_or_else(|| format!("wait for {}", s.event_type)),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InstallStep {
    pub name: Option<String>,
    /// A platform install link instead of OAuth.
    pub platform: bool,
    /// A loopback redirect URI from the manifest (default: the first loopback one).
    pub redirect_uri: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AssertInstallStep {
    pub name: Option<String>,
    /// Permissions that must be granted (checked with the sandbox's control API).
    pub permissions: Vec<String>,
    /// Also fail when more than these are granted.
    pub exact: bool,
    pub livemode: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Method {
    #[serde(alias = "get")]
    GET,
    #[serde(alias = "post")]
    POST,
    #[serde(alias = "delete")]
    DELETE,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::GET => "GET",
            Method::POST => "POST",
            Method::DELETE => "DELETE",
        }
    }
}

/// Whose credential a call uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallAs {
    /// The install's OAuth access token (refreshed when expired or rejected).
    #[default]
    Install,
    /// The developer's key with `Stripe-Account` set to the installed account.
    Developer,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallStep {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default = "get")]
    pub method: Method,
    #[serde(deserialize_with = "super::flow_de::api_path")]
    pub path: String,
    #[serde(default)]
    pub params: Params,
    #[serde(default, rename = "as")]
    pub call_as: CallAs,
    /// Values of the response kept for the later steps of the iteration
    /// (`{customer: /id}`, used as `{{customer}}`; see `captures`).
    #[serde(default)]
    pub save: Saves,
    #[serde(default)]
    pub expect: Expect,
}

fn get() -> Method {
    Method::GET
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Expect {
    /// The status the API must answer (default: any 2xx).
    pub status: Option<u16>,
    /// Whether the call must (or must not) have refreshed an expired token.
    pub refreshed: Option<bool>,
    /// Checks on the JSON body.
    pub json: Vec<JsonCheck>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExpireStep {
    /// How far the sandbox clock moves (default: an access token's lifetime + 60 s).
    pub seconds: u64,
}

impl Default for ExpireStep {
    fn default() -> Self {
        ExpireStep {
            seconds: crate::installs::ACCESS_TOKEN_LIFETIME_SECS as u64 + 60,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaitEventStep {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(rename = "type")]
    pub event_type: String,
    #[serde(default = "default_wait")]
    pub timeout_secs: u64,
}

fn default_wait() -> u64 {
    10
}

/// A malformed flow: where, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct FlowSyntaxError {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for FlowSyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

/// Parses a flow's text; `file` is only used in errors.
pub fn parse(text: &str, file: &Path) -> Result<Flow, FlowSyntaxError> {
    // Captures are checked against the names earlier steps save: see `capture_scope`.
    super::capture_scope::scoped(|| serde_norway::from_str::<Flow>(text)).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line().max(1), l.column().max(1)))
            .unwrap_or((1, 1));
        // The position is ours to print, once, in front: drop libyaml's
        // " at line L column C" (a scanner error carries two).
        let at = regex::Regex::new(r" at line \d+ column \d+").expect("a static regex");
        let message = at.replace_all(&e.to_string(), "").into_owned();
        FlowSyntaxError {
            file: file.to_path_buf(),
            line,
            column,
            message,
        }
    })
}

/// Reads and parses a flow file. An unreadable file is reported at 1:1.
pub fn load(path: &Path) -> Result<Flow, FlowSyntaxError> {
    let text = std::fs::read_to_string(path).map_err(|e| FlowSyntaxError {
        file: path.to_path_buf(),
        line: 1,
        column: 1,
        message: format!("cannot read the flow: {e}"),
    })?;
    parse(&text, path)
}
