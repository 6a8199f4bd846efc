//! The pre-flight checklist of an install on a real account: `appdeck install
//! check` and the Install screen's list before Run.
//!
//! Why: on a real account a mistake shows late and costs a consent: a
//! restricted key fails after the code is spent, a redirect URI Stripe doesn't
//! hold shows Stripe's own error page, an unconfigured app gets no link. Each
//! line says pass, warn or fail, and a failing line says what to do.
//!
//! Invariants: the checks open nothing (no listener stays bound, no browser)
//! and write nothing; the only network calls are `GET /v1/account` (is the key
//! alive, which account) and, for the local sandbox, its control API; a
//! checklist with any `fail` line is not `ok`. `prepare` runs the same redirect
//! and key rules (`preflight`), so a checklist that passes never meets a
//! refusal the flow would make.

use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

use super::install::{AppManifest, FlowError, InstallRequest};
use super::preflight::{self, Landing, RedirectRules};
use crate::accounts::{self, AccountError, AccountKind, AccountProfile, CredentialKind};
use crate::apps::{self, AppError};
use crate::context::Context;
use crate::error::Coded;
use crate::installs::{self, InstallStatus};
use crate::keychain::Mode;
use crate::manifest::Diagnostic;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export, export_to = "CheckStatus.ts")]
pub enum CheckStatus {
    Pass,
    Warn,
    Fail,
}

/// Which check a line reports (stable: scripts and the UI match on it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export, export_to = "CheckId.ts")]
pub enum CheckId {
    /// The key's kind (secret or restricted) and environment.
    Key,
    /// `GET /v1/account` answers with this key.
    Account,
    /// Client id (and channel link, signing secret) for this mode.
    AppCredentials,
    /// The redirect URI is one Stripe holds, usable as written.
    RedirectUri,
    /// What `stripe apps upload` or app review would refuse.
    Release,
    /// What a Stripe sandbox install needs.
    Sandbox,
    /// An install of this app already recorded for the account.
    AlreadyInstalled,
    /// For a backend install: the account it goes into, where Stripe lists
    /// the install's event, and the permission to read it.
    Target,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export, export_to = "CheckLine.ts")]
pub struct CheckLine {
    pub check: CheckId,
    pub status: CheckStatus,
    pub title: String,
    pub detail: String,
    /// What to do, for a line that doesn't pass.
    pub fix: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export, export_to = "InstallCheck.ts")]
pub struct InstallCheck {
    pub app: String,
    pub account: String,
    pub kind: AccountKind,
    /// The redirect URI the flow would use, when one passes.
    pub redirect_uri: Option<String>,
    pub lines: Vec<CheckLine>,
    /// No line failed.
    pub ok: bool,
}

fn line(check: CheckId, status: CheckStatus, title: &str, detail: impl Into<String>) -> CheckLine {
    CheckLine {
        check,
        status,
        title: title.into(),
        detail: detail.into(),
        fix: None,
    }
}

fn with_fix(mut l: CheckLine, fix: impl Into<String>) -> CheckLine {
    l.fix = Some(fix.into());
    l
}

/// Runs every check for installing the app of `manifest` as `req` asks.
/// Fails only when there is nothing to check (no such account, no manifest).
pub async fn check(
    ctx: &Context,
    manifest: &Path,
    req: &InstallRequest,
) -> Result<InstallCheck, FlowError> {
    let app = AppManifest::load(manifest)?;
    let profile = accounts::resolve(ctx, req.account.as_deref())
        .map_err(|e| FlowError::Other(e.to_payload()))?;
    let exchanges = !req.platform && !req.via_backend;
    let mut lines = vec![key_line(&profile, exchanges, req.via_backend)];
    lines.push(account_line(ctx, &profile).await);
    lines.push(credentials_line(ctx, &app, &profile, req));
    let (redirect_line, redirect_uri) = redirect(ctx, &app, &profile, req).await;
    lines.push(redirect_line);
    if req.via_backend {
        lines.push(target_line(ctx, &app, req));
    }
    lines.push(release_line(&app));
    if profile.kind == AccountKind::Sandbox {
        lines.push(sandbox_line(&app, req));
    }
    lines.extend(installed_line(ctx, &app, &profile));
    let ok = lines.iter().all(|l| l.status != CheckStatus::Fail);
    Ok(InstallCheck {
        app: app.id,
        account: profile.name,
        kind: profile.kind,
        redirect_uri,
        lines,
        ok,
    })
}

