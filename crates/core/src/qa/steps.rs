//! One (account, loop) of a run: its steps in order, each timed, the first
//! failure skipping the rest. The state a loop carries between steps: the
//! install it made, the account that install went into, the newest event
//! ids seen before it (so `wait_event` waits for a new one), and the values
//! its calls saved (`captures`), which start empty in every iteration.
//!
//! Invariants: the install step (`install_step.rs`) goes through core's real
//! loopback flow; a failed step keeps its request and response, masked; at
//! the end of the loop the install's local record and tokens are forgotten
//! unless `keep_installs`.

use std::collections::HashMap;
use std::time::Instant;

use tokio_util::sync::CancellationToken;

use super::captures::{self, Saved, Slot};
use super::flow::{AccountSpec, AssertInstallStep, CallAs, CallStep, Flow, Step};
use super::report::scrub;
use super::result::{Exchange, Iteration, Outcome, StepResult};
use super::run::{Progress, ProgressFn};
use crate::accounts::AccountProfile;
use crate::console::request::{self, ApiRequest, AuthAs, LiveGuard};
use crate::context::Context;
use crate::error::Coded;
use crate::installs::{self, InstallRecord};
use crate::local::control::{Control, SandboxAccount};
use crate::oauth::install::AppManifest;
use crate::oauth::timeline::mask_url;
use crate::secret::ApiKey;

pub(super) const BODY_MAX: usize = 4000;

/// An account a flow installs into.
pub struct Target {
    pub label: String,
    /// The account id, when known before the install (local sandbox, `acct_…`).
    pub id: Option<String>,
    /// The account's own key (local sandbox only), to read its events.
    pub key: Option<ApiKey>,
}

impl Target {
    pub fn local(spec: &AccountSpec, a: &SandboxAccount) -> Self {
        Target {
            label: spec.to_string(),
            id: Some(a.id.clone()),
            key: Some(a.secret_key.clone()),
        }
    }

    pub fn real(spec: &AccountSpec) -> Self {
        Target {
            label: spec.to_string(),
            id: match spec {
                AccountSpec::Id(id) => Some(id.clone()),
                AccountSpec::Install(_) => None,
            },
            key: None,
        }
    }
}

/// What a step ended with.
pub(super) struct Done {
    pub outcome: Outcome,
    pub message: Option<String>,
    pub exchange: Option<Exchange>,
}

pub(super) fn pass(message: impl Into<Option<String>>) -> Done {
    Done {
        outcome: Outcome::Passed,
        message: message.into(),
        exchange: None,
    }
}

pub(super) fn fail(message: impl Into<String>, exchange: Option<Exchange>) -> Done {
    Done {
        outcome: Outcome::Failed,
        message: Some(scrub::text(&message.into())),
        exchange,
    }
}

pub struct Iter<'a> {
    pub ctx: &'a Context,
    pub flow: &'a Flow,
    pub app: &'a AppManifest,
    pub dev: &'a AccountProfile,
    pub control: Option<&'a Control>,
    pub target: &'a Target,
    pub browser: &'a reqwest::Client,
    pub cancel: &'a CancellationToken,
    pub progress: &'a ProgressFn,
    pub loop_index: u32,
    pub loops: u32,
    pub install: Option<InstallRecord>,
    pub installed_into: Option<String>,
    pub baselines: HashMap<String, Option<String>>,
    /// What this iteration's calls saved, by name.
    pub saved: Saved,
}

