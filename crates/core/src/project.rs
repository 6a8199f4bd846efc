//! Projects: which manifest is open, its extension manifests, recent projects.
//!
//! A project is a folder holding `stripe-app.json` (and maybe
//! `stripe-app.<name>.json` extensions). Recent projects live in
//! `<config dir>/recent-projects.json`, written atomically; it holds paths only,
//! never a secret. The config dir is always passed in (tests use temp dirs).

use std::path::{Path, PathBuf};

use serde::Serialize;
use ts_rs::TS;

use crate::error::{Coded, ErrorCode};
use crate::manifest::document::write_atomically;
use crate::manifest::MANIFEST_FILE_NAME;

const RECENT_FILE: &str = "recent-projects.json";
const RECENT_MAX: usize = 10;

#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    #[error("{0} is neither a stripe-app.json manifest nor a folder that holds one; pick an app's root folder")]
    NotFound(String),
    #[error("cannot update recent projects in {path}: {reason}")]
    Config { path: String, reason: String },
}

impl Coded for ProjectError {
    fn code(&self) -> ErrorCode {
        match self {
            ProjectError::NotFound(_) => ErrorCode::ProjectNotFound,
            ProjectError::Config { .. } => ErrorCode::ConfigIo,
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export, export_to = "ProjectInfo.ts")]
pub struct ProjectInfo {
    /// The base manifest's absolute path.
    pub manifest_path: String,
    /// The folder holding it.
    pub root: String,
    /// The absolute paths of the `stripe-app.<name>.json` files beside it, sorted.
    pub extensions: Vec<String>,
}

/// Resolves a folder or a manifest path to a project.
pub fn resolve(path: &Path) -> Result<ProjectInfo, ProjectError> {
    let not_found = || ProjectError::NotFound(path.display().to_string());
    let abs = std::path::absolute(path).map_err(|_| not_found())?;
    let manifest = if abs.is_dir() {
        abs.join(MANIFEST_FILE_NAME)
    } else {
        abs.clone()
    };
    if !manifest.is_file() {
        return Err(not_found());
    }
    let root = manifest.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok(ProjectInfo {
        extensions: extension_manifests(&root),
        manifest_path: manifest.display().to_string(),
        root: root.display().to_string(),
    })
}

/// The absolute paths of the `stripe-app.<name>.json` files in a folder, sorted.
pub fn extension_manifests(root: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(root)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            let inner = name.strip_prefix("stripe-app.")?.strip_suffix(".json")?;
            (!inner.is_empty()).then(|| e.path().display().to_string())
        })
        .collect();
    out.sort();
    out
}

/// Recent projects, newest first; missing or unreadable file → empty list.
pub fn recent(config_dir: &Path) -> Vec<String> {
    std::fs::read(config_dir.join(RECENT_FILE))
        .ok()
        .and_then(|b| serde_json::from_slice::<Vec<String>>(&b).ok())
        .unwrap_or_default()
}

/// Puts `manifest_path` first in the recent list.
pub fn remember(config_dir: &Path, manifest_path: &str) -> Result<Vec<String>, ProjectError> {
    let mut list = recent(config_dir);
    list.retain(|p| p != manifest_path);
    list.insert(0, manifest_path.to_string());
    list.truncate(RECENT_MAX);
    let file: PathBuf = config_dir.join(RECENT_FILE);
    let err = |e: std::io::Error| ProjectError::Config {
        path: file.display().to_string(),
        reason: e.to_string(),
    };
    std::fs::create_dir_all(config_dir).map_err(err)?;
    let json = serde_json::to_vec_pretty(&list).unwrap_or_default();
    write_atomically(&file, &json).map_err(err)?;
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_folder_and_file_and_lists_extensions() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("stripe-app.json"), "{}").unwrap();
        std::fs::write(dir.path().join("stripe-app.dev.json"), "{}").unwrap();
        std::fs::write(dir.path().join("other.json"), "{}").unwrap();
        let from_dir = resolve(dir.path()).unwrap();
        let from_file = resolve(&dir.path().join("stripe-app.json")).unwrap();
        assert_eq!(from_dir.manifest_path, from_file.manifest_path);
        assert_eq!(from_dir.extensions.len(), 1);
        assert!(from_dir.extensions[0].ends_with("stripe-app.dev.json"));
    }

    #[test]
    fn missing_manifest_is_project_not_found() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            resolve(dir.path()).unwrap_err().code(),
            ErrorCode::ProjectNotFound
        );
    }

    #[test]
    fn recent_keeps_newest_first_without_duplicates() {
        let dir = tempfile::tempdir().unwrap();
        remember(dir.path(), "/a").unwrap();
        remember(dir.path(), "/b").unwrap();
        let list = remember(dir.path(), "/a").unwrap();
        assert_eq!(list, vec!["/a", "/b"]);
        assert_eq!(recent(dir.path()), list);
    }
}