fn environment(kind: AccountKind) -> &'static str {
    match kind {
        AccountKind::Local => "the embedded local sandbox",
        AccountKind::Test => "test mode",
        AccountKind::Sandbox => "a Stripe sandbox",
        AccountKind::Live => "LIVE mode",
    }
}

fn key_line(p: &AccountProfile, exchanges: bool, via_backend: bool) -> CheckLine {
    let env = environment(p.kind);
    if p.kind == AccountKind::Local {
        return line(
            CheckId::Key,
            CheckStatus::Pass,
            "Key",
            "the local sandbox's own secret key",
        );
    }
    if p.credential == CredentialKind::RestrictedKey {
        if exchanges {
            let e = preflight::refuse_restricted_key(p).unwrap_err();
            return with_fix(
                line(
                    CheckId::Key,
                    CheckStatus::Fail,
                    "Key",
                    format!("restricted key (rk_…), {env}"),
                ),
                e.to_string(),
            );
        }
        let need = if via_backend {
            "reading the account's events (it needs Events read access)"
        } else {
            "a platform install, which exchanges no code"
        };
        return line(
            CheckId::Key,
            CheckStatus::Pass,
            "Key",
            format!("restricted key (rk_…), {env}: enough for {need}"),
        );
    }
    if p.kind == AccountKind::Live {
        return with_fix(
            line(
                CheckId::Key,
                CheckStatus::Warn,
                "Key",
                "secret key, LIVE mode: the install and every call after it touch a real account",
            ),
            "use a test-mode or sandbox account unless you mean to install in live mode",
        );
    }
    line(
        CheckId::Key,
        CheckStatus::Pass,
        "Key",
        format!("secret key (sk_…), {env}"),
    )
}

async fn account_line(ctx: &Context, p: &AccountProfile) -> CheckLine {
    let key = match accounts::api_key(ctx, p) {
        Ok(k) => k,
        Err(e) => {
            return with_fix(
                line(CheckId::Account, CheckStatus::Fail, "Account reachable", e.to_string()),
                format!("add the account again: `appdeck accounts remove {0}`, then `appdeck accounts add {0} --key-stdin`", p.name),
            )
        }
    };
    match accounts::check_key(ctx, &p.api_base, &key).await {
        Ok((id, _)) if !p.account_id.is_empty() && id != p.account_id => with_fix(
            line(CheckId::Account, CheckStatus::Warn, "Account reachable", format!("the key now answers for {id}, but \"{}\" was added for {}", p.name, p.account_id)),
            "check that the key belongs to the account you mean; add it again if it changed",
        ),
        Ok((id, display)) => line(
            CheckId::Account,
            CheckStatus::Pass,
            "Account reachable",
            format!("GET /v1/account answered {id}{}", display.map(|d| format!(" ({d})")).unwrap_or_default()),
        ),
        Err(e @ AccountError::KeyRejected { .. }) => with_fix(
            line(CheckId::Account, CheckStatus::Fail, "Account reachable", e.to_string()),
            "the key was rolled, deleted or has expired (the restricted keys `stripe login` creates last 90 days): add the account again with a current key",
        ),
        Err(e) => with_fix(
            line(CheckId::Account, CheckStatus::Fail, "Account reachable", e.to_string()),
            format!("check the network and the account's API base ({})", p.api_base),
        ),
    }
}

fn credentials_line(
    ctx: &Context,
    app: &AppManifest,
    p: &AccountProfile,
    req: &InstallRequest,
) -> CheckLine {
    let title = "App credentials";
    let set = format!("appdeck apps set {} --mode {}", app.id, p.mode.as_str());
    // The desktop's place for the same: Accounts → App credentials.
    let desk = " (in the desktop: Accounts → App credentials)";
    match apps::resolve(ctx, &app.id, p.mode) {
        Err(AppError::NotConfigured { .. }) if req.platform => with_fix(
            line(CheckId::AppCredentials, CheckStatus::Fail, title, format!("no signing secret for {} in {} mode, so the install_signature of the redirect can't be verified", app.id, p.mode.as_str())),
            format!("copy the signing secret (absec_…) from the app's settings: `{set} --client-id ca_… --signing-secret-stdin`{desk}"),
        ),
        Err(e @ AppError::NotConfigured { .. }) => with_fix(
            line(CheckId::AppCredentials, CheckStatus::Fail, title, e.to_string()),
            format!("`{set} --client-id ca_… --channel-link chnlink_…` (both on the app's External test tab){desk}"),
        ),
        Err(e) => line(CheckId::AppCredentials, CheckStatus::Fail, title, e.to_string()),
        Ok((creds, secret)) => {
            if req.platform && !req.via_backend && secret.is_none() && p.mode != Mode::Local {
                return with_fix(
                    line(CheckId::AppCredentials, CheckStatus::Fail, title, "no signing secret, so the platform install's install_signature can't be verified"),
                    format!("`{set} --client-id {} --signing-secret-stdin`{desk}", creds.client_id),
                );
            }
            let detail = format!(
                "client id {}{}",
                creds.client_id,
                creds.channel_link.as_deref().map(|c| format!(", channel link {c}")).unwrap_or_default()
            );
            if creds.channel_link.is_none() && p.mode != Mode::Local && !req.platform {
                return with_fix(
                    line(CheckId::AppCredentials, CheckStatus::Warn, title, format!("{detail}; no channel link, so the link works only once the app is published")),
                    format!("for an unpublished app, use its External test link: `{set} --client-id {} --channel-link chnlink_…`{desk}", creds.client_id),
                );
            }
            line(CheckId::AppCredentials, CheckStatus::Pass, title, detail)
        }
    }
}

