//! Captures: values a `call` step saves from its response
//! (`save: {customer: /id}`) for the later steps of the same iteration
//! (account × loop), used as `{{customer}}` in call paths, parameter values
//! and `expect.json[].equals`.
//!
//! Invariants:
//! - A name is `[A-Za-z_][A-Za-z0-9_]*`; `{{ name }}` may have spaces inside
//!   the braces; any other `{{` is a flow error (so a typo never goes out as
//!   literal text).
//! - Every use names a value saved by an earlier step: checked while the
//!   flow is parsed (`capture_scope`), so at run time a value is missing only
//!   when its saving step did not pass, and then the using step was skipped.
//!   The run still fails such a step with a message rather than trusting it.
//! - A step saves all of its values or none: one absent pointer fails the
//!   step and nothing is stored.
//! - In a path a value is percent-encoded as one segment, so a saved value
//!   can't change which resource is called; in a path or a parameter only a
//!   string, number or boolean can stand (anything else fails the step).
//! - `equals: "{{name}}"` (the whole string) compares with the saved JSON
//!   value itself, so a number stays a number; text around a use makes a
//!   string.

use std::collections::HashMap;

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde_json::Value;

use super::flow::Pointer;

/// The values saved so far in one iteration, by name.
pub type Saved = HashMap<String, Value>;

/// What a path segment can't hold unescaped (RFC 3986 `pchar`, and `%`).
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// Whether `s` is a capture name.
pub fn valid_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A piece of a string that may use captures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part<'a> {
    Text(&'a str),
    Use(&'a str),
}

/// Splits `s` into text and uses, or says why a `{{` is malformed.
pub fn parts(s: &str) -> Result<Vec<Part<'_>>, String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find("{{") {
        if open > 0 {
            out.push(Part::Text(&rest[..open]));
        }
        let inner = &rest[open + 2..];
        let Some(close) = inner.find("}}") else {
            return Err(format!(
                "`{{{{` opens a capture that is never closed with `}}}}` in \"{s}\""
            ));
        };
        let name = inner[..close].trim();
        if !valid_name(name) {
            return Err(format!(
                "`{{{{{}}}}}` is not a capture: a name is letters, digits and _, not starting with a digit (e.g. {{{{customer}}}})",
                &inner[..close]
            ));
        }
        out.push(Part::Use(name));
        rest = &inner[close + 2..];
    }
    if !rest.is_empty() {
        out.push(Part::Text(rest));
    }
    Ok(out)
}

/// The names `s` uses, in order (duplicates kept).
pub fn uses(s: &str) -> Result<Vec<&str>, String> {
    Ok(parts(s)?
        .into_iter()
        .filter_map(|p| match p {
            Part::Use(n) => Some(n),
            Part::Text(_) => None,
        })
        .collect())
}

/// Where a filled string goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// A call's path: values are percent-encoded as a segment.
    Path,
    /// A parameter's value: sent as is (the request form-encodes it).
    Param,
}

fn lookup<'a>(saved: &'a Saved, name: &str) -> Result<&'a Value, String> {
    saved.get(name).ok_or_else(|| {
        format!("{{{{{name}}}}} has no value: the step that saves it did not pass in this loop")
    })
}

/// A saved value as text inside a string, when it is a scalar.
fn scalar_text(name: &str, v: &Value, slot: &str) -> Result<String, String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        other => Err(format!(
            "{{{{{name}}}}} holds {} ({}), which can't stand in {slot}; save a string, number or boolean (such as /id)",
            kind(other),
            super::check::shown(other)
        )),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Object(_) => "an object",
        Value::Array(_) => "a list",
        _ => "a scalar",
    }
}

/// `s` with every use replaced by its saved value.
pub fn fill(s: &str, saved: &Saved, slot: Slot) -> Result<String, String> {
    let mut out = String::with_capacity(s.len());
    for p in parts(s)? {
        match p {
            Part::Text(t) => out.push_str(t),
            Part::Use(name) => {
                let where_ = match slot {
                    Slot::Path => "a path",
                    Slot::Param => "a parameter",
                };
                let text = scalar_text(name, lookup(saved, name)?, where_)?;
                match slot {
                    Slot::Path => out.extend(utf8_percent_encode(&text, SEGMENT)),
                    Slot::Param => out.push_str(&text),
                }
            }
        }
    }
    Ok(out)
}

/// An expected value with its uses resolved: a string that is exactly one
/// use becomes the saved value itself; other strings are filled as text;
/// lists and maps are resolved throughout.
pub fn resolve(v: &Value, saved: &Saved) -> Result<Value, String> {
    Ok(match v {
        Value::String(s) => match parts(s)?.as_slice() {
            [Part::Use(name)] => lookup(saved, name)?.clone(),
            parts if parts.iter().all(|p| matches!(p, Part::Text(_))) => v.clone(),
            _ => {
                let mut out = String::new();
                for p in parts(s)? {
                    match p {
                        Part::Text(t) => out.push_str(t),
                        Part::Use(n) => {
                            out.push_str(&scalar_text(n, lookup(saved, n)?, "a longer string")?)
                        }
                    }
                }
                Value::String(out)
            }
        },
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|i| resolve(i, saved))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, i)| Ok((k.clone(), resolve(i, saved)?)))
                .collect::<Result<_, String>>()?,
        ),
        other => other.clone(),
    })
}

