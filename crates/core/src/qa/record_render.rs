//! Rendering a recorded journal as flow text: the rules of what a flow can
//! replay (one developer and account per flow, calls as the install or as
//! the developer on it, ids carried only by captures) and how each step is
//! written (values quoted as JSON strings, which YAML reads as double-quoted
//! scalars).
//!
//! Invariant: a literal that only held for the recorded run (an install
//! handle, an account or object id, a secret) never reaches the text, not
//! even in a comment: an id an earlier replayed step returned becomes
//! `{{name}}` (that step gets the `save:`, `record_captures`), any other id is
//! described (`<a cus_… id of the recorded sandbox's data>`) and its call
//! kept as a comment; secrets are `…` in comments and [`WITHHELD`] in
//! parameters. The steps are kept as pieces until the end, because a step's
//! `save:` is known only once a later call uses what it returned.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use super::record::{Caller, Entry, RecordError, RecordedCall, RecordedInstall, WITHHELD};
use super::record_captures::{Captures, Given};
use super::record_literals::{looks_like_id, pointer_text, q, secret_param, wrap};

struct Current {
    install: String,
    account_id: String,
}

/// Rendered text: a comment, or a step with the place its `save:` line goes.
struct Piece {
    text: String,
    /// Byte offset of the `save:` line in `text` (call steps only).
    save_at: Option<usize>,
    saves: Vec<(String, String)>,
}

impl Piece {
    fn render(self) -> String {
        match self.save_at.filter(|_| !self.saves.is_empty()) {
            None => self.text,
            Some(at) => {
                let list: Vec<String> = self
                    .saves
                    .iter()
                    .map(|(name, pointer)| format!("{name}: {}", pointer_text(pointer)))
                    .collect();
                format!(
                    "{}      save: {{{}}}\n{}",
                    &self.text[..at],
                    list.join(", "),
                    &self.text[at..]
                )
            }
        }
    }
}

pub(super) struct Renderer<'a> {
    labels: &'a HashMap<String, String>,
    pieces: Vec<Piece>,
    /// The piece of each step (1-based), for its `save:`.
    step_piece: HashMap<usize, usize>,
    steps: usize,
    developer: Option<String>,
    account: Option<String>,
    current: Option<Current>,
    /// Installs into another account than the flow's: their calls are skipped too.
    foreign: HashSet<String>,
    /// Ids the replayed calls returned, and the captures given to them.
    captures: Captures,
}

impl<'a> Renderer<'a> {
    pub(super) fn new(labels: &'a HashMap<String, String>) -> Self {
        Renderer {
            labels,
            pieces: Vec::new(),
            step_piece: HashMap::new(),
            steps: 0,
            developer: None,
            account: None,
            current: None,
            foreign: HashSet::new(),
            captures: Captures::default(),
        }
    }

    fn label(&self, account_id: &str) -> String {
        self.labels
            .get(account_id)
            .cloned()
            .unwrap_or_else(|| account_id.to_string())
    }

    fn step(&mut self, origin: String, body: &str) {
        self.step_saving(origin, body, None);
    }

    /// A step whose `save:` line, if a later call needs one, goes at byte
    /// `save_at` of `body`.
    fn step_saving(&mut self, origin: String, body: &str, save_at: Option<usize>) {
        self.steps += 1;
        let mut text = format!("  # {}. {origin}\n", self.steps);
        let save_at = save_at.map(|at| text.len() + at);
        text.push_str(body);
        self.step_piece.insert(self.steps, self.pieces.len());
        self.pieces.push(Piece {
            text,
            save_at,
            saves: Vec::new(),
        });
    }

    fn skip(&mut self, origin: String, why: &str) {
        let mut text = format!("  # not replayed: {origin}\n");
        for line in wrap(why, 74) {
            let _ = writeln!(text, "  #   {line}");
        }
        self.pieces.push(Piece {
            text,
            save_at: None,
            saves: Vec::new(),
        });
    }

