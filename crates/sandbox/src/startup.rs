//! Starting a sandbox over a data dir whose sealed data can't be opened (its
//! key is gone from the keychain, or another key sealed it): the one start-up
//! both faces use (`appdeck sandbox serve --data-dir`, the desktop's embedded
//! sandbox).
//!
//! Invariant: data is never deleted. The unreadable folder is renamed beside
//! itself (`<name>.unreadable-<stamp>`), a fresh sandbox starts in its place,
//! and the caller is told where the old data went, to say so.
//! Why: a keychain reset must not make the tool unusable, and must not lose
//! what the user may still recover with the old key.

use std::path::PathBuf;

use crate::{RunningSandbox, Sandbox, SandboxConfig, SandboxError};

/// Where unreadable data was moved, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovedAside {
    pub from: PathBuf,
    pub to: PathBuf,
    /// The store's own words on why the data could not be opened.
    pub why: String,
}

impl std::fmt::Display for MovedAside {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}; it was moved to {} and a fresh sandbox started",
            self.why,
            self.to.display()
        )
    }
}

/// A started sandbox, and the data moved aside to start it, if any.
pub struct Started {
    pub running: RunningSandbox,
    pub moved_aside: Option<MovedAside>,
}

/// Starts the sandbox; when its data dir can't be opened with the key given,
/// moves the dir aside (suffix `.unreadable-<stamp>`) and starts fresh.
/// Other failures, and a failed move, are errors.
pub async fn start_keeping_data(cfg: SandboxConfig, stamp: u64) -> Result<Started, SandboxError> {
    let first = Sandbox::start(cfg.clone()).await;
    let (why, dir) = match (first, &cfg.data_dir) {
        (Err(SandboxError::Store(e)), Some(dir)) if e.is_key_problem() => {
            (e.to_string(), dir.clone())
        }
        (first, _) => {
            return first.map(|running| Started {
                running,
                moved_aside: None,
            })
        }
    };
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "sandbox".into());
    let to = dir.with_file_name(format!("{name}.unreadable-{stamp}"));
    std::fs::rename(&dir, &to).map_err(|e| SandboxError::MoveAside {
        why: why.clone(),
        to: to.clone(),
        source: e,
    })?;
    let running = Sandbox::start(cfg).await?;
    Ok(Started {
        running,
        moved_aside: Some(MovedAside { from: dir, to, why }),
    })
}