/// Reads a step's `save` from its response into `saved`: all or nothing.
/// Returns why not, one message per value that could not be read.
pub fn take(
    saves: &[(String, Pointer)],
    status: u16,
    body: &str,
    saved: &mut Saved,
) -> Vec<String> {
    if saves.is_empty() {
        return Vec::new();
    }
    let Ok(json) = serde_json::from_str::<Value>(body) else {
        return saves
            .iter()
            .map(|(name, _)| format!("save {name}: the {status} response is not JSON"))
            .collect();
    };
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for (name, p) in saves {
        match json.pointer(&p.0) {
            Some(v) => found.push((name.clone(), v.clone())),
            None => problems.push(format!(
                "save {name}: {} is absent in the {status} response",
                p.0
            )),
        }
    }
    if problems.is_empty() {
        saved.extend(found);
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn saved() -> Saved {
        Saved::from([
            ("customer".into(), json!("cus_123")),
            ("count".into(), json!(3)),
            ("odd".into(), json!("a/b c?")),
            ("address".into(), json!({"city": "Paris"})),
        ])
    }

    #[test]
    fn names_and_parts() {
        assert!(valid_name("customer") && valid_name("_x1") && valid_name("A_b"));
        assert!(!valid_name("1x") && !valid_name("a-b") && !valid_name(""));
        assert_eq!(
            parts("/v1/customers/{{ customer }}/x").unwrap(),
            [
                Part::Text("/v1/customers/"),
                Part::Use("customer"),
                Part::Text("/x")
            ]
        );
        assert_eq!(parts("no uses }}").unwrap(), [Part::Text("no uses }}")]);
        assert!(parts("{{customer").unwrap_err().contains("never closed"));
        assert!(parts("{{cus-tomer}}")
            .unwrap_err()
            .contains("not a capture"));
        assert!(parts("{{}}").unwrap_err().contains("not a capture"));
        assert_eq!(uses("{{a}}-{{b}}-{{a}}").unwrap(), ["a", "b", "a"]);
    }

    #[test]
    fn paths_and_params_take_scalars_and_paths_are_escaped() {
        let s = saved();
        assert_eq!(
            fill("/v1/customers/{{customer}}", &s, Slot::Path).unwrap(),
            "/v1/customers/cus_123"
        );
        assert_eq!(
            fill("/v1/x/{{odd}}", &s, Slot::Path).unwrap(),
            "/v1/x/a%2Fb%20c%3F",
            "a saved value stays one path segment"
        );
        assert_eq!(fill("{{odd}}", &s, Slot::Param).unwrap(), "a/b c?");
        assert_eq!(fill("n={{count}}", &s, Slot::Param).unwrap(), "n=3");
        let e = fill("/v1/x/{{address}}", &s, Slot::Path).unwrap_err();
        assert!(
            e.contains("{{address}} holds an object") && e.contains("can't stand in a path"),
            "{e}"
        );
        let e = fill("{{nobody}}", &s, Slot::Param).unwrap_err();
        assert!(e.contains("{{nobody}} has no value"), "{e}");
    }

    #[test]
    fn a_whole_string_use_keeps_the_saved_json_value() {
        let s = saved();
        assert_eq!(resolve(&json!("{{count}}"), &s).unwrap(), json!(3));
        assert_eq!(
            resolve(&json!("{{address}}"), &s).unwrap(),
            json!({"city": "Paris"})
        );
        assert_eq!(
            resolve(&json!("n={{count}}"), &s).unwrap(),
            json!("n=3"),
            "text around a use makes a string"
        );
        assert_eq!(
            resolve(&json!({"id": "{{customer}}", "tags": ["{{count}}"]}), &s).unwrap(),
            json!({"id": "cus_123", "tags": [3]})
        );
        assert_eq!(resolve(&json!(7), &s).unwrap(), json!(7));
    }

    #[test]
    fn a_step_saves_all_its_values_or_none() {
        let saves = vec![
            ("customer".to_string(), Pointer("/id".into())),
            ("city".to_string(), Pointer("/address/city".into())),
        ];
        let mut s = Saved::new();
        let problems = take(&saves, 200, r#"{"id":"cus_9"}"#, &mut s);
        assert_eq!(
            problems,
            ["save city: /address/city is absent in the 200 response"]
        );
        assert!(s.is_empty(), "nothing is stored when one value is absent");
        assert!(take(
            &saves,
            200,
            r#"{"id":"cus_9","address":{"city":"Oslo"}}"#,
            &mut s
        )
        .is_empty());
        assert_eq!(
            (s["customer"].clone(), s["city"].clone()),
            (json!("cus_9"), json!("Oslo"))
        );
        assert_eq!(
            take(&saves[..1], 502, "<html>", &mut s),
            ["save customer: the 502 response is not JSON"]
        );
    }
}