async fn redirect(
    ctx: &Context,
    app: &AppManifest,
    p: &AccountProfile,
    req: &InstallRequest,
) -> (CheckLine, Option<String>) {
    let title = "Redirect URI";
    let rules = RedirectRules {
        live: p.mode == Mode::Live,
        any_loopback_port: p.mode == Mode::Local
            && crate::local::control::Control::new(ctx.http.clone(), &p.api_base)
                .any_loopback_port()
                .await
                .unwrap_or(false),
    };
    let file = app.source_name();
    match preflight::choose_redirect(app, req.redirect_uri.as_deref(), rules, req.via_backend) {
        Err(e) => (
            with_fix(
                line(CheckId::RedirectUri, CheckStatus::Fail, title, req.redirect_uri.clone().unwrap_or_else(|| "(none usable)".into())),
                e.to_string(),
            ),
            None,
        ),
        Ok(Landing::Backend { uri }) if req.via_backend => (
            line(CheckId::RedirectUri, CheckStatus::Pass, title, format!("{uri}, listed in {file}: the app's backend answers it and exchanges the code")),
            Some(uri),
        ),
        Ok(Landing::Backend { uri }) => (
            with_fix(
                line(CheckId::RedirectUri, CheckStatus::Warn, title, format!("{uri}, listed in {file}, is the app's backend: Appdeck can't catch that redirect")),
                "install through the backend (`--via-backend`), or paste the URL the browser lands on when asked",
            ),
            Some(uri),
        ),
        Ok(Landing::Loopback { uri, port }) => (port_line(&uri, port, &file).await, Some(uri)),
    }
}

/// A fixed loopback port must be free when the flow starts.
async fn port_line(uri: &str, port: u16, file: &str) -> CheckLine {
    let title = "Redirect URI";
    if port == 0 {
        return line(CheckId::RedirectUri, CheckStatus::Pass, title, format!("{uri}: the local sandbox accepts any loopback port (--any-loopback-port), so an ephemeral one is used"));
    }
    match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
        Ok(l) => {
            drop(l);
            line(CheckId::RedirectUri, CheckStatus::Pass, title, format!("{uri}, listed in {file}: Appdeck listens on port {port} for the flow"))
        }
        Err(e) => with_fix(
            line(CheckId::RedirectUri, CheckStatus::Fail, title, format!("{uri}: port {port} can't be used now ({e})")),
            format!("stop the program using port {port}, or list another fixed-port loopback URI in {file} and upload a new version"),
        ),
    }
}

