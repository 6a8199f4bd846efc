//! Cancellable jobs by id: install flows, fetch-all jobs, API calls, provider
//! logins and QA runs, kept from their start until whoever ends them is done,
//! so the UI can wait for one, hand it something, or cancel it by its id.
//!
//! One [`Jobs<T>`] per kind of job ([`JobKind`] names it in ids and errors),
//! `T` being what the job keeps for its waiter (a task handle, a flow waiting
//! for a pasted URL, or nothing for a call that is its own waiter).
//!
//! Invariants:
//! - a job leaves its registry when the [`JobGuard`] of whoever ends it is
//!   dropped: on success, on error and while unwinding from a panic alike, so
//!   no path forgets to remove it;
//! - a job stays cancellable while its waiter waits (the waiter takes the
//!   job's data, not the job);
//! - cancelling a job that ended, or never existed, is not an error. For ids
//!   the UI chooses ([`Jobs::start_as`]) a cancel can reach the shell before
//!   the job does: it is remembered (the last [`EARLY_CANCELS`] only), and
//!   the job starts cancelled.
//!
//! Why one type: the shell had four near-copies of "map of id → cancel token"
//! (and provider logins had none, so they could not be cancelled); each copy
//! decided on its own when to remove an entry, and one (fetch-all) removed it
//! before the wait, so a cancel during the wait did nothing.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use appdeck_core::error::{ErrorCode, ErrorPayload};
use tokio_util::sync::CancellationToken;

use crate::ipc::IpcResult;

/// How many cancels of not-yet-started jobs are remembered (per registry).
pub const EARLY_CANCELS: usize = 64;

/// What a job is: its id prefix and the noun errors use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    InstallFlow,
    FetchAll,
    ApiCall,
    ProviderLogin,
    QaRun,
}

impl JobKind {
    /// The prefix of the ids the shell makes for this kind (`flow_…`).
    pub fn prefix(self) -> &'static str {
        match self {
            JobKind::InstallFlow => "flow",
            JobKind::FetchAll => "job",
            JobKind::ApiCall => "call",
            JobKind::ProviderLogin => "login",
            JobKind::QaRun => "qa",
        }
    }

    pub fn noun(self) -> &'static str {
        match self {
            JobKind::InstallFlow => "install flow",
            JobKind::FetchAll => "fetch job",
            JobKind::ApiCall => "API call",
            JobKind::ProviderLogin => "provider login",
            JobKind::QaRun => "QA run",
        }
    }
}

/// A fresh handle: `<prefix>_<12 hex>`.
pub fn new_id(prefix: &str) -> String {
    let handle = appdeck_core::installs::new_handle();
    format!(
        "{prefix}_{}",
        handle.strip_prefix("inst_").unwrap_or(&handle)
    )
}

struct Entry<T> {
    cancel: CancellationToken,
    data: T,
}

struct Inner<T> {
    running: HashMap<String, Entry<T>>,
    early_cancels: VecDeque<String>,
}

/// The running jobs of one kind.
pub struct Jobs<T> {
    kind: JobKind,
    inner: Arc<Mutex<Inner<T>>>,
}

/// A job just started under a fresh id.
#[derive(Debug, Clone)]
pub struct Started {
    pub id: String,
    pub cancel: CancellationToken,
}

fn locked<T>(inner: &Mutex<Inner<T>>) -> MutexGuard<'_, Inner<T>> {
    // A panicking holder leaves the map consistent (every change is one call).
    inner.lock().unwrap_or_else(|p| p.into_inner())
}

impl<T> Jobs<T> {
    pub fn new(kind: JobKind) -> Self {
        Self {
            kind,
            inner: Arc::new(Mutex::new(Inner {
                running: HashMap::new(),
                early_cancels: VecDeque::new(),
            })),
        }
    }

    pub fn kind(&self) -> JobKind {
        self.kind
    }

    /// `invalid-input`: no job `id` of this kind is running.
    pub fn unknown(&self, id: &str) -> ErrorPayload {
        ErrorPayload {
            code: ErrorCode::InvalidInput,
            message: format!(
                "no {} \"{id}\" is running (it finished, or was never started)",
                self.kind.noun()
            ),
        }
    }

    /// Starts a job under a fresh id; it runs until a waiter [`Jobs::claim`]s
    /// it and is done, or it is [`Jobs::remove`]d.
    pub fn start(&self, data: T) -> Started {
        let id = new_id(self.kind.prefix());
        let cancel = CancellationToken::new();
        locked(&self.inner).running.insert(
            id.clone(),
            Entry {
                cancel: cancel.clone(),
                data,
            },
        );
        Started { id, cancel }
    }

