//! Where Appdeck keeps its own (non-secret) configuration.
//!
//! Precedence: an explicit `--config-dir`, then `APPDECK_CONFIG_DIR`, then the
//! platform's config dir + `appdeck`. Tests always pass a temp dir, so they never
//! touch the user's real configuration. The faces read the variable and pass
//! its value in: core reads no environment.

use std::ffi::OsString;
use std::path::PathBuf;

pub const CONFIG_DIR_ENV: &str = "APPDECK_CONFIG_DIR";

/// The config dir from `--config-dir` (`explicit`) and the value of
/// [`CONFIG_DIR_ENV`] (`from_env`, as the face read it; empty is unset).
pub fn config_dir(explicit: Option<PathBuf>, from_env: Option<OsString>) -> PathBuf {
    if let Some(p) = explicit {
        return p;
    }
    if let Some(p) = from_env.filter(|v| !v.is_empty()) {
        return PathBuf::from(p);
    }
    dirs::config_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("appdeck")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_wins_over_the_variable_which_wins_over_the_platform() {
        let flag = Some(PathBuf::from("/flag"));
        let env = Some(OsString::from("/env"));
        assert_eq!(config_dir(flag, env.clone()), PathBuf::from("/flag"));
        assert_eq!(config_dir(None, env), PathBuf::from("/env"));
        let platform = config_dir(None, None);
        assert!(platform.ends_with("appdeck"), "{}", platform.display());
        assert_eq!(
            config_dir(None, Some(OsString::new())),
            platform,
            "empty is unset"
        );
    }
}
