//! How the desktop app is launched: `appdeck-desktop [MANIFEST_OR_FOLDER] [--config-dir DIR]`.
//!
//! Precedence for the project to open: the positional argument, then the
//! `APPDECK_MANIFEST` environment variable, then `./stripe-app.json`. The config
//! dir goes through core's `config_dir` (flag, then `APPDECK_CONFIG_DIR`, then the
//! platform's config dir), so a test run never touches the user's configuration.
//! Why the environment fallbacks: a harness that cannot pass argv can still point
//! the app at a throwaway manifest and config dir.
//!
//! The other `APPDECK_*` variables core takes are read here too, and nowhere in
//! core: `APPDECK_KEYCHAIN_SERVICE` (the keychain service) and
//! `APPDECK_MAX_RETRIES` (the console's retries). An invalid value can't stop
//! a window from opening, so the default is used and [`Launch::settings_note`]
//! says why, on stderr and in the sandbox status the UI shows.

use std::ffi::OsString;
use std::path::PathBuf;

use appdeck_core::config::{config_dir, CONFIG_DIR_ENV};
use appdeck_core::console::retry::{RetryPolicy, MAX_RETRIES_ENV};
use appdeck_core::keychain;
use appdeck_core::manifest::MANIFEST_FILE_NAME;
use clap::Parser;

/// Environment variable naming the manifest (or folder) to open when no argument does.
pub const MANIFEST_ENV: &str = "APPDECK_MANIFEST";

#[derive(Debug, Parser)]
#[command(
    name = "appdeck-desktop",
    version,
    about = "Appdeck: inspect, validate and edit a Stripe App's manifest"
)]
struct Args {
    /// A stripe-app.json manifest, or the folder holding one [default: ./stripe-app.json]
    #[arg(value_name = "MANIFEST_OR_FOLDER")]
    target: Option<PathBuf>,
    /// Where Appdeck keeps its own settings (recent projects) [env: APPDECK_CONFIG_DIR]
    #[arg(long, value_name = "DIR")]
    config_dir: Option<PathBuf>,
}

/// What the app was asked to open, fixed for the life of the process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Launch {
    /// The manifest or folder to open first; may not exist (the UI then offers a picker).
    pub target: PathBuf,
    pub config_dir: PathBuf,
    /// The OS keychain's service (`appdeck`, `appdeck-dev`, or `APPDECK_KEYCHAIN_SERVICE`).
    pub keychain_service: String,
    /// The console's retries (`APPDECK_MAX_RETRIES`, else the default).
    pub retry: RetryPolicy,
    /// Why a variable's value was not taken (the default is used instead).
    pub settings_note: Option<String>,
}

impl Launch {
    /// Reads argv and the environment; exits with clap's usage message on bad arguments.
    pub fn from_process() -> Self {
        Self::from_args(Args::parse(), |name| std::env::var_os(name))
    }

    fn from_args(args: Args, env: impl Fn(&str) -> Option<OsString>) -> Self {
        let text = |name: &str| env(name).map(|v| v.to_string_lossy().into_owned());
        let target = args
            .target
            .or_else(|| {
                env(MANIFEST_ENV)
                    .filter(|v| !v.is_empty())
                    .map(PathBuf::from)
            })
            .unwrap_or_else(|| PathBuf::from(".").join(MANIFEST_FILE_NAME));
        let (retry, settings_note) =
            match RetryPolicy::from_setting(text(MAX_RETRIES_ENV).as_deref()) {
                Ok(p) => (p, None),
                Err(why) => (
                    RetryPolicy::default(),
                    Some(format!("{why}; the default is used")),
                ),
            };
        Self {
            target,
            config_dir: config_dir(args.config_dir, env(CONFIG_DIR_ENV)),
            keychain_service: keychain::service_name(text(keychain::SERVICE_ENV).as_deref()),
            retry,
            settings_note,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(argv: &[&str], env: Option<&str>) -> Launch {
        parse_env(argv, &[(MANIFEST_ENV, env)])
    }

    fn parse_env(argv: &[&str], vars: &[(&str, Option<&str>)]) -> Launch {
        let args =
            Args::try_parse_from(std::iter::once("appdeck-desktop").chain(argv.iter().copied()))
                .expect("valid argv");
        Launch::from_args(args, |name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .and_then(|(_, v)| v.map(OsString::from))
        })
    }

    #[test]
    fn core_settings_come_from_the_environment_here() {
        let l = parse_env(
            &["--config-dir", "/tmp/cfg"],
            &[
                (keychain::SERVICE_ENV, Some("appdeck-ci")),
                (MAX_RETRIES_ENV, Some("5")),
            ],
        );
        assert_eq!(l.keychain_service, "appdeck-ci");
        assert_eq!(l.retry.max_retries, 5);
        assert_eq!(l.settings_note, None);
        let l = parse_env(&[], &[(CONFIG_DIR_ENV, Some("/env/cfg"))]);
        assert_eq!(l.config_dir, PathBuf::from("/env/cfg"));
        assert_eq!(l.keychain_service, keychain::service_name(None));
    }

    #[test]
    fn an_invalid_max_retries_is_named_not_ignored() {
        let l = parse_env(&[], &[(MAX_RETRIES_ENV, Some("lots"))]);
        assert_eq!(l.retry, RetryPolicy::default(), "the window still opens");
        let note = l.settings_note.expect("a note says why");
        assert!(
            note.starts_with("APPDECK_MAX_RETRIES=\"lots\" is not a number")
                && note.ends_with("the default is used"),
            "{note}"
        );
    }

    #[test]
    fn positional_argument_wins_over_environment_and_default() {
        let l = parse(
            &["/tmp/app", "--config-dir", "/tmp/cfg"],
            Some("/elsewhere"),
        );
        assert_eq!(l.target, PathBuf::from("/tmp/app"));
        assert_eq!(l.config_dir, PathBuf::from("/tmp/cfg"));
    }

    #[test]
    fn environment_then_default_name_the_manifest() {
        assert_eq!(
            parse(&[], Some("/env/app")).target,
            PathBuf::from("/env/app")
        );
        assert_eq!(
            parse(&[], Some("")).target,
            PathBuf::from("./stripe-app.json")
        );
        assert_eq!(parse(&[], None).target, PathBuf::from("./stripe-app.json"));
    }

    #[test]
    fn unknown_flags_are_rejected_not_ignored() {
        let err = Args::try_parse_from(["appdeck-desktop", "--no-such-flag"]).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::UnknownArgument);
    }
}
