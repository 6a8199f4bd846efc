//! Persistence in an embedded database (redb, pure Rust) under `--data-dir`.
//!
//! Layout: one table `records`, key `"{table}/{id}"`, value the record's JSON;
//! with a data key, records are sealed instead (see `sealed`: the key is a
//! keyed digest of the name, the value ciphertext), so nothing secret is in
//! the file in plaintext.
//! Invariants: `commit` writes a batch in one transaction with redb's default
//! immediate durability (fsync on commit), and it is called while the state's
//! write lock is held, so the database sees changes in memory order and a
//! change is on disk before its response is sent. Idempotency keys, consent
//! pages in progress, the request log, faults and settings are per run and not
//! stored. A plaintext database opened with a key is sealed by rewriting it
//! into a new file that replaces the old one (rename, then directory fsync),
//! never in place: redb leaves freed pages' old bytes in the file, and those
//! would still hold the plaintext. A sealed database opened without its key,
//! or with another key, is refused (never half-loaded).

use std::path::{Path, PathBuf};

use redb::{Database, ReadableTable, TableDefinition};

use crate::sealed::{self, DataKey, Sealer};
use crate::state::{Table, World};

const RECORDS: TableDefinition<&str, &[u8]> = TableDefinition::new("records");

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create data dir {path}: {source}")]
    Dir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("database: {0}")]
    Db(Box<redb::Error>),
    #[error("record {key} is unreadable: {reason}")]
    Corrupt { key: String, reason: String },
    /// Sealed data, and no key to open it.
    #[error("the sandbox data in {} is sealed with a key kept in the OS keychain, and no key was given; make the keychain available, or move the folder away to start a fresh sandbox", .dir.display())]
    NoKey { dir: PathBuf },
    /// Sealed with another key (its keychain entry was deleted or replaced).
    #[error("the sandbox data in {} was sealed with another key (its keychain entry was deleted or replaced), so it cannot be read; move the folder away to start a fresh sandbox", .dir.display())]
    WrongKey { dir: PathBuf },
    #[error("cannot seal {}: {source}", .path.display())]
    Seal {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl StoreError {
    /// The data is there but cannot be opened with the key given: the
    /// embedder may move the folder away and start fresh.
    pub fn is_key_problem(&self) -> bool {
        matches!(self, StoreError::NoKey { .. } | StoreError::WrongKey { .. })
    }
}

macro_rules! db_err {
    ($e:expr) => {
        $e.map_err(|e| StoreError::Db(Box::new(e.into())))
    };
}

pub struct Store {
    db: Database,
    dir: PathBuf,
    sealer: Option<Sealer>,
}

const FILE: &str = "sandbox.redb";
const SEALING: &str = "sandbox.redb.sealing";

impl Store {
    /// Opens (or creates) `dir/sandbox.redb`; with a key, seals a plaintext
    /// database first.
    pub fn open(dir: &Path, key: Option<&DataKey>) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Dir {
            path: dir.to_path_buf(),
            source,
        })?;
        // A sealing that died before its rename left only this behind.
        let _ = std::fs::remove_file(dir.join(SEALING));
        let db = db_err!(Database::create(dir.join(FILE)))?;
        let mut store = Store {
            db,
            dir: dir.to_path_buf(),
            sealer: key.map(Sealer::new),
        };
        if store.sealer.is_some() && store.has_plaintext()? {
            store = store.seal_file()?;
        }
        Ok(store)
    }

    /// Every `(database key, value)` pair.
    fn entries(&self) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        let tx = db_err!(self.db.begin_read())?;
        let table = match tx.open_table(RECORDS) {
            Ok(t) => t,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(Vec::new()),
            Err(e) => return Err(StoreError::Db(Box::new(e.into()))),
        };
        let mut out = Vec::new();
        for entry in db_err!(table.iter())? {
            let (k, v) = db_err!(entry)?;
            out.push((k.value().to_string(), v.value().to_vec()));
        }
        Ok(out)
    }

    fn has_plaintext(&self) -> Result<bool, StoreError> {
        Ok(self.entries()?.iter().any(|(_, v)| !sealed::is_sealed(v)))
    }

    /// `(table name, id, record JSON)` of a stored pair.
    fn decode(
        &self,
        key: &str,
        value: &[u8],
    ) -> Result<Option<(String, String, Vec<u8>)>, StoreError> {
        let Some((table, rest)) = key.split_once('/') else {
            return Ok(None);
        };
        if !sealed::is_sealed(value) {
            return Ok(Some((table.to_string(), rest.to_string(), value.to_vec())));
        }
        let sealer = self.sealer.as_ref().ok_or_else(|| StoreError::NoKey {
            dir: self.dir.clone(),
        })?;
        match sealer.open(key, value) {
            Ok((id, record)) => Ok(Some((table.to_string(), id, record))),
            Err(sealed::Rejected) => Err(StoreError::WrongKey {
                dir: self.dir.clone(),
            }),
        }
    }

    /// Rewrites every record sealed into a new file, then puts it in place.
    fn seal_file(self) -> Result<Self, StoreError> {
        let mut records = Vec::new();
        for (k, v) in self.entries()? {
            if let Some(r) = self.decode(&k, &v)? {
                records.push(r);
            }
        }
        let Store { db, dir, sealer } = self;
        drop(db);
        let sealer = sealer.expect("only called with a key");
        let next = dir.join(SEALING);
        {
            let fresh = db_err!(Database::create(&next))?;
            let tx = db_err!(fresh.begin_write())?;
            {
                let mut table = db_err!(tx.open_table(RECORDS))?;
                for (t, id, record) in &records {
                    let slot = sealer.slot(t, id);
                    let value = sealer.seal(&slot, id, record);
                    db_err!(table.insert(slot.as_str(), value.as_slice()))?;
                }
            }
            db_err!(tx.commit())?;
        }
        let seal_err = |source| StoreError::Seal {
            path: dir.join(FILE),
            source,
        };
        std::fs::rename(&next, dir.join(FILE)).map_err(seal_err)?;
        std::fs::File::open(&dir)
            .and_then(|d| d.sync_all())
            .map_err(seal_err)?;
        let db = db_err!(Database::create(dir.join(FILE)))?;
        Ok(Store {
            db,
            dir,
            sealer: Some(sealer),
        })
    }

    /// Reads every record into `world` (an empty database leaves it empty).
    pub fn load(&self, world: &mut World) -> Result<(), StoreError> {
        for (key, value) in self.entries()? {
            let Some((table_name, id, record)) = self.decode(&key, &value)? else {
                continue;
            };
            let Some(t) = Table::ALL.into_iter().find(|t| t.name() == table_name) else {
                continue;
            };
            world
                .load_record(t, &id, &record)
                .map_err(|reason| StoreError::Corrupt {
                    key: format!(
                        "{table_name}/{}",
                        if self.sealer.is_some() { "…" } else { &id }
                    ),
                    reason,
                })?;
        }
        Ok(())
    }

    /// Writes (or removes, for `None`) records in one durable transaction.
    pub fn commit(&self, changes: &[(Table, String, Option<Vec<u8>>)]) -> Result<(), StoreError> {
        let tx = db_err!(self.db.begin_write())?;
        {
            let mut table = db_err!(tx.open_table(RECORDS))?;
            for (t, id, value) in changes {
                let key = match &self.sealer {
                    Some(s) => s.slot(t.name(), id),
                    None => format!("{}/{id}", t.name()),
                };
                match value {
                    Some(bytes) => {
                        let stored = match &self.sealer {
                            Some(s) => s.seal(&key, id, bytes),
                            None => bytes.clone(),
                        };
                        db_err!(table.insert(key.as_str(), stored.as_slice()))?;
                    }
                    None => {
                        db_err!(table.remove(key.as_str()))?;
                    }
                }
            }
        }
        db_err!(tx.commit())
    }
}
