//! Assertions on an API answer: its status, whether an expired token was
//! refreshed, and JSON pointer checks (equals / exists / matches).
//!
//! Invariant: a failed check says what was expected and what was found, with
//! the found value shortened (a whole list body is no message), so the report
//! line alone explains the failure.

use serde_json::Value;

use super::flow::{Expect, JsonCheck, JsonTest};

/// A short rendering of a found value for messages.
fn shown(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 120 {
        let cut: String = s.chars().take(117).collect();
        format!("{cut}...")
    } else {
        s
    }
}

/// `None` when the check holds, else why not.
pub fn json_check(body: Option<&Value>, check: &JsonCheck) -> Option<String> {
    let p = &check.pointer.0;
    let found = body.and_then(|b| b.pointer(p));
    match (&check.test, found) {
        (_, _) if body.is_none() => Some(format!("{p}: the body is not JSON")),
        (JsonTest::Exists(true), None) => Some(format!("{p}: expected to exist, but is absent")),
        (JsonTest::Exists(false), Some(v)) => {
            Some(format!("{p}: expected to be absent, found {}", shown(v)))
        }
        (JsonTest::Exists(_), _) => None,
        (JsonTest::Equals(want), Some(got)) if loosely_equal(want, got) => None,
        (JsonTest::Equals(want), Some(got)) => Some(format!(
            "{p}: expected {}, found {}",
            shown(want),
            shown(got)
        )),
        (JsonTest::Equals(want), None) => {
            Some(format!("{p}: expected {}, but it is absent", shown(want)))
        }
        (JsonTest::Matches(re), Some(Value::String(s))) if re.0.is_match(s) => None,
        (JsonTest::Matches(re), Some(got)) => Some(format!(
            "{p}: expected a string matching /{}/, found {}",
            re.0.as_str(),
            shown(got)
        )),
        (JsonTest::Matches(re), None) => Some(format!(
            "{p}: expected a string matching /{}/, but it is absent",
            re.0.as_str()
        )),
    }
}

/// YAML reads `3` as an integer and JSON may carry `3.0`: numbers compare by value.
fn loosely_equal(want: &Value, got: &Value) -> bool {
    match (want, got) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        _ => want == got,
    }
}

/// Every failed expectation of a call, in order.
pub fn expectations(expect: &Expect, status: u16, refreshed: bool, body: &str) -> Vec<String> {
    let mut out = Vec::new();
    match expect.status {
        Some(want) if want != status => out.push(format!("status: expected {want}, got {status}")),
        None if !(200..300).contains(&status) => {
            out.push(format!("status: expected 2xx, got {status}"))
        }
        _ => {}
    }
    if let Some(want) = expect.refreshed {
        if want != refreshed {
            out.push(if want {
                "expected the call to refresh an expired token, but it did not".into()
            } else {
                "expected no token refresh, but the call refreshed".into()
            });
        }
    }
    if !expect.json.is_empty() {
        let parsed: Option<Value> = serde_json::from_str(body).ok();
        out.extend(
            expect
                .json
                .iter()
                .filter_map(|c| json_check(parsed.as_ref(), c)),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qa::flow::{Pattern, Pointer};
    use serde_json::json;

    fn check(p: &str, test: JsonTest) -> JsonCheck {
        JsonCheck {
            pointer: Pointer(p.into()),
            test,
        }
    }

    #[test]
    fn pointer_checks_say_what_was_expected_and_found() {
        let body = json!({"object": "list", "data": [{"id": "cus_123", "n": 3.0}]});
        let b = Some(&body);
        assert_eq!(
            json_check(b, &check("/object", JsonTest::Equals(json!("list")))),
            None
        );
        assert_eq!(
            json_check(b, &check("/data/0/n", JsonTest::Equals(json!(3)))),
            None,
            "3 == 3.0"
        );
        let m = json_check(b, &check("/object", JsonTest::Equals(json!("customer")))).unwrap();
        assert_eq!(m, "/object: expected \"customer\", found \"list\"");
        assert_eq!(
            json_check(b, &check("/data/0/id", JsonTest::Exists(true))),
            None
        );
        assert!(json_check(b, &check("/data/1", JsonTest::Exists(true)))
            .unwrap()
            .contains("absent"));
        assert_eq!(
            json_check(b, &check("/data/1", JsonTest::Exists(false))),
            None
        );
        let re = Pattern(regex::Regex::new("^cus_").unwrap());
        assert_eq!(
            json_check(b, &check("/data/0/id", JsonTest::Matches(re.clone()))),
            None
        );
        assert!(json_check(b, &check("/object", JsonTest::Matches(re)))
            .unwrap()
            .contains("/^cus_/"));
        assert!(json_check(None, &check("/x", JsonTest::Exists(true)))
            .unwrap()
            .contains("not JSON"));
    }

    #[test]
    fn status_defaults_to_any_2xx_and_refresh_is_checked_when_asked() {
        let e = Expect::default();
        assert!(expectations(&e, 201, false, "").is_empty());
        assert_eq!(
            expectations(&e, 401, false, ""),
            ["status: expected 2xx, got 401"]
        );
        let e = Expect {
            status: Some(200),
            refreshed: Some(true),
            json: vec![],
        };
        assert_eq!(expectations(&e, 200, false, "").len(), 1);
        assert!(expectations(&e, 200, true, "{}").is_empty());
    }
}
