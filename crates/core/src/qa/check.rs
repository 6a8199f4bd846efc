//! Assertions on an API answer: its status, whether an expired token was
//! refreshed, and JSON pointer checks (equals / exists / matches); an
//! `equals` that uses captures is compared with the values saved so far.
//!
//! Invariant: a failed check says what was expected and what was found, with
//! the found value shortened (a whole list body is no message), so the report
//! line alone explains the failure.

use serde_json::Value;

use super::captures::{self, Saved};
use super::flow::{Expect, JsonCheck, JsonTest};

/// A short rendering of a found value for messages.
pub(super) fn shown(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 120 {
        let cut: String = s.chars().take(117).collect();
        format!("{cut}...")
    } else {
        s
    }
}

/// `None` when the check holds, else why not.
pub fn json_check(body: Option<&Value>, check: &JsonCheck, saved: &Saved) -> Option<String> {
    let p = &check.pointer.0;
    let found = body.and_then(|b| b.pointer(p));
    let resolved;
    let test = match &check.test {
        JsonTest::Equals(want) => match captures::resolve(want, saved) {
            Ok(v) => {
                resolved = JsonTest::Equals(v);
                &resolved
            }
            Err(why) => return Some(format!("{p}: {why}")),
        },
        other => other,
    };
    match (test, found) {
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
pub fn expectations(
    expect: &Expect,
    status: u16,
    refreshed: bool,
    body: &str,
    saved: &Saved,
) -> Vec<String> {
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
                .filter_map(|c| json_check(parsed.as_ref(), c, saved)),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qa::flow::{Pattern, Pointer};
    use serde_json::json;

    fn jc(body: Option<&Value>, c: &JsonCheck) -> Option<String> {
        json_check(body, c, &Saved::new())
    }

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
            jc(b, &check("/object", JsonTest::Equals(json!("list")))),
            None
        );
        assert_eq!(
            jc(b, &check("/data/0/n", JsonTest::Equals(json!(3)))),
            None,
            "3 == 3.0"
        );
        let m = jc(b, &check("/object", JsonTest::Equals(json!("customer")))).unwrap();
        assert_eq!(m, "/object: expected \"customer\", found \"list\"");
        assert_eq!(jc(b, &check("/data/0/id", JsonTest::Exists(true))), None);
        assert!(jc(b, &check("/data/1", JsonTest::Exists(true)))
            .unwrap()
            .contains("absent"));
        assert_eq!(jc(b, &check("/data/1", JsonTest::Exists(false))), None);
        let re = Pattern(regex::Regex::new("^cus_").unwrap());
        assert_eq!(
            jc(b, &check("/data/0/id", JsonTest::Matches(re.clone()))),
            None
        );
        assert!(jc(b, &check("/object", JsonTest::Matches(re)))
            .unwrap()
            .contains("/^cus_/"));
        assert!(jc(None, &check("/x", JsonTest::Exists(true)))
            .unwrap()
            .contains("not JSON"));
    }

    #[test]
    fn status_defaults_to_any_2xx_and_refresh_is_checked_when_asked() {
        let e = Expect::default();
        assert!(expectations(&e, 201, false, "", &Saved::new()).is_empty());
        assert_eq!(
            expectations(&e, 401, false, "", &Saved::new()),
            ["status: expected 2xx, got 401"]
        );
        let e = Expect {
            status: Some(200),
            refreshed: Some(true),
            json: vec![],
        };
        assert_eq!(expectations(&e, 200, false, "", &Saved::new()).len(), 1);
        assert!(expectations(&e, 200, true, "{}", &Saved::new()).is_empty());
    }

    #[test]
    fn equals_compares_with_saved_values_and_numbers_stay_numbers() {
        let body = json!({"id": "cus_9", "n": 3, "label": "3"});
        let saved = Saved::from([("customer".into(), json!("cus_9")), ("n".into(), json!(3))]);
        let eq =
            |p: &str, v: Value| json_check(Some(&body), &check(p, JsonTest::Equals(v)), &saved);
        assert_eq!(eq("/id", json!("{{customer}}")), None);
        assert_eq!(eq("/n", json!("{{n}}")), None, "3 is compared as a number");
        assert_eq!(
            eq("/label", json!("{{n}}")).unwrap(),
            "/label: expected 3, found \"3\"",
            "a whole-string use is the saved JSON value, not its text"
        );
        assert_eq!(
            eq("/label", json!("{{ n }}x")).unwrap(),
            "/label: expected \"3x\", found \"3\""
        );
        assert!(eq("/id", json!("{{gone}}"))
            .unwrap()
            .contains("{{gone}} has no value"));
    }
}
