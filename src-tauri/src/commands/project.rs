//! Which project is open: the one named at launch, one the user picks, recent ones.
//!
//! Recent projects live in the config dir chosen at launch (never a global), so
//! tests that pass `--config-dir` leave the user's list alone.

use std::path::PathBuf;

use appdeck_core::project::{self, ProjectInfo};

use crate::ipc::{off_ui_thread, payload, IpcResult};
use crate::state::Shell;

/// The project named on the command line, or `None` when there is no manifest
/// there (the UI then shows its project picker).
pub async fn launch_project(shell: &Shell) -> IpcResult<Option<ProjectInfo>> {
    let target = shell.launch.target.clone();
    off_ui_thread(move || Ok(project::resolve(&target).ok())).await
}

/// Opens a manifest or a folder holding one, puts it first in the recent list
/// and makes its app the embedded sandbox's primary app.
pub async fn open_project(shell: &Shell, path: String) -> IpcResult<ProjectInfo> {
    let config_dir = shell.launch.config_dir.clone();
    let info = off_ui_thread(move || {
        let info = project::resolve(&PathBuf::from(path)).map_err(payload)?;
        project::remember(&config_dir, &info.manifest_path).map_err(payload)?;
        Ok(info)
    })
    .await?;
    let services = shell.services().await;
    let manifest = PathBuf::from(&info.manifest_path);
    off_ui_thread(move || Ok(services.open_manifest(manifest))).await?;
    Ok(info)
}

/// Manifest paths opened before, newest first.
pub async fn recent_projects(shell: &Shell) -> IpcResult<Vec<String>> {
    let config_dir = shell.launch.config_dir.clone();
    off_ui_thread(move || Ok(project::recent(&config_dir))).await
}
