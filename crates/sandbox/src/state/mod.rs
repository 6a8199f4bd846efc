//! The sandbox's state: [`World`] (accounts, apps, installs, tokens, objects)
//! behind one `RwLock`, plus the per-run parts that need no lock of their own
//! kind (clock, settings, rate limiter, faults, request log, idempotency cache).
//!
//! Invariants:
//! - The lock is a synchronous `parking_lot::RwLock`, never held across an
//!   `.await`: handlers read or mutate inside a closure ([`Shared::read`],
//!   [`Shared::write`]). Reads (the hot path, e.g. `GET /v1/customers/{id}`)
//!   share the lock.
//! - Every mutation marks the records it touched; [`Shared::write`] commits
//!   them to the store before releasing the lock, so the database order is the
//!   memory order and a write is durable before its response is sent.
//! - Derived indexes (key → account, list order, secret identities) are rebuilt
//!   on load and never persisted.

pub mod accounts;
pub mod apps;
pub mod deliveries;
pub mod objects;
pub mod tokens;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

use parking_lot::{Mutex, RwLock};
use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::config::SandboxConfig;
use crate::faults::Faults;
use crate::http::idempotency::Idempotency;
use crate::http::ratelimit::RateLimiter;
use crate::requestlog::RequestLog;
use crate::store::{Store, StoreError};
use crate::{AccountKey, AppInfo, SandboxInfo};

pub use accounts::{Account, KeyKind, KeyRef, Role};
pub use apps::{App, Install};
pub use deliveries::{Job, Outbox, Outcome, Settled};
pub use objects::{Kind, ListQuery, Objects, PageError, StoredObject};
pub use tokens::{AccessToken, AuthCode, RefreshToken, TokenPair};

/// Which kind of record a persisted key belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table {
    Meta,
    Account,
    App,
    Install,
    Code,
    Access,
    Refresh,
    Object,
    Delivery,
}

impl Table {
    pub const ALL: [Table; 9] = [
        Table::Meta,
        Table::Account,
        Table::App,
        Table::Install,
        Table::Code,
        Table::Access,
        Table::Refresh,
        Table::Object,
        Table::Delivery,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Table::Meta => "meta",
            Table::Account => "account",
            Table::App => "app",
            Table::Install => "install",
            Table::Code => "code",
            Table::Access => "access",
            Table::Refresh => "refresh",
            Table::Object => "object",
            Table::Delivery => "delivery",
        }
    }
}

/// Sandbox-wide facts that are not records of their own.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Meta {
    pub clock_offset: i64,
    pub developer: String,
    pub install_accounts: Vec<String>,
    pub primary_app: Option<String>,
}

/// Everything persisted, plus derived indexes.
#[derive(Default)]
pub struct World {
    pub meta: Meta,
    pub accounts: HashMap<String, Account>,
    pub keys: HashMap<String, KeyRef>,
    pub apps: HashMap<String, App>,
    /// Keyed by [`apps::install_key`].
    pub installs: HashMap<String, Install>,
    pub codes: HashMap<String, AuthCode>,
    pub access_tokens: HashMap<String, AccessToken>,
    pub refresh_tokens: HashMap<String, RefreshToken>,
    pub objects: Objects,
    /// Keyed by event id: deliveries pending or failed.
    pub deliveries: HashMap<String, Outbox>,
    /// Attempts queued by this write, handed to the scheduler after commit.
    jobs: Vec<Job>,
    seq: u64,
    dirty: Vec<(Table, String)>,
    /// Whether there is a store to commit marks to (in memory, none are kept).
    persistent: bool,
}

impl World {
    /// Records that `key` of `table` changed (or was removed).
    pub fn mark(&mut self, table: Table, key: &str) {
        if self.persistent {
            self.dirty.push((table, key.to_string()));
        }
    }

