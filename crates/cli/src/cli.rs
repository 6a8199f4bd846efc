//! The command tree, as clap parses it: `appdeck <area> <verb> …`.
//!
//! Invariant: this file only shapes argv. Each leaf holds its verb's options
//! struct (defined next to the verb's `run`), so every verb can be driven without
//! argv in tests; value enums (`public|private`, …) are checked here, so a bad
//! value is a usage error (exit 2) before any file is touched.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::commands::accounts::{AddOpts as AccountAddOpts, ListOpts as AccountListOpts, NameOpts};
use crate::commands::api::call::CallOpts;
use crate::commands::api::curl::CurlOpts;
use crate::commands::api::history::HistoryOpts;
use crate::commands::install::check::CheckOpts;
use crate::commands::install::link::LinkOpts;
use crate::commands::install::run::RunOpts;
use crate::commands::manifest::edit::{
    GrantPermissionArgs, GrantUrlArgs, RevokePermissionArgs, SetAccessTypeArgs,
    SetDistributionArgs, UrlArgs,
};
use crate::commands::manifest::validate::ValidateOpts;
use crate::commands::oauth::{
    AddOpts as ProviderAddOpts, ListOpts as ProviderListOpts, LoginOpts, RemoveOpts,
};
use crate::commands::permissions::{ForEventsOpts, ListOpts};
use crate::commands::qa::RunOpts as QaRunOpts;
use crate::commands::sandbox::ServeOpts;
use crate::commands::sandbox_listen::ListenOpts;
use crate::commands::secrets::{
    DeleteOpts as SecretDeleteOpts, FindOpts as SecretFindOpts, ListOpts as SecretListOpts,
    SetOpts as SecretSetOpts,
};
use crate::commands::signature::{
    SignInstallOpts, SignStripeOpts, SignUiOpts, VerifyInstallOpts, VerifyStripeOpts,
};
use crate::commands::tokens::{InstallOpts, ListOpts as TokensListOpts};

const ROOT_AFTER_HELP: &str = concat!(
    "\
Examples:
  appdeck manifest validate
  appdeck manifest grant permission customer_read \"Show the customer's plan\"
  appdeck permissions list --search invoice
  appdeck permissions for-events customer.created invoice.paid
  appdeck sandbox serve
  appdeck sandbox listen --forward-to http://127.0.0.1:4242/webhook
  appdeck install run
  appdeck tokens list
  appdeck api get /v1/customers -d limit=3
  appdeck secrets list --install inst_0123456789ab
  appdeck verify stripe-signature --secret-stdin --header \"$SIG\" --payload event.json
  appdeck qa run flows/install-smoke.yaml --loops 10

Every verb that prints takes --json for scripts. Errors go to stderr as
`error[code]: message`; codes are stable (e.g. manifest-unreadable,
edit-refused, keychain-unavailable, oauth-timeout, usage).

",
    exit_codes_help!(),
    "
  3  an OAuth flow (install run, oauth login) timed out or was cancelled,
     or `api get --all` or `qa run` was interrupted
  4  a live-mode write without --unlock-live (api, secrets)

For accounts, install, tokens, oauth and sandbox, 1 means the command ran
and failed (see `appdeck accounts --help`); for api and secrets, also an API
error answer (see `appdeck api --help`); for verify, a signature that does
not match or is too old."
);

/// Check and edit Stripe Apps manifests, look up permissions, and install apps
/// into Stripe accounts or the local sandbox.
#[derive(Debug, Parser)]
#[command(name = "appdeck", version, after_help = ROOT_AFTER_HELP, propagate_version = true)]
pub struct Cli {
    /// Appdeck's configuration dir [default: $APPDECK_CONFIG_DIR, else the platform's config dir]
    #[arg(long, global = true, value_name = "DIR")]
    pub config_dir: Option<PathBuf>,

    /// The running local sandbox to use [default: $APPDECK_SANDBOX_URL, else the one `sandbox serve` recorded in the config dir]
    #[arg(long, global = true, value_name = "URL")]
    pub sandbox: Option<String>,

