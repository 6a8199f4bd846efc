//! One canned file: named answers, each tagged with the TypeScript type ts-rs
//! gives its Rust type, scrubbed and written as `ui/src/test/canned/<file>.json`.
//!
//! Why the tag: the UI imports the JSON and casts each entry to a generated
//! binding type; `ui/src/test/canned.ts` checks the tag names that type, so an
//! entry can't be read as something core never produced. The tag's key,
//! `canned_type`, also marks canned data for CI's check of the production
//! bundle (none may ship).
//!
//! Written the way ts-rs writes the bindings: on every `cargo test`, only when
//! the text changed; CI's drift check fails when the result differs from what
//! is committed.

use std::path::PathBuf;

use appdeck_core::error::Coded;
use serde::Serialize;
use serde_json::{json, Map, Value};
use ts_rs::TS;

use crate::scrub::Scrub;

/// Where the UI's tests read canned answers from.
pub fn canned_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/test/canned")
}

pub struct Canned {
    file: &'static str,
    entries: Map<String, Value>,
}

impl Canned {
    pub fn new(file: &'static str) -> Self {
        Canned {
            file,
            entries: Map::new(),
        }
    }

    /// Records `value` under `name`, tagged with its TypeScript type.
    pub fn put<T: Serialize + TS>(&mut self, name: &str, value: &T) {
        self.put_as(name, &T::name(&ts_rs::Config::new()), value);
    }

    /// Records `value` tagged `ty`, for a type the UI declares itself (a
    /// shell-side shape, or plain JSON).
    pub fn put_as(&mut self, name: &str, ty: &str, value: &impl Serialize) {
        let value = serde_json::to_value(value).expect("a canned answer serializes");
        let previous = self
            .entries
            .insert(name.into(), json!({ "canned_type": ty, "value": value }));
        assert!(previous.is_none(), "{} holds {name} twice", self.file);
    }

    /// Records the `{code, message}` the UI receives for `error`.
    pub fn error(&mut self, name: &str, error: &impl Coded) {
        self.put(name, &error.to_payload());
    }

    /// Scrubs every entry (one scrub per file, so a stand-in is the same
    /// wherever its original appears) and writes the file if it changed.
    pub fn write(self, scrub: &mut Scrub) {
        let mut doc = Map::new();
        doc.insert(
            "$comment".into(),
            json!("Written by crates/core/tests/ui_canned from core's real output on `cargo test`; do not edit. CI fails when it drifts."),
        );
        doc.extend(self.entries);
        let mut value = Value::Object(doc);
        scrub.value(&mut value);
        let text = serde_json::to_string_pretty(&value).expect("canned JSON") + "\n";
        let dir = canned_dir();
        std::fs::create_dir_all(&dir).expect("the canned dir");
        let path = dir.join(format!("{}.json", self.file));
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(&path, text).expect("write a canned file");
        }
    }
}
