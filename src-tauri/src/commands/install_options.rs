//! What the Install screen sends (the choices of an install) and what
//! `install_start` answers, as the IPC carries them (snake_case, like core's
//! types; exported to `ui/src/bindings`).

use appdeck_core::oauth::install::InstallRequest;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What an install link is made for (`install_link`).
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export, export_to = "InstallLinkOptions.ts", optional_fields)]
pub struct InstallLinkOptions {
    /// An account name (default: the current one).
    pub account: Option<String>,
    /// Absent: core picks the default of the uploadable stripe-app.json.
    pub redirect_uri: Option<String>,
    /// A platform install link instead of OAuth.
    pub platform: bool,
}

/// The choices of an install (`install_check`, and `install_start`'s): a
/// link's, and who completes it.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export, export_to = "InstallCheckOptions.ts", optional_fields)]
pub struct InstallCheckOptions {
    #[serde(flatten)]
    #[ts(flatten)]
    pub link: InstallLinkOptions,
    /// The app's backend receives the redirect and exchanges the code;
    /// Appdeck confirms the install from Stripe's events. Default false.
    #[ts(optional, type = "boolean")]
    pub via_backend: Option<bool>,
    /// With `via_backend`: the account the app goes into (`acct_…` or an
    /// account name), where Stripe lists the event.
    pub into: Option<String>,
}

impl InstallCheckOptions {
    pub fn into_request(self) -> InstallRequest {
        InstallRequest {
            account: self.link.account,
            redirect_uri: self.link.redirect_uri,
            platform: self.link.platform,
            via_backend: self.via_backend.unwrap_or(false),
            into: self.into,
        }
    }
}

/// `install_start`'s choices, and how long the flow may wait for the browser.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export, export_to = "InstallStartOptions.ts", optional_fields)]
pub struct InstallStartOptions {
    #[serde(flatten)]
    #[ts(flatten)]
    pub choice: InstallCheckOptions,
    /// Default: 300 s.
    #[ts(optional, type = "number")]
    pub timeout_secs: Option<u64>,
}

/// What `install_start` answers: the flow's handle and where the browser went.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export, export_to = "InstallStart.ts")]
pub struct InstallStart {
    pub flow: String,
    pub authorize_url: String,
    pub redirect_uri: String,
    /// False for an app backend's redirect URI: the user pastes the URL they landed on.
    pub loopback: bool,
    /// The app's backend completes the install: await it with `install_wait_backend`.
    pub via_backend: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the UI's client sends for `install_start` (snake_case, optional
    /// fields left out) reaches core's request whole.
    #[test]
    fn the_uis_options_become_cores_request() {
        let json = serde_json::json!({
            "account": "sbx", "redirect_uri": "https://backend.example.com/cb",
            "platform": false, "via_backend": true, "into": "acct_1", "timeout_secs": 30
        });
        let options: InstallStartOptions = serde_json::from_value(json).unwrap();
        assert_eq!(options.timeout_secs, Some(30));
        let req = options.choice.into_request();
        assert_eq!(req.account.as_deref(), Some("sbx"));
        assert_eq!(
            req.redirect_uri.as_deref(),
            Some("https://backend.example.com/cb")
        );
        assert!(req.via_backend && !req.platform);
        assert_eq!(req.into.as_deref(), Some("acct_1"));

        let least: InstallStartOptions =
            serde_json::from_value(serde_json::json!({"platform": true})).unwrap();
        let req = least.choice.into_request();
        assert!(
            req.platform && !req.via_backend,
            "a loopback flow unless asked"
        );
        assert!(
            req.account.is_none() && req.redirect_uri.is_none() && least.timeout_secs.is_none()
        );
    }
}
