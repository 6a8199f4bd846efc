//! Persistence in an embedded database (redb, pure Rust) under `--data-dir`.
//!
//! Layout: one table `records`, key `"{table}/{id}"`, value the record's JSON.
//! Invariants: `commit` writes a batch in one transaction with redb's default
//! immediate durability (fsync on commit), and it is called while the state's
//! write lock is held, so the database sees changes in memory order and a
//! change is on disk before its response is sent. Idempotency keys, consent
//! pages in progress, the request log, faults and settings are per run and not
//! stored.

use std::path::{Path, PathBuf};

use redb::{Database, ReadableTable, TableDefinition};

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
}

macro_rules! db_err {
    ($e:expr) => {
        $e.map_err(|e| StoreError::Db(Box::new(e.into())))
    };
}

pub struct Store {
    db: Database,
}

impl Store {
    /// Opens (or creates) `dir/sandbox.redb`.
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Dir {
            path: dir.to_path_buf(),
            source,
        })?;
        let db = db_err!(Database::create(dir.join("sandbox.redb")))?;
        Ok(Store { db })
    }

    /// Reads every record into `world` (an empty database leaves it empty).
    pub fn load(&self, world: &mut World) -> Result<(), StoreError> {
        let tx = db_err!(self.db.begin_read())?;
        let table = match tx.open_table(RECORDS) {
            Ok(t) => t,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(()),
            Err(e) => return Err(StoreError::Db(Box::new(e.into()))),
        };
        for entry in db_err!(table.iter())? {
            let (k, v) = db_err!(entry)?;
            let key = k.value();
            let Some((table_name, id)) = key.split_once('/') else {
                continue;
            };
            let Some(t) = Table::ALL.into_iter().find(|t| t.name() == table_name) else {
                continue;
            };
            world
                .load_record(t, id, v.value())
                .map_err(|reason| StoreError::Corrupt {
                    key: key.to_string(),
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
                let key = format!("{}/{id}", t.name());
                match value {
                    Some(bytes) => {
                        db_err!(table.insert(key.as_str(), bytes.as_slice()))?;
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