    /// The next list position (newest objects have the highest).
    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// The current serialized value of a record, `None` if it is gone.
    pub fn record(&self, table: Table, key: &str) -> Option<Vec<u8>> {
        let out = match table {
            Table::Meta => serde_json::to_vec(&self.meta),
            Table::Account => serde_json::to_vec(self.accounts.get(key)?),
            Table::App => serde_json::to_vec(self.apps.get(key)?),
            Table::Install => serde_json::to_vec(self.installs.get(key)?),
            Table::Code => serde_json::to_vec(self.codes.get(key)?),
            Table::Access => serde_json::to_vec(self.access_tokens.get(key)?),
            Table::Refresh => serde_json::to_vec(self.refresh_tokens.get(key)?),
            Table::Object => serde_json::to_vec(self.objects.get(key)?),
            Table::Delivery => serde_json::to_vec(self.deliveries.get(key)?),
        };
        out.ok()
    }

    /// Loads one persisted record (the inverse of [`World::record`]).
    pub fn load_record(&mut self, table: Table, key: &str, bytes: &[u8]) -> Result<(), String> {
        fn de<T: serde::de::DeserializeOwned>(b: &[u8]) -> Result<T, String> {
            serde_json::from_slice(b).map_err(|e| e.to_string())
        }
        match table {
            Table::Meta => self.meta = de(bytes)?,
            Table::Account => {
                let a: Account = de(bytes)?;
                self.index_keys(&a);
                self.accounts.insert(key.to_string(), a);
            }
            Table::App => {
                self.apps.insert(key.to_string(), de(bytes)?);
            }
            Table::Install => {
                self.installs.insert(key.to_string(), de(bytes)?);
            }
            Table::Code => {
                self.codes.insert(key.to_string(), de(bytes)?);
            }
            Table::Access => {
                self.access_tokens.insert(key.to_string(), de(bytes)?);
            }
            Table::Refresh => {
                self.refresh_tokens.insert(key.to_string(), de(bytes)?);
            }
            Table::Object => {
                let o: StoredObject = de(bytes)?;
                self.seq = self.seq.max(o.seq);
                self.objects.insert(key.to_string(), o);
            }
            Table::Delivery => {
                self.deliveries.insert(key.to_string(), de(bytes)?);
            }
        }
        Ok(())
    }

    fn take_dirty(&mut self) -> Vec<(Table, String)> {
        std::mem::take(&mut self.dirty)
    }

    fn take_jobs(&mut self) -> Vec<Job> {
        std::mem::take(&mut self.jobs)
    }
}

/// Switches the control API can flip at run time.
#[derive(Debug)]
pub struct Settings {
    pub auto_consent: AtomicBool,
    pub any_loopback_port: AtomicBool,
    pub rate_limit: AtomicBool,
    /// How long a webhook endpoint has to answer a delivery, in milliseconds.
    pub webhook_timeout_ms: AtomicU64,
}

/// Stripe publishes no delivery timeout; 30 s is what its users report
/// (inferred). Tests shorten it through the control API.
pub const DEFAULT_WEBHOOK_TIMEOUT_MS: u64 = 30_000;

impl Settings {
    pub fn get(flag: &AtomicBool) -> bool {
        flag.load(Ordering::Relaxed)
    }
}

/// Which page flow a consent belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    OAuth,
    InstallLink,
}

/// A consent page shown and not yet answered (the form carries only its id).
#[derive(Debug, Clone)]
pub struct PendingConsent {
    pub app: String,
    pub redirect_uri: String,
    pub state: Option<String>,
    pub flow: Flow,
    pub shown: Instant,
}

/// Everything a request handler reaches through `State`.
pub struct Shared {
    pub world: RwLock<World>,
    store: Option<Store>,
    pub clock: Clock,
    pub settings: Settings,
    pub limiter: RateLimiter,
    pub faults: Faults,
    pub log: RequestLog,
    pub idempotency: Idempotency,
    pub consents: Mutex<HashMap<String, PendingConsent>>,
    pub provider: crate::routes::provider::ProviderState,
    pub hooks: crate::webhooks::Hooks,
    pub base_url: String,
}

