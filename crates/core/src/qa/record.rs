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
//! no account or object id (an id an earlier replayed call's response
//! returned is carried by a capture, `save:` there and `{{name}}` here; a call
//! that names any other id stays a comment and says so, with the id left
//! out), and a parameter that carries a secret (`payload` of the Secret Store,
//! anything shaped like a key or token) is sent as a placeholder. The journal
//! keeps the ids a response returned (and where), never the response. A step the
//! runner could not replay (a call on the developer's own account, a raw body,
//! an install into a second account) is kept as a comment with the reason,
//! never dropped silently. Why in core: what a flow can express is a domain
//! rule; the desktop shell only appends to the journal.

use std::collections::HashMap;
use std::path::Path;

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
    /// The object ids a 2xx response returned, where, and of what type.
    pub returned: Vec<ReturnedId>,
    pub at: DateTime<Utc>,
}

/// An object id in a response: its `id`, the JSON pointer to it, and the
/// object's `object` (its type), when it has one.
#[derive(Debug, Clone, PartialEq)]
pub struct ReturnedId {
    pub id: String,
    pub pointer: String,
    pub object: Option<String>,
}

/// How many ids of one response are kept, and how deep they are looked for:
/// enough for a page of a list, bounded for a huge one.
const RETURNED_MAX: usize = 200;
const RETURNED_DEPTH: usize = 6;

/// Every object's `id` in `v`, in document order (an object's own id before
/// the ids inside it).
fn returned_ids(v: &serde_json::Value, pointer: &str, depth: usize, out: &mut Vec<ReturnedId>) {
    use serde_json::Value;
    if depth > RETURNED_DEPTH || out.len() >= RETURNED_MAX {
        return;
    }
    match v {
        Value::Object(map) => {
            if let Some(id) = map.get("id").and_then(Value::as_str) {
                out.push(ReturnedId {
                    id: id.to_string(),
                    pointer: format!("{pointer}/id"),
                    object: map
                        .get("object")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                });
            }
            for (k, item) in map.iter().filter(|(k, _)| k.as_str() != "id") {
                // RFC 6901: `~` and `/` in a key are escaped.
                let key = k.replace('~', "~0").replace('/', "~1");
                returned_ids(item, &format!("{pointer}/{key}"), depth + 1, out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                returned_ids(item, &format!("{pointer}/{i}"), depth + 1, out);
            }
        }
        _ => {}
    }
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
        let mut returned = Vec::new();
        if let Some(v) = (200..300)
            .contains(&status)
            .then(|| serde_json::from_str::<serde_json::Value>(body).ok())
            .flatten()
        {
            returned_ids(&v, "", 0, &mut returned);
        }
        self.entries.push(Entry::Call(RecordedCall {
            method: req.method.to_ascii_uppercase(),
            path: req.path.clone(),
            params: req.params.clone(),
            raw_body: req.raw_body.as_deref().is_some_and(|b| !b.is_empty()),
            stripe_account: req.stripe_account.clone(),
            caller,
            status,
            returned,
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
        let r = super::record_render::Renderer::new(labels).render(name, &self.entries)?;
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

/// What a secret parameter is sent as: a flow never holds the recorded value.
pub const WITHHELD: &str = "recorded-secret-withheld";
