//! The Secret Store screen: list, find (with payload), set and delete an
//! install's secrets by scope, each through core's use case
//! (`console::secrets`, which `appdeck secrets` calls too).
//!
//! Invariants: the webview passes the install, the scope, the name and (for
//! a set) the payload and expiry, never a request. The payload goes to core
//! as a `SecretPayload` and comes back only from an explicit find (app data
//! the developer asked to see). Core records every call in the history with
//! the payload redacted; while QA recording is on, the call is also noted in
//! its journal, whose rendering withholds the payload.

use appdeck_core::console::secrets::{self, Scope, SecretList, Sender, Sent, StoredSecret};
use appdeck_core::context::Context;
use appdeck_core::secret::SecretPayload;

use crate::ipc::{payload, IpcResult};
use crate::services::Services;
use crate::state::{QaState, Shell};

/// The call's typed answer, after the shell's bookkeeping: a history write
/// that failed is reported on stderr, and QA recording notes the call.
fn answer<T>(qa: &QaState, ctx: &Context, sent: Sent<T>) -> IpcResult<T> {
    let call = sent.map_err(payload)?;
    if let Some(e) = &call.unrecorded {
        eprintln!("appdeck-desktop: the call was not recorded in the history: {e}");
    }
    super::qa::note_call(qa, ctx, &call.request, &call.response);
    call.result.map_err(payload)
}

fn sender<'a>(svc: &'a Services, ctx: &'a Context) -> Sender<'a> {
    Sender {
        ctx,
        guard: &svc.live,
        policy: &ctx.retry,
    }
}

/// The scope's secrets (names and expiry, no payloads).
pub async fn list(
    svc: &Services,
    qa: &QaState,
    install: &str,
    scope: &Scope,
) -> IpcResult<SecretList> {
    let ctx = svc.context();
    let sent = secrets::list(&sender(svc, &ctx), install, scope, None).await;
    answer(qa, &ctx, sent)
}

/// The secret named `name`, with its payload (the user asked to see it).
pub async fn find(
    svc: &Services,
    qa: &QaState,
    install: &str,
    scope: &Scope,
    name: &str,
) -> IpcResult<StoredSecret> {
    let ctx = svc.context();
    let sent = secrets::find(&sender(svc, &ctx), install, scope, name).await;
    answer(qa, &ctx, sent)
}

/// Creates the secret or replaces the one of that name and scope.
pub async fn set(
    svc: &Services,
    qa: &QaState,
    install: &str,
    scope: &Scope,
    name: &str,
    payload: SecretPayload,
    expires_at: Option<i64>,
) -> IpcResult<StoredSecret> {
    let ctx = svc.context();
    let via = sender(svc, &ctx);
    let sent = secrets::set(&via, install, scope, name, &payload, expires_at).await;
    answer(qa, &ctx, sent)
}

/// Deletes the secret; answers the deleted object.
pub async fn delete(
    svc: &Services,
    qa: &QaState,
    install: &str,
    scope: &Scope,
    name: &str,
) -> IpcResult<StoredSecret> {
    let ctx = svc.context();
    let sent = secrets::delete(&sender(svc, &ctx), install, scope, name).await;
    answer(qa, &ctx, sent)
}

pub async fn secrets_list(shell: &Shell, install: String, scope: Scope) -> IpcResult<SecretList> {
    list(&*shell.services().await, &shell.qa, &install, &scope).await
}

pub async fn secrets_find(
    shell: &Shell,
    install: String,
    scope: Scope,
    name: String,
) -> IpcResult<StoredSecret> {
    find(&*shell.services().await, &shell.qa, &install, &scope, &name).await
}

/// The payload arrives as the webview typed it and goes straight to core.
pub async fn secrets_set(
    shell: &Shell,
    install: String,
    scope: Scope,
    name: String,
    payload: String,
    expires_at: Option<i64>,
) -> IpcResult<StoredSecret> {
    let svc = shell.services().await;
    let payload = SecretPayload::new(payload);
    set(
        &svc, &shell.qa, &install, &scope, &name, payload, expires_at,
    )
    .await
}

pub async fn secrets_delete(
    shell: &Shell,
    install: String,
    scope: Scope,
    name: String,
) -> IpcResult<StoredSecret> {
    delete(&*shell.services().await, &shell.qa, &install, &scope, &name).await
}
