//! Where Appdeck keeps its own (non-secret) configuration.
//!
//! Precedence: an explicit `--config-dir`, then `APPDECK_CONFIG_DIR`, then the
//! platform's config dir + `appdeck`. Tests always pass a temp dir, so they never
//! touch the user's real configuration.

use std::path::PathBuf;

pub const CONFIG_DIR_ENV: &str = "APPDECK_CONFIG_DIR";

pub fn config_dir(explicit: Option<PathBuf>) -> PathBuf {
    if let Some(p) = explicit {
        return p;
    }
    if let Some(p) = std::env::var_os(CONFIG_DIR_ENV).filter(|v| !v.is_empty()) {
        return PathBuf::from(p);
    }
    dirs::config_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("appdeck")
}
