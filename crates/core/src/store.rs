//! Appdeck's non-secret metadata files in the config dir (accounts, installs,
//! providers): JSON, written atomically, never holding a secret.
//!
//! Invariants: a write goes through temp file + fsync + rename, so a crash
//! leaves the old or the new file; a missing file reads as the default; an
//! unreadable or corrupt one is an error (never silently reset: that would lose
//! the user's accounts). Types stored here hold no secret newtypes, and those
//! implement no `Serialize`, so a secret can't be written by mistake.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{Coded, ErrorCode};
use crate::manifest::document::write_atomically;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot read {path}: {reason}. Fix or move the file; Appdeck will not overwrite it")]
    Read { path: String, reason: String },
    #[error("cannot write {path}: {reason}")]
    Write { path: String, reason: String },
}

impl Coded for StoreError {
    fn code(&self) -> ErrorCode {
        ErrorCode::ConfigIo
    }
}

/// One JSON file in the config dir.
pub struct JsonFile {
    path: PathBuf,
}

impl JsonFile {
    pub fn new(config_dir: &Path, name: &str) -> Self {
        Self {
            path: config_dir.join(name),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn load<T: DeserializeOwned + Default>(&self) -> Result<T, StoreError> {
        match std::fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| StoreError::Read {
                path: self.path.display().to_string(),
                reason: e.to_string(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(T::default()),
            Err(e) => Err(StoreError::Read {
                path: self.path.display().to_string(),
                reason: e.to_string(),
            }),
        }
    }

    pub fn save<T: Serialize>(&self, value: &T) -> Result<(), StoreError> {
        let err = |e: std::io::Error| StoreError::Write {
            path: self.path.display().to_string(),
            reason: e.to_string(),
        };
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(err)?;
        }
        let mut json = serde_json::to_vec_pretty(value).map_err(|e| StoreError::Write {
            path: self.path.display().to_string(),
            reason: e.to_string(),
        })?;
        json.push(b'\n');
        write_atomically(&self.path, &json).map_err(err)
    }

    /// Load, change, save.
    pub fn update<T, R>(&self, f: impl FnOnce(&mut T) -> R) -> Result<R, StoreError>
    where
        T: DeserializeOwned + Serialize + Default,
    {
        let mut value: T = self.load()?;
        let out = f(&mut value);
        self.save(&value)?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_is_default_corrupt_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let f = JsonFile::new(dir.path(), "x.json");
        let v: Vec<String> = f.load().unwrap();
        assert!(v.is_empty());
        f.update(|v: &mut Vec<String>| v.push("a".into())).unwrap();
        assert_eq!(f.load::<Vec<String>>().unwrap(), vec!["a"]);
        std::fs::write(f.path(), "{not json").unwrap();
        assert!(f.load::<Vec<String>>().is_err());
    }
}
