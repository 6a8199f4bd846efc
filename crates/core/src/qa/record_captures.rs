//! How a recorded flow carries an object id from the response that returned
//! it to a later call that names it: the earlier step gets
//! `save: {customer: /id}` and the later one `{{customer}}`, so the id that
//! only existed in the recorded run is never written.
//!
//! Invariants: only the steps the flow replays are sources (a call kept as a
//! comment saves nothing); an id's source is the first step that returned it,
//! at the first place it appeared (a top-level `/id` before a nested one); a
//! name is given only when a later replayed call uses it, is derived from the
//! object's type (`customer`, `apps.secret` → `secret`, else the id's prefix)
//! and is never given twice (`customer`, `customer_2`, …).

use std::collections::{HashMap, HashSet};

use super::captures::valid_name;
use super::record::ReturnedId;

/// Where an id came from.
#[derive(Debug, Clone)]
struct Source {
    step: usize,
    pointer: String,
    base: String,
}

#[derive(Default)]
pub(super) struct Captures {
    /// Ids returned by replayed steps, by id.
    sources: HashMap<String, Source>,
    /// Names already given, by (step, pointer).
    named: HashMap<(usize, String), String>,
    taken: HashSet<String>,
}

/// A name given to a value: the step that saves it, from where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Given {
    pub step: usize,
    pub name: String,
    pub pointer: String,
    /// False when the step already saved it for an earlier use.
    pub new: bool,
}

/// A capture name from an object type or, without one, the id's prefix.
fn base_name(r: &ReturnedId) -> String {
    let from = match &r.object {
        Some(o) => o.rsplit('.').next().unwrap_or(o).to_string(),
        None => r.id.split('_').next().unwrap_or_default().to_string(),
    };
    let mut name: String = from
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if name.is_empty() {
        name = "id".into();
    }
    if !valid_name(&name) {
        name.insert(0, '_');
    }
    name
}

impl Captures {
    /// Step `step` (replayed) returned these ids.
    pub fn returned_by(&mut self, step: usize, ids: &[ReturnedId]) {
        for r in ids {
            self.sources.entry(r.id.clone()).or_insert_with(|| Source {
                step,
                pointer: r.pointer.clone(),
                base: base_name(r),
            });
        }
    }

    /// The step that returned `id`, if a replayed one did.
    pub fn source_step(&self, id: &str) -> Option<usize> {
        self.sources.get(id).map(|s| s.step)
    }

    /// The name `id` is used by, given now if it has none yet.
    pub fn name(&mut self, id: &str) -> Option<Given> {
        let s = self.sources.get(id)?.clone();
        let key = (s.step, s.pointer.clone());
        if let Some(name) = self.named.get(&key) {
            return Some(Given {
                step: s.step,
                name: name.clone(),
                pointer: s.pointer,
                new: false,
            });
        }
        let name = (1..)
            .map(|n| match n {
                1 => s.base.clone(),
                n => format!("{}_{n}", s.base),
            })
            .find(|n| !self.taken.contains(n))
            .expect("some suffix is free");
        self.taken.insert(name.clone());
        self.named.insert(key, name.clone());
        Some(Given {
            step: s.step,
            name,
            pointer: s.pointer,
            new: true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ret(id: &str, pointer: &str, object: Option<&str>) -> ReturnedId {
        ReturnedId {
            id: id.into(),
            pointer: pointer.into(),
            object: object.map(str::to_string),
        }
    }

    #[test]
    fn names_come_from_the_type_and_are_given_once() {
        let mut c = Captures::default();
        c.returned_by(
            2,
            &[
                ret("cus_A1", "/id", Some("customer")),
                ret("appsecret_B2", "/data/0/id", Some("apps.secret")),
                ret("9x_C3", "/x/id", None),
            ],
        );
        c.returned_by(3, &[ret("cus_A1", "/data/0/id", Some("customer"))]);
        c.returned_by(4, &[ret("cus_D4", "/id", Some("customer"))]);
        let first = c.name("cus_A1").unwrap();
        assert_eq!(
            (
                first.step,
                first.name.as_str(),
                first.pointer.as_str(),
                first.new
            ),
            (2, "customer", "/id", true),
            "the first step that returned it, at its first place"
        );
        assert!(!c.name("cus_A1").unwrap().new, "named once");
        assert_eq!(c.name("cus_D4").unwrap().name, "customer_2");
        assert_eq!(c.name("appsecret_B2").unwrap().name, "secret");
        assert_eq!(c.name("9x_C3").unwrap().name, "_9x");
        assert_eq!(c.name("cus_unknown"), None);
        assert_eq!(c.source_step("cus_D4"), Some(4));
    }
}