    /// Keep secrets in memory for this process only, instead of the OS keychain (also APPDECK_SECRET_STORE=memory)
    #[arg(long, global = true)]
    pub session_secrets: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate and edit stripe-app.json
    #[command(subcommand)]
    Manifest(ManifestCommand),
    /// Look up Stripe Apps permissions and the events they unlock
    #[command(subcommand)]
    Permissions(PermissionsCommand),
    /// Run the local Stripe sandbox
    #[command(subcommand)]
    Sandbox(SandboxCommand),
    /// Stripe accounts Appdeck acts as (keys in the OS keychain)
    #[command(subcommand)]
    Accounts(AccountsCommand),
    /// Per app and mode: client id, channel link and signing secret (for real accounts)
    #[command(subcommand)]
    Apps(AppsCommand),
    /// Install the app into an account through OAuth
    #[command(subcommand)]
    Install(InstallCommand),
    /// Installs and their tokens
    #[command(subcommand)]
    Tokens(TokensCommand),
    /// Third-party OAuth providers (authorization code + PKCE)
    #[command(subcommand)]
    Oauth(OauthCommand),
    /// Call the Stripe API as an account or an install; history; copy as curl
    #[command(subcommand)]
    Api(ApiCommand),
    /// An installed app's Secret Store
    #[command(subcommand)]
    Secrets(SecretsCommand),
    /// Compute Stripe-Signature headers
    #[command(subcommand)]
    Sign(SignCommand),
    /// Run QA flows: install → call → uninstall loops across accounts, with a report
    #[command(subcommand)]
    Qa(QaCommand),
    /// Check Stripe-Signature headers
    #[command(subcommand)]
    Verify(VerifyCommand),
}

#[derive(Debug, Subcommand)]
#[command(after_help = crate::exit::QA_EXIT_CODES_HELP)]
pub enum QaCommand {
    /// Run a flow file and write its report (Markdown + SVG chart, JUnit XML)
    Run(QaRunOpts),
}

#[derive(Debug, Subcommand)]
#[command(after_help = crate::exit::API_EXIT_CODES_HELP)]
pub enum ApiCommand {
    /// GET a path (retrieve, list; --all for every page)
    Get(CallOpts),
    /// POST a path (create, update; an Idempotency-Key is added unless given)
    Post(CallOpts),
    /// DELETE a path
    Delete(CallOpts),
    /// Calls made so far, newest first (no secrets)
    History(HistoryOpts),
    /// Print a call as a curl command (the key read from an environment variable)
    #[command(subcommand)]
    Curl(CurlCommand),
}

#[derive(Debug, Subcommand)]
#[command(after_help = crate::exit::API_EXIT_CODES_HELP)]
pub enum CurlCommand {
    Get(CurlOpts),
    Post(CurlOpts),
    Delete(CurlOpts),
}

#[derive(Debug, Subcommand)]
#[command(after_help = crate::exit::API_EXIT_CODES_HELP)]
pub enum SecretsCommand {
    /// List the secrets of a scope (names and expiry, no payloads)
    List(SecretListOpts),
    /// Find one secret, with its payload
    Find(SecretFindOpts),
    /// Create or replace a secret (payload from stdin)
    Set(SecretSetOpts),
    /// Delete a secret
    Delete(SecretDeleteOpts),
}

#[derive(Debug, Subcommand)]
#[command(after_help = crate::exit::SIGNATURE_EXIT_CODES_HELP)]
pub enum SignCommand {
    /// The Stripe-Signature header for a payload file (t=…,v1=…)
    StripeSignature(SignStripeOpts),
    /// An install link's install_signature for {state, user_id, account_id}
    InstallSignature(SignInstallOpts),
    /// What a UI extension's fetchStripeSignature() sends for {user_id, account_id[, payload]}
    UiExtension(SignUiOpts),
}

