//! Webhook delivery: a background scheduler that makes each attempt when it
//! is due on the sandbox clock, the attempt itself (`attempt`), and the
//! delivery log (`log`).
//!
//! Invariants:
//! - Delivery never blocks the API request that caused the event: the
//!   request only queues [`Job`]s (through `Shared::write`, after commit);
//!   the scheduler task runs attempts in tasks of their own, at most
//!   [`CONCURRENT_ATTEMPTS`] at a time, each bounded by the delivery timeout.
//! - An attempt is due when the sandbox clock reaches its time: the
//!   scheduler sleeps until then in real time, and wakes early when the clock
//!   is advanced (`Clock::subscribe`), so a test advances through retries.
//! - On start it resumes the attempts a persisted sandbox still owed.
//! - [`Scheduler::stop`] ends the scheduler and every attempt in flight
//!   before it returns, so the state (and its database) is released.

pub mod attempt;
pub mod log;

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;
use tokio::sync::{mpsc, oneshot, Semaphore};
use tokio::task::{JoinHandle, JoinSet};

use crate::state::{Job, Shared};

/// Attempts in flight at once, across endpoints.
pub const CONCURRENT_ATTEMPTS: usize = 32;

/// Stripe's webhook user agent.
const USER_AGENT: &str = "Stripe/1.0 (+https://stripe.com/docs/webhooks)";

/// The delivery machinery's handles, kept in `Shared`.
pub struct Hooks {
    tx: mpsc::UnboundedSender<Job>,
    rx: Mutex<Option<mpsc::UnboundedReceiver<Job>>>,
    pub log: log::DeliveryLog,
    /// No redirects (Stripe counts a 3xx as a failure), no proxy (deliveries
    /// go to loopback only).
    pub client: reqwest::Client,
}

impl Default for Hooks {
    fn default() -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        Hooks {
            tx,
            rx: Mutex::new(Some(rx)),
            log: log::DeliveryLog::default(),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .no_proxy()
                .user_agent(USER_AGENT)
                .build()
                .unwrap_or_default(),
        }
    }
}

impl Hooks {
    /// Hands attempts to the scheduler (buffered until it runs).
    pub fn queue(&self, jobs: Vec<Job>) {
        for job in jobs {
            let _ = self.tx.send(job);
        }
    }
}

/// The running scheduler.
pub struct Scheduler {
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl Scheduler {
    /// Starts the scheduler over `s` (once per sandbox).
    pub fn start(s: Arc<Shared>) -> Scheduler {
        let rx = s.hooks.rx.lock().take();
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(async move {
            if let Some(rx) = rx {
                run(s, rx, stopped).await;
            }
        });
        Scheduler { stop, task }
    }

    /// Stops it and waits until every attempt in flight has ended.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}

type Due = Reverse<(i64, u64, String, String)>;

async fn run(
    s: Arc<Shared>,
    mut rx: mpsc::UnboundedReceiver<Job>,
    mut stopped: oneshot::Receiver<()>,
) {
    let mut clock = s.clock.subscribe();
    let mut heap: BinaryHeap<Due> = BinaryHeap::new();
    let mut seq = 0u64;
    let mut push = |heap: &mut BinaryHeap<Due>, j: Job| {
        seq += 1;
        heap.push(Reverse((j.due, seq, j.event, j.endpoint)));
    };
    for job in s.read(|w| w.outstanding_jobs()) {
        push(&mut heap, job);
    }
    let mut running = JoinSet::new();
    let permits = Arc::new(Semaphore::new(CONCURRENT_ATTEMPTS));
    loop {
        let now = s.clock.now();
        while heap.peek().is_some_and(|Reverse((due, ..))| *due <= now) {
            let Some(Reverse((_, _, event, endpoint))) = heap.pop() else {
                break;
            };
            let (s, permits) = (s.clone(), permits.clone());
            running.spawn(async move {
                let _permit = permits.acquire_owned().await;
                attempt::run(&s, &event, &endpoint, false).await;
            });
        }
        let idle = heap
            .peek()
            .map_or(Duration::from_secs(3600), |Reverse((due, ..))| {
                Duration::from_secs((due - now).max(1) as u64)
            });
        tokio::select! {
            _ = &mut stopped => break,
            Some(job) = rx.recv() => push(&mut heap, job),
            Ok(()) = clock.changed() => {}
            Some(_) = running.join_next(), if !running.is_empty() => {}
            () = tokio::time::sleep(idle) => {}
        }
    }
    running.shutdown().await;
}
