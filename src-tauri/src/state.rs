//! The state every command can reach: what the app was launched on and when,
//! and the [`Services`] (secret store, embedded sandbox, core context, running
//! flows) once startup has set them up.
//!
//! Invariant: immutable after start except two one-shot startup flags and the
//! one-time arrival of the services, so commands share it without locks. Why no
//! more: per-document state (text, revision) lives in the UI and travels with
//! each call; the shell stays a stateless adapter, so two windows or a reload
//! can never see a stale copy. What must live in the process (the sandbox, the
//! chosen secret store, flows waiting on a browser) is in `Services`, and
//! what QA keeps between calls (running QA flows by run id, the files each
//! finished run wrote, the recording journal) is in [`QaState`], behind its
//! own locks.
//!
//! Layering: this module may hold services, never commands (their response
//! types included): `tests/shell/layers.rs` fails on a `use crate::commands`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use appdeck_core::qa::record::Journal;
use appdeck_core::qa::report::Written;
use appdeck_core::qa::result::RunReport;
use tokio::sync::watch;

use crate::ipc::IpcResult;
use crate::launch::Launch;
use crate::services::jobs::{JobKind, Jobs};
use crate::services::Services;

pub struct Shell {
    pub launch: Launch,
    /// Taken first thing in `main`, for the startup figures `ui_ready` prints.
    pub started: Instant,
    ui_ready_seen: AtomicBool,
    page_load_seen: AtomicBool,
    services: watch::Sender<Option<Arc<Services>>>,
    pub qa: Arc<QaState>,
}

/// QA runs and the recorder. Invariants: a run is in `runs` from its start
/// until `qa_wait` has its result (its task is `None` while awaited); only the
/// files a finished run wrote can be opened (`reports`); the journal grows
/// only while `recording` is on.
pub struct QaState {
    pub runs: Jobs<Option<QaTask>>,
    pub reports: Mutex<HashMap<String, Written>>,
    pub recorder: Mutex<Recorder>,
}

/// A QA run's task: its report and the files it wrote.
pub type QaTask = tauri::async_runtime::JoinHandle<IpcResult<FinishedRun>>;

pub struct FinishedRun {
    pub report: RunReport,
    pub files: Written,
}

impl Default for QaState {
    fn default() -> Self {
        Self {
            runs: Jobs::new(JobKind::QaRun),
            reports: Mutex::default(),
            recorder: Mutex::default(),
        }
    }
}

#[derive(Default)]
pub struct Recorder {
    pub recording: bool,
    pub journal: Journal,
}

/// Locks a mutex, taking over one a panicking holder left poisoned.
pub fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Shell {
    pub fn new(launch: Launch, started: Instant) -> Self {
        Self {
            launch,
            started,
            ui_ready_seen: AtomicBool::new(false),
            page_load_seen: AtomicBool::new(false),
            services: watch::Sender::new(None),
            qa: Arc::default(),
        }
    }

    /// Called once, when startup has probed the keychain and started the sandbox.
    pub fn set_services(&self, services: Arc<Services>) {
        self.services.send_replace(Some(services));
    }

    /// The services, once ready (startup takes at most the keychain's 5 s probe).
    pub async fn services(&self) -> Arc<Services> {
        let mut rx = self.services.subscribe();
        let ready = rx.wait_for(Option::is_some).await;
        match ready {
            Ok(s) => s.clone().expect("wait_for returned a Some"),
            // The sender lives in `self`, so it cannot be dropped while we borrow it.
            Err(_) => unreachable!("the services sender outlives every command"),
        }
    }

    /// The services if startup has finished (for polling without waiting).
    pub fn services_now(&self) -> Option<Arc<Services>> {
        self.services.borrow().clone()
    }

    pub fn elapsed_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// True the first time only: later calls (a webview reload) are not a startup.
    pub fn first_ui_ready(&self) -> bool {
        !self.ui_ready_seen.swap(true, Ordering::SeqCst)
    }

    /// True for the first finished page load only.
    pub fn first_page_load(&self) -> bool {
        !self.page_load_seen.swap(true, Ordering::SeqCst)
    }
}
