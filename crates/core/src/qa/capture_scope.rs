//! Which capture names a flow may use at each point while it is parsed, so
//! that an unknown name, or one used before (or in the same step as) the step
//! that saves it, fails inside the string visitor on the offending node, with
//! its line and column (the invariant of `flow_de`).
//!
//! Why a parse-scoped thread-local: serde hands a visitor nothing but its
//! input, and the check has to run inside the visitor of the string that uses
//! a name. Passing the names down through `DeserializeSeed` instead would turn
//! `Flow`, `CallStep`, `Expect`, `JsonCheck` and `Params` (derived or small
//! today) into hand-written seeds. The scope is installed by [`scoped`] for
//! one synchronous parse on this thread and removed when it returns (also on
//! panic), so parses on other threads never see it.
//!
//! [`scoped`] parses twice: a first pass only collects every saved name and
//! the step that saves it (its errors are dropped: the second pass meets them
//! again, in document order), so the second pass can say "saved later by step
//! 4" rather than only "unknown". Flows are small; the cost is one more parse.
//!
//! Invariant: outside [`scoped`] no name is known, so a flow deserialized any
//! other way refuses every `{{…}}` instead of letting an unchecked one through.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use super::captures;

#[derive(Default)]
struct Scope {
    /// First pass: still collecting, nothing is checked.
    collecting: bool,
    /// Every name a step saves, with the first step (1-based) saving it.
    anywhere: HashMap<String, usize>,
    /// Names saved by the steps read so far.
    known: HashSet<String>,
    /// Names the step being read saves (usable from the next step on).
    pending: Vec<String>,
    /// The step being read (1-based).
    step: usize,
}

thread_local! {
    static SCOPE: RefCell<Option<Scope>> = const { RefCell::new(None) };
}

/// Removes the scope when the parse ends, however it ends.
struct Installed(Option<Scope>);

impl Drop for Installed {
    fn drop(&mut self) {
        let previous = self.0.take();
        SCOPE.with(|s| *s.borrow_mut() = previous);
    }
}

/// Runs `parse` twice under a fresh scope (collect, then check) and returns
/// the second result.
pub fn scoped<T>(parse: impl Fn() -> T) -> T {
    let previous = SCOPE.with(|s| {
        s.borrow_mut().replace(Scope {
            collecting: true,
            ..Scope::default()
        })
    });
    let _installed = Installed(previous);
    let _ = parse();
    SCOPE.with(|s| {
        if let Some(scope) = s.borrow_mut().as_mut() {
            *scope = Scope {
                anywhere: std::mem::take(&mut scope.anywhere),
                ..Scope::default()
            };
        }
    });
    parse()
}

fn with<R>(f: impl FnOnce(&mut Scope) -> R) -> Option<R> {
    SCOPE.with(|s| s.borrow_mut().as_mut().map(f))
}

/// A step starts (called by the step visitor before it reads anything).
pub fn step_begins() {
    with(|s| {
        s.step += 1;
        s.pending.clear();
    });
}

/// The step read last ended: what it saves is usable from now on.
pub fn step_ends() {
    with(|s| {
        let pending = std::mem::take(&mut s.pending);
        s.known.extend(pending);
    });
}

/// The step being read saves `name`; `Err` when it already saves it.
pub fn saves(name: &str) -> Result<(), String> {
    with(|s| {
        if s.pending.iter().any(|p| p == name) {
            return Err(format!("this step already saves `{name}`"));
        }
        s.pending.push(name.to_string());
        if s.collecting {
            s.anywhere.entry(name.to_string()).or_insert(s.step);
        }
        Ok(())
    })
    .unwrap_or(Ok(()))
}

/// Checks every `{{name}}` in `text` against the names saved so far.
pub fn check_uses(text: &str) -> Result<(), String> {
    let names = captures::uses(text)?;
    if names.is_empty() {
        return Ok(());
    }
    with(|s| {
        if s.collecting {
            return Ok(());
        }
        for name in names {
            if s.known.contains(name) {
                continue;
            }
            return Err(match s.anywhere.get(name) {
                Some(&step) if step == s.step => format!(
                    "`{{{{{name}}}}}` is saved by this same step; a step's `save` is read from its response, so only the steps after it can use `{name}`"
                ),
                Some(&step) => format!(
                    "`{{{{{name}}}}}` is used before it is saved: step {step} saves it, and a capture is usable only in the steps after the one that saves it"
                ),
                None => {
                    let mut all: Vec<&str> = s.anywhere.keys().map(String::as_str).collect();
                    all.sort_unstable();
                    format!(
                        "unknown capture `{{{{{name}}}}}`: no step saves `{name}` ({})",
                        if all.is_empty() {
                            "this flow saves nothing; add `save: {NAME: /pointer}` to an earlier call".to_string()
                        } else {
                            format!("saved in this flow: {}", all.join(", "))
                        }
                    )
                }
            });
        }
        Ok(())
    })
    .unwrap_or_else(|| {
        Err("captures are checked while a flow is parsed (qa::flow::parse); this value was read without that check".into())
    })
}
