//! `data.previous_attributes` of an `*.updated` event: the changed attributes
//! with their values before the change.
//!
//! Rules (docs/stripe-fidelity.md): only keys whose value changed; a key that
//! did not exist before is `null`; a changed array is given whole (Stripe's
//! Event object reference says so); a changed hash (`metadata`, `address`…)
//! lists only its changed keys, recursively (inferred from Stripe's delivered
//! events, e.g. `"metadata": {"plan": null}` for an added key).

use serde_json::{Map, Value};

/// The attributes of `before` that differ in `after`, with `before`'s values;
/// `None` when nothing changed.
pub fn previous_attributes(before: &Value, after: &Value) -> Option<Value> {
    match (before, after) {
        (Value::Object(b), Value::Object(a)) => {
            let changed = changed_keys(b, a);
            (!changed.is_empty()).then_some(Value::Object(changed))
        }
        _ => (before != after).then(|| before.clone()),
    }
}

fn changed_keys(before: &Map<String, Value>, after: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for (k, new) in after {
        let old = before.get(k).unwrap_or(&Value::Null);
        if old == new {
            continue;
        }
        let value = match (old, new) {
            (Value::Object(o), Value::Object(n)) => Value::Object(changed_keys(o, n)),
            _ => old.clone(),
        };
        out.insert(k.clone(), value);
    }
    for (k, old) in before {
        if !after.contains_key(k) {
            out.insert(k.clone(), old.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_changed_keys_with_their_old_values() {
        let before = json!({"id": "cus_1", "name": "Ada", "email": null, "balance": 0});
        let after = json!({"id": "cus_1", "name": "Grace", "email": "g@x.io", "balance": 0});
        assert_eq!(
            previous_attributes(&before, &after),
            Some(json!({"name": "Ada", "email": null}))
        );
        assert_eq!(previous_attributes(&before, &before), None, "no change");
    }

    #[test]
    fn hashes_recurse_and_arrays_are_whole() {
        let before = json!({"metadata": {"plan": "pro", "seats": "3"}, "address": {"city": "Oslo", "line1": null}, "preferred_locales": ["en", "fr"]});
        let after = json!({"metadata": {"plan": "pro", "tier": "1"}, "address": {"city": "Bergen", "line1": null}, "preferred_locales": ["en", "de"]});
        assert_eq!(
            previous_attributes(&before, &after),
            Some(json!({
                "metadata": {"tier": null, "seats": "3"},
                "address": {"city": "Oslo"},
                "preferred_locales": ["en", "fr"],
            }))
        );
    }

    #[test]
    fn a_hash_replacing_null_is_given_as_null() {
        let before = json!({"address": null});
        let after = json!({"address": {"city": "Oslo"}});
        assert_eq!(
            previous_attributes(&before, &after),
            Some(json!({"address": null}))
        );
    }
}
