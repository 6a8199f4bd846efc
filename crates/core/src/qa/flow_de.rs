//! The hand-written parts of reading a flow: steps written either as a bare
//! name (`- uninstall`) or a one-key map (`- call: {…}`), and the checked
//! values (account specs, JSON pointers, regexes, loops, params).
//!
//! Invariant: every check fails from inside a visitor, while the parser is
//! still on the offending node, so the error carries that node's line and
//! column (an error raised after a value was read would be placed at the
//! enclosing list instead). Captures (`{{name}}` in paths, parameter values
//! and `equals`) are checked the same way, against the names the earlier
//! steps save, which `capture_scope` keeps for the length of one parse (the
//! step visitor marks where each step begins and ends).

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::capture_scope;
use super::flow::{
    AssertInstallStep, CallStep, ExpireStep, InstallStep, Step, WaitEventStep, STEP_NAMES,
};

impl<'de> Deserialize<'de> for Step {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StepVisitor)
    }
}

struct StepVisitor;

fn unknown_step<E: de::Error>(name: &str) -> E {
    E::custom(format!(
        "unknown step `{name}`; expected one of {}",
        STEP_NAMES.join(", ")
    ))
}

impl<'de> Visitor<'de> for StepVisitor {
    type Value = Step;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(
            "a step: a name such as `uninstall`, or a map such as `call: {path: /v1/customers}`",
        )
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Step, E> {
        capture_scope::step_begins();
        let step = match name {
            "install" => Step::Install(InstallStep::default()),
            "assert_install" => Step::AssertInstall(AssertInstallStep::default()),
            "refresh" => Step::Refresh,
            "expire" => Step::Expire(ExpireStep::default()),
            "uninstall" => Step::Uninstall,
            "call" => return Err(E::custom("the `call` step needs at least a `path`")),
            "wait_event" => return Err(E::custom("the `wait_event` step needs a `type`")),
            other => return Err(unknown_step(other)),
        };
        capture_scope::step_ends();
        Ok(step)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Step, A::Error> {
        capture_scope::step_begins();
        let Some(name) = map.next_key::<String>()? else {
            return Err(de::Error::custom("an empty map is not a step"));
        };
        fn opt<'de, A: MapAccess<'de>, T: Deserialize<'de> + Default>(
            map: &mut A,
        ) -> Result<T, A::Error> {
            Ok(map.next_value::<Option<T>>()?.unwrap_or_default())
        }
        fn none<'de, A: MapAccess<'de>>(map: &mut A, name: &str) -> Result<(), A::Error> {
            match map.next_value::<Option<serde::de::IgnoredAny>>()? {
                None => Ok(()),
                Some(_) => Err(de::Error::custom(format!(
                    "the `{name}` step takes no options; write `- {name}`"
                ))),
            }
        }
        let step = match name.as_str() {
            "install" => Step::Install(opt(&mut map)?),
            "assert_install" => Step::AssertInstall(opt(&mut map)?),
            "call" => Step::Call(map.next_value::<CallStep>()?),
            "refresh" => none(&mut map, "refresh").map(|()| Step::Refresh)?,
            "expire" => Step::Expire(opt(&mut map)?),
            "uninstall" => none(&mut map, "uninstall").map(|()| Step::Uninstall)?,
            "wait_event" => Step::WaitEvent(map.next_value::<WaitEventStep>()?),
            other => return Err(unknown_step(other)),
        };
        if let Some(extra) = map.next_key::<String>()? {
            return Err(de::Error::custom(format!(
                "one step per list item: `{extra}` follows `{name}`; start it on its own `- ` line"
            )));
        }
        capture_scope::step_ends();
        Ok(step)
    }
}

/// `steps`: a non-empty list.
pub fn steps<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Step>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Vec<Step>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list of steps")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Step>, A::Error> {
            let mut out = Vec::new();
            while let Some(s) = seq.next_element()? {
                out.push(s);
            }
            if out.is_empty() {
                return Err(de::Error::custom("a flow needs at least one step"));
            }
            Ok(out)
        }
    }
    d.deserialize_seq(V)
}

/// `loops`: 1 to [`super::flow::MAX_LOOPS`].
pub fn loops<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    struct V;
    impl Visitor<'_> for V {
        type Value = u32;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "a number of loops from 1 to {}", super::flow::MAX_LOOPS)
        }
        fn visit_u64<E: de::Error>(self, n: u64) -> Result<u32, E> {
            super::flow::check_loops(i64::try_from(n).unwrap_or(i64::MAX)).map_err(E::custom)
        }
        fn visit_i64<E: de::Error>(self, n: i64) -> Result<u32, E> {
            super::flow::check_loops(n).map_err(E::custom)
        }
    }
    d.deserialize_u64(V)
}

/// A call's path: `/v1/…`, its captures saved by earlier steps.
pub fn api_path<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct V;
    impl Visitor<'_> for V {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an API path such as /v1/customers")
        }
        fn visit_str<E: de::Error>(self, s: &str) -> Result<String, E> {
            if s.starts_with("/v1/") || s == "/v1" {
                capture_scope::check_uses(s).map_err(E::custom)?;
                Ok(s.to_string())
            } else {
                Err(E::custom(format!(
                    "the path must start with /v1/ (got \"{s}\")"
                )))
            }
        }
    }
    d.deserialize_str(V)
}

