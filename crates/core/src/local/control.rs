//! The local sandbox's control API (`/_appdeck/…`), the one way core talks
//! to it: its info (the developer account, keys and registered app: the CLI's
//! session and the desktop's `local` account), the install accounts (and their
//! own keys, to read their events), the installs with their granted
//! permissions, uninstall, the clock, and the auto-consent and any-loopback-port
//! settings (the QA runner, the install pre-flight, the desktop's toggle).
//! Webhook deliveries have their own file (`deliveries.rs`).
//!
//! Invariant: only ever pointed at the embedded local sandbox's base URL (the
//! control API answers loopback clients only); account keys read here stay in
//! [`ApiKey`]s and never reach a report.

use std::time::Duration;

use serde::Deserialize;
use serde_json::{json, Value};

use super::LocalSandbox;
use crate::error::{Coded, ErrorCode};
use crate::secret::ApiKey;

/// The control API did not answer, or answered with an error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the local sandbox's control API failed: {0}")]
pub struct ControlError(pub String);

impl Coded for ControlError {
    fn code(&self) -> ErrorCode {
        ErrorCode::Network
    }
}

impl ControlError {
    /// What went wrong, without the leading "the control API failed".
    pub fn reason(&self) -> &str {
        &self.0
    }
}

pub struct Control {
    http: reqwest::Client,
    base: String,
    timeout: Option<Duration>,
}

/// A sandbox account as the control API lists it.
#[derive(Clone)]
pub struct SandboxAccount {
    pub id: String,
    pub role: String,
    pub display_name: String,
    pub secret_key: ApiKey,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SandboxInstall {
    pub app: String,
    pub account: String,
    #[serde(default)]
    pub permissions: Vec<String>,
    pub active: bool,
}

impl Control {
    pub fn new(http: reqwest::Client, base: &str) -> Self {
        Control {
            http,
            base: base.trim_end_matches('/').to_string(),
            timeout: None,
        }
    }

    /// Each call gives up after `timeout` (the client's own timeouts otherwise).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub(super) async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, ControlError> {
        let url = format!("{}/_appdeck{path}", self.base);
        let mut rb = self.http.request(method.clone(), &url);
        if let Some(t) = self.timeout {
            rb = rb.timeout(t);
        }
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let resp = rb.send().await.map_err(|e| {
            ControlError(format!(
                "{method} /_appdeck{path}: {}",
                crate::http::describe(&e)
            ))
        })?;
        let status = resp.status();
        let v: Value = resp.json().await.unwrap_or(Value::Null);
        if !status.is_success() {
            let msg = v["error"]["message"].as_str().unwrap_or("no message");
            return Err(ControlError(format!(
                "{method} /_appdeck{path} answered {status}: {msg}"
            )));
        }
        Ok(v)
    }

    /// The running sandbox's developer account, its key and registered app.
    pub async fn info(&self) -> Result<LocalSandbox, ControlError> {
        let v = self.call(reqwest::Method::GET, "/info", None).await?;
        LocalSandbox::from_info_json(v).map_err(ControlError)
    }

    /// Every account (developer, install accounts, accounts made later).
    pub async fn accounts(&self) -> Result<Vec<SandboxAccount>, ControlError> {
        let v = self.call(reqwest::Method::GET, "/accounts", None).await?;
        Ok(v["data"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|a| SandboxAccount {
                        id: a["account"].as_str().unwrap_or_default().to_string(),
                        role: a["role"].as_str().unwrap_or_default().to_string(),
                        display_name: a["display_name"].as_str().unwrap_or_default().to_string(),
                        secret_key: ApiKey::new(a["secret_key"].as_str().unwrap_or_default()),
                    })
                    .collect()
            })
            .unwrap_or_default())
    }

    /// The install accounts in the sandbox's own order (the order its consent
    /// page lists them; auto-consent uses the first), from `/info`.
    pub async fn install_accounts(&self) -> Result<Vec<SandboxAccount>, ControlError> {
        let v = self.call(reqwest::Method::GET, "/info", None).await?;
        Ok(v["accounts"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|a| SandboxAccount {
                        id: a["account"].as_str().unwrap_or_default().to_string(),
                        role: "install".into(),
                        display_name: String::new(),
                        secret_key: ApiKey::new(a["secret_key"].as_str().unwrap_or_default()),
                    })
                    .collect()
            })
            .unwrap_or_default())
    }

    pub async fn installs(&self) -> Result<Vec<SandboxInstall>, ControlError> {
        let v = self.call(reqwest::Method::GET, "/installs", None).await?;
        serde_json::from_value(v["data"].clone())
            .map_err(|e| ControlError(format!("GET /_appdeck/installs: unexpected answer ({e})")))
    }

    pub async fn uninstall(&self, app: &str, account: &str) -> Result<(), ControlError> {
        self.call(
            reqwest::Method::POST,
            "/installs/uninstall",
            Some(json!({"app": app, "account": account})),
        )
        .await
        .map(|_| ())
    }

    /// Moves the sandbox clock forward; returns the new offset in seconds.
    pub async fn advance_clock(&self, seconds: u64) -> Result<i64, ControlError> {
        let v = self
            .call(
                reqwest::Method::POST,
                "/clock/advance",
                Some(json!({"seconds": seconds})),
            )
            .await?;
        Ok(v["offset"].as_i64().unwrap_or_default())
    }

    pub async fn auto_consent(&self) -> Result<bool, ControlError> {
        let v = self.call(reqwest::Method::GET, "/settings", None).await?;
        Ok(v["auto_consent"].as_bool().unwrap_or(false))
    }

    /// Whether the sandbox runs with the `--any-loopback-port` opt-in.
    pub async fn any_loopback_port(&self) -> Result<bool, ControlError> {
        let v = self.call(reqwest::Method::GET, "/settings", None).await?;
        Ok(v["any_loopback_port"].as_bool().unwrap_or(false))
    }

    /// Turns auto-consent on or off; returns the setting as the sandbox now has it.
    pub async fn set_auto_consent(&self, on: bool) -> Result<bool, ControlError> {
        let v = self
            .call(
                reqwest::Method::POST,
                "/settings",
                Some(json!({"auto_consent": on})),
            )
            .await?;
        Ok(v["auto_consent"].as_bool().unwrap_or(on))
    }
}
