//! How a sandbox is started: [`SandboxConfig`] and the app it registers,
//! [`AppRegistration`] (read from a `stripe-app.json`).
//!
//! Invariant: the config is applied on every start, also over a persisted data
//! dir (flags such as auto-consent are settings of this run, not stored).
//! Manifest validation happens in appdeck-core; here the manifest is only read
//! for the fields the sandbox needs, leniently (missing fields get Stripe's
//! defaults: distribution `private`, access type `platform`; `//` and `/* */`
//! comments and trailing commas, which real manifests contain, are tolerated).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::sealed::DataKey;

/// Settings of one sandbox run.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Persist state in `DIR/sandbox.redb`; `None` keeps everything in memory.
    pub data_dir: Option<PathBuf>,
    /// Seals what is stored in `data_dir` (see `sealed`); `None` stores it in
    /// plaintext, and then a sealed data dir is refused.
    pub data_key: Option<DataKey>,
    /// The app to register (owned by the developer account) on start.
    pub app: Option<AppRegistration>,
    /// Answer authorize URLs at once with the first install account.
    pub auto_consent: bool,
    /// Accept any port on loopback redirect URIs (RFC 8252 §7.3). Stripe does
    /// not: its docs ask for an exact match with an uploaded
    /// `allowed_redirect_uris` entry. An explicit opt-in, off by default.
    pub any_loopback_port: bool,
    /// Enforce 25 requests/s per account on `/v1`.
    pub rate_limit: bool,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            port: 0,
            data_dir: None,
            data_key: None,
            app: None,
            auto_consent: false,
            any_loopback_port: false,
            rate_limit: true,
        }
    }
}

/// One permission an app asks for, with the purpose shown on the consent page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionGrant {
    pub permission: String,
    #[serde(default)]
    pub purpose: String,
}

/// The parts of a manifest the sandbox uses to register an app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppRegistration {
    pub id: String,
    #[serde(default)]
    pub permissions: Vec<PermissionGrant>,
    #[serde(default)]
    pub redirect_uris: Vec<String>,
    /// `public` or `private`.
    #[serde(default = "default_distribution")]
    pub distribution: String,
    /// `platform`, `oauth` or `restricted_api_key`.
    #[serde(default = "default_access_type")]
    pub access_type: String,
}

fn default_distribution() -> String {
    "private".into()
}
fn default_access_type() -> String {
    "platform".into()
}

/// Why a manifest could not be read as an app registration.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ManifestError {
    #[error("the manifest is not JSON: {0}")]
    NotJson(String),
    #[error("the manifest has no string `id`")]
    MissingId,
    #[error("`extends` must name the base manifest, e.g. \"stripe-app.json\"")]
    BadExtends,
}

/// Parses a manifest as JSON, tolerating what real manifests contain (`//`
/// and `/* */` comments, trailing commas).
pub(crate) fn parse_lenient(text: &str) -> Result<Value, ManifestError> {
    match serde_json::from_str(text) {
        Ok(doc) => Ok(doc),
        Err(e) => serde_json::from_str(&strip_jsonc(text))
            .map_err(|_| ManifestError::NotJson(e.to_string())),
    }
}

impl AppRegistration {
    /// Reads `id`, `permissions` (`{permission, purpose}`; a purpose given as a
    /// locale map uses `en-US` or its first entry; a bare string counts as a
    /// permission without purpose), `allowed_redirect_uris`,
    /// `distribution_type` and `stripe_api_access_type`.
    pub fn from_manifest_text(text: &str) -> Result<Self, ManifestError> {
        let doc = parse_lenient(text)?;
        let id = doc
            .get("id")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .ok_or(ManifestError::MissingId)?
            .to_string();
        let permissions = doc
            .get("permissions")
            .and_then(Value::as_array)
            .map(|list| list.iter().filter_map(permission_of).collect())
            .unwrap_or_default();
        let redirect_uris = doc
            .get("allowed_redirect_uris")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let text_of = |key: &str, default: fn() -> String| {
            doc.get(key)
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(default)
        };
        Ok(AppRegistration {
            id,
            permissions,
            redirect_uris,
            distribution: text_of("distribution_type", default_distribution),
            access_type: text_of("stripe_api_access_type", default_access_type),
        })
    }
}

