//! The app an install flow installs, read as Stripe holds it: from the
//! uploadable `stripe-app.json` (an extension manifest's base), never merged
//! with an extension manifest, since `stripe apps upload` sends the base alone
//! (Stripe staff, stripe/stripe-apps#841). Read leniently (comments, trailing
//! commas), like Stripe's CLI: the validator reports those; an install needs
//! only these fields. Also how a platform install's `livemode` is read.

use std::path::Path;

use super::install::FlowError;
use super::OAuthError;
use crate::error::ErrorCode;
use crate::manifest::rules::{DEFAULT_ACCESS_TYPE, DEFAULT_DISTRIBUTION};

/// The app as the uploadable manifest describes it.
#[derive(Debug, Clone, Default)]
pub struct AppManifest {
    pub id: String,
    pub access_type: String,
    pub redirect_uris: Vec<String>,
    /// `public` or `private` (Stripe's default: private).
    pub distribution: String,
    /// `sandbox_install_compatible` as written (`None` when absent).
    pub sandbox_install_compatible: Option<bool>,
    /// The permissions it requests (names only).
    pub permissions: Vec<String>,
    /// The file Stripe would get (`stripe-app.json`), for messages.
    pub source: Option<std::path::PathBuf>,
}

impl AppManifest {
    /// The uploadable file's name as messages show it.
    pub fn source_name(&self) -> String {
        self.source
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| crate::manifest::MANIFEST_FILE_NAME.to_string())
    }

    pub fn from_text(text: &str) -> Result<Self, String> {
        // Lenient like Stripe's CLI and the sandbox (comments, trailing commas):
        // the validator reports those; an install needs only these fields.
        let v: serde_json::Value = jsonc_parser::parse_to_serde_value::<Option<serde_json::Value>>(
            text,
            &Default::default(),
        )
        .map_err(|e| format!("the manifest is not valid JSON ({e})"))?
        .unwrap_or_default();
        let id = v["id"]
            .as_str()
            .ok_or("the manifest has no \"id\"")?
            .to_string();
        Ok(Self {
            id,
            distribution: v["distribution_type"]
                .as_str()
                .unwrap_or(DEFAULT_DISTRIBUTION)
                .to_string(),
            sandbox_install_compatible: v["sandbox_install_compatible"].as_bool(),
            source: None,
            permissions: v["permissions"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|p| p["permission"].as_str().or(p.as_str()))
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default(),
            access_type: v["stripe_api_access_type"]
                .as_str()
                .unwrap_or(DEFAULT_ACCESS_TYPE)
                .to_string(),
            redirect_uris: v["allowed_redirect_uris"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|u| u.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default(),
        })
    }

    /// Reads the manifest Stripe would hold: `path` itself, or, for an
    /// extension manifest, the base it `extends` (what `stripe apps upload`
    /// sends; extension manifests never reach Stripe).
    pub fn load(path: &Path) -> Result<Self, FlowError> {
        let source = uploadable_path(path);
        let text = std::fs::read_to_string(&source).map_err(|e| {
            FlowError::Setup(
                ErrorCode::ManifestUnreadable,
                format!("cannot read {}: {e}", source.display()),
            )
        })?;
        let mut app =
            Self::from_text(&text).map_err(|m| FlowError::Setup(ErrorCode::ManifestSyntax, m))?;
        app.source = Some(source);
        Ok(app)
    }
}

/// The manifest `stripe apps upload` would send for `path`: the base an
/// extension manifest (`stripe-app.<name>.json` with `extends`) names, else `path`.
pub fn uploadable_path(path: &Path) -> std::path::PathBuf {
    if !crate::manifest::validate::is_extension_file_name(path) {
        return path.to_path_buf();
    }
    let base = std::fs::read_to_string(path).ok().and_then(|t| {
        jsonc_parser::parse_to_serde_value::<Option<serde_json::Value>>(&t, &Default::default())
            .ok()
            .flatten()
            .and_then(|v| v["extends"].as_str().map(str::to_string))
    });
    match base {
        Some(b) => path.parent().unwrap_or(Path::new(".")).join(b),
        None => path.to_path_buf(),
    }
}

/// `livemode` of a platform install's redirect. Stripe appends `livemode=false`
/// to a test-mode install's redirect and nothing to a live one
/// (/stripe-apps/install-links), so an absent value means live mode; `true`
/// is read as live too, anything else is malformed.
pub fn platform_livemode(value: Option<&str>) -> Result<bool, OAuthError> {
    match value {
        None | Some("true") => Ok(true),
        Some("false") => Ok(false),
        Some(other) => Err(OAuthError::CallbackInvalid(format!(
            "livemode={other} is neither false (a test-mode install) nor absent (live mode)"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_livemode_is_absent_in_live_mode_and_false_in_test_mode() {
        assert_eq!(platform_livemode(None), Ok(true));
        assert_eq!(platform_livemode(Some("false")), Ok(false));
        assert_eq!(platform_livemode(Some("true")), Ok(true));
        assert!(platform_livemode(Some("0")).is_err());
    }

    #[test]
    fn an_extension_manifest_installs_the_base_it_extends() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("stripe-app.json");
        std::fs::write(
            &base,
            r#"{"id":"a.b","allowed_redirect_uris":["https://x.example/cb"]}"#,
        )
        .unwrap();
        let dev = dir.path().join("stripe-app.dev.json");
        std::fs::write(
            &dev,
            r#"{"extends":"stripe-app.json","allowed_redirect_uris":["http://127.0.0.1/callback"]}"#,
        )
        .unwrap();
        let app = AppManifest::load(&dev).unwrap();
        assert_eq!(
            app.redirect_uris,
            ["https://x.example/cb"],
            "never the extension's"
        );
        assert_eq!(app.source.as_deref(), Some(base.as_path()));
        assert_eq!(AppManifest::load(&base).unwrap().redirect_uris.len(), 1);
    }
}
