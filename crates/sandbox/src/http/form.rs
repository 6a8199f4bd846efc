//! Stripe's form encoding, decoded into a JSON object.
//!
//! `a=1` → `{"a":"1"}`; `metadata[k]=v` → `{"metadata":{"k":"v"}}`;
//! `expand[]=x&expand[]=y` → `{"expand":["x","y"]}`; `items[0][price]=p` →
//! `{"items":[{"price":"p"}]}` (also how stripe-node encodes arrays:
//! `expand[0]=x`). Leaves stay strings; the endpoint's parameter table
//! coerces them. An empty value is kept as `""` (Stripe: "unset").
//!
//! Invariants: a key used both as a value and as a hash (`a=1&a[b]=2`) is an
//! error naming it; objects whose keys are all decimal indices become arrays
//! ordered by index, except directly under `metadata` (metadata keys are free
//! text). serde_qs and serde_html_form each differ from Stripe on one of
//! these, hence this small decoder over `form_urlencoded` pairs.

use serde_json::{Map, Value};

/// A malformed parameter, named as the client sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormError(pub String);

/// Decodes `application/x-www-form-urlencoded` bytes (or a query string).
pub fn decode(input: &[u8]) -> Result<Map<String, Value>, FormError> {
    decode_into(Map::new(), input)
}

/// Decodes `input` on top of `root` (query then body).
pub fn decode_into(
    mut root: Map<String, Value>,
    input: &[u8],
) -> Result<Map<String, Value>, FormError> {
    for (key, value) in url::form_urlencoded::parse(input) {
        let path = split_key(&key);
        insert(&mut root, &path, value.into_owned(), &key)?;
    }
    Ok(finish_map(root))
}

/// `a[b][]` → `["a", "b", ""]`. A key with unbalanced brackets is one segment.
fn split_key(key: &str) -> Vec<String> {
    let Some(open) = key.find('[') else {
        return vec![key.to_string()];
    };
    let mut parts = vec![key[..open].to_string()];
    let mut rest = &key[open..];
    while !rest.is_empty() {
        if !rest.starts_with('[') {
            return vec![key.to_string()];
        }
        let Some(close) = rest.find(']') else {
            return vec![key.to_string()];
        };
        parts.push(rest[1..close].to_string());
        rest = &rest[close + 1..];
    }
    parts
}

fn insert(
    map: &mut Map<String, Value>,
    path: &[String],
    value: String,
    full: &str,
) -> Result<(), FormError> {
    let conflict = || FormError(format!("Invalid parameter: {full}"));
    let (head, tail) = path.split_first().ok_or_else(conflict)?;
    if tail.is_empty() {
        return match map.get(head) {
            Some(Value::Object(_)) | Some(Value::Array(_)) => Err(conflict()),
            _ => {
                map.insert(head.clone(), Value::String(value));
                Ok(())
            }
        };
    }
    if tail[0].is_empty() {
        // `head[]`: append; only leaves may follow.
        if tail.len() > 1 {
            return Err(conflict());
        }
        let entry = map
            .entry(head.clone())
            .or_insert_with(|| Value::Array(vec![]));
        return match entry {
            Value::Array(items) => {
                items.push(Value::String(value));
                Ok(())
            }
            _ => Err(conflict()),
        };
    }
    let entry = map
        .entry(head.clone())
        .or_insert_with(|| Value::Object(Map::new()));
    match entry {
        Value::Object(child) => insert(child, tail, value, full),
        _ => Err(conflict()),
    }
}

/// Turns index-keyed objects into arrays, recursively.
fn finish_map(map: Map<String, Value>) -> Map<String, Value> {
    map.into_iter()
        .map(|(k, v)| {
            let keys_are_free = k == "metadata";
            (k, finish(v, keys_are_free))
        })
        .collect()
}

fn finish(v: Value, keys_are_free: bool) -> Value {
    match v {
        Value::Object(m) => {
            let indexed = !keys_are_free
                && !m.is_empty()
                && m.keys().all(|k| {
                    !k.is_empty() && k.len() < 10 && k.bytes().all(|b| b.is_ascii_digit())
                });
            let m = finish_map(m);
            if indexed {
                let mut items: Vec<(usize, Value)> = m
                    .into_iter()
                    .map(|(k, v)| (k.parse::<usize>().unwrap_or(usize::MAX), v))
                    .collect();
                items.sort_by_key(|(i, _)| *i);
                Value::Array(items.into_iter().map(|(_, v)| v).collect())
            } else {
                Value::Object(m)
            }
        }
        other => other,
    }
}

/// The `expand[]` list of a request.
pub fn expand_list(params: &Map<String, Value>) -> Vec<String> {
    match params.get("expand") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        Some(Value::String(s)) if !s.is_empty() => vec![s.clone()],
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn d(s: &str) -> Value {
        Value::Object(decode(s.as_bytes()).expect("decodes"))
    }

    #[test]
    fn flat_and_percent_encoded() {
        assert_eq!(
            d("email=a%40b.c&name=Ada+L"),
            json!({"email": "a@b.c", "name": "Ada L"})
        );
        assert_eq!(d(""), json!({}));
        assert_eq!(
            d("description="),
            json!({"description": ""}),
            "empty means unset"
        );
    }

    #[test]
    fn brackets_nest() {
        assert_eq!(
            d("metadata[plan]=pro&metadata[seats]=3&scope[type]=user&scope[user]=usr_1"),
            json!({"metadata": {"plan": "pro", "seats": "3"}, "scope": {"type": "user", "user": "usr_1"}})
        );
        assert_eq!(
            d("metadata%5Bk%5D=v"),
            json!({"metadata": {"k": "v"}}),
            "encoded brackets"
        );
    }

    #[test]
    fn arrays_by_append_and_by_index() {
        assert_eq!(d("expand[]=a&expand[]=b"), json!({"expand": ["a", "b"]}));
        assert_eq!(
            d("expand[0]=a&expand[1]=b"),
            json!({"expand": ["a", "b"]}),
            "stripe-node's encoding"
        );
        assert_eq!(
            d("items[1][price]=p2&items[0][price]=p1&items[0][quantity]=2"),
            json!({"items": [{"price": "p1", "quantity": "2"}, {"price": "p2"}]}),
            "ordered by index, not by arrival"
        );
    }

    #[test]
    fn metadata_keys_that_look_like_indices_stay_keys() {
        assert_eq!(d("metadata[0]=zero"), json!({"metadata": {"0": "zero"}}));
    }

    #[test]
    fn conflicts_are_errors() {
        assert!(decode(b"a=1&a[b]=2").is_err());
        assert!(decode(b"a[b]=2&a=1").is_err());
        assert!(decode(b"a[]=1&a[b]=2").is_err());
        assert_eq!(
            decode(b"a[b=1").unwrap().get("a[b"),
            Some(&json!("1")),
            "unbalanced brackets are literal"
        );
    }

    #[test]
    fn last_value_wins_for_repeats() {
        assert_eq!(d("name=a&name=b"), json!({"name": "b"}));
    }

    #[test]
    fn expand_list_reads_both_forms() {
        assert_eq!(
            expand_list(&decode(b"expand[]=payload").unwrap()),
            vec!["payload"]
        );
        assert_eq!(
            expand_list(&decode(b"expand=payload").unwrap()),
            vec!["payload"]
        );
    }
}
