//! Rendering a recorded journal as flow text: the rules of what a flow can
//! replay (one developer and account per flow, calls as the install or as
//! the developer on it, no captures) and how each step is written (values
//! quoted as JSON strings, which YAML reads as double-quoted scalars).
//!
//! Invariant: a literal that only held for the recorded run (an install
//! handle, an object id, a secret) never reaches the text, not even in a
//! comment: ids are described (`<the id created by step 3>`), secrets are
//! `…` in comments and [`WITHHELD`] in parameters.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};

use super::record::{Caller, Entry, RecordError, RecordedCall, RecordedInstall, WITHHELD};

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

struct Current {
    install: String,
    account_id: String,
}

pub(super) struct Renderer<'a> {
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
    pub(super) fn new(labels: &'a HashMap<String, String>) -> Self {
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

    pub(super) fn render(mut self, name: &str, entries: &[Entry]) -> Result<String, RecordError> {
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