#[derive(Debug, Subcommand)]
#[command(after_help = crate::exit::SIGNATURE_EXIT_CODES_HELP)]
pub enum VerifyCommand {
    /// Check a Stripe-Signature header against a payload file
    StripeSignature(VerifyStripeOpts),
    /// Check an install link's install_signature
    InstallSignature(VerifyInstallOpts),
}

#[derive(Debug, Subcommand)]
#[command(after_help = crate::exit::FLOW_EXIT_CODES_HELP)]
pub enum SandboxCommand {
    /// Serve a local Stripe on 127.0.0.1 with the app of the manifest registered
    Serve(ServeOpts),
    /// Forward the running sandbox's events, signed, to a local URL (like `stripe listen`)
    Listen(ListenOpts),
}

#[derive(Debug, Subcommand)]
#[command(after_help = crate::exit::FLOW_EXIT_CODES_HELP)]
pub enum AccountsCommand {
    /// List accounts (no secrets); * marks the current one
    List(AccountListOpts),
    /// Add an account from a key on stdin
    Add(AccountAddOpts),
    /// Remove an account and its key
    Remove(NameOpts),
    /// Make an account the current one
    Use(NameOpts),
}

#[derive(Debug, Subcommand)]
#[command(after_help = crate::exit::FLOW_EXIT_CODES_HELP)]
pub enum AppsCommand {
    /// List configured apps and modes (no secrets)
    List(crate::commands::apps::ListOpts),
    /// Record an app's client id, channel link and (stdin) signing secret for a mode
    Set(crate::commands::apps::SetOpts),
}

#[derive(Debug, Subcommand)]
#[command(after_help = crate::exit::FLOW_EXIT_CODES_HELP)]
pub enum InstallCommand {
    /// Print an install link
    Link(LinkOpts),
    /// Run the install flow through the browser and a loopback listener
    Run(RunOpts),
    /// Check, before anything opens, that an install on a real account can work
    Check(CheckOpts),
}

#[derive(Debug, Subcommand)]
#[command(after_help = crate::exit::FLOW_EXIT_CODES_HELP)]
pub enum TokensCommand {
    /// List installs with masked tokens, expiry and status
    List(TokensListOpts),
    /// Refresh an install's tokens now
    Refresh(InstallOpts),
    /// Delete an install's tokens and record
    Forget(InstallOpts),
}

#[derive(Debug, Subcommand)]
#[command(after_help = crate::exit::FLOW_EXIT_CODES_HELP)]
pub enum OauthCommand {
    /// Configure providers
    #[command(subcommand)]
    Providers(ProvidersCommand),
    /// Sign in to a provider with authorization code + PKCE S256
    Login(LoginOpts),
}

#[derive(Debug, Subcommand)]
#[command(after_help = crate::exit::FLOW_EXIT_CODES_HELP)]
pub enum ProvidersCommand {
    /// Add a provider
    Add(ProviderAddOpts),
    /// List providers (no secrets)
    List(ProviderListOpts),
    /// Remove a provider and its secrets
    Remove(RemoveOpts),
}

#[derive(Debug, Subcommand)]
#[command(after_help = crate::exit::EXIT_CODES_HELP)]
pub enum ManifestCommand {
    /// Check manifests against Stripe's rules, compiler style
    Validate(ValidateOpts),
    /// Add a permission or a CSP URL (like `stripe apps grant`)
    #[command(subcommand)]
    Grant(GrantCommand),
    /// Remove a permission or a CSP URL (like `stripe apps revoke`)
    #[command(subcommand)]
    Revoke(RevokeCommand),
    /// Set a manifest field (like `stripe apps set`)
    #[command(subcommand)]
    Set(SetCommand),
}

#[derive(Debug, Subcommand)]
#[command(after_help = crate::exit::EXIT_CODES_HELP)]
pub enum GrantCommand {
    /// Append {permission, purpose} to `permissions`
    Permission(GrantPermissionArgs),
    /// Allow the UI extension to fetch a URL (CSP connect-src), optionally setting the CSP purpose
    Url(GrantUrlArgs),
    /// Allow the UI extension to load images from a URL (CSP image-src)
    #[command(
        after_help = concat!("Example:\n  appdeck manifest grant image-url https://images.example.com/avatars/\n\n", exit_codes_help!())
    )]
    ImageUrl(UrlArgs),
}

