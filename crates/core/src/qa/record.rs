//! Recording a flow from what a user just did in the desktop's Install and
//! API screens: a [`Journal`] of installs (OAuth or platform link, with the
//! redirect URI the user chose), API calls (as an install, or as the
//! developer on the installed account, with the status seen) and token
//! refreshes, rendered as a flow file (YAML) with a comment on every step
//! naming where it came from.
//!
//! Invariants: what [`Journal::render`] returns parses with [`flow::parse`]
//! (checked before it is returned); nothing that only held for the run that
//! was recorded is written as a literal: no install handle, no token or key,
//! no object id an earlier call created (the flow language has no captures,
//! so a call that needs one stays a comment and says so, with the id left
//! out), and a parameter that carries a secret (`payload` of the Secret Store,
//! anything shaped like a key or token) is sent as a placeholder. A step the
//! runner could not replay (a call on the developer's own account, a raw body,
//! an install into a second account) is kept as a comment with the reason,
//! never dropped silently. Why in core: what a flow can express is a domain
//! rule; the desktop shell only appends to the journal.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};

use super::flow;
use crate::console::request::{ApiRequest, AuthAs};
use crate::context::Context;
use crate::error::{Coded, ErrorCode};
use crate::installs::{self, InstallRecord};

/// What a flow cannot replay and why recording refuses to save.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("nothing recorded that a flow can replay: install the app (Install screen) and call the API as that install (API screen) while recording is on")]
    Empty,
    #[error("the recorded flow does not parse back ({0}); this is a bug in the recorder")]
    Unparsable(String),
    #[error("{0} already exists; pick another name")]
    Exists(String),
    #[error("cannot write {path}: {reason}")]
    Io { path: String, reason: String },
}

impl Coded for RecordError {
    fn code(&self) -> ErrorCode {
        match self {
            RecordError::Empty | RecordError::Exists(_) => ErrorCode::InvalidInput,
            RecordError::Unparsable(_) => ErrorCode::Internal,
            RecordError::Io { .. } => ErrorCode::ConfigIo,
        }
    }
}

/// Who made a recorded call, resolved when it was made.
#[derive(Debug, Clone, PartialEq)]
pub enum Caller {
    /// An install's token: its handle, the developer account that made it and
    /// the account it went into.
    Install {
        install: String,
        developer: String,
        account_id: String,
    },
    /// An account profile's key (with `Stripe-Account` when the request set it).
    Account { name: String },
    /// An install or account that no longer exists.
    Unknown,
}

