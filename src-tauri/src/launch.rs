//! How the desktop app is launched: `appdeck-desktop [MANIFEST_OR_FOLDER] [--config-dir DIR]`.
//!
//! Precedence for the project to open: the positional argument, then the
//! `APPDECK_MANIFEST` environment variable, then `./stripe-app.json`. The config
//! dir goes through core's `config_dir` (flag, then `APPDECK_CONFIG_DIR`, then the
//! platform's config dir), so a test run never touches the user's configuration.
//! Why the environment fallbacks: a harness that cannot pass argv can still point
//! the app at a throwaway manifest and config dir.

use std::ffi::OsString;
use std::path::PathBuf;

use appdeck_core::config::config_dir;
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
}

impl Launch {
    /// Reads argv and the environment; exits with clap's usage message on bad arguments.
    pub fn from_process() -> Self {
        Self::from_args(Args::parse(), std::env::var_os(MANIFEST_ENV))
    }

    fn from_args(args: Args, manifest_env: Option<OsString>) -> Self {
        let target = args
            .target
            .or_else(|| manifest_env.filter(|v| !v.is_empty()).map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from(".").join(MANIFEST_FILE_NAME));
        Self {
            target,
            config_dir: config_dir(args.config_dir),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(argv: &[&str], env: Option<&str>) -> Launch {
        let args =
            Args::try_parse_from(std::iter::once("appdeck-desktop").chain(argv.iter().copied()))
                .expect("valid argv");
        Launch::from_args(args, env.map(OsString::from))
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
