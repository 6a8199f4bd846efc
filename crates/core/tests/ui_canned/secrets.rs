//! The Secret Store screen's answers (`secrets.json`): each call the screen
//! makes, as core builds it (`console::secrets`), sent as a real install to
//! the sandbox's Secret Store, with its answer: list, set, find with the
//! payload, another scope, delete.

use appdeck_core::console::request::{ApiRequest, ApiResponse};
use appdeck_core::console::secrets::{self, Scope};
use appdeck_core::installs;

use crate::canned::Canned;
use crate::console::sent;
use crate::install::{loopback_install, project, Streamed};
use crate::scrub::Scrub;
use crate::support::Sandboxed;

/// A call and core's answer to it, as the screen's stub pairs them.
async fn exchange(env: &Sandboxed, req: ApiRequest) -> (ApiRequest, ApiResponse) {
    let resp = sent(env, &req).await;
    assert!(
        resp.status < 300,
        "{} {}: {}",
        req.method,
        req.path,
        resp.body
    );
    (req, resp)
}

#[tokio::test]
async fn secret_store_screen() {
    let mut scrub = Scrub::new();
    let (_proj, env, app) = project(&mut scrub).await;
    let mut out = Canned::new("secrets");
    let (_, outcome) = loopback_install(&env, &app, &Streamed::default(), None).await;
    out.put("installs", &installs::list(&env.ctx).unwrap());
    let inst = outcome.install.install.as_str();
    let account = Scope::Account;

    out.put(
        "listEmpty",
        &exchange(&env, secrets::list(inst, &account, Some(100))).await,
    );
    let set = secrets::set(inst, &account, "gh_token", "s3cret", None);
    out.put("set", &exchange(&env, set).await);
    out.put(
        "listOne",
        &exchange(&env, secrets::list(inst, &account, Some(100))).await,
    );
    out.put(
        "find",
        &exchange(&env, secrets::find(inst, &account, "gh_token")).await,
    );
    let user = Scope::User("usr_1".into());
    out.put(
        "listUser",
        &exchange(&env, secrets::list(inst, &user, Some(100))).await,
    );
    out.put(
        "delete",
        &exchange(&env, secrets::delete(inst, &account, "gh_token")).await,
    );
    out.write(&mut scrub);
}
