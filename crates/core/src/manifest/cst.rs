//! Concrete-syntax-tree helpers for manifest edits: find or create a field,
//! list or object in jsonc-parser's CST, and add or remove list entries.
//!
//! Invariant: every helper touches only the node it names, so the tokens
//! around it (whitespace, comments, key order) stay byte for byte; a new
//! top-level field goes where Stripe's docs list it. Why a module of its own:
//! `edit.rs` says what each edit means, this says how the tree is changed.

use jsonc_parser::cst::{CstArray, CstInputValue, CstNode, CstObject};

use super::edit::EditError;
use super::rules::KNOWN_FIELDS;

/// Where a new top-level field goes: after the last present field that comes
/// before it in the order Stripe's docs list them, so files stay familiar.
const FIELD_ORDER: &[&str] = KNOWN_FIELDS;

pub(super) fn insert_field(obj: &CstObject, name: &str, value: CstInputValue) {
    let rank = |k: &str| FIELD_ORDER.iter().position(|f| *f == k);
    let mine = rank(name).unwrap_or(FIELD_ORDER.len());
    let props = obj.properties();
    let index = props
        .iter()
        .rposition(|p| {
            p.decoded_name()
                .and_then(|n| rank(&n))
                .is_some_and(|r| r < mine)
        })
        .map(|i| i + 1)
        .unwrap_or(if mine == 0 { 0 } else { props.len() });
    obj.insert(index, name, value);
}

pub(super) fn set_string(obj: &CstObject, name: &str, value: &str) {
    match obj.get(name) {
        Some(prop) => prop.set_value(CstInputValue::String(value.to_string())),
        None => insert_field(obj, name, CstInputValue::String(value.to_string())),
    }
}

pub(super) fn string_of(node: &CstNode) -> Option<String> {
    node.as_string_lit().and_then(|s| s.decoded_value().ok())
}

/// The array at `obj[name]`, created (or replacing `null`) when `create`.
pub(super) fn array_at(
    obj: &CstObject,
    name: &str,
    create: bool,
    top_level: bool,
) -> Option<CstArray> {
    match obj.get(name) {
        Some(prop) => match prop.value() {
            Some(v) if v.as_array().is_some() => v.as_array(),
            Some(v) if v.as_null_keyword().is_some() && create => {
                prop.set_value(CstInputValue::Array(vec![]));
                prop.array_value()
            }
            _ => None,
        },
        None if create => {
            if top_level {
                insert_field(obj, name, CstInputValue::Array(vec![]));
            } else {
                obj.append(name, CstInputValue::Array(vec![]));
            }
            obj.array_value(name)
        }
        None => None,
    }
}

/// `obj[name]` as an object, created (or replacing `null`) when missing.
pub(super) fn object_at(
    obj: &CstObject,
    name: &str,
    top_level: bool,
) -> Result<CstObject, EditError> {
    match obj.get(name) {
        Some(prop) => match prop.value() {
            Some(v) if v.as_object().is_some() => Ok(v.as_object().expect("checked")),
            Some(v) if v.as_null_keyword().is_some() => {
                prop.set_value(CstInputValue::Object(vec![]));
                prop.object_value()
                    .ok_or_else(|| EditError::NotApplicable(format!("cannot create \"{name}\"")))
            }
            _ => Err(EditError::NotApplicable(format!(
                "\"{name}\" is not an object; fix it in the raw editor first"
            ))),
        },
        None => {
            if top_level {
                insert_field(obj, name, CstInputValue::Object(vec![]));
            } else {
                obj.append(name, CstInputValue::Object(vec![]));
            }
            obj.object_value(name)
                .ok_or_else(|| EditError::NotApplicable(format!("cannot create \"{name}\"")))
        }
    }
}

pub(super) fn csp(obj: &CstObject) -> Result<CstObject, EditError> {
    let ui = object_at(obj, "ui_extension", true)?;
    object_at(&ui, "content_security_policy", false)
}

/// Adds a string to a list unless present. Returns whether it was added.
pub(super) fn add_unique(arr: &CstArray, value: &str) -> bool {
    if arr
        .elements()
        .iter()
        .any(|e| string_of(e).as_deref() == Some(value))
    {
        return false;
    }
    arr.append(CstInputValue::String(value.to_string()));
    true
}

pub(super) fn remove_string(
    arr: Option<CstArray>,
    value: &str,
    what: &str,
) -> Result<(), EditError> {
    let found = arr.and_then(|a| {
        a.elements()
            .into_iter()
            .find(|e| string_of(e).as_deref() == Some(value))
    });
    match found {
        Some(node) => {
            node.remove();
            Ok(())
        }
        None => Err(EditError::NotApplicable(format!(
            "{what} \"{value}\" is not in the manifest"
        ))),
    }
}

pub(super) fn permission_entry(arr: &CstArray, name: &str) -> Option<CstObject> {
    arr.elements().into_iter().find_map(|e| {
        let o = e.as_object()?;
        let p = o.get("permission")?.value()?;
        (string_of(&p).as_deref() == Some(name)).then_some(o)
    })
}

pub(super) fn csp_list(obj: &CstObject, directive: &str) -> Option<CstArray> {
    let ui = obj.object_value("ui_extension")?;
    let csp = ui.object_value("content_security_policy")?;
    csp.array_value(directive)
}