impl Shared {
    /// Loads the data dir (if any), seeds a fresh sandbox, registers the
    /// configured app, and commits all of that.
    pub fn open(cfg: &SandboxConfig, base_url: String) -> Result<Self, StoreError> {
        let store = match &cfg.data_dir {
            Some(dir) => Some(Store::open(dir, cfg.data_key.as_ref())?),
            None => None,
        };
        let mut world = World {
            persistent: store.is_some(),
            ..World::default()
        };
        if let Some(store) = &store {
            store.load(&mut world)?;
        }
        let clock = Clock::with_offset(world.meta.clock_offset);
        let now = clock.now();
        if world.meta.developer.is_empty() {
            world.seed(now);
        }
        if let Some(reg) = &cfg.app {
            let owner = world.meta.developer.clone();
            world.register_app(reg, &owner, now);
            world.meta.primary_app = Some(reg.id.clone());
            world.mark(Table::Meta, "meta");
        }
        let shared = Shared {
            world: RwLock::new(world),
            store,
            clock,
            settings: Settings {
                auto_consent: AtomicBool::new(cfg.auto_consent),
                any_loopback_port: AtomicBool::new(cfg.any_loopback_port),
                rate_limit: AtomicBool::new(cfg.rate_limit),
                webhook_timeout_ms: AtomicU64::new(DEFAULT_WEBHOOK_TIMEOUT_MS),
            },
            limiter: RateLimiter::default(),
            faults: Faults::default(),
            log: RequestLog::default(),
            idempotency: Idempotency::default(),
            consents: Mutex::new(HashMap::new()),
            provider: Default::default(),
            hooks: crate::webhooks::Hooks::default(),
            base_url,
        };
        shared.write(|_| ())?;
        Ok(shared)
    }

    /// Runs `f` under the read lock.
    pub fn read<R>(&self, f: impl FnOnce(&World) -> R) -> R {
        f(&self.world.read())
    }

    /// Runs `f` under the write lock, then commits what it marked before the
    /// lock is released; the delivery attempts it queued go to the scheduler
    /// once committed.
    pub fn write<R>(&self, f: impl FnOnce(&mut World) -> R) -> Result<R, StoreError> {
        let mut world = self.world.write();
        let out = f(&mut world);
        let dirty = world.take_dirty();
        let jobs = world.take_jobs();
        if let (Some(store), false) = (&self.store, dirty.is_empty()) {
            let changes: Vec<(Table, String, Option<Vec<u8>>)> = dirty
                .into_iter()
                .map(|(t, k)| {
                    let v = world.record(t, &k);
                    (t, k, v)
                })
                .collect();
            store.commit(&changes)?;
        }
        drop(world);
        if !jobs.is_empty() {
            self.hooks.queue(jobs);
        }
        Ok(out)
    }

    /// The accounts, keys and primary app, as `--json` prints them.
    pub fn info(&self) -> SandboxInfo {
        self.read(|w| {
            let key_of = |id: &str| AccountKey {
                account: id.to_string(),
                secret_key: w
                    .accounts
                    .get(id)
                    .map(|a| a.secret_key.clone())
                    .unwrap_or_default(),
            };
            SandboxInfo {
                base_url: self.base_url.clone(),
                developer: key_of(&w.meta.developer),
                accounts: w.meta.install_accounts.iter().map(|a| key_of(a)).collect(),
                app: w
                    .meta
                    .primary_app
                    .as_ref()
                    .and_then(|id| w.apps.get(id))
                    .map(|app| AppInfo {
                        id: app.id.clone(),
                        client_id: app.client_id.clone(),
                        channel_link: app.channel_link.clone(),
                        signing_secret: app.signing_secret.clone(),
                    }),
            }
        })
    }
}
