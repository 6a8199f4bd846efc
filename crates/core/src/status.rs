//! What the status bar shows: which secret store is in use (and why not the
//! OS keychain, when it isn't) and the embedded sandbox's state. Plain data,
//! shared by the desktop shell and the UI through the generated bindings.

use serde::Serialize;
use ts_rs::TS;

use crate::error::ErrorPayload;
use crate::keychain::StoreKind;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export, export_to = "KeychainStatus.ts")]
pub struct KeychainStatus {
    /// The store in use; `None` until the user chooses when the OS keychain is unavailable.
    pub store: Option<StoreKind>,
    /// Why the OS keychain can't be used (`keychain-unavailable`, `-locked`, `-timeout`, …).
    pub problem: Option<ErrorPayload>,
    /// The keychain service name entries are stored under.
    pub service: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export, export_to = "SandboxState.ts")]
pub enum SandboxState {
    Starting,
    Running,
    Failed,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export, export_to = "SandboxStatus.ts")]
pub struct SandboxStatus {
    pub state: SandboxState,
    pub base_url: Option<String>,
    pub message: Option<String>,
    pub auto_consent: bool,
    /// The developer account and the app registered from the open manifest.
    pub account_id: Option<String>,
    pub app_id: Option<String>,
    /// The file the app was registered from: always a `stripe-app.json`, as
    /// `stripe apps upload` reads it (an extension manifest never is).
    pub registered_from: Option<String>,
}