impl Caller {
    /// Resolves the request's credential the way the console would use it.
    pub fn of(ctx: &Context, auth: &AuthAs) -> Caller {
        match auth {
            AuthAs::Install { install } => match installs::get(ctx, install) {
                Ok(r) => Caller::Install {
                    install: r.install,
                    developer: r.account,
                    account_id: r.stripe_user_id,
                },
                Err(_) => Caller::Unknown,
            },
            AuthAs::Account { name } => match crate::accounts::resolve(ctx, name.as_deref()) {
                Ok(p) => Caller::Account { name: p.name },
                Err(_) => Caller::Unknown,
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RecordedInstall {
    pub install: String,
    pub developer: String,
    pub account_id: String,
    pub platform: bool,
    /// As the user chose it (`None`: the manifest's first loopback one).
    pub redirect_uri: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RecordedCall {
    pub method: String,
    pub path: String,
    pub params: Vec<(String, String)>,
    pub raw_body: bool,
    pub stripe_account: Option<String>,
    pub caller: Caller,
    pub status: u16,
    /// The id of the object the call created (a 2xx POST's top-level `id`).
    pub created: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    Install(RecordedInstall),
    Call(RecordedCall),
    Refresh { install: String, at: DateTime<Utc> },
}

/// The steps recorded so far, in the order they happened.
#[derive(Debug, Default)]
pub struct Journal {
    entries: Vec<Entry>,
    /// Install flows started while recording, by flow id: the redirect URI asked for.
    pending: HashMap<String, Option<String>>,
}

impl Journal {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// An install flow started (its outcome comes later, by the same id).
    pub fn install_started(&mut self, flow: &str, redirect_uri: Option<String>) {
        self.pending.insert(flow.to_string(), redirect_uri);
    }

    /// An install flow ended well; flows not started while recording are ignored.
    pub fn install_finished(&mut self, flow: &str, rec: &InstallRecord, at: DateTime<Utc>) {
        if let Some(redirect_uri) = self.pending.remove(flow) {
            self.entries.push(Entry::Install(RecordedInstall {
                install: rec.install.clone(),
                developer: rec.account.clone(),
                account_id: rec.stripe_user_id.clone(),
                platform: rec.kind == "platform",
                redirect_uri,
                at,
            }));
        }
    }

    /// An install flow failed or was cancelled: nothing to replay.
    pub fn install_abandoned(&mut self, flow: &str) {
        self.pending.remove(flow);
    }

    pub fn call(
        &mut self,
        req: &ApiRequest,
        caller: Caller,
        status: u16,
        body: &str,
        at: DateTime<Utc>,
    ) {
        let created = (req.method.eq_ignore_ascii_case("POST") && (200..300).contains(&status))
            .then(|| serde_json::from_str::<serde_json::Value>(body).ok())
            .flatten()
            .and_then(|v| v["id"].as_str().map(str::to_string));
        self.entries.push(Entry::Call(RecordedCall {
            method: req.method.to_ascii_uppercase(),
            path: req.path.clone(),
            params: req.params.clone(),
            raw_body: req.raw_body.as_deref().is_some_and(|b| !b.is_empty()),
            stripe_account: req.stripe_account.clone(),
            caller,
            status,
            created,
            at,
        }));
    }

    pub fn refresh(&mut self, install: &str, at: DateTime<Utc>) {
        self.entries.push(Entry::Refresh {
            install: install.to_string(),
            at,
        });
    }

    /// The flow file. `labels` names sandbox accounts (`acct_…` → `install-N`),
    /// so a flow recorded against one sandbox runs against a fresh one.
    pub fn render(
        &self,
        name: &str,
        labels: &HashMap<String, String>,
    ) -> Result<String, RecordError> {
        let r = Renderer::new(labels).render(name, &self.entries)?;
        flow::parse(&r, Path::new("recorded.yaml"))
            .map_err(|e| RecordError::Unparsable(e.to_string()))?;
        Ok(r)
    }
}

/// Writes a rendered flow to `path`, refusing to replace an existing file.
pub fn save(path: &Path, text: &str) -> Result<(), RecordError> {
    let io = |e: std::io::Error| RecordError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let mut f = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(RecordError::Exists(path.display().to_string()))
        }
        Err(e) => return Err(io(e)),
    };
    std::io::Write::write_all(&mut f, text.as_bytes()).map_err(io)
}

/// A value in a flow: a JSON string is a valid YAML double-quoted scalar.
fn q(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

fn id_shape() -> &'static regex::Regex {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*_[A-Za-z0-9]{8,}$")
            .expect("a static regex")
    })
}

/// `cus_N1b2…`: a prefix, then a random tail with a digit or a capital (so
/// `payment_intent_succeeded` is not an id).
fn looks_like_id(s: &str) -> bool {
    id_shape().is_match(s)
        && s.rsplit('_').next().is_some_and(|t| {
            t.chars()
                .any(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        })
}

/// Parameters whose value is a secret by name (the Secret Store's `payload`).
fn secret_param(key: &str, value: &str) -> bool {
    let k = key.to_ascii_lowercase();
    ["payload", "secret", "password", "token"]
        .iter()
        .any(|w| k == *w || k.ends_with(&format!("[{w}]")) || k.ends_with(&format!("_{w}")))
        || super::report::scrub::text(value) != value
}

pub const WITHHELD: &str = "recorded-secret-withheld";

struct Current {
    install: String,
    account_id: String,
}

struct Renderer<'a> {
    labels: &'a HashMap<String, String>,
    out: String,
    steps: usize,
    developer: Option<String>,
    account: Option<String>,
    current: Option<Current>,
    /// Installs into another account than the flow's: their calls are skipped too.
    foreign: HashSet<String>,
    /// Object ids created by earlier calls, with the step (1-based) that made them.
    created: HashMap<String, usize>,
}

impl<'a> Renderer<'a> {
    fn new(labels: &'a HashMap<String, String>) -> Self {
        Renderer {
            labels,
            out: String::new(),
            steps: 0,
            developer: None,
            account: None,
            current: None,
            foreign: HashSet::new(),
            created: HashMap::new(),
        }
    }

    fn label(&self, account_id: &str) -> String {
        self.labels
            .get(account_id)
            .cloned()
            .unwrap_or_else(|| account_id.to_string())
    }

    fn step(&mut self, origin: String, body: &str) {
        self.steps += 1;
        let _ = writeln!(self.out, "  # {}. {origin}", self.steps);
        self.out.push_str(body);
    }

    fn skip(&mut self, origin: String, why: &str) {
        let _ = writeln!(self.out, "  # not replayed: {origin}");
        for line in wrap(why, 74) {
            let _ = writeln!(self.out, "  #   {line}");
        }
    }

    /// Makes `install` the flow's account, when none is chosen yet.
    fn adopt(&mut self, developer: &str, account_id: &str) -> bool {
        match (&self.developer, &self.account) {
            (None, None) => {
                self.developer = Some(developer.to_string());
                self.account = Some(account_id.to_string());
                true
            }
            (Some(d), Some(a)) => d == developer && a == account_id,
            _ => false,
        }
    }

