//! The error contract shared by every face of Appdeck.
//!
//! Each core module has its own `thiserror` enum; at the edge (IPC, `--json`) they
//! become an [`ErrorPayload`] `{code, message}`. `code` is a stable kebab-case
//! [`ErrorCode`] mirrored in TypeScript so the UI branches on codes, never on English.
//! Add a code only when a caller acts on it differently.

use serde::Serialize;
use ts_rs::TS;

/// Stable error codes. The serialized (kebab-case) form is part of the public
/// interface: scripts and the UI match on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export, export_to = "ErrorCode.ts")]
pub enum ErrorCode {
    /// The manifest file could not be read (missing, permission denied, not UTF-8).
    ManifestUnreadable,
    /// The manifest text is not valid JSON; the message carries line and column.
    ManifestSyntax,
    /// The file on disk changed since it was read; reload before saving.
    ManifestChangedOnDisk,
    /// Writing the manifest failed; the old file is untouched.
    ManifestWriteFailed,
    /// An edit was refused because it would introduce a new error.
    EditRefused,
    /// An edit cannot apply (e.g. revoking a permission that is not granted).
    EditNotApplicable,
    /// The given path is not a manifest or a folder holding one.
    ProjectNotFound,
    /// Reading or writing Appdeck's own configuration failed.
    ConfigIo,
    /// Bad input from the caller (unknown permission name, malformed URL, ...).
    InvalidInput,
    /// No OS keychain (no Secret Service, no session bus).
    KeychainUnavailable,
    /// The keychain is locked.
    KeychainLocked,
    /// The keychain did not answer in time (hung, or waiting on a prompt).
    KeychainTimeout,
    /// The keychain refused access.
    KeychainDenied,
    /// Any other keychain failure.
    KeychainFailed,
    /// No account with that name.
    AccountNotFound,
    /// An account with that name exists already.
    AccountExists,
    /// Stripe (or the sandbox) rejected an API key.
    KeyRejected,
    /// The network or the server failed (connection refused, timeout).
    Network,
    /// The fixed loopback port of the redirect URI is taken.
    LoopbackPortInUse,
    /// The loopback listener could not start.
    LoopbackFailed,
    /// The callback's state does not match the flow's.
    OauthStateMismatch,
    /// The callback carried no state.
    OauthMissingState,
    /// The user declined (`error=access_denied`).
    OauthAccessDenied,
    /// The authorization server reported another error on the redirect.
    OauthProviderError,
    /// The callback request was malformed (oversized, repeated parameters, no code).
    OauthCallbackInvalid,
    /// No callback arrived in time.
    OauthTimeout,
    /// The user cancelled the flow.
    OauthCancelled,
    /// The token endpoint refused the exchange or could not be reached.
    OauthExchangeFailed,
    /// The code or refresh token is no longer valid: authorize again.
    OauthInvalidGrant,
    /// A signature does not match its payload and secret.
    SignatureMismatch,
    /// A signature is outside its time tolerance.
    SignatureExpired,
    /// No install with that handle.
    InstallNotFound,
    /// The install's refresh token is dead: authorize again.
    NeedsReauthorization,
    /// The app has no client id / channel link configured for this mode.
    AppNotConfigured,
    /// No third-party provider with that name.
    ProviderNotFound,
    /// A provider with that name exists already.
    ProviderExists,
    /// A live-mode write while live writes are locked.
    LiveWriteLocked,
    /// The user cancelled an API call before its answer came.
    ApiCancelled,
    /// Stripe (or the sandbox) answered a call that Appdeck makes for the
    /// user (the Secret Store's) with an error; the message carries its
    /// status, type/code, message and Request-Id.
    ApiError,
    /// A QA flow file is malformed; the message starts with `file:line:column`.
    QaFlowInvalid,
    /// A restricted key (`rk_…`) where Stripe needs the account's secret key
    /// (OAuth code exchange and refresh): refused before anything opens.
    RestrictedKey,
    /// The redirect URI can't reach Stripe as written: it is not in the
    /// uploaded `stripe-app.json`, or a loopback URI has no explicit port.
    RedirectUriNotUploadable,
    /// A pre-flight check of a real-account flow failed (the checklist says which).
    PreflightFailed,
    /// The command line or a setting is wrong (an unknown flag, a value that
    /// does not parse, an `APPDECK_*` variable with an invalid value): fix the
    /// invocation; nothing ran. The CLI exits 2.
    Usage,
    /// The embedded local sandbox did not start (its port or its data dir).
    SandboxFailed,
    /// A page after the first failed while listing everything (`api get
    /// --all`): what printed is incomplete.
    PageFailed,
    /// Writing the output failed (a closed or full stream).
    Io,
    /// A bug: something that should not happen.
    Internal,
}

impl ErrorCode {
    /// The kebab-case form, as serialized.
    pub fn as_str(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default()
    }
}

/// What crosses to the UI and to `--json`: a code to branch on and a message for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, export_to = "ErrorPayload.ts")]
pub struct ErrorPayload {
    pub code: ErrorCode,
    pub message: String,
}

/// Implemented by every module error so the faces can turn it into a payload.
pub trait Coded: std::fmt::Display {
    fn code(&self) -> ErrorCode;

    fn to_payload(&self) -> ErrorPayload {
        ErrorPayload {
            code: self.code(),
            message: self.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_serializes_as_code_and_message_with_kebab_codes() {
        let p = ErrorPayload {
            code: ErrorCode::ManifestChangedOnDisk,
            message: "reload".into(),
        };
        assert_eq!(
            serde_json::to_string(&p).unwrap(),
            r#"{"code":"manifest-changed-on-disk","message":"reload"}"#
        );
    }

    #[test]
    fn the_faces_own_codes_keep_their_printed_form() {
        let printed = [
            ErrorCode::Usage,
            ErrorCode::SandboxFailed,
            ErrorCode::PageFailed,
            ErrorCode::Io,
        ]
        .map(ErrorCode::as_str);
        assert_eq!(printed, ["usage", "sandbox-failed", "page-failed", "io"]);
    }
}
