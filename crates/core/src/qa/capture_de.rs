//! Reading the parts of a flow that touch captures: a call's `save` map
//! (`{customer: /id}`) and an expected value (`equals`), whose strings may
//! use `{{name}}`.
//!
//! Invariant (that of `flow_de`): every check fails inside the visitor of the
//! offending node: a bad or repeated name on its key, an unknown or
//! not-yet-saved use on its string (through `capture_scope`).

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

use super::capture_scope;
use super::captures;
use super::flow::Pointer;

/// A call's `save`: names and the JSON pointers (into the response body)
/// whose values they keep, in the order written.
#[derive(Debug, Clone, Default)]
pub struct Saves(pub Vec<(String, Pointer)>);

/// A name a step saves, checked on its key.
struct SaveName(String);

impl<'de> Deserialize<'de> for SaveName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = SaveName;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a capture name such as customer")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<SaveName, E> {
                if !captures::valid_name(s) {
                    return Err(E::custom(format!(
                        "\"{s}\" is not a capture name: letters, digits and _, not starting with a digit (e.g. customer)"
                    )));
                }
                capture_scope::saves(s).map_err(E::custom)?;
                Ok(SaveName(s.to_string()))
            }
        }
        d.deserialize_str(V)
    }
}

impl<'de> Deserialize<'de> for Saves {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Saves;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of capture names to JSON pointers, such as {customer: /id}")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Saves, A::Error> {
                let mut out = Vec::new();
                while let Some(SaveName(name)) = map.next_key()? {
                    out.push((name, map.next_value::<Pointer>()?));
                }
                Ok(Saves(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// An expected value (`equals`): any YAML value, its strings checked for uses.
pub struct Expected(pub Value);

impl<'de> Deserialize<'de> for Expected {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ExpectedVisitor)
    }
}

struct ExpectedVisitor;

impl<'de> Visitor<'de> for ExpectedVisitor {
    type Value = Expected;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value")
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Expected, E> {
        Ok(Expected(Value::Bool(b)))
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Expected, E> {
        Ok(Expected(n.into()))
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Expected, E> {
        Ok(Expected(n.into()))
    }
    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Expected, E> {
        serde_json::Number::from_f64(n)
            .map(|n| Expected(Value::Number(n)))
            .ok_or_else(|| E::custom(format!("{n} is not a JSON number")))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Expected, E> {
        capture_scope::check_uses(s).map_err(E::custom)?;
        Ok(Expected(Value::String(s.to_string())))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Expected, E> {
        Ok(Expected(Value::Null))
    }
    fn visit_none<E: de::Error>(self) -> Result<Expected, E> {
        Ok(Expected(Value::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Expected, D::Error> {
        Expected::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Expected, A::Error> {
        let mut out = Vec::new();
        while let Some(Expected(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Expected(Value::Array(out)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Expected, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(Key(k)) = map.next_key()? {
            let Expected(v) = map.next_value()?;
            out.insert(k, v);
        }
        Ok(Expected(Value::Object(out)))
    }
}

/// A key of an expected map: a string. Unquoted, `equals: {{customer}}` is a
/// YAML map whose key is a map; the message says to quote it.
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string key (to compare with a capture, quote it: equals: \"{{name}}\"; unquoted, YAML reads {{name}} as a map)")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Key, E> {
                Ok(Key(s.to_string()))
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Key, E> {
                Ok(Key(b.to_string()))
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Key, E> {
                Ok(Key(n.to_string()))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Key, E> {
                Ok(Key(n.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}
