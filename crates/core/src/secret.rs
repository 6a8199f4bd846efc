//! Secrets as types: Stripe keys, OAuth tokens, provider tokens, signing secrets.
//!
//! Invariants: a secret's `Debug` never shows it; secret types implement neither
//! `Serialize` nor `Display`, so one can't reach a log line, a JSON response, the
//! webview or a file by accident; the only ways out are `.secret()` (for the wire
//! or the keychain) and `.masked()` (for people). Values are zeroed on drop.
//! Why: the shape of oauth2-rs's `new_secret_type!` and GitButler's `Sensitive`.

use zeroize::Zeroize;

macro_rules! secret_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            /// The raw value: only for the wire or the keychain.
            pub fn secret(&self) -> &str {
                &self.0
            }

            /// A form safe to show: a known prefix and the last 4 characters.
            pub fn masked(&self) -> String {
                mask(&self.0)
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, concat!(stringify!($name), "([redacted])"))
            }
        }

        impl Drop for $name {
            fn drop(&mut self) {
                self.0.zeroize();
            }
        }
    };
}

secret_type!(
    /// A Stripe secret or restricted API key (`sk_…`, `rk_…`).
    ApiKey
);
secret_type!(
    /// An OAuth access token (Stripe's or a provider's).
    AccessToken
);
secret_type!(
    /// An OAuth refresh token; Stripe rotates it on every use.
    RefreshToken
);
secret_type!(
    /// An OAuth client secret of a third-party provider.
    ClientSecret
);
secret_type!(
    /// An app's signing secret (`absec_…`).
    SigningSecret
);
secret_type!(
    /// A webhook endpoint's signing secret (`whsec_…`).
    WebhookSecret
);
secret_type!(
    /// An opaque secret read back from a store, before it is given its type.
    SecretValue
);
secret_type!(
    /// A Secret Store payload on its way to Stripe (`secrets set`).
    SecretPayload
);

/// `sk_test_…wxyz`: the prefix up to the last `_` of the first 3 segments, an
/// ellipsis, and the last 4 characters; short values are fully hidden.
pub fn mask(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() < 12 {
        return "••••".into();
    }
    let prefix: String = value
        .match_indices('_')
        .take(2)
        .last()
        .map(|(i, _)| value[..=i].to_string())
        .filter(|p| p.len() <= 16)
        .unwrap_or_default();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{prefix}…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let k = ApiKey::new("sk_test_51AbCdEfGhIjKlMnOp");
        let shown = format!("{k:?} {:?}", Some(&k));
        assert!(!shown.contains("51AbCd"), "{shown}");
        assert!(shown.contains("[redacted]"));
    }

    #[test]
    fn masking_keeps_prefix_and_last_four() {
        assert_eq!(mask("sk_test_51AbCdEfGhIjKlMnOp"), "sk_test_…MnOp");
        assert_eq!(mask("rt_abcdefghijklmnop"), "rt_…mnop");
        assert_eq!(mask("short"), "••••");
        assert_eq!(
            ApiKey::new("sk_live_1234567890abcd").masked(),
            "sk_live_…abcd"
        );
    }
}