/// Removes comments and trailing commas outside strings (JSONC → JSON).
fn strip_jsonc(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut in_string = false;
    while i < chars.len() {
        let c = chars[i];
        if in_string {
            out.push(c);
            if c == '\\' && i + 1 < chars.len() {
                out.push(chars[i + 1]);
                i += 1;
            } else if c == '"' {
                in_string = false;
            }
            i += 1;
            continue;
        }
        match (c, chars.get(i + 1)) {
            ('"', _) => {
                in_string = true;
                out.push(c);
            }
            ('/', Some('/')) => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            ('/', Some('*')) => {
                i += 2;
                while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                    i += 1;
                }
                i += 2;
                continue;
            }
            (',', _) => {
                let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
                if !matches!(next, Some('}') | Some(']')) {
                    out.push(c);
                }
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

fn permission_of(entry: &Value) -> Option<PermissionGrant> {
    match entry {
        Value::String(name) => Some(PermissionGrant {
            permission: name.clone(),
            purpose: String::new(),
        }),
        Value::Object(map) => {
            let permission = map.get("permission")?.as_str()?.to_string();
            let purpose = match map.get("purpose") {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Object(locales)) => locales
                    .get("en-US")
                    .or_else(|| locales.values().next())
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                _ => String::new(),
            };
            Some(PermissionGrant {
                permission,
                purpose,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_sample_manifest() {
        let text = include_str!("../../../stripe-app.json");
        let app = AppRegistration::from_manifest_text(text).expect("sample manifest reads");
        assert_eq!(app.id, "com.example.appdeck-sample");
        assert_eq!(app.access_type, "oauth");
        assert_eq!(app.distribution, "public");
        assert_eq!(app.permissions[0].permission, "customer_read");
        assert!(!app.permissions[0].purpose.is_empty(), "purposes are kept");
        assert_eq!(
            app.redirect_uris,
            vec![
                "https://invoicepilot.example.com/stripe/oauth/callback",
                "http://127.0.0.1:8765/callback"
            ],
            "the https backend first, then the fixed-port loopback URI"
        );
    }

    #[test]
    fn defaults_locale_purposes_and_errors() {
        let app = AppRegistration::from_manifest_text(
            r#"{"id":"a.b","permissions":["event_read",{"permission":"secret_write","purpose":{"fr-FR":"x","en-US":"y"}}]}"#,
        )
        .unwrap();
        assert_eq!(app.distribution, "private");
        assert_eq!(app.access_type, "platform");
        assert_eq!(app.permissions[0].purpose, "");
        assert_eq!(app.permissions[1].purpose, "y");
        assert_eq!(
            AppRegistration::from_manifest_text("{}"),
            Err(ManifestError::MissingId)
        );
        assert!(matches!(
            AppRegistration::from_manifest_text("nope"),
            Err(ManifestError::NotJson(_))
        ));
    }

    #[test]
    fn tolerates_comments_and_trailing_commas() {
        let text = r#"{
            // the app
            "id": "a.b", /* inline */
            "allowed_redirect_uris": ["https://x.example/cb//not-a-comment", ],
            "permissions": [{"permission": "event_read", "purpose": "a \"quoted\" // text",},],
        }"#;
        let app = AppRegistration::from_manifest_text(text).expect("JSONC reads");
        assert_eq!(app.id, "a.b");
        assert_eq!(
            app.redirect_uris,
            vec!["https://x.example/cb//not-a-comment"]
        );
        assert_eq!(app.permissions[0].purpose, "a \"quoted\" // text");
    }
}
