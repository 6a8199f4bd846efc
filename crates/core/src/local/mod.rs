//! The embedded local sandbox as core knows it: over HTTP, like Stripe itself.
//! [`LocalSandbox`] holds what its control API's `GET /_appdeck/info` reports
//! (base URL, the developer account and its key, the registered app), and
//! [`control::Control`] calls that API (`/_appdeck/*`).
//!
//! Invariant: core never links the sandbox crate (CI checks `cargo tree -p
//! appdeck-core -e normal`); a face that runs the sandbox in-process hands its
//! info over as the same JSON the control API serves ([`LocalSandbox::from_info_json`]).
//! The keys read here are local test keys: never stored in the keychain, gone
//! when the sandbox stops.

pub mod control;
pub mod deliveries;
pub mod listen;

use serde::Deserialize;

use crate::secret::{ApiKey, SigningSecret};

/// The embedded local sandbox's credentials, known from the running sandbox.
#[derive(Clone)]
pub struct LocalSandbox {
    pub base_url: String,
    pub account_id: String,
    pub secret_key: ApiKey,
    pub app: Option<LocalApp>,
}

#[derive(Clone)]
pub struct LocalApp {
    pub id: String,
    pub client_id: String,
    pub channel_link: String,
    pub signing_secret: SigningSecret,
}

/// `GET /_appdeck/info`, field for field:
/// `{"base_url","developer":{"account","secret_key"},"accounts":[…],"app":{…}|null}`.
#[derive(Deserialize)]
struct InfoJson {
    base_url: String,
    developer: AccountKeyJson,
    #[serde(default)]
    app: Option<AppJson>,
}

#[derive(Deserialize)]
struct AccountKeyJson {
    account: String,
    secret_key: String,
}

#[derive(Deserialize)]
struct AppJson {
    id: String,
    client_id: String,
    channel_link: String,
    signing_secret: String,
}

impl LocalSandbox {
    /// Reads the sandbox's info (its control API's `/info` answer, or the same
    /// JSON from a sandbox running in-process); `Err` says what is missing.
    pub fn from_info_json(info: serde_json::Value) -> Result<Self, String> {
        let info: InfoJson = serde_json::from_value(info)
            .map_err(|e| format!("that is not an Appdeck sandbox's info ({e})"))?;
        Ok(LocalSandbox {
            base_url: info.base_url,
            account_id: info.developer.account,
            secret_key: ApiKey::new(info.developer.secret_key),
            app: info.app.map(|a| LocalApp {
                id: a.id,
                client_id: a.client_id,
                channel_link: a.channel_link,
                signing_secret: SigningSecret::new(a.signing_secret),
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn info_json_becomes_a_local_sandbox_with_its_keys_kept_secret() {
        let local = LocalSandbox::from_info_json(json!({
            "base_url": "http://127.0.0.1:9",
            "developer": {"account": "acct_dev", "secret_key": "sk_test_dev"},
            "accounts": [{"account": "acct_1", "secret_key": "sk_test_1"}],
            "app": {"id": "com.example.app", "client_id": "ca_1", "channel_link": "chnlink_1", "signing_secret": "absec_1"}
        }))
        .expect("the control API's /info shape parses");
        assert_eq!(local.base_url, "http://127.0.0.1:9");
        assert_eq!(local.account_id, "acct_dev");
        assert_eq!(local.secret_key.secret(), "sk_test_dev");
        let app = local.app.expect("the registered app");
        assert_eq!(
            (app.id.as_str(), app.client_id.as_str()),
            ("com.example.app", "ca_1")
        );
        assert_eq!(app.signing_secret.secret(), "absec_1");
    }

    #[test]
    fn info_without_an_app_or_a_developer() {
        let local = LocalSandbox::from_info_json(json!({
            "base_url": "http://127.0.0.1:9",
            "developer": {"account": "acct_dev", "secret_key": "sk_test_dev"},
            "accounts": [],
            "app": null
        }))
        .unwrap();
        assert!(local.app.is_none(), "a sandbox with no app registered");
        let e = LocalSandbox::from_info_json(json!({"base_url": "http://x"})).err();
        assert!(
            e.is_some_and(|e| e.contains("not an Appdeck sandbox")),
            "no developer account: refused with a reason"
        );
    }

    #[test]
    fn the_embedded_sandboxs_own_info_parses() {
        // The sandbox crate is a dev-dependency only: this pins its JSON to ours.
        let info = appdeck_sandbox::SandboxInfo {
            base_url: "http://127.0.0.1:9".into(),
            developer: appdeck_sandbox::AccountKey {
                account: "acct_dev".into(),
                secret_key: "sk_test_dev".into(),
            },
            accounts: vec![],
            app: Some(appdeck_sandbox::AppInfo {
                id: "com.example.app".into(),
                client_id: "ca_1".into(),
                channel_link: "chnlink_1".into(),
                signing_secret: "absec_1".into(),
            }),
        };
        let local = LocalSandbox::from_info_json(serde_json::to_value(info).unwrap()).unwrap();
        assert_eq!(local.account_id, "acct_dev");
        assert_eq!(
            local.app.map(|a| a.channel_link).as_deref(),
            Some("chnlink_1")
        );
    }
}
