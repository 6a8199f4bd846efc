//! Per app and mode: the OAuth `client_id`, the external-test channel link and
//! the signing secret. The first two are public identifiers kept in
//! `apps.json`; the signing secret lives in the keychain. For the embedded
//! local sandbox all three come from the running sandbox, with no set-up.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::context::Context;
use crate::error::{Coded, ErrorCode};
use crate::keychain::{KeychainError, Mode, SecretKind, SecretRef};
use crate::secret::SigningSecret;
use crate::store::{JsonFile, StoreError};

const FILE: &str = "apps.json";
pub const MARKETPLACE_BASE: &str = "https://marketplace.stripe.com";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export, export_to = "AppCredentials.ts")]
pub struct AppCredentials {
    pub app_id: String,
    pub mode: Mode,
    pub client_id: String,
    pub channel_link: Option<String>,
    /// Whether a signing secret is in the keychain (never the secret itself).
    pub has_signing_secret: bool,
    /// Where install links point: Stripe's marketplace, or the local sandbox.
    pub marketplace_base: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("no client id is configured for app \"{app}\" in {mode} mode; copy it from the app's External test settings in the Dashboard")]
    NotConfigured { app: String, mode: &'static str },
    #[error("the local sandbox's app is \"{running}\", not \"{wanted}\"; run it with this manifest (`appdeck sandbox serve --manifest …`, or open the project in the desktop app)")]
    LocalMismatch { running: String, wanted: String },
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Keychain(#[from] KeychainError),
}

impl Coded for AppError {
    fn code(&self) -> ErrorCode {
        match self {
            AppError::NotConfigured { .. } | AppError::LocalMismatch { .. } => {
                ErrorCode::AppNotConfigured
            }
            AppError::Invalid(_) => ErrorCode::InvalidInput,
            AppError::Store(e) => e.code(),
            AppError::Keychain(e) => e.code(),
        }
    }
}

fn secret_ref(app_id: &str, mode: Mode) -> SecretRef {
    SecretRef::new(SecretKind::SigningSecret, mode, app_id)
}

/// The credentials of `app_id` in `mode`, with the signing secret if known.
pub fn resolve(
    ctx: &Context,
    app_id: &str,
    mode: Mode,
) -> Result<(AppCredentials, Option<SigningSecret>), AppError> {
    if mode == Mode::Local {
        if let Some(app) = ctx
            .local
            .as_ref()
            .and_then(|l| l.app.as_ref().map(|a| (l, a)))
        {
            let (local, a) = app;
            if a.id != app_id {
                return Err(AppError::LocalMismatch {
                    running: a.id.clone(),
                    wanted: app_id.to_string(),
                });
            }
            return Ok((
                AppCredentials {
                    app_id: a.id.clone(),
                    mode,
                    client_id: a.client_id.clone(),
                    channel_link: Some(a.channel_link.clone()),
                    has_signing_secret: true,
                    marketplace_base: local.base_url.clone(),
                },
                Some(a.signing_secret.clone()),
            ));
        }
    }
    let list: Vec<AppCredentials> = JsonFile::new(&ctx.config_dir, FILE).load()?;
    let creds = list
        .into_iter()
        .find(|c| c.app_id == app_id && c.mode == mode)
        .ok_or(AppError::NotConfigured {
            app: app_id.to_string(),
            mode: mode.as_str(),
        })?;
    let secret = ctx
        .secrets
        .get(&secret_ref(app_id, mode))?
        .map(|v| SigningSecret::new(v.secret()));
    Ok((creds, secret))
}

/// Every configured app and mode (no secret: whether a signing secret is known).
pub fn list(ctx: &Context) -> Result<Vec<AppCredentials>, AppError> {
    Ok(JsonFile::new(&ctx.config_dir, FILE).load()?)
}

/// Records the public identifiers and (optionally) the signing secret.
pub fn configure(
    ctx: &Context,
    app_id: &str,
    mode: Mode,
    client_id: &str,
    channel_link: Option<&str>,
    signing_secret: Option<SigningSecret>,
) -> Result<AppCredentials, AppError> {
    let client_id = client_id.trim();
    if !client_id.starts_with("ca_") {
        return Err(AppError::Invalid(
            "the client id starts with ca_ (the app's OAuth settings in the Dashboard)".into(),
        ));
    }
    let channel_link = channel_link.map(str::trim).filter(|c| !c.is_empty());
    if channel_link.is_some_and(|c| !c.starts_with("chnlink_")) {
        return Err(AppError::Invalid(
            "the channel link starts with chnlink_ (the app's External test settings in the Dashboard)".into(),
        ));
    }
    if mode == Mode::Local {
        return Err(AppError::Invalid(
            "the local sandbox knows its app's credentials; configure test or live mode".into(),
        ));
    }
    if signing_secret
        .as_ref()
        .is_some_and(|s| !s.secret().starts_with("absec_"))
    {
        return Err(AppError::Invalid(
            "the signing secret starts with absec_ (the app's settings in the Dashboard)".into(),
        ));
    }
    if let Some(s) = &signing_secret {
        ctx.secrets.set(&secret_ref(app_id, mode), s.secret())?;
    }
    let had_secret =
        signing_secret.is_some() || ctx.secrets.get(&secret_ref(app_id, mode))?.is_some();
    let creds = AppCredentials {
        app_id: app_id.to_string(),
        mode,
        client_id: client_id.to_string(),
        channel_link: channel_link.map(str::to_string),
        has_signing_secret: had_secret,
        marketplace_base: MARKETPLACE_BASE.into(),
    };
    let saved = creds.clone();
    JsonFile::new(&ctx.config_dir, FILE).update(move |list: &mut Vec<AppCredentials>| {
        list.retain(|c| !(c.app_id == saved.app_id && c.mode == saved.mode));
        list.push(saved);
    })?;
    Ok(creds)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::context::{LocalApp, LocalSandbox};
    use crate::keychain::MemoryStore;
    use crate::secret::ApiKey;

    #[test]
    fn the_local_app_answers_only_for_its_own_id() {
        let dir = tempfile::tempdir().unwrap();
        let ctx = Context::new(dir.path().to_path_buf(), Arc::new(MemoryStore::new())).with_local(
            LocalSandbox {
                base_url: "http://127.0.0.1:9".into(),
                account_id: "acct_dev".into(),
                secret_key: ApiKey::new("sk_test_local"),
                app: Some(LocalApp {
                    id: "com.example.open".into(),
                    client_id: "ca_local".into(),
                    channel_link: "chnlink_local".into(),
                    signing_secret: SigningSecret::new("absec_local"),
                }),
            },
        );
        let (creds, secret) = resolve(&ctx, "com.example.open", Mode::Local).unwrap();
        assert_eq!(creds.client_id, "ca_local");
        assert!(secret.is_some());
        let err = resolve(&ctx, "com.example.other", Mode::Local).unwrap_err();
        assert_eq!(err.code(), ErrorCode::AppNotConfigured);
        assert!(err.to_string().contains("com.example.open"), "{err}");
    }

    #[test]
    fn configure_checks_each_id_and_keeps_the_secret_in_the_keychain_only() {
        let dir = tempfile::tempdir().unwrap();
        let ctx = Context::new(dir.path().to_path_buf(), Arc::new(MemoryStore::new()));
        let set = |client: &str, link: Option<&str>, secret: Option<&str>| {
            configure(
                &ctx,
                "a.b",
                Mode::Test,
                client,
                link,
                secret.map(SigningSecret::new),
            )
        };
        for (client, link, secret) in [
            ("nope", None, None),
            ("ca_1", Some("link"), None),
            ("ca_1", None, Some("whsec_not_a_signing_secret")),
        ] {
            assert_eq!(
                set(client, link, secret).unwrap_err().code(),
                ErrorCode::InvalidInput
            );
        }
        let local = configure(&ctx, "a.b", Mode::Local, "ca_1", None, None);
        assert_eq!(local.unwrap_err().code(), ErrorCode::InvalidInput);
        let c = set(" ca_1 ", Some(" "), Some("absec_0123456789")).unwrap();
        assert_eq!(
            (c.client_id.as_str(), c.channel_link.as_deref()),
            ("ca_1", None)
        );
        assert!(c.has_signing_secret);
        let on_disk = std::fs::read_to_string(dir.path().join(FILE)).unwrap();
        assert!(
            !on_disk.contains("absec_0123456789"),
            "the secret is never in apps.json"
        );
        let (_, secret) = resolve(&ctx, "a.b", Mode::Test).unwrap();
        assert_eq!(secret.unwrap().secret(), "absec_0123456789");
    }
}