    /// Starts a job under the id the UI chose; the caller is its waiter and
    /// ends it by dropping the guard. A cancel that arrived first leaves it
    /// cancelled from the start. An id already running is `invalid-input`.
    pub fn start_as(&self, id: &str, data: T) -> IpcResult<JobGuard<T>> {
        let mut inner = locked(&self.inner);
        if inner.running.contains_key(id) {
            return Err(ErrorPayload {
                code: ErrorCode::InvalidInput,
                message: format!("a {} \"{id}\" is running already", self.kind.noun()),
            });
        }
        let cancel = CancellationToken::new();
        if let Some(at) = inner.early_cancels.iter().position(|e| e == id) {
            inner.early_cancels.remove(at);
            cancel.cancel();
        }
        inner.running.insert(
            id.to_string(),
            Entry {
                cancel: cancel.clone(),
                data,
            },
        );
        Ok(self.guard(id, cancel))
    }

    fn guard(&self, id: &str, cancel: CancellationToken) -> JobGuard<T> {
        JobGuard {
            id: id.to_string(),
            cancel,
            inner: self.inner.clone(),
        }
    }

    /// Becomes the job's waiter: `take` picks what it awaits out of the job's
    /// data (or refuses, e.g. "already awaited"); the job stays cancellable
    /// and ends when the returned guard is dropped.
    pub fn claim<R>(
        &self,
        id: &str,
        take: impl FnOnce(&mut T) -> IpcResult<R>,
    ) -> IpcResult<(R, JobGuard<T>)> {
        let mut inner = locked(&self.inner);
        let entry = inner.running.get_mut(id).ok_or_else(|| self.unknown(id))?;
        let taken = take(&mut entry.data)?;
        let cancel = entry.cancel.clone();
        drop(inner);
        Ok((taken, self.guard(id, cancel)))
    }

    /// Reads or changes a running job's data.
    pub fn with<R>(&self, id: &str, f: impl FnOnce(&mut T) -> R) -> IpcResult<R> {
        let mut inner = locked(&self.inner);
        let entry = inner.running.get_mut(id).ok_or_else(|| self.unknown(id))?;
        Ok(f(&mut entry.data))
    }

    /// Cancels a job; one that ended is not an error, and one not started
    /// yet starts cancelled (see [`Jobs::start_as`]).
    pub fn cancel(&self, id: &str) {
        let mut inner = locked(&self.inner);
        match inner.running.get(id) {
            Some(entry) => entry.cancel.cancel(),
            None => {
                if inner.early_cancels.len() == EARLY_CANCELS {
                    inner.early_cancels.pop_front();
                }
                inner.early_cancels.push_back(id.to_string());
            }
        }
    }

    /// Ends a job nobody will wait for (its data is dropped).
    pub fn remove(&self, id: &str) -> Option<T> {
        locked(&self.inner).running.remove(id).map(|e| e.data)
    }

    /// Ends the job if its data says nothing runs on for it.
    pub fn remove_if(&self, id: &str, idle: impl FnOnce(&T) -> bool) {
        let mut inner = locked(&self.inner);
        if inner.running.get(id).is_some_and(|e| idle(&e.data)) {
            inner.running.remove(id);
        }
    }

    /// Cancels and forgets every job (the app is quitting).
    pub fn cancel_all(&self) {
        let mut inner = locked(&self.inner);
        for (_, entry) in inner.running.drain() {
            entry.cancel.cancel();
        }
        inner.early_cancels.clear();
    }

    pub fn is_running(&self, id: &str) -> bool {
        locked(&self.inner).running.contains_key(id)
    }

    /// How many jobs of this kind run.
    pub fn len(&self) -> usize {
        locked(&self.inner).running.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Held by whoever ends a job: dropping it (on any path, unwinding included)
/// removes the job from its registry.
pub struct JobGuard<T> {
    id: String,
    cancel: CancellationToken,
    inner: Arc<Mutex<Inner<T>>>,
}

impl<T> JobGuard<T> {
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The job's cancel token (cancelled by [`Jobs::cancel`]).
    pub fn token(&self) -> &CancellationToken {
        &self.cancel
    }
}

impl<T> Drop for JobGuard<T> {
    fn drop(&mut self) {
        locked(&self.inner).running.remove(&self.id);
    }
}

#[cfg(test)]
#[path = "jobs_tests.rs"]
mod tests;