    /// The step that returned a value saves it under its name (once).
    fn save(&mut self, g: &Given) {
        if let Some(&i) = self.step_piece.get(&g.step).filter(|_| g.new) {
            self.pieces[i]
                .saves
                .push((g.name.clone(), g.pointer.clone()));
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
        head.push_str("# runner can't replay is kept as a comment with the reason. No id that\n");
        head.push_str(
            "# only existed in the recorded run is written here: an id an earlier step\n",
        );
        head.push_str("# returned is saved there (`save:`) and used as `{{name}}`.\n");
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
        Ok(self
            .pieces
            .into_iter()
            .fold(head, |out, p| out + &p.render()))
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

    /// `API screen, 02:30:04: GET /v1/customers/… (k=v) → 200`, with the
    /// path and parameter values as `shown` renders them.
    fn origin(&self, c: &RecordedCall, path: &str, params: &[String]) -> String {
        format!(
            "API screen, {}: {} {path}{} → {}",
            c.at.format("%H:%M:%S"),
            c.method,
            if params.is_empty() {
                String::new()
            } else {
                format!(" ({})", params.join(", "))
            },
            c.status
        )
    }

    fn call(&mut self, c: &RecordedCall) {
        // Described, for a comment: what no capture can carry is pushed on `ids`.
        let mut ids = Vec::new();
        let path = self.describe_ids(&c.path, &mut ids);
        let params: Vec<String> = c
            .params
            .iter()
            .map(|(k, v)| match secret_param(k, v) {
                true => format!("{k}=…"),
                false => format!("{k}={}", self.describe_ids(v, &mut ids)),
            })
            .collect();
        let as_developer = match self.credential(c) {
            Ok(d) => d,
            Err(why) => return self.skip(self.origin(c, &path, &params), &why),
        };
        if let Some(why) = self.unreplayable(c, &ids) {
            return self.skip(self.origin(c, &path, &params), &why);
        }
        // Replayed: the ids earlier steps returned become captures.
        let path = self.capture_ids(&c.path);
        let mut shown = Vec::new();
        let mut body = format!(
            "  - call:\n      method: {}\n      path: {}\n",
            c.method,
            q(&path)
        );
        let mut withheld = Vec::new();
        if !c.params.is_empty() {
            body.push_str("      params:\n");
            for (k, v) in &c.params {
                let v = if secret_param(k, v) {
                    withheld.push(k.as_str());
                    shown.push(format!("{k}=…"));
                    WITHHELD.to_string()
                } else {
                    let v = self.capture_ids(v);
                    shown.push(format!("{k}={v}"));
                    v
                };
                let _ = writeln!(body, "        {}: {}", q(k), q(&v));
            }
        }
        if as_developer {
            body.push_str("      as: developer\n");
        }
        let mut note = String::new();
        if !withheld.is_empty() {
            let _ = writeln!(note, "  # the value of {} was a secret: it is not written into a flow, the call sends a placeholder", withheld.join(", "));
        }
        let save_at = note.len() + body.len();
        let _ = writeln!(body, "      expect: {{status: {}}}", c.status);
        let origin = self.origin(c, &path, &shown);
        self.step_saving(origin, &(note + &body), Some(save_at));
        self.captures.returned_by(self.steps, &c.returned);
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
                "it names {} that only existed in the recorded run, and no earlier replayed step returned it (a capture carries only a value an earlier step's response held), so the literal is left out; list or create the object in an earlier step while recording.",
                ids.join(" and ")
            ));
        }
        None
    }

    /// `text` with every object id replaced by what it stands for; each id
    /// no capture can carry is described and pushed on `found`.
    fn describe_ids(&self, text: &str, found: &mut Vec<String>) -> String {
        let mut out = Vec::new();
        for part in text.split('/') {
            if let Some(step) = self.captures.source_step(part) {
                out.push(format!("<the id returned by step {step}>"));
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

    /// `text` with every id an earlier replayed step returned replaced by its
    /// capture, which that step then saves.
    fn capture_ids(&mut self, text: &str) -> String {
        let mut out = Vec::new();
        for part in text.split('/') {
            match self.captures.name(part) {
                Some(g) => {
                    out.push(format!("{{{{{}}}}}", g.name));
                    self.save(&g);
                }
                None => out.push(part.to_string()),
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