impl Iter<'_> {
    pub async fn run(&mut self) -> Iteration {
        let started = Instant::now();
        let mut steps = Vec::new();
        let mut blocked = false;
        let total = self.flow.steps.len();
        for (i, step) in self.flow.steps.iter().enumerate() {
            let label = step.label();
            let done = if blocked {
                Done {
                    outcome: Outcome::Skipped,
                    message: None,
                    exchange: None,
                }
            } else if self.cancel.is_cancelled() {
                Done {
                    outcome: Outcome::Cancelled,
                    message: None,
                    exchange: None,
                }
            } else {
                (self.progress)(&Progress::Step {
                    account: self.target.label.clone(),
                    loop_index: self.loop_index,
                    loops: self.loops,
                    index: i + 1,
                    steps: total,
                    label: label.clone(),
                });
                let t = Instant::now();
                let done = self.step(step).await;
                let ms = t.elapsed().as_millis() as u64;
                (self.progress)(&Progress::StepDone {
                    account: self.target.label.clone(),
                    loop_index: self.loop_index,
                    index: i + 1,
                    label: label.clone(),
                    outcome: done.outcome,
                    duration_ms: ms,
                    message: done.message.clone(),
                });
                steps.push(StepResult {
                    index: i + 1,
                    kind: step.kind().into(),
                    label,
                    outcome: done.outcome,
                    duration_ms: ms,
                    message: done.message,
                    exchange: done.exchange,
                });
                blocked = steps.last().is_some_and(|s| s.outcome != Outcome::Passed);
                continue;
            };
            steps.push(StepResult {
                index: i + 1,
                kind: step.kind().into(),
                label,
                outcome: done.outcome,
                duration_ms: 0,
                message: done.message,
                exchange: None,
            });
        }
        if !self.flow.keep_installs {
            if let Some(rec) = self.install.take() {
                let _ = installs::forget(self.ctx, &rec.install);
            }
        }
        Iteration {
            account: self.target.label.clone(),
            account_id: self
                .installed_into
                .clone()
                .or_else(|| self.target.id.clone()),
            loop_index: self.loop_index,
            duration_ms: started.elapsed().as_millis() as u64,
            steps,
        }
    }

    async fn step(&mut self, step: &Step) -> Done {
        if let Step::Install(s) = step {
            return self.install(s).await; // handles the cancel itself
        }
        let cancel = self.cancel.clone();
        tokio::select! {
            done = self.other(step) => done,
            _ = cancel.cancelled() => Done { outcome: Outcome::Cancelled, message: Some("cancelled".into()), exchange: None },
        }
    }

    async fn other(&mut self, step: &Step) -> Done {
        match step {
            Step::Install(_) => unreachable!("handled in step()"),
            Step::AssertInstall(s) => self.assert_install(s).await,
            Step::Call(s) => self.call(s).await,
            Step::Refresh => self.refresh().await,
            Step::Expire(s) => match self.control {
                Some(c) => match c.advance_clock(s.seconds).await {
                    Ok(offset) => pass(format!("sandbox clock moved {}s (offset now {offset}s)", s.seconds)),
                    Err(e) => fail(e.to_string(), None),
                },
                None => fail("expire moves the local sandbox's clock; a real account's tokens can't be expired on demand", None),
            },
            Step::Uninstall => self.uninstall().await,
            Step::WaitEvent(s) => self.wait_event(&s.event_type, s.timeout_secs).await,
        }
    }

    fn needs_install(&self) -> Result<&InstallRecord, Done> {
        self.install
            .as_ref()
            .ok_or_else(|| fail("no install in this loop: an install step must come first (and not be undone by uninstall)", None))
    }

    async fn assert_install(&mut self, s: &AssertInstallStep) -> Done {
        let rec = match self.needs_install() {
            Ok(r) => r.clone(),
            Err(d) => return d,
        };
        let mut problems = Vec::new();
        if let Some(want) = s.livemode {
            if rec.livemode != want {
                problems.push(format!("livemode: expected {want}, got {}", rec.livemode));
            }
        }
        let mut exchange = None;
        if !s.permissions.is_empty() || s.exact {
            let Some(control) = self.control else {
                return fail("granted permissions are read from the local sandbox's control API; against a real account, check them in the Dashboard", None);
            };
            let installs = match control.installs().await {
                Ok(i) => i,
                Err(e) => return fail(e.to_string(), None),
            };
            let found = installs
                .iter()
                .find(|i| i.app == self.app.id && i.account == rec.stripe_user_id && i.active);
            exchange = Some(Exchange {
                request: format!("GET {}/_appdeck/installs", control.base()),
                response: found
                    .map(|i| format!("{i:?}"))
                    .unwrap_or_else(|| "(no active install)".into()),
                status: Some(200),
                ..Exchange::default()
            });
            match found {
                None => problems.push(format!(
                    "the sandbox lists no active install of {} on {}",
                    self.app.id, rec.stripe_user_id
                )),
                Some(i) => {
                    let missing: Vec<_> = s
                        .permissions
                        .iter()
                        .filter(|p| !i.permissions.contains(p))
                        .cloned()
                        .collect();
                    if !missing.is_empty() {
                        problems.push(format!(
                            "permissions not granted: {} (granted: {})",
                            missing.join(", "),
                            i.permissions.join(", ")
                        ));
                    }
                    let extra: Vec<_> = i
                        .permissions
                        .iter()
                        .filter(|p| !s.permissions.contains(p))
                        .cloned()
                        .collect();
                    if s.exact && !extra.is_empty() {
                        problems.push(format!(
                            "permissions granted beyond the expected ones: {}",
                            extra.join(", ")
                        ));
                    }
                }
            }
        }
        if problems.is_empty() {
            pass(format!(
                "livemode {}; {} permission(s) checked",
                rec.livemode,
                s.permissions.len()
            ))
        } else {
            fail(problems.join("; "), exchange)
        }
    }

    async fn call(&mut self, s: &CallStep) -> Done {
        let rec = match self.needs_install() {
            Ok(r) => r.clone(),
            Err(d) => return d,
        };
        let filled = captures::fill(&s.path, &self.saved, Slot::Path).and_then(|path| {
            let params =
                s.params.0.iter().map(|(k, v)| {
                    captures::fill(v, &self.saved, Slot::Param).map(|v| (k.clone(), v))
                });
            Ok((path, params.collect::<Result<Vec<_>, _>>()?))
        });
        let (path, params) = match filled {
            Ok(f) => f,
            Err(why) => return fail(why, None),
        };
        let req = ApiRequest {
            method: s.method.as_str().into(),
            path: path.clone(),
            params,
            raw_body: None,
            stripe_account: (s.call_as == CallAs::Developer).then(|| rec.stripe_user_id.clone()),
            stripe_version: None,
            idempotency_key: None,
            auth: match s.call_as {
                CallAs::Install => AuthAs::Install {
                    install: rec.install.clone(),
                },
                CallAs::Developer => AuthAs::Account {
                    name: Some(self.dev.name.clone()),
                },
            },
        };
        let mut exchange = Exchange {
            request: format!("{} {}", s.method.as_str(), path),
            request_lines: req
                .stripe_account
                .iter()
                .map(|a| format!("Stripe-Account: {a}"))
                .collect(),
            ..Exchange::default()
        };
        let resp = match request::send(self.ctx, &req, &LiveGuard::default()).await {
            Ok(r) => r,
            Err(e) => return fail(format!("{e} [{}]", e.code().as_str()), Some(exchange)),
        };
        if let Some(fresh) = resp
            .refreshed
            .then(|| installs::get(self.ctx, &rec.install).ok())
            .flatten()
        {
            self.install = Some(fresh);
        }
        let mut problems = super::check::expectations(
            &s.expect,
            resp.status,
            resp.refreshed,
            &resp.body,
            &self.saved,
        );
        if problems.is_empty() {
            problems = captures::take(&s.save.0, resp.status, &resp.body, &mut self.saved);
        }
        let summary = format!(
            "{} in {} ms{}",
            resp.status,
            resp.elapsed_ms,
            if resp.refreshed {
                " (token refreshed)"
            } else {
                ""
            }
        );
        if problems.is_empty() {
            return pass(summary);
        }
        exchange.request = format!("{} {}", resp.method, scrub::text(&mask_url(&resp.url)));
        exchange.status = Some(resp.status);
        exchange.response = scrub::body(&resp.body, BODY_MAX);
        if let Some(id) = resp.request_id {
            exchange.request_lines.push(format!("(Request-Id: {id})"));
        }
        fail(problems.join("; "), Some(exchange))
    }

    async fn refresh(&mut self) -> Done {
        let rec = match self.needs_install() {
            Ok(r) => r.clone(),
            Err(d) => return d,
        };
        match installs::refresh(self.ctx, &rec.install).await {
            Ok(fresh)
                if fresh.access_token_hint != rec.access_token_hint
                    || fresh.refreshed_at != rec.refreshed_at =>
            {
                let msg = format!(
                    "new access token {}",
                    fresh.access_token_hint.clone().unwrap_or_default()
                );
                self.install = Some(fresh);
                pass(msg)
            }
            Ok(_) => fail("the refresh returned the same tokens", None),
            Err(e) => fail(format!("{e} [{}]", e.code().as_str()), None),
        }
    }

    async fn uninstall(&mut self) -> Done {
        let rec = match self.needs_install() {
            Ok(r) => r.clone(),
            Err(d) => return d,
        };
        let Some(control) = self.control else {
            return fail("uninstalling from a real account is not automated: uninstall the app from the account's Dashboard (the local record was kept)", None);
        };
        if let Err(e) = control.uninstall(&self.app.id, &rec.stripe_user_id).await {
            return fail(
                e.to_string(),
                Some(Exchange {
                    request: format!("POST {}/_appdeck/installs/uninstall", control.base()),
                    ..Exchange::default()
                }),
            );
        }
        self.install = None;
        match installs::forget(self.ctx, &rec.install) {
            Ok(()) => pass(format!(
                "uninstalled from {}; local record and tokens forgotten",
                rec.stripe_user_id
            )),
            Err(e) => fail(
                format!("uninstalled, but forgetting the local record failed: {e}"),
                None,
            ),
        }
    }
}