/// What would block the version under test: errors `stripe apps upload`
/// refuses fail; what only app review refuses (a loopback redirect URI, the
/// very thing a test version lists) is a warning to clear before review.
fn release_line(app: &AppManifest) -> CheckLine {
    let title = "Upload and review";
    let Some(path) = app.source.as_deref() else {
        return line(
            CheckId::Release,
            CheckStatus::Pass,
            title,
            "no manifest file to check",
        );
    };
    let upload = errors_of(crate::manifest::validate_file(path).map(|r| r.diagnostics));
    let release =
        errors_of(crate::manifest::release::release_check_file(path, None).map(|r| r.diagnostics));
    let review_only: Vec<&Diagnostic> = release
        .iter()
        .filter(|d| {
            !upload
                .iter()
                .any(|u| u.code == d.code && u.pointer == d.pointer)
        })
        .collect();
    let at = |d: &&Diagnostic| format!("{}:{}:{} {}", path.display(), d.line, d.column, d.message);
    let validate = format!("appdeck manifest validate --release {}", path.display());
    if !upload.is_empty() {
        let first: Vec<String> = upload.iter().take(3).map(|d| at(&d)).collect();
        return with_fix(
            line(
                CheckId::Release,
                CheckStatus::Fail,
                title,
                format!(
                    "{} problem(s) would block `stripe apps upload` of this version: {}",
                    upload.len(),
                    first.join("; ")
                ),
            ),
            format!("fix them (`{validate}`), then upload a new version"),
        );
    }
    if !review_only.is_empty() {
        let first: Vec<String> = review_only.iter().take(3).map(at).collect();
        return with_fix(
            line(
                CheckId::Release,
                CheckStatus::Warn,
                title,
                format!(
                    "uploadable for testing; app review would refuse {} thing(s): {}",
                    review_only.len(),
                    first.join("; ")
                ),
            ),
            format!("clear them before the version you send to review (`{validate}`)"),
        );
    }
    line(
        CheckId::Release,
        CheckStatus::Pass,
        title,
        format!(
            "{} has nothing that upload or review would refuse",
            path.display()
        ),
    )
}

fn errors_of<E>(diagnostics: Result<Vec<Diagnostic>, E>) -> Vec<Diagnostic> {
    diagnostics
        .map(|d| d.into_iter().filter(Diagnostic::is_error).collect())
        .unwrap_or_default()
}

/// Where a backend install is confirmed: the `account.application.authorized`
/// event on the installing account, read as the developer through
/// `Stripe-Account` with the install's permissions (so `event_read`).
fn target_line(ctx: &Context, app: &AppManifest, req: &InstallRequest) -> CheckLine {
    let title = "Install target";
    let into = match super::backend::target(ctx, req.into.as_deref()) {
        Ok(t) => t,
        Err(e) => {
            return with_fix(
                line(CheckId::Target, CheckStatus::Fail, title, e.to_string()),
                "pass --into with the acct_… id (or the Appdeck account name) of the account the tester installs into",
            )
        }
    };
    if !app.permissions.iter().any(|p| p == "event_read") {
        return with_fix(
            line(CheckId::Target, CheckStatus::Fail, title, format!("{into}: the app doesn't request event_read, so its developer can't read the install's event there")),
            "grant event_read (`appdeck manifest grant permission event_read \"…\"`) and upload a new version; your backend needs it to receive install events too",
        );
    }
    line(
        CheckId::Target,
        CheckStatus::Pass,
        title,
        format!(
            "{into}: Stripe lists account.application.authorized there once the app is installed"
        ),
    )
}

fn sandbox_line(app: &AppManifest, req: &InstallRequest) -> CheckLine {
    let title = "Sandbox install";
    if app.sandbox_install_compatible != Some(true) {
        return with_fix(
            line(CheckId::Sandbox, CheckStatus::Fail, title, format!("{} does not set \"sandbox_install_compatible\": true, so Stripe won't install it in a sandbox", app.source_name())),
            "set \"sandbox_install_compatible\": true in stripe-app.json and upload a new version (/stripe-apps/enable-sandbox-support)",
        );
    }
    if app.access_type == "oauth" && !req.platform {
        return with_fix(
            line(CheckId::Sandbox, CheckStatus::Fail, title, "Stripe's sandboxes don't support testing OAuth apps (/stripe-apps/enable-sandbox-support)"),
            "test the OAuth install with a test-mode account; sandboxes take platform and restricted-key apps",
        );
    }
    line(CheckId::Sandbox, CheckStatus::Pass, title, "installable in a sandbox; its events go to your managed sandbox, whose own keys answer them")
}

fn installed_line(ctx: &Context, app: &AppManifest, p: &AccountProfile) -> Option<CheckLine> {
    let held = installs::list(ctx)
        .ok()?
        .into_iter()
        .find(|r| r.app == app.id && r.account == p.name && r.status == InstallStatus::Active)?;
    Some(with_fix(
        line(
            CheckId::AlreadyInstalled,
            CheckStatus::Warn,
            "Already installed",
            format!("Appdeck holds install {} of {} on {}", held.install, app.id, held.stripe_user_id),
        ),
        "to test the install again, uninstall the app from that account first (Dashboard → Settings → Installed apps; testers must also uninstall a published version), then `appdeck tokens forget` the old install",
    ))
}
