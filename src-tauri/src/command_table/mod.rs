//! The command table: every command the webview may invoke, its arguments,
//! the channel it streams on and its answer. The one list of commands: the
//! Tauri handler, `build.rs`'s ACL manifest, the TypeScript client
//! (`ui/src/bindings/commands.ts`) and the command reference in
//! `docs/desktop-ipc.md` are derived from it, and a test checks
//! `capabilities/default.json` against it. Syntax: `macros.rs`.
//!
//! Adding a command: write `pub async fn name(...) -> IpcResult<T>` in
//! `crate::commands::<module>` (`shell: &Shell` first if it needs the state),
//! add its entry here with a doc comment, allow it in the capability file
//! (`allow-<kebab-name>`), and run `cargo test -p appdeck-desktop` (it writes
//! the client and the reference). Arguments and answers cross as JSON in
//! snake_case, like core's types; each is a ts-rs type.
//!
//! Every answer is `IpcResult<T>`: a failure reaches the UI as `{code, message}`.
//!
//! Layout: `macros` (the `command_table!` macro), `names` (the names as
//! `build.rs` reads them), and, in tests, `spec` (the table as data),
//! `typescript` and `reference` (the generated client and command reference)
//! and `contract_tests` (the capability file and more, against the table).
//! This module sits above `commands` and `state`: nothing but `lib.rs` uses it.

#[cfg(test)]
mod contract_tests;
mod macros;
#[cfg(test)]
mod names;
#[cfg(test)]
mod reference;
#[cfg(test)]
mod spec;
#[cfg(test)]
mod typescript;

use appdeck_core::accounts::{AccountProfile, AccountsView};
use appdeck_core::apps::AppCredentials;
use appdeck_core::catalog::PermissionInfo;
use appdeck_core::console::endpoints::Endpoint;
use appdeck_core::console::history::HistoryEntry;
use appdeck_core::console::request::{ApiRequest, ApiResponse};
use appdeck_core::installs::InstallRecord;
use appdeck_core::manifest::{
    Diagnostic, DiffLine, EditOutcome, EventAdvice, ManifestEdit, ManifestState, ReleaseReport,
};
use appdeck_core::oauth::backend::BackendOutcome;
use appdeck_core::oauth::checklist::InstallCheck;
use appdeck_core::oauth::install::InstallOutcome;
use appdeck_core::oauth::provider::{ProviderConfig, ProviderLogin};
use appdeck_core::oauth::timeline::TimelineStep;
use appdeck_core::project::ProjectInfo;
use appdeck_core::qa::files::FlowFile;
use appdeck_core::qa::run::Progress;
use appdeck_core::status::{KeychainStatus, SandboxStatus};

use crate::commands::console::{FetchAllResult, FetchJobStarted, FetchProgress};
use crate::commands::install::{
    InstallCheckOptions, InstallLinkOptions, InstallStart, InstallStartOptions,
};
use crate::commands::qa::{QaRunResult, QaStartOptions, QaStarted, RecordStatus, ReportKind};
use crate::commands::signature::{
    SignStripeSignatureArgs, SignUiExtensionArgs, VerifyInstallSignatureArgs,
    VerifyStripeSignatureArgs,
};
use macros::command_table;

