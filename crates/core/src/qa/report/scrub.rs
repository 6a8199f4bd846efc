//! Masking for reports: every key, token and code shape Stripe (and the
//! sandbox) uses is replaced by its masked form wherever it appears in text,
//! after the structured masking of `oauth::timeline::mask_params` (which
//! knows parameter names but not free text such as a response body).
//!
//! Invariant: applied to every string that reaches an [`super::super::result::Exchange`]
//! or a message, so no report file holds a secret whole.

use std::sync::OnceLock;

use crate::secret::mask;

fn pattern() -> &'static regex::Regex {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(
            r"\b(?:(?:sk|rk|pk)_(?:test|live)_[A-Za-z0-9_]{6,}|(?:rt|ac|absec|whsec)_[A-Za-z0-9_]{6,})",
        )
        .expect("a static regex compiles")
    })
}

/// `text` with every secret-shaped token masked.
pub fn text(text: &str) -> String {
    pattern()
        .replace_all(text, |c: &regex::Captures| mask(&c[0]))
        .into_owned()
}

/// A response body for a report: masked, and cut to `max` characters.
pub fn body(raw: &str, max: usize) -> String {
    let pretty = serde_json::from_str::<serde_json::Value>(raw)
        .map(|v| {
            let v = crate::oauth::timeline::mask_params(&v);
            serde_json::to_string_pretty(&v).unwrap_or_default()
        })
        .unwrap_or_else(|_| raw.to_string());
    let masked = text(&pretty);
    if masked.chars().count() > max {
        let cut: String = masked.chars().take(max).collect();
        format!("{cut}\n… (cut at {max} characters)")
    } else {
        masked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_tokens_and_codes_are_masked_in_free_text() {
        let s = text("Bearer sk_test_oauth_abcdefghijklmnop1234 and rt_ABCDEFGHIJKLmnop5678, code=ac_zzzzzzzzzzzz9999; cus_keepme123");
        assert!(!s.contains("abcdefghijklmnop1234"), "{s}");
        assert!(!s.contains("ABCDEFGHIJKLmnop5678"), "{s}");
        assert!(!s.contains("zzzzzzzzzzzz9999"), "{s}");
        assert!(s.contains("…1234") && s.contains("cus_keepme123"), "{s}");
    }

    #[test]
    fn bodies_are_masked_and_cut() {
        let b = body(
            r#"{"access_token":"sk_test_oauth_abcdefghijkl1234","list":["rt_abcdefghijkl5678"]}"#,
            10_000,
        );
        assert!(
            !b.contains("abcdefghijkl1234") && !b.contains("abcdefghijkl5678"),
            "{b}"
        );
        assert!(body(&"x".repeat(50), 10).ends_with("(cut at 10 characters)"));
    }
}
