//! tauri-baseline: the smallest Tauri 2 app the startup benchmark compares
//! appdeck-desktop with (tests/bench/desktop-startup.sh).
//!
//! One window, one static page (dist/, embedded at compile time), one command.
//! It prints the same stderr lines as appdeck-desktop, so one script measures
//! both the same way: `tauri-baseline: page_loaded <ms> ms after start` when
//! the first page load finishes, and `tauri-baseline: ui_ready <ms> ms after
//! start` on the page's first `ui_ready` call (made once the page has painted).
//! Invariants: same tauri crate and features as appdeck-desktop (a workspace
//! member built in the same cargo invocation, release profile), the same
//! window size and CSP, and nothing else: no plugin, no state beyond the clock.
//! Why: a ratio against it isolates what Appdeck adds on top of Tauri itself.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use tauri::webview::PageLoadEvent;
use tauri::{Manager, State};

/// When the process started, and which first events were already printed.
struct Clock {
    started: Instant,
    page_loaded: AtomicBool,
    ui_ready: AtomicBool,
}

impl Clock {
    fn elapsed_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }
}

/// Milliseconds since the process started; logged on the first call.
/// Async, like Appdeck's `ui_ready`, so it answers from the same runtime.
#[tauri::command]
async fn ui_ready(clock: State<'_, Clock>) -> Result<u64, String> {
    let ms = clock.elapsed_ms();
    if !clock.ui_ready.swap(true, Ordering::SeqCst) {
        eprintln!("tauri-baseline: ui_ready {ms} ms after start");
    }
    Ok(ms)
}

fn main() {
    let clock = Clock {
        started: Instant::now(),
        page_loaded: AtomicBool::new(false),
        ui_ready: AtomicBool::new(false),
    };
    let result = tauri::Builder::default()
        .manage(clock)
        .invoke_handler(tauri::generate_handler![ui_ready])
        .on_page_load(|webview, payload| {
            if payload.event() != PageLoadEvent::Finished {
                return;
            }
            let clock = webview.state::<Clock>();
            if !clock.page_loaded.swap(true, Ordering::SeqCst) {
                eprintln!(
                    "tauri-baseline: page_loaded {} ms after start",
                    clock.elapsed_ms()
                );
            }
        })
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("tauri-baseline: cannot start the window: {e}");
        std::process::exit(1);
    }
}