/// Which account an install goes into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(into = "String")]
pub enum AccountSpec {
    /// The sandbox's Nth install account (1-based).
    Install(usize),
    /// An account id.
    Id(String),
}

impl AccountSpec {
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if let Some(n) = s.strip_prefix("install-") {
            return match n.parse::<usize>() {
                Ok(n) if n >= 1 => Ok(AccountSpec::Install(n)),
                _ => Err(format!("\"{s}\": install-N counts from 1")),
            };
        }
        if s.starts_with("acct_") && s.len() > 5 {
            return Ok(AccountSpec::Id(s.to_string()));
        }
        Err(format!(
            "\"{s}\" is not an account: use install-N (the sandbox's Nth install account) or an account id acct_…"
        ))
    }
}

impl fmt::Display for AccountSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AccountSpec::Install(n) => write!(f, "install-{n}"),
            AccountSpec::Id(id) => f.write_str(id),
        }
    }
}

impl From<AccountSpec> for String {
    fn from(a: AccountSpec) -> String {
        a.to_string()
    }
}

impl<'de> Deserialize<'de> for AccountSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = AccountSpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("install-N or acct_…")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<AccountSpec, E> {
                AccountSpec::parse(s).map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

/// A JSON pointer (RFC 6901): empty, or starting with `/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pointer(pub String);

impl<'de> Deserialize<'de> for Pointer {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Pointer;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON pointer such as /data/0/id")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Pointer, E> {
                if s.is_empty() || s.starts_with('/') {
                    Ok(Pointer(s.to_string()))
                } else {
                    Err(E::custom(format!(
                        "\"{s}\" is not a JSON pointer: it starts with / (e.g. /data/0/id)"
                    )))
                }
            }
        }
        d.deserialize_str(V)
    }
}

/// A regular expression, compiled while the flow is read.
#[derive(Debug, Clone)]
pub struct Pattern(pub regex::Regex);

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Pattern;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a regular expression")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Pattern, E> {
                regex::Regex::new(s)
                    .map(Pattern)
                    .map_err(|e| E::custom(format!("not a valid regex: {e}")))
            }
        }
        d.deserialize_str(V)
    }
}

/// One check on a JSON body: the value at `pointer` equals a value, exists
/// (or not), or is a string matching a regex. Exactly one of the three.
#[derive(Debug, Clone)]
pub struct JsonCheck {
    pub pointer: Pointer,
    pub test: JsonTest,
}

#[derive(Debug, Clone)]
pub enum JsonTest {
    Equals(serde_json::Value),
    Exists(bool),
    Matches(Pattern),
}

impl<'de> Deserialize<'de> for JsonCheck {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = JsonCheck;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a check: {pointer, equals | exists | matches}")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<JsonCheck, A::Error> {
                let mut pointer = None;
                let mut tests = Vec::new();
                while let Some(k) = map.next_key::<String>()? {
                    match k.as_str() {
                        "pointer" => pointer = Some(map.next_value::<Pointer>()?),
                        "equals" => tests.push(JsonTest::Equals(
                            map.next_value::<super::capture_de::Expected>()?.0,
                        )),
                        "exists" => tests.push(JsonTest::Exists(map.next_value()?)),
                        "matches" => tests.push(JsonTest::Matches(map.next_value()?)),
                        other => {
                            return Err(de::Error::custom(format!(
                                "unknown field `{other}` in a JSON check; expected pointer, equals, exists or matches"
                            )))
                        }
                    }
                }
                let pointer = pointer.ok_or_else(|| de::Error::missing_field("pointer"))?;
                if tests.len() != 1 {
                    return Err(de::Error::custom(
                        "a JSON check needs exactly one of equals, exists or matches",
                    ));
                }
                Ok(JsonCheck {
                    pointer,
                    test: tests.remove(0),
                })
            }
        }
        d.deserialize_map(V)
    }
}

/// A call's parameters, in the order written; scalars become strings
/// (`limit: 3` sends `limit=3`). Bracket keys nest (`metadata[plan]: pro`).
/// Values may use captures; keys are literal.
#[derive(Debug, Clone, Default)]
pub struct Params(pub Vec<(String, String)>);

impl<'de> Deserialize<'de> for Params {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Params;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of parameter names to values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Params, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = map.next_key::<String>()? {
                    let v = map.next_value::<Scalar>()?;
                    out.push((k, v.0));
                }
                Ok(Params(out))
            }
        }
        d.deserialize_map(V)
    }
}

struct Scalar(String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a string, number or boolean (nest with bracket keys: `metadata[plan]: pro`)",
                )
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Scalar, E> {
                capture_scope::check_uses(s).map_err(E::custom)?;
                Ok(Scalar(s.to_string()))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Scalar, E> {
                Ok(Scalar(n.to_string()))
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Scalar, E> {
                Ok(Scalar(n.to_string()))
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> Result<Scalar, E> {
                Ok(Scalar(n.to_string()))
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Scalar, E> {
                Ok(Scalar(b.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}