    fn render(mut self, name: &str, entries: &[Entry]) -> Result<String, RecordError> {
        for e in entries {
            match e {
                Entry::Install(i) => self.install(i),
                Entry::Call(c) => self.call(c),
                Entry::Refresh { install, at } => self.refresh(install, *at),
            }
        }
        if self.steps == 0 {
            return Err(RecordError::Empty);
        }
        let developer = self
            .developer
            .clone()
            .unwrap_or_else(|| crate::accounts::LOCAL_ACCOUNT.into());
        let account = self
            .account
            .clone()
            .map(|a| self.label(&a))
            .unwrap_or_else(|| "install-1".into());
        let first = entries
            .iter()
            .map(|e| match e {
                Entry::Install(i) => i.at,
                Entry::Call(c) => c.at,
                Entry::Refresh { at, .. } => *at,
            })
            .next()
            .unwrap_or_default();
        let mut head = String::new();
        let _ = writeln!(
            head,
            "# Recorded in Appdeck's Install and API screens on {} UTC.",
            first.format("%Y-%m-%d %H:%M")
        );
        head.push_str(
            "# Each step's comment names the screen and the time it was done; what the\n",
        );
        head.push_str(
            "# runner can't replay is kept as a comment with the reason. Flows have no\n",
        );
        head.push_str("# captures (a value an earlier step returned can't be reused), so no id\n");
        head.push_str("# that only existed in the recorded run is written here.\n");
        head.push_str(
            "# The format is Appdeck's flows/README.md; run it on the QA screen or with\n",
        );
        head.push_str("# `appdeck qa run <this file>`.\n");
        let _ = writeln!(head, "name: {}", q(name));
        let _ = writeln!(
            head,
            "description: {}",
            q("recorded from the Install and API screens")
        );
        let _ = writeln!(head, "developer: {}", q(&developer));
        let _ = writeln!(head, "accounts: [{}]", q(&account));
        head.push_str("loops: 1\nsteps:\n");
        Ok(head + &self.out)
    }

    fn install(&mut self, i: &RecordedInstall) {
        let how = if i.platform { "platform link" } else { "OAuth" };
        let origin = format!(
            "Install screen, {}: {how} install into {} as {}",
            i.at.format("%H:%M:%S"),
            self.label(&i.account_id),
            i.developer
        );
        if !self.adopt(&i.developer, &i.account_id) {
            self.foreign.insert(i.install.clone());
            return self.skip(origin, "a flow repeats the same steps in each of its accounts, with one developer; this install went into another account (or as another developer) than the flow's first one. Record one account at a time, or add it to `accounts:`.");
        }
        let mut opts = Vec::new();
        if i.platform {
            opts.push("      platform: true\n".to_string());
        }
        let mut note = None;
        match &i.redirect_uri {
            Some(u) if crate::oauth::loopback::LoopbackSpec::from_redirect_uri(u).is_some() => {
                opts.push(format!("      redirect_uri: {}\n", q(u)));
            }
            Some(u) => note = Some(format!("  # the recorded install used {u}, which is not loopback: the runner catches the callback on the manifest's first loopback redirect URI instead\n")),
            None => {}
        }
        let body = if opts.is_empty() {
            "  - install\n".to_string()
        } else {
            format!("  - install:\n{}", opts.concat())
        };
        self.step(origin, &format!("{}{body}", note.unwrap_or_default()));
        self.current = Some(Current {
            install: i.install.clone(),
            account_id: i.account_id.clone(),
        });
    }

    /// `Some(reason)` when the call can't be a step of this flow; else whether
    /// it is made as the developer (`as: developer`).
    fn credential(&mut self, c: &RecordedCall) -> Result<bool, String> {
        match &c.caller {
            Caller::Install {
                install,
                developer,
                account_id,
            } => {
                if self.foreign.contains(install) {
                    return Err(
                        "it was made as an install into another account than the flow's.".into(),
                    );
                }
                if self
                    .current
                    .as_ref()
                    .is_some_and(|cur| &cur.install == install)
                {
                    return Ok(false);
                }
                if self.current.is_none() && self.adopt(developer, account_id) {
                    // An install made before recording started: the flow installs first.
                    let origin = format!(
                        "(added) the calls below used an install made before recording started, into {} as {developer}; the flow installs first",
                        self.label(account_id)
                    );
                    self.step(origin, "  - install\n");
                    self.current = Some(Current {
                        install: install.clone(),
                        account_id: account_id.clone(),
                    });
                    return Ok(false);
                }
                Err("it was made as another install than the one this flow made (a flow keeps one install per loop).".into())
            }
            Caller::Account { name } => {
                let on_install = match (&self.current, &c.stripe_account) {
                    (Some(cur), Some(sa)) => &cur.account_id == sa,
                    _ => false,
                };
                if on_install && self.developer.as_deref() == Some(name.as_str()) {
                    Ok(true)
                } else {
                    Err(format!("it was made with account {name}'s key{}; a flow calls as the install, or as the developer on the installed account (Stripe-Account).", if c.stripe_account.is_some() { " on another account" } else { " on its own account" }))
                }
            }
            Caller::Unknown => {
                Err("the install or account it was made as no longer exists.".into())
            }
        }
    }