#[derive(Debug, Subcommand)]
#[command(after_help = crate::exit::EXIT_CODES_HELP)]
pub enum RevokeCommand {
    /// Remove a permission from `permissions`
    Permission(RevokePermissionArgs),
    /// Remove a URL from CSP connect-src
    #[command(
        after_help = concat!("Example:\n  appdeck manifest revoke connect-src https://api.example.com/v1/\n\n", exit_codes_help!())
    )]
    ConnectSrc(UrlArgs),
    /// Remove a URL from CSP image-src
    #[command(
        after_help = concat!("Example:\n  appdeck manifest revoke image-url https://images.example.com/avatars/\n\n", exit_codes_help!())
    )]
    ImageUrl(UrlArgs),
}

#[derive(Debug, Subcommand)]
#[command(after_help = crate::exit::EXIT_CODES_HELP)]
pub enum SetCommand {
    /// Set distribution_type
    #[command(after_help = concat!("Example:\n  appdeck manifest set distribution public\n\n", exit_codes_help!()))]
    Distribution(SetDistributionArgs),
    /// Set stripe_api_access_type
    #[command(after_help = concat!("Example:\n  appdeck manifest set access-type oauth\n\n", exit_codes_help!()))]
    AccessType(SetAccessTypeArgs),
}

#[derive(Debug, Subcommand)]
pub enum PermissionsCommand {
    /// List the permissions an app can request
    List(ListOpts),
    /// Which permissions unlock these events, and whether the manifest has one
    ForEvents(ForEventsOpts),
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_tree_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn edit_flags_parse_after_the_positionals() {
        let cli = Cli::try_parse_from([
            "appdeck",
            "manifest",
            "grant",
            "url",
            "https://api.example.com/v1/",
            "--manifest",
            "x.json",
            "--json",
        ])
        .unwrap();
        let Command::Manifest(ManifestCommand::Grant(GrantCommand::Url(args))) = cli.command else {
            panic!("parsed into the wrong verb");
        };
        assert_eq!(args.purpose, None);
        assert!(args.target.json);
        assert_eq!(args.target.manifest, PathBuf::from("x.json"));
    }

    #[test]
    fn api_and_secrets_flags_parse_around_the_path() {
        let cli = Cli::try_parse_from([
            "appdeck",
            "api",
            "post",
            "/v1/customers",
            "-d",
            "metadata[plan]=pro",
            "--data",
            "expand[]=x",
            "--install",
            "inst_1",
            "--unlock-live",
        ])
        .unwrap();
        let Command::Api(ApiCommand::Post(opts)) = cli.command else {
            panic!("parsed into the wrong verb");
        };
        assert_eq!(opts.request.data, ["metadata[plan]=pro", "expand[]=x"]);
        assert_eq!(opts.request.install.as_deref(), Some("inst_1"));
        assert!(opts.send.unlock_live && !opts.all);

        let secrets = |scope: &str| {
            Cli::try_parse_from([
                "appdeck",
                "secrets",
                "list",
                "--install",
                "inst_1",
                "--scope",
                scope,
            ])
        };
        assert!(secrets("user").is_ok() && secrets("account").is_ok());
        assert_eq!(secrets("team").unwrap_err().exit_code(), 2);
        let no_install = Cli::try_parse_from(["appdeck", "secrets", "find", "gh"]);
        assert_eq!(
            no_install.unwrap_err().exit_code(),
            2,
            "--install is required"
        );
    }

    #[test]
    fn value_enums_reject_unknown_values_as_usage_errors() {
        let err = Cli::try_parse_from(["appdeck", "manifest", "set", "distribution", "secret"])
            .unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(Cli::try_parse_from([
            "appdeck",
            "manifest",
            "set",
            "access-type",
            "restricted_api_key"
        ])
        .is_ok());
    }
}
