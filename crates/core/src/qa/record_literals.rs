//! Which literals of a recorded session may be written into a flow, and how:
//! values are quoted as JSON strings (a valid YAML double-quoted scalar),
//! pointers bare when YAML reads them back as written; object ids and secret
//! parameters are recognised so the renderer can keep them out.
//!
//! Why apart from `record_render`: these are the recorder's rules about text;
//! the renderer holds only its decisions about steps.

use std::sync::OnceLock;

/// A value in a flow: a JSON string is a valid YAML double-quoted scalar.
pub(super) fn q(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

fn id_shape() -> &'static regex::Regex {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*_[A-Za-z0-9]{8,}$")
            .expect("a static regex")
    })
}

/// `cus_N1b2…`: a prefix, then a random tail with a digit or a capital (so
/// `payment_intent_succeeded` is not an id).
pub(super) fn looks_like_id(s: &str) -> bool {
    id_shape().is_match(s)
        && s.rsplit('_').next().is_some_and(|t| {
            t.chars()
                .any(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        })
}

/// Parameters whose value is a secret by name (the Secret Store's `payload`).
pub(super) fn secret_param(key: &str, value: &str) -> bool {
    let k = key.to_ascii_lowercase();
    ["payload", "secret", "password", "token"]
        .iter()
        .any(|w| k == *w || k.ends_with(&format!("[{w}]")) || k.ends_with(&format!("_{w}")))
        || super::report::scrub::text(value) != value
}

/// A pointer bare when YAML reads it back as written, else quoted.
pub(super) fn pointer_text(p: &str) -> String {
    if p.chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '.'))
    {
        p.to_string()
    } else {
        q(p)
    }
}

/// Splits `text` into lines of at most `width` characters, at spaces.
pub(super) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}