    fn call(&mut self, c: &RecordedCall) {
        let mut ids = Vec::new();
        let path = self.hide_ids(&c.path, &mut ids);
        let shown_params: Vec<String> = c
            .params
            .iter()
            .map(|(k, v)| {
                let v = if secret_param(k, v) {
                    "…".to_string()
                } else {
                    self.hide_ids(v, &mut ids)
                };
                format!("{k}={v}")
            })
            .collect();
        let origin = format!(
            "API screen, {}: {} {}{} → {}",
            c.at.format("%H:%M:%S"),
            c.method,
            path,
            if shown_params.is_empty() {
                String::new()
            } else {
                format!(" ({})", shown_params.join(", "))
            },
            c.status
        );
        let as_developer = match self.credential(c) {
            Ok(d) => d,
            Err(why) => return self.skip(origin, &why),
        };
        if let Some(why) = self.unreplayable(c, &ids) {
            return self.skip(origin, &why);
        }
        let mut body = format!(
            "  - call:\n      method: {}\n      path: {}\n",
            c.method,
            q(&c.path)
        );
        let mut withheld = Vec::new();
        if !c.params.is_empty() {
            body.push_str("      params:\n");
            for (k, v) in &c.params {
                let v = if secret_param(k, v) {
                    withheld.push(k.as_str());
                    WITHHELD
                } else {
                    v.as_str()
                };
                let _ = writeln!(body, "        {}: {}", q(k), q(v));
            }
        }
        if as_developer {
            body.push_str("      as: developer\n");
        }
        let _ = writeln!(body, "      expect: {{status: {}}}", c.status);
        let mut note = String::new();
        if !withheld.is_empty() {
            let _ = writeln!(note, "  # the value of {} was a secret: it is not written into a flow, the call sends a placeholder", withheld.join(", "));
        }
        self.step(origin, &(note + &body));
        if let Some(id) = &c.created {
            self.created.insert(id.clone(), self.steps);
        }
    }

    /// Why a call with an acceptable credential still can't be a step.
    fn unreplayable(&self, c: &RecordedCall, ids: &[String]) -> Option<String> {
        if !matches!(c.method.as_str(), "GET" | "POST" | "DELETE") {
            return Some(format!(
                "flows call with GET, POST or DELETE, not {}.",
                c.method
            ));
        }
        if !(c.path.starts_with("/v1/") || c.path == "/v1") {
            return Some(
                "flows call paths under /v1/ on the account's API base, not full URLs.".into(),
            );
        }
        if c.raw_body {
            return Some("it sent a raw body; flows send parameters only.".into());
        }
        if !ids.is_empty() {
            return Some(format!(
                "it names {} that only existed in the recorded run. Flows have no captures (an id an earlier step returned can't be reused), so the literal is left out; use a list call, or create and check the object in one step.",
                ids.join(" and ")
            ));
        }
        None
    }

    /// `text` with every object id replaced by what it stands for; each
    /// description is pushed on `found`.
    fn hide_ids(&self, text: &str, found: &mut Vec<String>) -> String {
        let mut out = Vec::new();
        for part in text.split('/') {
            if let Some(step) = self.created.get(part) {
                let d = format!("the id created by step {step}");
                out.push(format!("<{d}>"));
                found.push(d);
            } else if looks_like_id(part) || self.created_anywhere(part) {
                let prefix = part.split('_').next().unwrap_or("object");
                let d = format!("a {prefix}_… id of the recorded sandbox's data");
                out.push(format!("<{d}>"));
                found.push(d);
            } else {
                out.push(part.to_string());
            }
        }
        out.join("/")
    }

    fn created_anywhere(&self, part: &str) -> bool {
        self.current
            .as_ref()
            .is_some_and(|c| c.install == part || c.account_id == part)
    }

    fn refresh(&mut self, install: &str, at: DateTime<Utc>) {
        let origin = format!(
            "Install screen, {}: refresh the install's tokens",
            at.format("%H:%M:%S")
        );
        if self.current.as_ref().is_some_and(|c| c.install == install) {
            self.step(origin, "  - refresh\n");
        } else {
            self.skip(
                origin,
                "it refreshed another install than the one this flow made.",
            );
        }
    }
}

/// Splits `text` into lines of at most `width` characters, at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}