command_table! {
    /// The project named on the command line, or null when there is no
    /// manifest there (the UI then shows its project picker).
    project::launch_project[shell]() -> Option<ProjectInfo>;
    /// Opens a manifest or a folder holding one, puts it first in the recent
    /// list and makes its app the embedded sandbox's primary app.
    project::open_project[shell](path: String) -> ProjectInfo;
    /// Manifest paths opened before, newest first.
    project::recent_projects[shell]() -> Vec<String>;

    /// Reads and validates the manifest at `path`.
    manifest::load_manifest(path: String) -> ManifestState;
    /// Validates unsaved text as if it were the file at `path`.
    manifest::validate_manifest_text(path: String, text: String) -> Vec<Diagnostic>;
    /// The release check of unsaved text (what `appdeck manifest validate
    /// --release` says), against the manifest of the version last uploaded
    /// when `previous_path` names one (a file picked in the dialog, read by
    /// the shell). Rejects `manifest-unreadable` / `manifest-syntax` for it.
    manifest::manifest_release_check(path: String, text: String, previous_path: Option<String>)
        -> ReleaseReport;
    /// Applies an edit to unsaved text; nothing touches disk.
    manifest::preview_edit(path: String, text: String, edit: ManifestEdit) -> EditOutcome;
    /// Writes `text` if the file still holds `expected_revision`, else
    /// rejects `manifest-changed-on-disk` and writes nothing.
    manifest::save_manifest(path: String, expected_revision: String, text: String)
        -> ManifestState;
    /// Edits the file on disk in one step if it still holds `expected_revision`.
    manifest::apply_edit_and_save(path: String, expected_revision: String, edit: ManifestEdit)
        -> ManifestState;
    /// The revision on disk now (null when the file is gone): polled to
    /// notice changes made outside the app.
    manifest::disk_revision(path: String) -> Option<String>;
    /// The save preview: changed lines with three lines of context.
    manifest::diff_texts(old_text: String, new_text: String) -> Vec<DiffLine>;

    /// Every permission Stripe documents, with the events each unlocks.
    catalog::permission_catalog() -> Vec<PermissionInfo>;
    /// Every event type Stripe delivers to apps, sorted.
    catalog::event_types() -> Vec<String>;
    /// Which permissions unlock `events`, given those granted in `text`.
    catalog::advise_events(path: String, text: String, events: Vec<String>) -> Vec<EventAdvice>;
    /// Called once at the first paint of the main screen; answers the
    /// milliseconds since start (the first call logs them).
    lifecycle::ui_ready[shell]() -> u64;

    /// The sandbox's state at once (`starting` until startup is done: poll it).
    sandbox::sandbox_status[shell]() -> SandboxStatus;
    /// Turns the sandbox's auto-consent (answer authorize URLs at once) on or off.
    sandbox::sandbox_set_auto_consent[shell](on: bool) -> SandboxStatus;
    /// Which store holds secrets, and why not the OS keychain when it doesn't.
    sandbox::keychain_status[shell]() -> KeychainStatus;
    /// The user's explicit choice: secrets in memory for this session.
    sandbox::use_session_secrets[shell]() -> KeychainStatus;
    /// Probes the OS keychain again and uses it if it answers.
    sandbox::retry_keychain[shell]() -> KeychainStatus;

    /// Every profile (the local sandbox's first) and the current one.
    accounts::accounts_list[shell]() -> AccountsView;
    /// Checks the key (unless `skip_check`), stores it, records the profile.
    /// The only command that receives a key; none returns one. `sandbox`:
    /// the key belongs to a Stripe sandbox (its prefix can't tell).
    accounts::accounts_add[shell](name: String, key: String, api_base: Option<String>,
        skip_check: bool, sandbox: Option<bool>) -> AccountProfile;
    /// Per app and mode: client id, channel link, whether a signing secret is known.
    apps::apps_list[shell]() -> Vec<AppCredentials>;
    /// `appdeck apps set`: the signing secret goes to the keychain, never back.
    apps::apps_set[shell](app_id: String, live: bool, client_id: String,
        channel_link: Option<String>, signing_secret: Option<String>) -> AppCredentials;
    /// Removes a profile and its keychain entry.
    accounts::accounts_remove[shell](name: String) -> AccountsView;
    /// Makes `name` the current account.
    accounts::accounts_use[shell](name: String) -> AccountsView;

    /// An install link for the open project's app, without running a flow.
    install::install_link[shell](options: InstallLinkOptions) -> String;
    /// Core's pre-flight checklist for these choices; opens and writes
    /// nothing, rejects only when there is nothing to check.
    install::install_check[shell](options: InstallCheckOptions) -> InstallCheck;
    /// Starts an install flow and opens the system browser (never a webview);
    /// each step arrives on `on_step`. Rejects `restricted-key` or
    /// `redirect-uri-not-uploadable` before anything listens or opens.
    install::install_start[shell](options: InstallStartOptions;
        on_step: Channel<TimelineStep>) -> InstallStart;
    /// A loopback flow's outcome; rejects with the flow's error code.
    install::install_wait[shell](flow: String) -> InstallOutcome;
    /// A backend install's confirmation from Stripe's events.
    install::install_wait_backend[shell](flow: String) -> BackendOutcome;
    /// The URL the browser landed on, for a backend install: a second signal
    /// only (a decline ends the flow; a code is noted, never exchanged).
    install::install_backend_landed[shell](flow: String, url: String) -> ();
    /// Cancels a flow (its wait rejects `oauth-cancelled`); one that ended is
    /// not an error.
    install::install_cancel[shell](flow: String) -> ();
    /// Completes a non-loopback flow from the URL the user landed on.
    install::install_paste_url[shell](flow: String, url: String) -> InstallOutcome;
    /// Every install, with masked token hints only.
    install::installs_list[shell]() -> Vec<InstallRecord>;
    /// Refreshes the install's tokens now.
    install::install_refresh[shell](install: String) -> InstallRecord;
    /// Deletes the install's keychain entries, then its record.
    install::install_forget[shell](install: String) -> ();

    /// Every provider: its settings and `has_*` flags, never a secret or token.
    providers::providers_list[shell]() -> Vec<ProviderConfig>;
    /// Adds a provider; its client secret (if any) goes to the secret store.
    providers::providers_add[shell](config: ProviderConfig, client_secret: Option<String>)
        -> ProviderConfig;
    /// Removes a provider and every keychain entry it had.
    providers::providers_remove[shell](name: String) -> ();
    /// Runs authorization code + PKCE in the system browser as the job
    /// `login` (an id the UI picks; `provider_login_cancel(login)` ends it
    /// with `oauth-cancelled`); steps stream on `on_step`.
    providers::provider_login[shell](name: String, timeout_secs: Option<u64>, login: String;
        on_step: Channel<TimelineStep>) -> ProviderLogin;
    /// Cancels the login `login`, also one that has not reached the shell
    /// yet; one that ended is not an error.
    providers::provider_login_cancel[shell](login: String) -> ();
    /// Refreshes the provider's tokens with its refresh token.
    providers::provider_refresh[shell](name: String) -> ProviderConfig;
    /// `https://dashboard.stripe.com/[test/]apps-oauth/{app id}`.
    providers::dashboard_redirect_urls(app_id: String) -> Vec<String>;

    /// Sends a call, recorded in the history. With `call` (an id the UI
    /// picks), `api_cancel(call)` ends it with `api-cancelled`.
    console::api_send[shell](request: ApiRequest, call: Option<String>) -> ApiResponse;
    /// Cancels the `api_send` with this id, also one that has not reached the
    /// shell yet; one that ended is not an error.
    console::api_cancel[shell](call: String) -> ();
    /// The request for the next page of a list response, or null at its end.
    console::api_next_page(request: ApiRequest, response: ApiResponse) -> Option<ApiRequest>;
    /// Starts fetching every page (up to `max` objects) as a job; progress
    /// arrives after each page, each page is recorded in the history.
    console::api_fetch_all[shell](request: ApiRequest, max: usize;
        on_progress: Channel<FetchProgress>) -> FetchJobStarted;
    /// What the job fetched; after a cancel, what it had so far.
    console::api_fetch_wait[shell](job: String) -> FetchAllResult;
    /// Stops the job after the page in flight; one that ended is not an error.
    console::api_fetch_cancel[shell](job: String) -> ();
    /// History entries matching every word of `search`, newest first.
    console::api_history[shell](search: Option<String>) -> Vec<HistoryEntry>;
    /// The call as a curl line reading the key from `$env_var` (default `STRIPE_API_KEY`).
    console::api_curl[shell](request: ApiRequest, env_var: Option<String>) -> String;
    /// Catalog routes whose path starts with `prefix` (and of `method`, if given).
    console::api_endpoints(method: Option<String>, prefix: String) -> Vec<Endpoint>;
    /// The permission the manifest lacks for this route when called as an install, or null.
    console::api_precheck(method: String, path: String, manifest_path: String)
        -> Option<String>;
    /// After a 403 permission error: the permission to grant, or null.
    console::api_missing_permission(response: ApiResponse) -> Option<String>;
    /// Locks (false) or unlocks (true) live-mode writes for this session;
    /// answers whether they are unlocked.
    console::live_writes[shell](unlock: bool) -> bool;

    /// A `Stripe-Signature` header (`t=…,v1=…`); the secret is not stored.
    signature::sign_stripe_signature(args: SignStripeSignatureArgs) -> String;
    /// The signature's timestamp; rejects `signature-mismatch`,
    /// `signature-expired` or `invalid-input`.
    signature::verify_stripe_signature(args: VerifyStripeSignatureArgs) -> i64;
    /// The header a UI extension's `fetchStripeSignature()` sends.
    signature::sign_ui_extension(args: SignUiExtensionArgs) -> String;
    /// An install link's `install_signature` verified; answers its timestamp.
    signature::verify_install_signature(args: VerifyInstallSignatureArgs) -> i64;

    /// The flows in `flows/` beside the manifest (a malformed one carries its located error).
    qa::qa_flows(manifest_path: String) -> Vec<FlowFile>;
    /// One flow file, picked by path ("open file…").
    qa::qa_flow_file(path: String) -> FlowFile;
    /// Starts a run; progress arrives on `on_progress`. Rejects
    /// `qa-flow-invalid` or `invalid-input` before anything runs.
    qa::qa_start[shell](options: QaStartOptions; on_progress: Channel<Progress>) -> QaStarted;
    /// The run's result; reports are written beside the manifest, also after a cancel.
    qa::qa_wait[shell](run: String) -> QaRunResult;
    /// Stops the run at the next step boundary (`qa_wait` then has `report.cancelled`).
    qa::qa_cancel[shell](run: String) -> ();
    /// Opens, with the system's default app, a file a finished run of this
    /// session wrote (looked up by run id: the webview passes no path).
    qa::qa_open_report[app, shell](run: String, what: ReportKind) -> ();
    /// Starts (or resumes) recording the Install and API screens' steps.
    qa::qa_record_start[shell]() -> RecordStatus;
    /// Stops appending; the steps stay until saved.
    qa::qa_record_stop[shell]() -> RecordStatus;
    /// Whether recording is on, and how many steps wait to be saved.
    qa::qa_record_status[shell]() -> RecordStatus;
    /// Saves the recording as `flows/<name as a file name>.yaml` beside the
    /// manifest (never over an existing file); answers the new flow file.
    qa::qa_record_save[shell](manifest_path: String, name: String) -> FlowFile;
}
