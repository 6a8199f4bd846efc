//! The state every command can reach: what the app was launched on and when.
//!
//! Invariant: immutable after start except two one-shot startup flags, so
//! commands share it without locks. Why no more: per-document state (text,
//! revision) lives in the UI and travels with each call; the shell stays a
//! stateless adapter, so two windows or a reload can never see a stale copy.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use crate::launch::Launch;

pub struct Shell {
    pub launch: Launch,
    /// Taken first thing in `main`, for the startup figures `ui_ready` prints.
    pub started: Instant,
    ui_ready_seen: AtomicBool,
    page_load_seen: AtomicBool,
}

impl Shell {
    pub fn new(launch: Launch, started: Instant) -> Self {
        Self {
            launch,
            started,
            ui_ready_seen: AtomicBool::new(false),
            page_load_seen: AtomicBool::new(false),
        }
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
