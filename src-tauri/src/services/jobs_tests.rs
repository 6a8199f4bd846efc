//! The registry's rules: ids, waiting, cancelling before, during and after a
//! job, and removal on every way a job can end.

use super::*;

#[test]
fn a_started_job_is_found_by_its_fresh_id_until_its_waiter_is_done() {
    let jobs: Jobs<Option<u32>> = Jobs::new(JobKind::FetchAll);
    let started = jobs.start(Some(7));
    assert!(started.id.starts_with("job_"), "{}", started.id);
    assert_ne!(jobs.start(None).id, started.id, "ids are fresh");
    let (value, guard) = jobs.claim(&started.id, |d| Ok(d.take())).unwrap();
    assert_eq!(value, Some(7));
    assert!(jobs.is_running(&started.id), "claimed, still running");
    let again = jobs
        .claim(&started.id, |d| d.take().ok_or_else(jobs_err))
        .map(|_| ());
    assert_eq!(again.unwrap_err().message, "already awaited");
    drop(guard);
    assert!(!jobs.is_running(&started.id), "the waiter's guard ended it");
    let gone = jobs.claim(&started.id, |d| Ok(d.take())).map(|_| ());
    let err = gone.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains("no fetch job"), "{}", err.message);
}

fn jobs_err() -> ErrorPayload {
    ErrorPayload {
        code: ErrorCode::InvalidInput,
        message: "already awaited".into(),
    }
}

#[test]
fn a_job_stays_cancellable_while_its_waiter_waits() {
    let jobs: Jobs<()> = Jobs::new(JobKind::QaRun);
    let started = jobs.start(());
    let ((), guard) = jobs.claim(&started.id, |_| Ok(())).unwrap();
    jobs.cancel(&started.id);
    assert!(started.cancel.is_cancelled());
    assert!(guard.token().is_cancelled(), "the waiter sees the cancel");
}

#[test]
fn cancelling_an_ended_or_unknown_job_is_not_an_error_and_touches_no_other_job() {
    let jobs: Jobs<()> = Jobs::new(JobKind::InstallFlow);
    let other = jobs.start(());
    let ended = jobs.start_as("flow_ended", ()).unwrap();
    drop(ended);
    jobs.cancel("flow_ended");
    jobs.cancel("flow_never");
    assert!(!other.cancel.is_cancelled());
    assert_eq!(jobs.len(), 1);
}

#[test]
fn a_cancel_that_comes_before_a_ui_chosen_id_starts_it_cancelled_once() {
    let jobs: Jobs<()> = Jobs::new(JobKind::ApiCall);
    jobs.cancel("call_1");
    let first = jobs.start_as("call_1", ()).unwrap();
    assert!(first.token().is_cancelled(), "the early cancel is honoured");
    drop(first);
    let second = jobs.start_as("call_1", ()).unwrap();
    assert!(!second.token().is_cancelled(), "and used up");
}

#[test]
fn early_cancels_are_bounded() {
    let jobs: Jobs<()> = Jobs::new(JobKind::ApiCall);
    for i in 0..=EARLY_CANCELS {
        jobs.cancel(&format!("call_{i}"));
    }
    assert!(
        !jobs.start_as("call_0", ()).unwrap().token().is_cancelled(),
        "the oldest early cancel was forgotten"
    );
    assert!(jobs
        .start_as(&format!("call_{EARLY_CANCELS}"), ())
        .unwrap()
        .token()
        .is_cancelled());
}

#[test]
fn a_ui_chosen_id_cannot_run_twice_at_once() {
    let jobs: Jobs<()> = Jobs::new(JobKind::ProviderLogin);
    let _running = jobs.start_as("login_1", ()).unwrap();
    let err = jobs.start_as("login_1", ()).err().unwrap();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains("provider login"), "{}", err.message);
}

#[test]
fn a_job_whose_waiter_panics_is_removed() {
    let jobs: Jobs<()> = Jobs::new(JobKind::ApiCall);
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _guard = jobs.start_as("call_p", ()).unwrap();
        panic!("the job's work panicked");
    }));
    assert!(panicked.is_err());
    assert!(!jobs.is_running("call_p"), "unwinding dropped the guard");
}

#[test]
fn a_job_whose_task_fails_is_removed_when_its_waiter_returns_the_error() {
    let jobs: Jobs<()> = Jobs::new(JobKind::ApiCall);
    let work = |jobs: &Jobs<()>| -> IpcResult<()> {
        let _guard = jobs.start_as("call_e", ())?;
        Err(jobs_err())
    };
    assert!(work(&jobs).is_err());
    assert!(jobs.is_empty());
}

#[test]
fn remove_if_ends_only_an_idle_job_and_cancel_all_cancels_every_one() {
    let jobs: Jobs<bool> = Jobs::new(JobKind::InstallFlow);
    let idle = jobs.start(true);
    let busy = jobs.start(false);
    jobs.remove_if(&idle.id, |d| *d);
    jobs.remove_if(&busy.id, |d| *d);
    assert!(!jobs.is_running(&idle.id));
    assert!(jobs.is_running(&busy.id));
    assert!(!jobs.with(&busy.id, |d| *d).unwrap());
    jobs.cancel_all();
    assert!(busy.cancel.is_cancelled());
    assert!(jobs.is_empty());
}
